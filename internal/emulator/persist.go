package emulator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// stateFileVersion is the format version written to state files.
const stateFileVersion = 1

// stateFile is the JSON document of a state file.
type stateFile struct {
	Version int    `json:"version"`
	State   *State `json:"state"`
}

// loadStateFile reads a state file. It returns (nil, nil) when the file does
// not exist.
func loadStateFile(path string) (*State, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read state file: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	dec.DisallowUnknownFields()
	var file stateFile
	if err := dec.Decode(&file); err != nil {
		return nil, fmt.Errorf("parse state file %s: %w", path, err)
	}
	if file.Version != stateFileVersion {
		return nil, fmt.Errorf("state file %s has version %d, this emulator reads version %d",
			path, file.Version, stateFileVersion)
	}
	if file.State == nil {
		return nil, fmt.Errorf("state file %s has no \"state\" object", path)
	}
	if err := file.State.validate(); err != nil {
		return nil, fmt.Errorf("invalid state file %s: %w", path, err)
	}
	return file.State, nil
}

// saveStateFile writes st to path atomically: it writes and syncs a
// temporary file in the same directory, then renames it over path, so a
// reader sees either the old or the new content.
func saveStateFile(path string, st *State) error {
	data, err := marshalState(st)
	if err != nil {
		return fmt.Errorf("encode state: %w", err)
	}
	return writeFileAtomic(path, append(data, '\n'), 0o600)
}

func writeFileAtomic(path string, data []byte, perm fs.FileMode) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temporary file for %s: %w", path, err)
	}
	tmpName := tmp.Name()
	defer func() { _ = os.Remove(tmpName) }() // fails harmlessly after the rename

	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("write %s: %w", tmpName, err)
	}
	if err := tmp.Chmod(perm); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("set mode of %s: %w", tmpName, err)
	}
	if err := tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("sync %s: %w", tmpName, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("close %s: %w", tmpName, err)
	}
	if err := os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("replace %s: %w", path, err)
	}
	return nil
}
