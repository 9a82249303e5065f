package mapping

import (
	"errors"
	"fmt"
	"maps"
	"strings"
	"testing"
)

func TestParse_valid(t *testing.T) {
	tests := []struct {
		name string
		text string
		want map[string]string
	}{
		{
			name: "ToolJet help text example",
			text: "Marketing Team -> marketing, Sales Team -> sales",
			want: map[string]string{"Marketing Team": "marketing", "Sales Team": "sales"},
		},
		{
			name: "empty text",
			text: "",
			want: map[string]string{},
		},
		{
			name: "only separators and whitespace",
			text: " , \n\t,\r\n ",
			want: map[string]string{},
		},
		{
			name: "no spaces around arrow",
			text: "Admins->admin",
			want: map[string]string{"Admins": "admin"},
		},
		{
			name: "newlines",
			text: "Admins -> admin\nDevelopers -> builder\n",
			want: map[string]string{"Admins": "admin", "Developers": "builder"},
		},
		{
			name: "CRLF newlines",
			text: "Admins -> admin\r\nDevelopers -> builder\r\n",
			want: map[string]string{"Admins": "admin", "Developers": "builder"},
		},
		{
			name: "commas and newlines mixed",
			text: "A -> a,\nB -> b,\n\nC -> c",
			want: map[string]string{"A": "a", "B": "b", "C": "c"},
		},
		{
			name: "trailing comma",
			text: "Admins -> admin,",
			want: map[string]string{"Admins": "admin"},
		},
		{
			name: "leading and doubled commas",
			text: ", Admins -> admin,, Devs -> builder",
			want: map[string]string{"Admins": "admin", "Devs": "builder"},
		},
		{
			name: "whitespace trimmed around names",
			text: "  \tMarketing Team\u00a0 ->   Marketing Team  ",
			want: map[string]string{"Marketing Team": "Marketing Team"},
		},
		{
			name: "same entry twice kept once",
			text: "Admins -> admin, Admins -> admin",
			want: map[string]string{"Admins": "admin"},
		},
		{
			name: "several IdP groups to one ToolJet group",
			text: "Admins -> admin, Owners -> admin",
			want: map[string]string{"Admins": "admin", "Owners": "admin"},
		},
		{
			name: "role targets kept as written",
			text: "Admins -> Admin, Devs -> BUILDER, Users -> End-user",
			want: map[string]string{"Admins": "Admin", "Devs": "BUILDER", "Users": "End-user"},
		},
		{
			name: "IdP group with hyphen and greater-than apart",
			text: "a- -> b, >c -> d",
			want: map[string]string{"a-": "b", ">c": "d"},
		},
		{
			name: "IdP group ending in hyphen before arrow",
			text: "a--> b",
			want: map[string]string{"a-": "b"},
		},
		{
			name: "non-ASCII IdP group",
			text: "Ärzte -> doctors, ΟΔΟΣ -> streets",
			want: map[string]string{"Ärzte": "doctors", "ΟΔΟΣ": "streets"},
		},
		{
			name: "IdP group with slash and equals sign",
			text: "cn=admins/ou=groups -> admin",
			want: map[string]string{"cn=admins/ou=groups": "admin"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.text)
			if err != nil {
				t.Fatalf("Parse(%q) error: %v", tt.text, err)
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("Parse(%q) = %v, want %v", tt.text, got, tt.want)
			}
		})
	}
}

func TestParse_emptyTextReturnsNonNilMap(t *testing.T) {
	got, err := Parse("")
	if err != nil {
		t.Fatalf("Parse(\"\") error: %v", err)
	}
	if got == nil {
		t.Error("Parse(\"\") returned a nil map, want an empty map")
	}
}

