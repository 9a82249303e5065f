package ssostate

import (
	"encoding/json"
	"maps"
	"strings"
	"testing"

	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
)

// sampleRecord has every kind of entry: exact spellings that ToolJet
// rewrites on read, an inherited workspace with extra entries, one with its
// own claim name and an empty mapping of its own, and a managed workspace
// without overrides.
func sampleRecord() Record {
	claim := "roles"
	return Record{
		InstanceMapping:          map[string]string{"Marketing Team": "marketing", "OIDC": "admin"},
		DefaultWorkspaceInherits: true,
		Workspaces: map[string]*WorkspaceRecord{
			"ws-entries": {Mappings: map[string]string{"Ärzte": "doctors", "Team 2B": "builder"}},
			"ws-owned": {Managed: true, ClaimName: &claim,
				GroupMapping: map[string]string{}},
			"ws-managed": {Managed: true},
		},
	}
}

// throughJSON encodes the record as the provider writes it into configs and
// decodes it as generic JSON, as ToolJet returns it; rewrite, when not nil,
// changes the object keys on the way.
func throughJSON(t *testing.T, r Record, rewrite func(string) string) any {
	t.Helper()
	value, err := r.configValue()
	if err != nil {
		t.Fatalf("configValue: %v", err)
	}
	data, err := json.Marshal(value)
	if err != nil {
		t.Fatalf("json.Marshal: %v", err)
	}
	var decoded any
	if err := json.Unmarshal(data, &decoded); err != nil {
		t.Fatalf("json.Unmarshal: %v", err)
	}
	if rewrite != nil {
		decoded = rewriteKeys(decoded, rewrite)
	}
	return decoded
}

// rewriteKeys applies rewrite to every object key at any depth, the way
// ToolJet's humps.decamelizeKeys does, and leaves strings in arrays alone.
func rewriteKeys(value any, rewrite func(string) string) any {
	switch v := value.(type) {
	case map[string]any:
		out := make(map[string]any, len(v))
		for key, item := range v {
			out[rewrite(key)] = rewriteKeys(item, rewrite)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = rewriteKeys(item, rewrite)
		}
		return out
	default:
		return value
	}
}

func TestRecord_roundTrip(t *testing.T) {
	for name, rewrite := range map[string]func(string) string{
		"as written":       nil,
		"as ToolJet reads": mapping.ToolJetReadKey,
	} {
		t.Run(name, func(t *testing.T) {
			want := sampleRecord()

			got, found, err := decodeRecord(throughJSON(t, want, rewrite))

			if err != nil {
				t.Fatalf("decodeRecord: %v", err)
			}
			if !found {
				t.Fatal("decodeRecord found no record")
			}
			if !got.Equal(want) {
				t.Errorf("decoded record %+v differs from the written one %+v", got, want)
			}
			if !maps.Equal(got.InstanceMapping, want.InstanceMapping) {
				t.Errorf("InstanceMapping = %v, want %v", got.InstanceMapping, want.InstanceMapping)
			}
			if got.Workspaces["ws-owned"].GroupMapping == nil {
				t.Error("an empty own group mapping decoded as nil, which means inherit")
			}
			if claim := got.Workspaces["ws-owned"].ClaimName; claim == nil || *claim != "roles" {
				t.Errorf("ClaimName = %v, want roles", claim)
			}
			if got.Workspaces["ws-managed"].GroupMapping != nil {
				t.Error("an inheriting workspace decoded with a group mapping of its own")
			}
			entries := got.Workspaces["ws-entries"].Mappings
			if !maps.Equal(entries, want.Workspaces["ws-entries"].Mappings) {
				t.Errorf("Mappings = %v, want %v", entries, want.Workspaces["ws-entries"].Mappings)
			}
		})
	}
}

