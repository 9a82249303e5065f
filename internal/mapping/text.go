package mapping

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Parse converts the text form of a group mapping, such as
// "Marketing Team -> marketing, Sales Team -> sales", to a map from IdP
// group name to ToolJet group name.
//
// Entries are separated by commas or newlines ("\n" or "\r\n"). Each entry is
// split at its first "->", and the whitespace around both names is trimmed.
// Empty and whitespace-only entries are skipped, and an entry repeated with
// the same ToolJet group is kept once. Both names must pass ValidateIdPGroup
// and ValidateTarget, an IdP group may be mapped to only one ToolJet group,
// and no two IdP groups may collide in ToolJet's read keys. Targets are
// returned as written, and NormalizeTarget gives the name that ToolJet looks
// up for each.
//
// On failure Parse returns a nil map and an error that joins one *EntryError
// per invalid entry, in entry order.
//
// NOTE: ToolJet's API stores only the map, and the parser behind its settings
// page is not public. These rules are the provider's own, modelled on the
// page's help text, and ToolJet's page may trim, split or reject differently.
func Parse(text string) (map[string]string, error) {
	type firstEntry struct {
		entry  int
		name   string
		target string
	}
	groups := make(map[string]string)
	byName := make(map[string]firstEntry)
	byReadKey := make(map[string]firstEntry)
	var errs []error

	for i, raw := range splitEntries(text) {
		entry := i + 1
		trimmed := strings.TrimSpace(raw)
		if trimmed == "" {
			continue
		}
		name, target, err := parseEntry(trimmed)
		if err != nil {
			errs = append(errs, &EntryError{Entry: entry, Text: trimmed, Err: err})
			continue
		}

		if first, ok := byName[name]; ok {
			if first.target != target {
				duplicate := &DuplicateIdPGroupError{
					Name:        name,
					Target:      target,
					FirstTarget: first.target,
					FirstEntry:  first.entry,
				}
				errs = append(errs, &EntryError{Entry: entry, Text: trimmed, Err: duplicate})
			}
			continue
		}

		readKey := ToolJetReadKey(name)
		if first, ok := byReadKey[readKey]; ok {
			collision := &ReadKeyCollisionError{
				Name:       name,
				Other:      first.name,
				ReadKey:    readKey,
				OtherEntry: first.entry,
			}
			errs = append(errs, &EntryError{Entry: entry, Text: trimmed, Err: collision})
			continue
		}

		seen := firstEntry{entry: entry, name: name, target: target}
		byName[name] = seen
		byReadKey[readKey] = seen
		groups[name] = target
	}

	if len(errs) > maxReportedErrors {
		more := len(errs) - maxReportedErrors
		errs = append(errs[:maxReportedErrors:maxReportedErrors],
			fmt.Errorf("and %d more invalid entries", more))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return groups, nil
}

// maxReportedErrors bounds how many invalid entries Parse reports, so that a
// large text full of mistakes gives a readable error.
const maxReportedErrors = 20

// splitEntries splits text at every comma and newline and keeps the empty
// entries, so that entry numbers match positions in the text. A "\r" before
// a newline stays in the entry and is trimmed with the other whitespace.
func splitEntries(text string) []string {
	var entries []string
	start := 0
	for i := 0; i < len(text); i++ {
		if text[i] == ',' || text[i] == '\n' {
			entries = append(entries, text[start:i])
			start = i + 1
		}
	}
	return append(entries, text[start:])
}

// parseEntry splits one non-empty entry into its IdP group and ToolJet group
// and checks both names.
func parseEntry(entry string) (name, target string, err error) {
	before, after, found := strings.Cut(entry, "->")
	if !found {
		return "", "", ErrMissingArrow
	}
	if strings.Contains(after, "->") {
		return "", "", ErrExtraArrow
	}
	name = strings.TrimSpace(before)
	target = strings.TrimSpace(after)
	if err := ValidateIdPGroup(name); err != nil {
		return "", "", err
	}
	if err := ValidateTarget(target); err != nil {
		return "", "", err
	}
	return name, target, nil
}

// Format writes the group mapping m in the text form that Parse reads:
// entries sorted by IdP group name, each written as "IdP Group -> ToolJet
// Group" and joined with ", ". The empty map gives the empty string.
//
// A name that is empty, contains ",", "->" or a newline, or has leading or
// trailing whitespace cannot be written in the text form. For such names
// Format returns an error that joins one *KeyError per name, ordered by
// key. Format does not check the other name rules, so call Validate for those.
// Parse(Format(m)) returns m for every m that both Format and Validate accept.
func Format(m map[string]string) (string, error) {
	keys := slices.Sorted(maps.Keys(m))
	var errs []error
	for _, key := range keys {
		if err := checkTextForm(IdPGroup, key); err != nil {
			errs = append(errs, &KeyError{Key: key, Err: err})
		}
		if err := checkTextForm(ToolJetGroup, m[key]); err != nil {
			errs = append(errs, &KeyError{Key: key, Err: err})
		}
	}
	if len(errs) > 0 {
		return "", errors.Join(errs...)
	}

	var b strings.Builder
	for i, key := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(key)
		b.WriteString(" -> ")
		b.WriteString(m[key])
	}
	return b.String(), nil
}

// checkTextForm returns an *UnformattableNameError when Parse could not read
// name back from the text form.
func checkTextForm(kind NameKind, name string) error {
	var reason string
	switch {
	case name == "":
		reason = "is empty"
	case strings.Contains(name, ","):
		reason = `contains ","`
	case strings.Contains(name, "->"):
		reason = `contains "->"`
	case strings.Contains(name, "\n"):
		reason = "contains a line break"
	case hasSurroundingSpace(name):
		reason = "has leading or trailing whitespace"
	default:
		return nil
	}
	return &UnformattableNameError{Kind: kind, Name: name, Reason: reason}
}
