package emulator

import (
	"bytes"
	"net/http"
	"testing"
)

// encodeNormalized returns the JSON text of v after normalizeJSON.
func encodeNormalized(t *testing.T, v any, mode keyRewrite) string {
	t.Helper()
	var buf bytes.Buffer
	if err := encodeJSON(&buf, normalizeJSON(v, mode)); err != nil {
		t.Fatalf("encodeJSON: %v", err)
	}
	return buf.String()
}

func TestNormalizeJSON_decamelize(t *testing.T) {
	tests := []struct {
		name  string
		input any
		want  string
	}{
		{"space before capital", map[string]any{"Marketing Team": "m"},
			`{"marketing _team":"m"}`},
		{"acronym", map[string]any{"OIDC": "o"}, `{"o_i_d_c":"o"}`},
		{"first capital", map[string]any{"Everyone": "Admin"}, `{"everyone":"Admin"}`},
		{"camel case", map[string]any{"clientSecret": "x"}, `{"client_secret":"x"}`},
		{"values unchanged", map[string]any{"a": "CamelCase Value"}, `{"a":"CamelCase Value"}`},
		{"nested in arrays", []any{map[string]any{"groupMapping": map[string]any{"AB": "c"}}},
			`[{"group_mapping":{"a_b":"c"}}]`},
		{"ordered object", jsonObject{{"zKey", 1}, {"aKey", 2}}, `{"z_key":1,"a_key":2}`},
		{"html not escaped", map[string]any{"a": "<b>&"}, `{"a":"<b>&"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := encodeNormalized(t, tt.input, decamelizeKeys); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestNormalizeJSON_jsonbOrder(t *testing.T) {
	input := map[string]any{"bb": 1, "a": 2, "10": 3, "2": 4, "B": 5, "01": 6, "4294967295": 7}
	want := `{"2":4,"10":3,"B":5,"a":2,"01":6,"bb":1,"4294967295":7}`
	if got := encodeNormalized(t, input, keepKeys); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestNormalizeJSON_collisionLastWins(t *testing.T) {
	tests := []struct {
		name  string
		input map[string]any
		want  string
	}{
		// Same length: "Ab" sorts before "ab" bytewise, so "ab" is assigned last.
		{"same length", map[string]any{"ab": "lower", "Ab": "upper"}, `{"ab":"lower"}`},
		// Shorter keys come first in jsonb, so "o_i_d_c" is assigned last.
		{"shorter first", map[string]any{"o_i_d_c": "long", "OIDC": "short"},
			`{"o_i_d_c":"long"}`},
		// The key keeps the position of its first assignment.
		{"position of first", map[string]any{"Ab": "1", "ab": "2", "c": "3"},
			`{"c":"3","ab":"2"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := encodeNormalized(t, tt.input, decamelizeKeys); got != tt.want {
				t.Errorf("got %s, want %s", got, tt.want)
			}
		})
	}
}

func TestNormalizeJSON_keepMappingKeys(t *testing.T) {
	input := jsonObject{{"groupMapping", map[string]string{"Marketing Team": "m"}},
		{"claimName", "groups"}}
	want := `{"group_mapping":{"Marketing Team":"m"},"claim_name":"groups"}`
	if got := encodeNormalized(t, input, decamelizeKeepingMappingKeys); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestApplyKeyFaults(t *testing.T) {
	input := normalizeJSON(jsonObject{
		{"configs", map[string]any{"a": 1}},
		{"rows", []any{jsonObject{{"configs", 2}, {"keep", 3}, {"drop", 4}}}},
	}, keepKeys)
	var buf bytes.Buffer
	faulted := applyKeyFaults(input, []string{"configs"}, []string{"drop"})
	if err := encodeJSON(&buf, faulted); err != nil {
		t.Fatal(err)
	}
	want := `{"configs":null,"rows":[{"configs":null,"keep":3}]}`
	if got := buf.String(); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestGroupMapping_readKeysRewritten(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	body := oidcBody("a")
	body["oidcGroupSyncs"] = []any{groupSyncBody("", "groups",
		map[string]any{"Marketing Team": "Marketing Team", "OIDC": "x", "everyone": "Admin"})}
	c.mustDo("PATCH", orgSSOPath, body, http.StatusOK)

	resp := c.mustDo("GET", "/api/login-configs/organization", nil, http.StatusOK)
	mapping := path(t, resp.object(t), "organization_details", "sso_configs", 1,
		"oidc_group_syncs", 0, "group_mapping").(map[string]any)
	want := map[string]string{
		"marketing _team": "Marketing Team", "o_i_d_c": "x", "everyone": "Admin",
	}
	if len(mapping) != len(want) {
		t.Errorf("mapping = %v, want %v", mapping, want)
	}
	for key, value := range want {
		if mapping[key] != value {
			t.Errorf("mapping[%q] = %v, want %q", key, mapping[key], value)
		}
	}
}

func TestGroupMapping_keepMappingKeys(t *testing.T) {
	srv, baseURL := startServer(t, Options{KeepMappingKeys: true})
	c := superAdmin(t, srv, baseURL)
	body := oidcBody("a")
	body["oidcGroupSyncs"] = []any{groupSyncBody("", "groups",
		map[string]any{"Marketing Team": "m", "OIDC": "x"})}
	c.mustDo("PATCH", orgSSOPath, body, http.StatusOK)

	resp := c.mustDo("GET", "/api/login-configs/organization", nil, http.StatusOK)
	row := path(t, resp.object(t), "organization_details", "sso_configs", 1).(map[string]any)
	mapping := path(t, row, "oidc_group_syncs", 0, "group_mapping").(map[string]any)
	if mapping["Marketing Team"] != "m" {
		t.Errorf("mapping = %v, want the key Marketing Team kept", mapping)
	}
	if mapping["OIDC"] != "x" {
		t.Errorf("mapping = %v, want the key OIDC kept", mapping)
	}
	if _, ok := path(t, row, "configs").(map[string]any)["client_id"]; !ok {
		t.Errorf("configs keys not decamelized with KeepMappingKeys: %v", row["configs"])
	}
}
