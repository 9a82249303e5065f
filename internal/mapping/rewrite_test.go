package mapping

import "testing"

func TestToolJetReadKey(t *testing.T) {
	tests := []struct {
		name string
		want string
	}{
		{name: "Marketing Team", want: "marketing _team"},
		{name: "OIDC", want: "o_i_d_c"},
		{name: "Everyone", want: "everyone"},
		{name: "already_lower", want: "already_lower"},
		{name: "Team2B", want: "team2_b"},
		{name: "Admins", want: "admins"},
		{name: "ABCGroup", want: "a_b_c_group"},
		{name: "devOps", want: "dev_ops"},
		{name: "sales-EU", want: "sales-_e_u"},
		{name: "_Private", want: "__private"},
		{name: "Ärzte", want: "ärzte"},
		// Only ASCII capitals get a separator, so "Ö" gets none, but the two
		// "B" after it do.
		{name: "ÖBB", want: "ö_b_b"},
		{name: "teamÄ", want: "teamä"},
		// JavaScript lower-cases U+0130 to "i" followed by U+0307.
		{name: "İ", want: "i\u0307"},
		{name: "İstanbul", want: "i\u0307stanbul"},
		// Final_Sigma: capital sigma after a cased letter and not before one
		// becomes the final form U+03C2.
		{name: "ΟΔΟΣ", want: "οδο\u03c2"},
		{name: "ΟΔΟΣ ΑΘΗΝΑ", want: "οδο\u03c2 αθηνα"},
		{name: "ΣΟΦΙΑ", want: "\u03c3οφια"},
		{name: "Σ", want: "\u03c3"},
		{name: "ΑΣ'Α", want: "α\u03c3'α"},
		{name: "ΑΣ'", want: "α\u03c2'"},
		{name: "", want: ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := ToolJetReadKey(tt.name); got != tt.want {
				t.Errorf("ToolJetReadKey(%q) = %q, want %q", tt.name, got, tt.want)
			}
		})
	}
}

func TestReadKeysCollide(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{a: "Sales", b: "sales", want: true},
		{a: "OIDC", b: "o_i_d_c", want: true},
		{a: "Marketing Team", b: "marketing _team", want: true},
		{a: "Sales", b: "Sales", want: false},
		{a: "Sales", b: "Support", want: false},
		{a: "SALES", b: "sales", want: false},
		{a: "Ärzte", b: "ärzte", want: true},
		{a: "ÄRZTE", b: "ärzte", want: false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			if got := ReadKeysCollide(tt.a, tt.b); got != tt.want {
				t.Errorf("ReadKeysCollide(%q, %q) = %t, want %t", tt.a, tt.b, got, tt.want)
			}
		})
	}
}