func TestParse_invalid(t *testing.T) {
	tests := []struct {
		name string
		text string
		want string
	}{
		{
			name: "missing arrow",
			text: "Admins -> admin, Sales Team",
			want: `entry 2 "Sales Team": missing "->" between the IdP group and the ToolJet group. ` +
				`Write each entry as "IdP Group -> ToolJet Group"`,
		},
		{
			name: "equals sign in place of arrow",
			text: "Sales = sales",
			want: `entry 1 "Sales = sales": missing "->" between the IdP group and the ToolJet ` +
				`group. Write each entry as "IdP Group -> ToolJet Group"`,
		},
		{
			name: "comma missing between entries",
			text: "Admins -> admin Devs -> builder",
			want: `entry 1 "Admins -> admin Devs -> builder": more than one "->" in one entry. ` +
				`Separate entries with commas, as in "Sales Team -> sales, Support Team -> support"`,
		},
		{
			name: "empty IdP group",
			text: "-> admin",
			want: `entry 1 "-> admin": invalid IdP group name "": it is empty. ` + fixIdPGroupText,
		},
		{
			name: "empty ToolJet group",
			text: "Admins -> admin\nDevs ->  ",
			want: `entry 2 "Devs ->": invalid ToolJet group name "": it is empty. ` +
				fixToolJetGroupText,
		},
		{
			name: "entry number counts skipped entries",
			text: ",,\n\nDevs",
			want: `entry 5 "Devs": missing "->" between the IdP group and the ToolJet group. ` +
				`Write each entry as "IdP Group -> ToolJet Group"`,
		},
		{
			name: "entry number after CRLF",
			text: "A -> a\r\nB -> b!",
			want: `entry 2 "B -> b!": invalid ToolJet group name "b!": it contains "!", ` +
				`but ToolJet group names contain only ASCII letters, digits, spaces, "_" and "-". ` +
				fixToolJetGroupText,
		},
		{
			name: "invalid target characters",
			text: "Ops -> ops.team",
			want: `entry 1 "Ops -> ops.team": invalid ToolJet group name "ops.team": ` +
				`it contains ".", but ToolJet group names contain only ASCII letters, digits, ` +
				`spaces, "_" and "-". ` + fixToolJetGroupText,
		},
		{
			name: "target too long",
			text: "Ops -> " + strings.Repeat("o", 51),
			want: `entry 1 "Ops -> ` + strings.Repeat("o", 51) + `": invalid ToolJet group name "` +
				strings.Repeat("o", 51) + `": it is 51 characters long, but ToolJet group names ` +
				"have at most 50 characters. " + fixToolJetGroupText,
		},
		{
			name: "control character in IdP group",
			text: "Ops\x01Team -> ops",
			want: `entry 1 "Ops\x01Team -> ops": invalid IdP group name "Ops\x01Team": it contains ` +
				"the control character U+0001. Remove the control character",
		},
		{
			name: "lone carriage return in IdP group",
			text: "Ops\rTeam -> ops",
			want: `entry 1 "Ops\rTeam -> ops": invalid IdP group name "Ops\rTeam": it contains ` +
				"the control character U+000D. Remove the control character",
		},
		{
			name: "IdP group mapped to two groups",
			text: "Admins -> admin, Devs -> builder, Admins -> builder",
			want: `entry 3 "Admins -> builder": IdP group "Admins" is already mapped to "admin" in ` +
				"entry 1. ToolJet maps each IdP group to one ToolJet group, so keep only one of " +
				"the two entries",
		},
		{
			name: "IdP group mapped to role in two spellings",
			text: "Admins -> admin, Admins -> Admin",
			want: `entry 2 "Admins -> Admin": IdP group "Admins" is already mapped to "admin" in ` +
				"entry 1. ToolJet maps each IdP group to one ToolJet group, so keep only one of " +
				"the two entries",
		},
		{
			name: "read keys collide",
			text: "OIDC -> admin\no_i_d_c -> builder",
			want: `entry 2 "o_i_d_c -> builder": IdP groups "o_i_d_c" and "OIDC" (entry 1) are ` +
				`both returned by ToolJet as "o_i_d_c", so the provider cannot tell them apart ` +
				"after a read. Map only one of them",
		},
		{
			name: "read keys collide with same target",
			text: "Sales -> sales, sales -> sales",
			want: `entry 2 "sales -> sales": IdP groups "sales" and "Sales" (entry 1) are both ` +
				`returned by ToolJet as "sales", so the provider cannot tell them apart after a ` +
				"read. Map only one of them",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.text)
			if err == nil {
				t.Fatalf("Parse(%q) = %v, want an error", tt.text, got)
			}
			if got != nil {
				t.Errorf("Parse(%q) returned the map %v with its error, want nil", tt.text, got)
			}
			if err.Error() != tt.want {
				t.Errorf("Parse(%q) error:\n got %s\nwant %s", tt.text, err.Error(), tt.want)
			}
		})
	}
}

