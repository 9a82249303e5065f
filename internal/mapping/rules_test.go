package mapping

import (
	"errors"
	"strings"
	"testing"
)

const (
	fixIdPGroupText = "Use the group name exactly as the identity provider sends it " +
		"in the groups claim"
	fixToolJetGroupText = "Use a role (admin, builder, end-user) or the exact name of a " +
		"custom group in the ToolJet workspace"
)

func TestValidateIdPGroup_valid(t *testing.T) {
	names := []string{
		"Marketing Team",
		"a",
		"OIDC",
		"cn=admins,ou=groups,dc=example,dc=com",
		"Sales -> EMEA",
		"Ärzte",
		"ΟΔΟΣ",
		"tab\u00a0inside",
		"\u200bzero-width space is a format character",
		strings.Repeat("x", 500),
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			if err := ValidateIdPGroup(name); err != nil {
				t.Errorf("ValidateIdPGroup(%q) = %v, want nil", name, err)
			}
		})
	}
}

func TestValidateIdPGroup_invalid(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{
			name: "",
			want: `invalid IdP group name "": it is empty. ` + fixIdPGroupText,
		},
		{
			name: " Sales",
			want: `invalid IdP group name " Sales": it has leading or trailing whitespace. ` +
				"Remove the whitespace around the name",
		},
		{
			name: "Sales\t",
			want: `invalid IdP group name "Sales\t": it has leading or trailing whitespace. ` +
				"Remove the whitespace around the name",
		},
		{
			name: "Sales\u00a0",
			want: `invalid IdP group name "Sales\u00a0": it has leading or trailing whitespace. ` +
				"Remove the whitespace around the name",
		},
		{
			name: "Sales\x00Team",
			want: `invalid IdP group name "Sales\x00Team": it contains the control character ` +
				"U+0000. Remove the control character",
		},
		{
			name: "Sales\nTeam",
			want: `invalid IdP group name "Sales\nTeam": it contains the control character U+000A. ` +
				"Remove the control character",
		},
		{
			name: "Sales\u0085Team",
			want: `invalid IdP group name "Sales\u0085Team": it contains the control character ` +
				"U+0085. Remove the control character",
		},
		{
			name: "Sales\xffTeam",
			want: `invalid IdP group name "Sales\xffTeam": it is not valid UTF-8. ` + fixIdPGroupText,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateIdPGroup(tt.name)
			if err == nil {
				t.Fatalf("ValidateIdPGroup(%q) = nil, want an error", tt.name)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("ValidateIdPGroup(%q) error:\n got %s\nwant %s", tt.name, got, tt.want)
			}
		})
	}
}

func TestValidateIdPGroup_errorType(t *testing.T) {
	err := ValidateIdPGroup("")
	var nameErr *InvalidNameError
	if !errors.As(err, &nameErr) {
		t.Fatalf("ValidateIdPGroup(\"\") = %T, want *InvalidNameError", err)
	}
	if nameErr.Kind != IdPGroup {
		t.Errorf("Kind = %v, want %v", nameErr.Kind, IdPGroup)
	}
}

func TestValidateClaimName(t *testing.T) {
	for _, name := range []string{"groups", "https://example.com/claims/groups", "cognito:groups"} {
		if err := ValidateClaimName(name); err != nil {
			t.Errorf("ValidateClaimName(%q) = %v, want nil", name, err)
		}
	}

	tests := []struct {
		name string
		want string
	}{
		{
			name: "",
			want: `invalid claim name "": it is empty. ` +
				`Use the name of the claim that lists the user's groups, such as "groups"`,
		},
		{
			name: "groups ",
			want: `invalid claim name "groups ": it has leading or trailing whitespace. ` +
				"Remove the whitespace around the name",
		},
		{
			name: "\tgroups",
			want: `invalid claim name "\tgroups": it has leading or trailing whitespace. ` +
				"Remove the whitespace around the name",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateClaimName(tt.name)
			if err == nil {
				t.Fatalf("ValidateClaimName(%q) = nil, want an error", tt.name)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("ValidateClaimName(%q) error:\n got %s\nwant %s", tt.name, got, tt.want)
			}
		})
	}
}

