package ssostate

import (
	"maps"
	"slices"
	"testing"

	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
)

func TestSpell(t *testing.T) {
	tests := []struct {
		name  string
		read  map[string]string
		known []map[string]string
		want  map[string]string
	}{
		{
			name:  "capitals and space",
			read:  map[string]string{"marketing _team": "marketing"},
			known: []map[string]string{{"Marketing Team": "other"}},
			want:  map[string]string{"Marketing Team": "marketing"},
		},
		{
			name:  "acronym",
			read:  map[string]string{"o_i_d_c": "admin"},
			known: []map[string]string{{"OIDC": "admin"}},
			want:  map[string]string{"OIDC": "admin"},
		},
		{
			name:  "digits",
			read:  map[string]string{"team 2_b": "builders"},
			known: []map[string]string{{"Team 2B": "builders"}},
			want:  map[string]string{"Team 2B": "builders"},
		},
		{
			name:  "non-ASCII capital",
			read:  map[string]string{"ärzte": "doctors"},
			known: []map[string]string{{"Ärzte": "doctors"}},
			want:  map[string]string{"Ärzte": "doctors"},
		},
		{
			name:  "unknown key kept as read",
			read:  map[string]string{"outside _group": "admin", "everyone": "end-user"},
			known: []map[string]string{{"Everyone": "end-user"}},
			want:  map[string]string{"outside _group": "admin", "Everyone": "end-user"},
		},
		{
			name: "several known maps",
			read: map[string]string{"o_i_d_c": "admin", "sales": "sales"},
			known: []map[string]string{
				{"OIDC": "admin"},
				{"Sales": "sales"},
			},
			want: map[string]string{"OIDC": "admin", "Sales": "sales"},
		},
		{
			name:  "known entry not read",
			read:  map[string]string{},
			known: []map[string]string{{"Gone": "x"}},
			want:  map[string]string{},
		},
		{
			name: "nil read",
			want: map[string]string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Spell(tt.read, tt.known...)
			if got == nil {
				t.Fatal("Spell returned nil, want a map")
			}
			if !maps.Equal(got, tt.want) {
				t.Errorf("Spell = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestSameAsRead(t *testing.T) {
	tests := []struct {
		name string
		want map[string]string
		read map[string]string
		same bool
	}{
		{"rewritten keys", map[string]string{"Marketing Team": "marketing", "OIDC": "admin"},
			map[string]string{"marketing _team": "marketing", "o_i_d_c": "admin"}, true},
		{"non-ASCII", map[string]string{"Ärzte": "doctors"},
			map[string]string{"ärzte": "doctors"}, true},
		{"digits", map[string]string{"Team 2B": "x"}, map[string]string{"team 2_b": "x"}, true},
		{"both empty", map[string]string{}, map[string]string{}, true},
		{"nil and empty", nil, map[string]string{}, true},
		{"value differs", map[string]string{"Sales": "sales"},
			map[string]string{"sales": "marketing"}, false},
		{"value case differs", map[string]string{"Admins": "Admin"},
			map[string]string{"admins": "admin"}, false},
		{"extra read entry", map[string]string{"Sales": "sales"},
			map[string]string{"sales": "sales", "outside": "admin"}, false},
		{"missing read entry", map[string]string{"Sales": "sales", "Ops": "ops"},
			map[string]string{"sales": "sales"}, false},
		{"same size, other key", map[string]string{"Sales": "sales"},
			map[string]string{"marketing": "sales"}, false},
		// "A" and "a" are both read back as "a", so two entries of want
		// cannot match two different read entries.
		{"colliding keys", map[string]string{"A": "x", "a": "y"},
			map[string]string{"a": "x", "b": "y"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SameAsRead(tt.want, tt.read); got != tt.same {
				t.Errorf("SameAsRead(%v, %v) = %t, want %t", tt.want, tt.read, got, tt.same)
			}
		})
	}
}

func TestForeignKeys(t *testing.T) {
	tests := []struct {
		name    string
		read    map[string]string
		desired map[string]string
		want    []string
	}{
		{"none", map[string]string{"marketing _team": "marketing"},
			map[string]string{"Marketing Team": "marketing"}, nil},
		{"one", map[string]string{"marketing _team": "marketing", "outside _group": "admin"},
			map[string]string{"Marketing Team": "marketing"}, []string{"outside _group"}},
		{"nothing desired", map[string]string{"b": "1", "a": "2"}, nil, []string{"a", "b"}},
		{"non-ASCII", map[string]string{"ärzte": "doctors"},
			map[string]string{"Ärzte": "doctors"}, nil},
		{"target differs", map[string]string{"sales": "marketing"},
			map[string]string{"Sales": "sales"}, nil},
		{"desired but not read", map[string]string{},
			map[string]string{"Sales": "sales"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ForeignKeys(tt.read, tt.desired)
			slices.Sort(got)
			if !slices.Equal(got, tt.want) {
				t.Errorf("ForeignKeys = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestDesired(t *testing.T) {
	override := "roles"
	record := Record{
		InstanceMapping: map[string]string{"Everyone": "end-user", "Ops": "ops"},
		Workspaces: map[string]*WorkspaceRecord{
			"claim":   {Managed: true, ClaimName: &override},
			"owned":   {Managed: true, GroupMapping: map[string]string{"Admins": "admin"}},
			"empty":   {Managed: true, GroupMapping: map[string]string{}},
			"entries": {Managed: true, Mappings: map[string]string{"Ops": "builder", "Dev": "dev"}},
		},
	}
	tests := []struct {
		workspace string
		claim     string
		mapping   map[string]string
	}{
		{"absent", "groups", map[string]string{"Everyone": "end-user", "Ops": "ops"}},
		{"claim", "roles", map[string]string{"Everyone": "end-user", "Ops": "ops"}},
		{"owned", "groups", map[string]string{"Admins": "admin"}},
		{"empty", "groups", map[string]string{}},
		{"entries", "groups",
			map[string]string{"Everyone": "end-user", "Ops": "builder", "Dev": "dev"}},
	}
	for _, tt := range tests {
		t.Run(tt.workspace, func(t *testing.T) {
			got := Desired(record, tt.workspace, "groups")
			if got.ClaimName != tt.claim {
				t.Errorf("ClaimName = %q, want %q", got.ClaimName, tt.claim)
			}
			if !maps.Equal(got.Mapping, tt.mapping) {
				t.Errorf("Mapping = %v, want %v", got.Mapping, tt.mapping)
			}
		})
	}
}

func TestDesired_copiesMappings(t *testing.T) {
	record := Record{
		InstanceMapping: map[string]string{"Everyone": "end-user"},
		Workspaces: map[string]*WorkspaceRecord{
			"owned": {GroupMapping: map[string]string{"Admins": "admin"}},
		},
	}

	Desired(record, "absent", "groups").Mapping["Added"] = "x"
	Desired(record, "owned", "groups").Mapping["Added"] = "x"

	if _, ok := record.InstanceMapping["Added"]; ok {
		t.Error("changing the result changed the record's instance mapping")
	}
	if _, ok := record.Workspaces["owned"].GroupMapping["Added"]; ok {
		t.Error("changing the result changed the workspace's group mapping")
	}
}

func TestDesired_nilInstanceMapping(t *testing.T) {
	got := Desired(Record{}, "absent", "groups")
	if got.Mapping == nil {
		t.Error("Mapping is nil, want an empty map")
	}
}

func TestCamelize(t *testing.T) {
	tests := []struct {
		key  string
		want string
	}{
		{"name", "name"},
		{"client_id", "clientId"},
		{"well_known_url", "wellKnownUrl"},
		{"enable_group_sync", "enableGroupSync"},
		{"o_i_d_c_u_r_l", "oIDCURL"},
		{"key2_value", "key2Value"},
		// Only a "_" before an ASCII lower-case letter can come from a
		// capital: others were in the stored key and stay.
		{"team_2", "team_2"},
		{"2fa_code", "2faCode"},
		{"größe_änderung", "größe_änderung"},
		{"ärzte", "ärzte"},
		{"a__b", "a_B"},
		{"_leading", "_leading"},
		{"trailing_", "trailing_"},
		{"_", "_"},
		{"", ""},
		{"with space", "with space"},
		{"with-hyphen", "with-hyphen"},
		{"marketing _team", "marketing Team"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			if got := camelize(tt.key); got != tt.want {
				t.Errorf("camelize(%q) = %q, want %q", tt.key, got, tt.want)
			}
		})
	}
}

// camelize must restore every camelCase key that ToolJet's read rewriting
// produces from it, since the provider writes those keys back.
func TestCamelize_restoresCamelCase(t *testing.T) {
	for _, key := range []string{"name", "clientId", "clientSecret", "wellKnownUrl", "grantType",
		"codeVerifier", "enableGroupSync", "claimName", "groupMapping", "key2Value",
		"tokenEndpointAuthMethod"} {
		read := mapping.ToolJetReadKey(key)
		if got := camelize(read); got != key {
			t.Errorf("camelize(%q) = %q, want the stored key %q", read, got, key)
		}
	}
}
