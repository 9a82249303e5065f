package mapping

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// RoleNames are the names of ToolJet's default role groups, highest role
// first. A mapping target that equals one of them, ignoring case, assigns
// that role.
var RoleNames = []string{"admin", "builder", "end-user"}

// MaxGroupNameLength is the maximum length, in characters, of a ToolJet
// custom group name.
const MaxGroupNameLength = 50

// The fixes that error messages suggest for each kind of name.
var (
	fixIdPGroup = "Use the group name exactly as the identity provider sends it " +
		"in the groups claim"
	fixToolJetGroup = fmt.Sprintf("Use a role (%s) or the exact name of a custom group "+
		"in the ToolJet workspace", strings.Join(RoleNames, ", "))
	fixClaim = `Use the name of the claim that lists the user's groups, such as "groups"`
)

// IsRole reports whether ToolJet treats the mapping target name as one of
// its roles. ToolJet lower-cases every target that equals a role name
// ignoring case before it looks the groups up.
func IsRole(name string) bool {
	return slices.Contains(RoleNames, jsToLower(name))
}

// NormalizeTarget returns the group name that ToolJet looks up for the
// mapping target name: roles in lower case, custom group names unchanged.
func NormalizeTarget(name string) string {
	if IsRole(name) {
		return jsToLower(name)
	}
	return name
}

// ValidateIdPGroup returns an *InvalidNameError unless name is a usable IdP
// group name: non-empty valid UTF-8 without leading or trailing whitespace
// and without control characters.
func ValidateIdPGroup(name string) error {
	return validatePlainName(IdPGroup, name, fixIdPGroup)
}

// ValidateClaimName returns an *InvalidNameError unless name is a usable
// claim name: non-empty valid UTF-8 without leading or trailing whitespace
// and without control characters.
func ValidateClaimName(name string) error {
	return validatePlainName(Claim, name, fixClaim)
}

func validatePlainName(kind NameKind, name, fix string) error {
	invalid := func(reason, fix string) error {
		return &InvalidNameError{Kind: kind, Name: name, Reason: reason, Fix: fix}
	}
	if name == "" {
		return invalid("is empty", fix)
	}
	if !utf8.ValidString(name) {
		return invalid("is not valid UTF-8", fix)
	}
	if hasSurroundingSpace(name) {
		return invalid("has leading or trailing whitespace",
			"Remove the whitespace around the name")
	}
	if i := strings.IndexFunc(name, unicode.IsControl); i >= 0 {
		r, _ := utf8.DecodeRuneInString(name[i:])
		return invalid(fmt.Sprintf("contains the control character %U", r),
			"Remove the control character")
	}
	return nil
}

// ValidateTarget returns an *InvalidNameError unless name is a usable
// mapping target: a role (see IsRole), or a custom group name of at most
// MaxGroupNameLength ASCII letters, digits, spaces, "_" and "-" without
// leading or trailing space.
//
// NOTE: these are the rules of ToolJet's external API for creating groups.
// Whether groups created on ToolJet's settings page may use other characters
// is not known, and a target with such characters is rejected here.
func ValidateTarget(name string) error {
	invalid := func(reason string) error {
		return &InvalidNameError{
			Kind:   ToolJetGroup,
			Name:   name,
			Reason: reason,
			Fix:    fixToolJetGroup,
		}
	}
	if name == "" {
		return invalid("is empty")
	}
	if IsRole(name) {
		return nil
	}
	if hasSurroundingSpace(name) {
		return &InvalidNameError{
			Kind:   ToolJetGroup,
			Name:   name,
			Reason: "has leading or trailing whitespace",
			Fix: "Remove the whitespace around the name, because ToolJet trims group names " +
				"when it creates them and compares mapping targets exactly",
		}
	}
	if i := strings.IndexFunc(name, isNotGroupNameRune); i >= 0 {
		r, _ := utf8.DecodeRuneInString(name[i:])
		return invalid(fmt.Sprintf(`contains %q, but ToolJet group names contain only `+
			`ASCII letters, digits, spaces, "_" and "-"`, string(r)))
	}
	if len(name) > MaxGroupNameLength {
		return invalid(fmt.Sprintf("is %d characters long, but ToolJet group names have "+
			"at most %d characters", len(name), MaxGroupNameLength))
	}
	return nil
}

// Validate checks every entry of the group mapping m against the name rules
// and checks that no two IdP group names collide in ToolJet's read keys. It
// returns one *KeyError per problem, or nil. Name errors come first, ordered
// by key, and read-key collisions follow, ordered by the first name of each
// pair.
func Validate(m map[string]string) []error {
	keys := slices.Sorted(maps.Keys(m))
	var errs []error
	for _, key := range keys {
		if err := ValidateIdPGroup(key); err != nil {
			errs = append(errs, &KeyError{Key: key, Err: err})
		}
		if err := ValidateTarget(m[key]); err != nil {
			errs = append(errs, &KeyError{Key: key, Err: err})
		}
	}
	for _, collision := range ReadKeyCollisions(keys) {
		errs = append(errs, &KeyError{Key: collision.Name, Err: collision})
	}
	return errs
}

// ReadKeyCollisions returns one *ReadKeyCollisionError for each pair of
// different names that ToolJet returns as the same read key. Name sorts
// before Other in each pair, and the pairs are ordered by Name, then Other.
func ReadKeyCollisions(names []string) []*ReadKeyCollisionError {
	sorted := slices.Clone(names)
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)

	byReadKey := make(map[string][]string, len(sorted))
	for _, name := range sorted {
		readKey := ToolJetReadKey(name)
		byReadKey[readKey] = append(byReadKey[readKey], name)
	}

	var collisions []*ReadKeyCollisionError
	for _, name := range sorted {
		readKey := ToolJetReadKey(name)
		for _, other := range byReadKey[readKey] {
			if other > name {
				collisions = append(collisions,
					&ReadKeyCollisionError{Name: name, Other: other, ReadKey: readKey})
			}
		}
	}
	return collisions
}

func hasSurroundingSpace(name string) bool {
	first, _ := utf8.DecodeRuneInString(name)
	last, _ := utf8.DecodeLastRuneInString(name)
	return unicode.IsSpace(first) || unicode.IsSpace(last)
}

func isNotGroupNameRune(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return false
	case r == ' ', r == '_', r == '-':
		return false
	default:
		return true
	}
}