func TestParse_reportsEveryInvalidEntry(t *testing.T) {
	_, err := Parse("Admins, Devs -> builder!, Ops -> ops, -> admin")
	want := strings.Join([]string{
		`entry 1 "Admins": missing "->" between the IdP group and the ToolJet group. ` +
			`Write each entry as "IdP Group -> ToolJet Group"`,
		`entry 2 "Devs -> builder!": invalid ToolJet group name "builder!": it contains "!", ` +
			`but ToolJet group names contain only ASCII letters, digits, spaces, "_" and "-". ` +
			fixToolJetGroupText,
		`entry 4 "-> admin": invalid IdP group name "": it is empty. ` + fixIdPGroupText,
	}, "\n")
	if err == nil {
		t.Fatal("Parse() returned no error, want three entry errors")
	}
	if err.Error() != want {
		t.Errorf("Parse() error:\n got %s\nwant %s", err.Error(), want)
	}
}

func TestParse_errorTypes(t *testing.T) {
	_, err := Parse("Admins -> admin, Devs")
	var entryErr *EntryError
	if !errors.As(err, &entryErr) {
		t.Fatalf("Parse() error is %T, want it to wrap an *EntryError", err)
	}
	if entryErr.Entry != 2 {
		t.Errorf("Entry = %d, want 2", entryErr.Entry)
	}
	if entryErr.Text != "Devs" {
		t.Errorf("Text = %q, want %q", entryErr.Text, "Devs")
	}
	if !errors.Is(err, ErrMissingArrow) {
		t.Errorf("Parse() error %v does not wrap ErrMissingArrow", err)
	}
}

func TestParse_errorWrapsNameError(t *testing.T) {
	_, err := Parse("Devs -> builder!")
	var nameErr *InvalidNameError
	if !errors.As(err, &nameErr) {
		t.Fatalf("Parse() error %v does not wrap an *InvalidNameError", err)
	}
	if nameErr.Kind != ToolJetGroup {
		t.Errorf("Kind = %v, want %v", nameErr.Kind, ToolJetGroup)
	}
	if nameErr.Name != "builder!" {
		t.Errorf("Name = %q, want %q", nameErr.Name, "builder!")
	}
}

func TestParse_errorWrapsDuplicate(t *testing.T) {
	_, err := Parse("A -> a, A -> b")
	var duplicate *DuplicateIdPGroupError
	if !errors.As(err, &duplicate) {
		t.Fatalf("Parse() error %v does not wrap a *DuplicateIdPGroupError", err)
	}
	want := DuplicateIdPGroupError{Name: "A", Target: "b", FirstTarget: "a", FirstEntry: 1}
	if *duplicate != want {
		t.Errorf("DuplicateIdPGroupError = %+v, want %+v", *duplicate, want)
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		name string
		m    map[string]string
		want string
	}{
		{name: "nil map", m: nil, want: ""},
		{name: "empty map", m: map[string]string{}, want: ""},
		{name: "one entry", m: map[string]string{"Admins": "admin"}, want: "Admins -> admin"},
		{
			name: "sorted by IdP group",
			m: map[string]string{
				"Sales Team":     "sales",
				"Marketing Team": "marketing",
				"Admins":         "Admin",
			},
			want: "Admins -> Admin, Marketing Team -> marketing, Sales Team -> sales",
		},
		{
			name: "byte order puts capitals first",
			m:    map[string]string{"b": "x", "B": "y", "a": "z"},
			want: "B -> y, a -> z, b -> x",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Format(tt.m)
			if err != nil {
				t.Fatalf("Format(%v) error: %v", tt.m, err)
			}
			if got != tt.want {
				t.Errorf("Format(%v) = %q, want %q", tt.m, got, tt.want)
			}
		})
	}
}

