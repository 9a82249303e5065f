package provider

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseGroupMappingImportID(t *testing.T) {
	cases := []struct {
		id, workspace, idpGroup string
		wantErr                 string
	}{
		{id: "marketing/Marketing Team", workspace: "marketing", idpGroup: "Marketing Team"},
		{id: "marketing/Team/EU/2", workspace: "marketing", idpGroup: "Team/EU/2"},
		{id: "0f8c2a1e-5b1d-4c2a-9e57-2f1d4b6a7c88/OIDC",
			workspace: "0f8c2a1e-5b1d-4c2a-9e57-2f1d4b6a7c88", idpGroup: "OIDC"},
		{id: "marketing", wantErr: "<workspace ID or slug>/<IdP group>"},
		{id: "/Marketing Team", wantErr: "<workspace ID or slug>/<IdP group>"},
		{id: "marketing/", wantErr: "<workspace ID or slug>/<IdP group>"},
		{id: "", wantErr: "<workspace ID or slug>/<IdP group>"},
		{id: "marketing/ Padded", wantErr: "invalid IdP group"},
	}
	for _, tc := range cases {
		t.Run(tc.id, func(t *testing.T) {
			workspace, idpGroup, err := parseGroupMappingImportID(tc.id)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("error %v, expected one containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if workspace != tc.workspace {
				t.Errorf("workspace %q, expected %q", workspace, tc.workspace)
			}
			if idpGroup != tc.idpGroup {
				t.Errorf("IdP group %q, expected %q", idpGroup, tc.idpGroup)
			}
		})
	}
}

// FuzzParseGroupMappingImportID checks that parsing never panics and that
// an accepted ID is the workspace, a "/", and the IdP group, so that
// groupMappingID gives it back.
func FuzzParseGroupMappingImportID(f *testing.F) {
	for _, seed := range []string{"marketing/Marketing Team", "a/b/c", "/x", "x/", "", "a/ b",
		"ws/\x00", "ws/Ärzte", "ws//", "ws/a\u200bb"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, id string) {
		workspace, idpGroup, err := parseGroupMappingImportID(id)
		if err != nil {
			return
		}
		if workspace == "" || idpGroup == "" || strings.Contains(workspace, "/") {
			t.Fatalf("accepted %q as workspace %q and IdP group %q", id, workspace, idpGroup)
		}
		if groupMappingID(workspace, idpGroup) != id {
			t.Fatalf("%q does not round-trip: got %q", id, groupMappingID(workspace, idpGroup))
		}
		if !utf8.ValidString(idpGroup) {
			t.Fatalf("accepted an IdP group that is not valid UTF-8: %q", idpGroup)
		}
	})
}
