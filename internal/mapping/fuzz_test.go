package mapping

import (
	"errors"
	"maps"
	"testing"
)

// FuzzParse checks that Parse never panics, that every error it returns is
// made of *EntryError values, and that every mapping it accepts passes
// Validate and round-trips through Format and Parse.
func FuzzParse(f *testing.F) {
	f.Add("Marketing Team -> marketing, Sales Team -> sales")
	f.Fuzz(func(t *testing.T, text string) {
		m, err := Parse(text)
		if err != nil {
			checkEntryErrors(t, text, err)
			return
		}
		if errs := Validate(m); len(errs) > 0 {
			t.Fatalf("Parse(%q) = %q, which Validate rejects: %v", text, m, errs)
		}
		formatted, err := Format(m)
		if err != nil {
			t.Fatalf("Format(Parse(%q)) error: %v", text, err)
		}
		again, err := Parse(formatted)
		if err != nil {
			t.Fatalf("Parse(%q) error after Format: %v", formatted, err)
		}
		if !maps.Equal(again, m) {
			t.Fatalf("Parse(Format(%q)) = %q, want %q", m, again, m)
		}
	})
}

// FuzzFormat checks that Format, given a map of fuzzed names, either returns
// an error or returns text that Parse reads back to the same map, whenever
// Validate accepts the map.
func FuzzFormat(f *testing.F) {
	f.Add("Admins", "admin", "Marketing Team", "marketing", "", "")
	f.Fuzz(func(t *testing.T, key1, value1, key2, value2, key3, value3 string) {
		m := map[string]string{key1: value1, key2: value2, key3: value3}
		text, err := Format(m)
		if err != nil {
			var keyErr *KeyError
			if !errors.As(err, &keyErr) {
				t.Fatalf("Format(%q) error %v does not wrap a *KeyError", m, err)
			}
			return
		}
		got, parseErr := Parse(text)
		if errs := Validate(m); len(errs) > 0 {
			// Parse may accept or reject a map that breaks the name rules.
			return
		}
		if parseErr != nil {
			t.Fatalf("Parse(Format(%q)) error: %v", m, parseErr)
		}
		if !maps.Equal(got, m) {
			t.Fatalf("Parse(Format(%q)) = %q, want the same map", m, got)
		}
	})
}

// checkEntryErrors fails t unless err joins only *EntryError values with
// entry numbers inside text.
func checkEntryErrors(t *testing.T, text string, err error) {
	t.Helper()
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("Parse(%q) error %T is not a joined error", text, err)
	}
	entryCount := len(splitEntries(text))
	for _, entryErr := range joined.Unwrap() {
		var e *EntryError
		if !errors.As(entryErr, &e) {
			t.Fatalf("Parse(%q) error %v is not an *EntryError", text, entryErr)
		}
		if e.Entry < 1 || e.Entry > entryCount {
			t.Fatalf("Parse(%q) reports entry %d outside the text", text, e.Entry)
		}
		if e.Text == "" {
			t.Fatalf("Parse(%q) reports entry %d with empty text", text, e.Entry)
		}
	}
}