func TestValidateTarget_valid(t *testing.T) {
	names := []string{
		"admin",
		"Admin",
		"BUILDER",
		"End-user",
		"end-USER",
		"marketing",
		"Sales Team",
		"team_2-eu",
		"a",
		"0",
		"-",
		"a  b",
		strings.Repeat("x", MaxGroupNameLength),
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			if err := ValidateTarget(name); err != nil {
				t.Errorf("ValidateTarget(%q) = %v, want nil", name, err)
			}
		})
	}
}

func TestValidateTarget_invalid(t *testing.T) {
	charsReason := `but ToolJet group names contain only ASCII letters, digits, spaces, "_" and "-". `
	tests := []struct {
		name string
		want string
	}{
		{
			name: "",
			want: `invalid ToolJet group name "": it is empty. ` + fixToolJetGroupText,
		},
		{
			name: " sales",
			want: `invalid ToolJet group name " sales": it has leading or trailing whitespace. ` +
				"Remove the whitespace around the name, because ToolJet trims group names " +
				"when it creates them and compares mapping targets exactly",
		},
		{
			name: "admin ",
			want: `invalid ToolJet group name "admin ": it has leading or trailing whitespace. ` +
				"Remove the whitespace around the name, because ToolJet trims group names " +
				"when it creates them and compares mapping targets exactly",
		},
		{
			name: "sales!",
			want: `invalid ToolJet group name "sales!": it contains "!", ` + charsReason +
				fixToolJetGroupText,
		},
		{
			name: "sales.eu",
			want: `invalid ToolJet group name "sales.eu": it contains ".", ` + charsReason +
				fixToolJetGroupText,
		},
		{
			name: "ärzte",
			want: `invalid ToolJet group name "ärzte": it contains "ä", ` + charsReason +
				fixToolJetGroupText,
		},
		{
			name: "a\tb",
			want: `invalid ToolJet group name "a\tb": it contains "\t", ` + charsReason +
				fixToolJetGroupText,
		},
		{
			name: "a -> b",
			want: `invalid ToolJet group name "a -> b": it contains ">", ` + charsReason +
				fixToolJetGroupText,
		},
		{
			// U+0130 lower-cases to "i" and U+0307 in JavaScript, so this is
			// not the role "admin".
			name: "ADMİN",
			want: `invalid ToolJet group name "ADMİN": it contains "İ", ` + charsReason +
				fixToolJetGroupText,
		},
		{
			name: strings.Repeat("x", MaxGroupNameLength+1),
			want: `invalid ToolJet group name "` + strings.Repeat("x", MaxGroupNameLength+1) +
				`": it is 51 characters long, but ToolJet group names have at most 50 characters. ` +
				fixToolJetGroupText,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidateTarget(tt.name)
			if err == nil {
				t.Fatalf("ValidateTarget(%q) = nil, want an error", tt.name)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("ValidateTarget(%q) error:\n got %s\nwant %s", tt.name, got, tt.want)
			}
		})
	}
}

func TestIsRole(t *testing.T) {
	tests := []struct {
		name string
		want bool
	}{
		{name: "admin", want: true},
		{name: "Admin", want: true},
		{name: "BUILDER", want: true},
		{name: "End-user", want: true},
		{name: "end-user", want: true},
		{name: "end user", want: false},
		{name: "enduser", want: false},
		{name: "admins", want: false},
		{name: " admin", want: false},
		{name: "ADMİN", want: false},
		{name: "", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsRole(tt.name); got != tt.want {
				t.Errorf("IsRole(%q) = %t, want %t", tt.name, got, tt.want)
			}
		})
	}
}