func TestFormat_invalid(t *testing.T) {
	const useMap = ", so it cannot be written in the text form. " +
		"Write the group mapping as a map instead"
	tests := []struct {
		name string
		m    map[string]string
		want string
	}{
		{
			name: "comma in IdP group",
			m:    map[string]string{"cn=admins,dc=example": "admin"},
			want: `group mapping key "cn=admins,dc=example": the IdP group name ` +
				`"cn=admins,dc=example" contains ","` + useMap,
		},
		{
			name: "arrow in IdP group",
			m:    map[string]string{"Sales -> EMEA": "sales"},
			want: `group mapping key "Sales -> EMEA": the IdP group name "Sales -> EMEA" ` +
				`contains "->"` + useMap,
		},
		{
			name: "newline in IdP group",
			m:    map[string]string{"Sales\nEMEA": "sales"},
			want: `group mapping key "Sales\nEMEA": the IdP group name "Sales\nEMEA" ` +
				"contains a line break" + useMap,
		},
		{
			name: "trailing whitespace in IdP group",
			m:    map[string]string{"Sales ": "sales"},
			want: `group mapping key "Sales ": the IdP group name "Sales " ` +
				"has leading or trailing whitespace" + useMap,
		},
		{
			name: "empty IdP group",
			m:    map[string]string{"": "sales"},
			want: `group mapping key "": the IdP group name "" is empty` + useMap,
		},
		{
			name: "comma in ToolJet group",
			m:    map[string]string{"Sales": "sales,emea"},
			want: `group mapping key "Sales": the ToolJet group name "sales,emea" contains ","` +
				useMap,
		},
		{
			name: "leading whitespace in ToolJet group",
			m:    map[string]string{"Sales": " sales"},
			want: `group mapping key "Sales": the ToolJet group name " sales" ` +
				"has leading or trailing whitespace" + useMap,
		},
		{
			name: "every bad name reported in key order",
			m:    map[string]string{"b,": "x", "a": "", "c": "ok"},
			want: `group mapping key "a": the ToolJet group name "" is empty` + useMap + "\n" +
				`group mapping key "b,": the IdP group name "b," contains ","` + useMap,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Format(tt.m)
			if err == nil {
				t.Fatalf("Format(%v) = %q, want an error", tt.m, got)
			}
			if err.Error() != tt.want {
				t.Errorf("Format(%v) error:\n got %s\nwant %s", tt.m, err.Error(), tt.want)
			}
		})
	}
}

func TestFormat_errorTypes(t *testing.T) {
	_, err := Format(map[string]string{"a,b": "x"})
	var keyErr *KeyError
	if !errors.As(err, &keyErr) {
		t.Fatalf("Format() error %v does not wrap a *KeyError", err)
	}
	if keyErr.Key != "a,b" {
		t.Errorf("Key = %q, want %q", keyErr.Key, "a,b")
	}
	var unformattable *UnformattableNameError
	if !errors.As(err, &unformattable) {
		t.Fatalf("Format() error %v does not wrap an *UnformattableNameError", err)
	}
	if unformattable.Kind != IdPGroup {
		t.Errorf("Kind = %v, want %v", unformattable.Kind, IdPGroup)
	}
}

func TestFormat_roundTrip(t *testing.T) {
	mappings := []map[string]string{
		{},
		{"Admins": "admin"},
		{"Marketing Team": "Marketing Team", "a-": "b", ">c": "end-user", "ΟΔΟΣ": "x"},
		{"Admins": "ADMIN", "x": strings.Repeat("y", MaxGroupNameLength)},
		{"no-break\u00a0space inside": "a"},
	}
	for _, m := range mappings {
		text, err := Format(m)
		if err != nil {
			t.Errorf("Format(%v) error: %v", m, err)
			continue
		}
		if errs := Validate(m); len(errs) > 0 {
			t.Errorf("Validate(%v) = %v, want a valid mapping to round-trip", m, errs)
			continue
		}
		got, err := Parse(text)
		if err != nil {
			t.Errorf("Parse(%q) error: %v", text, err)
			continue
		}
		if !maps.Equal(got, m) {
			t.Errorf("Parse(Format(%v)) = %v", m, got)
		}
	}
}

func TestParse_boundsReportedErrors(t *testing.T) {
	entries := make([]string, 50)
	for i := range entries {
		entries[i] = fmt.Sprintf("group %d without arrow", i)
	}
	_, err := Parse(strings.Join(entries, ", "))
	if err == nil {
		t.Fatal("Parse accepted 50 entries without an arrow")
	}
	var entryErrs []*EntryError
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("the error %T does not list the entries", err)
	}
	for _, e := range joined.Unwrap() {
		var entryErr *EntryError
		if errors.As(e, &entryErr) {
			entryErrs = append(entryErrs, entryErr)
		}
	}
	if len(entryErrs) != maxReportedErrors {
		t.Errorf("reported %d entries, expected %d", len(entryErrs), maxReportedErrors)
	}
	if !strings.Contains(err.Error(), "and 30 more invalid entries") {
		t.Errorf("the error does not say how many entries it left out: %v", err)
	}
}
