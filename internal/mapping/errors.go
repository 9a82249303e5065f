package mapping

import (
	"errors"
	"fmt"
)

// ErrMissingArrow is the error for an entry of the text form without "->".
var ErrMissingArrow = errors.New(`missing "->" between the IdP group and the ToolJet group. ` +
	`Write each entry as "IdP Group -> ToolJet Group"`)

// ErrExtraArrow is the error for an entry of the text form with more than one
// "->", which is usually two entries with the comma between them missing.
var ErrExtraArrow = errors.New(`more than one "->" in one entry. ` +
	`Separate entries with commas, as in "Sales Team -> sales, Support Team -> support"`)

// NameKind is the role that a name plays in a group-sync configuration.
type NameKind int

const (
	// IdPGroup is a key of a group mapping: a group name that the identity
	// provider sends in the groups claim.
	IdPGroup NameKind = iota + 1
	// ToolJetGroup is a value of a group mapping: a ToolJet role or the name
	// of a custom group.
	ToolJetGroup
	// Claim is the name of the claim that carries the user's IdP groups.
	Claim
)

// String returns the name of k as error messages use it.
func (k NameKind) String() string {
	switch k {
	case IdPGroup:
		return "IdP group"
	case ToolJetGroup:
		return "ToolJet group"
	case Claim:
		return "claim"
	default:
		return fmt.Sprintf("NameKind(%d)", int(k))
	}
}

// InvalidNameError is a name that breaks the name rules of its kind.
type InvalidNameError struct {
	Kind NameKind
	Name string
	// Reason is the problem with Name, worded to follow "it", such as
	// "is empty".
	Reason string
	// Fix is the suggested correction, as a sentence.
	Fix string
}

func (e *InvalidNameError) Error() string {
	return fmt.Sprintf("invalid %s name %q: it %s. %s", e.Kind, e.Name, e.Reason, e.Fix)
}

// DuplicateIdPGroupError is an IdP group that the text form maps to two
// different ToolJet groups.
type DuplicateIdPGroupError struct {
	Name        string
	Target      string
	FirstTarget string
	// FirstEntry is the 1-based number of the entry that mapped Name first.
	FirstEntry int
}

func (e *DuplicateIdPGroupError) Error() string {
	return fmt.Sprintf("IdP group %q is already mapped to %q in entry %d. "+
		"ToolJet maps each IdP group to one ToolJet group, so keep only one of the two entries",
		e.Name, e.FirstTarget, e.FirstEntry)
}

// ReadKeyCollisionError is a pair of different IdP group names that ToolJet's
// read endpoints return as the same key (see ToolJetReadKey), so that a
// mapping read back from ToolJet cannot tell them apart.
type ReadKeyCollisionError struct {
	Name  string
	Other string
	// ReadKey is the key that ToolJet returns for both names.
	ReadKey string
	// OtherEntry is the 1-based number of the entry of the text form that
	// contains Other, or 0 when the mapping was not given as text.
	OtherEntry int
}

func (e *ReadKeyCollisionError) Error() string {
	other := fmt.Sprintf("%q", e.Other)
	if e.OtherEntry > 0 {
		other = fmt.Sprintf("%q (entry %d)", e.Other, e.OtherEntry)
	}
	return fmt.Sprintf("IdP groups %q and %s are both returned by ToolJet as %q, "+
		"so the provider cannot tell them apart after a read. Map only one of them",
		e.Name, other, e.ReadKey)
}

// UnformattableNameError is a name that the text form of a group mapping
// cannot express.
type UnformattableNameError struct {
	Kind NameKind
	Name string
	// Reason is the property of Name that the text form cannot express,
	// worded to follow the name, such as `contains ","`.
	Reason string
}

func (e *UnformattableNameError) Error() string {
	return fmt.Sprintf("the %s name %q %s, so it cannot be written in the text form. "+
		"Write the group mapping as a map instead", e.Kind, e.Name, e.Reason)
}

// EntryError is an invalid entry in the text form of a group mapping.
type EntryError struct {
	// Entry is the 1-based position of the entry in the text split at commas
	// and newlines, counting empty entries.
	Entry int
	// Text is the entry without surrounding whitespace.
	Text string
	// Err is the problem with the entry: ErrMissingArrow, ErrExtraArrow, an
	// *InvalidNameError, a *DuplicateIdPGroupError or a
	// *ReadKeyCollisionError.
	Err error
}

func (e *EntryError) Error() string {
	return fmt.Sprintf("entry %d %q: %v", e.Entry, e.Text, e.Err)
}

func (e *EntryError) Unwrap() error { return e.Err }

// KeyError is an invalid entry of a group mapping given as a map.
type KeyError struct {
	// Key is the IdP group name that the entry is stored under.
	Key string
	// Err is the problem with the entry: an *InvalidNameError, a
	// *ReadKeyCollisionError or an *UnformattableNameError.
	Err error
}

func (e *KeyError) Error() string {
	return fmt.Sprintf("group mapping key %q: %v", e.Key, e.Err)
}

func (e *KeyError) Unwrap() error { return e.Err }