func TestNormalizeTarget(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{name: "Admin", want: "admin"},
		{name: "BUILDER", want: "builder"},
		{name: "End-User", want: "end-user"},
		{name: "end-user", want: "end-user"},
		{name: "Marketing", want: "Marketing"},
		{name: "Admins", want: "Admins"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NormalizeTarget(tt.name); got != tt.want {
				t.Errorf("NormalizeTarget(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestValidate_valid(t *testing.T) {
	m := map[string]string{
		"Marketing Team": "marketing",
		"Admins":         "Admin",
		"OIDC Users":     "end-user",
		"devs":           "builder",
	}
	if errs := Validate(m); len(errs) != 0 {
		t.Errorf("Validate() = %v, want no errors", errs)
	}
}

func TestValidate_empty(t *testing.T) {
	if errs := Validate(map[string]string{}); len(errs) != 0 {
		t.Errorf("Validate(empty map) = %v, want no errors", errs)
	}
}

func TestValidate_invalid(t *testing.T) {
	m := map[string]string{
		"Sales ":          "sales",
		"Support":         "support!",
		"OIDC":            "admin",
		"o_i_d_c":         "builder",
		"Marketing Team":  "marketing",
		"marketing _team": "marketing",
		"Ops":             "ops",
	}
	// Name errors come first, ordered by key, then the collisions, ordered by
	// the first name of each pair.
	want := []string{
		`group mapping key "Sales ": invalid IdP group name "Sales ": it has leading or ` +
			"trailing whitespace. Remove the whitespace around the name",
		`group mapping key "Support": invalid ToolJet group name "support!": it contains "!", ` +
			`but ToolJet group names contain only ASCII letters, digits, spaces, "_" and "-". ` +
			fixToolJetGroupText,
		`group mapping key "Marketing Team": IdP groups "Marketing Team" and "marketing _team" ` +
			`are both returned by ToolJet as "marketing _team", so the provider cannot tell ` +
			"them apart after a read. Map only one of them",
		`group mapping key "OIDC": IdP groups "OIDC" and "o_i_d_c" are both returned by ` +
			`ToolJet as "o_i_d_c", so the provider cannot tell them apart after a read. ` +
			"Map only one of them",
	}
	errs := Validate(m)
	got := make([]string, len(errs))
	for i, err := range errs {
		got[i] = err.Error()
	}
	if len(got) != len(want) {
		t.Fatalf("Validate() returned %d errors, want %d:\n%s", len(got), len(want),
			strings.Join(got, "\n"))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("error %d:\n got %s\nwant %s", i, got[i], want[i])
		}
	}
}

func TestValidate_errorTypes(t *testing.T) {
	errs := Validate(map[string]string{"OIDC": "admin", "o_i_d_c": "builder"})
	if len(errs) != 1 {
		t.Fatalf("Validate() returned %d errors, want 1: %v", len(errs), errs)
	}
	var keyErr *KeyError
	if !errors.As(errs[0], &keyErr) {
		t.Fatalf("error is %T, want *KeyError", errs[0])
	}
	if keyErr.Key != "OIDC" {
		t.Errorf("Key = %q, want %q", keyErr.Key, "OIDC")
	}
	var collision *ReadKeyCollisionError
	if !errors.As(errs[0], &collision) {
		t.Fatalf("error %v does not wrap a *ReadKeyCollisionError", errs[0])
	}
	if collision.ReadKey != "o_i_d_c" {
		t.Errorf("ReadKey = %q, want %q", collision.ReadKey, "o_i_d_c")
	}
}

func TestReadKeyCollisions_threeNames(t *testing.T) {
	collisions := ReadKeyCollisions([]string{"sales", "Sales", "SalesOps", "sales_ops", "Sales"})
	want := []ReadKeyCollisionError{
		{Name: "Sales", Other: "sales", ReadKey: "sales"},
		{Name: "SalesOps", Other: "sales_ops", ReadKey: "sales_ops"},
	}
	if len(collisions) != len(want) {
		t.Fatalf("ReadKeyCollisions() returned %d pairs, want %d: %v", len(collisions), len(want),
			collisions)
	}
	for i := range want {
		if *collisions[i] != want[i] {
			t.Errorf("pair %d = %+v, want %+v", i, *collisions[i], want[i])
		}
	}
}

func TestReadKeyCollisions_allPairs(t *testing.T) {
	collisions := ReadKeyCollisions([]string{"AB", "a_b", "A_b", "a_B"})
	// "AB", "A_b" and "a_b" all read as "a_b", but "a_B" reads as "a__b".
	want := []ReadKeyCollisionError{
		{Name: "AB", Other: "A_b", ReadKey: "a_b"},
		{Name: "AB", Other: "a_b", ReadKey: "a_b"},
		{Name: "A_b", Other: "a_b", ReadKey: "a_b"},
	}
	if len(collisions) != len(want) {
		t.Fatalf("ReadKeyCollisions() returned %d pairs, want %d: %v", len(collisions), len(want),
			collisions)
	}
	for i := range want {
		if *collisions[i] != want[i] {
			t.Errorf("pair %d = %+v, want %+v", i, *collisions[i], want[i])
		}
	}
}

func TestReadKeyCollisions_none(t *testing.T) {
	if collisions := ReadKeyCollisions([]string{"Sales", "Support", "Sales"}); len(collisions) != 0 {
		t.Errorf("ReadKeyCollisions() = %v, want none", collisions)
	}
}
