package ssostate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// fileLockPoll is how often a process waiting for the file lock tries again.
const fileLockPoll = 25 * time.Millisecond

// acquireFileLock takes the lock file of a ToolJet host, which serialises the
// writes of every Terraform process of this user on this machine, as the
// in-process mutex does for one process. ToolJet's API has no version or
// ETag to detect a concurrent write, so without it two applies that share a
// machine could overwrite each other's changes. It polls without blocking,
// so the context's deadline still applies.
//
// The returned release function unlocks and closes the file. When no lock
// file can be created (a read-only cache directory, say), it returns a nil
// release function and the error, and the caller goes on without it.
func acquireFileLock(ctx context.Context, host string) (func(), error) {
	path, err := lockFilePath(host)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("opening lock file %s: %w", path, err)
	}
	for {
		locked, err := tryLockFile(f)
		if err != nil {
			_ = f.Close()
			return nil, fmt.Errorf("locking %s: %w", path, err)
		}
		if locked {
			return func() {
				unlockFile(f)
				_ = f.Close()
			}, nil
		}
		timer := time.NewTimer(fileLockPoll)
		select {
		case <-ctx.Done():
			timer.Stop()
			_ = f.Close()
			return nil, fmt.Errorf("waiting for another Terraform process on this machine "+
				"that is writing ToolJet's SSO settings (lock file %s): %w", path, ctx.Err())
		case <-timer.C:
		}
	}
}

// lockFilePath is the lock file of a host in the user's cache directory.
func lockFilePath(host string) (string, error) {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "terraform-provider-tooljet", "locks")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("creating lock directory %s: %w", dir, err)
	}
	sum := sha256.Sum256([]byte(host))
	return filepath.Join(dir, hex.EncodeToString(sum[:8])+".lock"), nil
}