func TestRecord_decodeSnakeCase(t *testing.T) {
	const stored = `{
		"version": 1,
		"instance_group_mapping": [["Marketing Team", "marketing"], ["OIDC", "admin"]],
		"default_workspace_inherits": true,
		"workspaces": [
			{"workspace_id": "ws-1", "managed": true, "claim_name": "roles",
			 "group_mapping": [["Admins", "admin"]]},
			{"workspace_id": "ws-2", "managed": false, "mappings": [["Ärzte", "doctors"]]}
		]
	}`
	var value any
	if err := json.Unmarshal([]byte(stored), &value); err != nil {
		t.Fatal(err)
	}

	got, found, err := decodeRecord(value)

	if err != nil {
		t.Fatalf("decodeRecord: %v", err)
	}
	if !found {
		t.Fatal("decodeRecord found no record")
	}
	wantInstance := map[string]string{"Marketing Team": "marketing", "OIDC": "admin"}
	if !maps.Equal(got.InstanceMapping, wantInstance) {
		t.Errorf("InstanceMapping = %v, want %v", got.InstanceMapping, wantInstance)
	}
	if !got.DefaultWorkspaceInherits {
		t.Error("DefaultWorkspaceInherits = false, want true")
	}
	ws1 := got.Lookup("ws-1")
	if ws1 == nil || !ws1.Managed {
		t.Fatalf("workspace ws-1 = %+v, want a managed workspace", ws1)
	}
	if ws1.ClaimName == nil || *ws1.ClaimName != "roles" {
		t.Errorf("ws-1 ClaimName = %v, want roles", ws1.ClaimName)
	}
	if ws1.GroupMapping["Admins"] != "admin" {
		t.Errorf("ws-1 GroupMapping = %v, want Admins -> admin", ws1.GroupMapping)
	}
	ws2 := got.Lookup("ws-2")
	if ws2 == nil || ws2.Mappings["Ärzte"] != "doctors" {
		t.Errorf("workspace ws-2 = %+v, want the entry Ärzte -> doctors", ws2)
	}
}

func TestRecord_decodeMissing(t *testing.T) {
	got, found, err := decodeRecord(nil)
	if err != nil {
		t.Fatalf("decodeRecord(nil): %v", err)
	}
	if found {
		t.Error("decodeRecord(nil) found a record")
	}
	if len(got.Workspaces) != 0 {
		t.Errorf("decodeRecord(nil) has workspaces %v, want none", got.Workspaces)
	}
	if len(got.InstanceMapping) != 0 {
		t.Errorf("decodeRecord(nil) has the instance mapping %v, want none", got.InstanceMapping)
	}
}

func TestRecord_versionTooNew(t *testing.T) {
	_, _, err := decodeRecord(map[string]any{"version": float64(recordVersion + 1)})
	if err == nil {
		t.Fatal("decodeRecord accepted a record of a newer version")
	}
	if !strings.Contains(err.Error(), "upgrade the provider") {
		t.Errorf("error %q does not tell to upgrade the provider", err)
	}
}

func TestRecord_malformed(t *testing.T) {
	tests := []struct {
		name     string
		record   string
		errorHas string
	}{
		{"not an object", `[]`, "is not a JSON object"},
		{"string", `"record"`, "is not a JSON object"},
		{"mapping not a list", `{"instanceGroupMapping": {"A": "a"}}`, "not a list of pairs"},
		{"pair too short", `{"instanceGroupMapping": [["A"]]}`,
			"not an [IdP group, ToolJet group] pair"},
		{"pair too long", `{"instanceGroupMapping": [["A", "a", "x"]]}`,
			"not an [IdP group, ToolJet group] pair"},
		{"pair as object", `{"instanceGroupMapping": [{"A": "a"}]}`,
			"not an [IdP group, ToolJet group] pair"},
		{"number in pair", `{"instanceGroupMapping": [["A", 1]]}`, "not a pair of strings"},
		{"null in pair", `{"instance_group_mapping": [[null, "a"]]}`, "not a pair of strings"},
		{"workspace group mapping", `{"workspaces": [{"workspaceId": "ws-1",` +
			` "groupMapping": "A -> a"}]}`, "not a list of pairs"},
		{"workspace entries", `{"workspaces": [{"workspace_id": "ws-1",` +
			` "mappings": [["A", true]]}]}`, "not a pair of strings"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var value any
			if err := json.Unmarshal([]byte(tt.record), &value); err != nil {
				t.Fatal(err)
			}

			_, _, err := decodeRecord(value)

			if err == nil {
				t.Fatal("decodeRecord succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.errorHas) {
				t.Errorf("error %q does not contain %q", err, tt.errorHas)
			}
		})
	}
}

func TestRecord_equalIgnoresEmptyWorkspaces(t *testing.T) {
	a := sampleRecord()
	b := sampleRecord()
	b.Workspace("ws-unused")

	if !a.Equal(b) {
		t.Error("a workspace record without content made two records differ")
	}
	b.Workspace("ws-unused").Managed = true
	if a.Equal(b) {
		t.Error("a managed workspace did not make two records differ")
	}
}

func TestRecord_cloneIsDeep(t *testing.T) {
	original := sampleRecord()
	clone := original.Clone()

	clone.InstanceMapping["Added"] = "x"
	clone.Workspaces["ws-entries"].Mappings["Added"] = "x"
	*clone.Workspaces["ws-owned"].ClaimName = "changed"
	clone.Workspaces["ws-owned"].GroupMapping["Added"] = "x"

	if !original.Equal(sampleRecord()) {
		t.Error("changing the clone changed the original record")
	}
}
