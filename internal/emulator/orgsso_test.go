package emulator

import (
	"net/http"
	"strings"
	"testing"
)

const orgSSOPath = "/api/login-configs/organization-sso"

func TestOrganizationSSO_configsReplacementWipesSecret(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	id := savedID(t, c.mustDo("PATCH", orgSSOPath, oidcBody("s3cret"), http.StatusOK))

	c.mustDo("PATCH", orgSSOPath, map[string]any{
		"type":     "openid",
		"configId": id,
		"configs":  map[string]any{"name": "Renamed", "clientId": "client-1"},
	}, http.StatusOK)

	var configs map[string]any
	srv.View(func(st *State) { configs = st.DecryptedConfigs(st.SSOConfigByID(id)) })
	if _, ok := configs["clientSecret"]; ok {
		t.Errorf("clientSecret survived a configs replacement: %v", configs)
	}
	if configs["name"] != "Renamed" {
		t.Errorf("name = %v, want Renamed", configs["name"])
	}
	if _, ok := configs["wellKnownUrl"]; ok {
		t.Errorf("wellKnownUrl survived a configs replacement: %v", configs)
	}
}

func TestOrganizationSSO_absentConfigsAndEnabledKept(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	id := savedID(t, c.mustDo("PATCH", orgSSOPath, oidcBody("s3cret"), http.StatusOK))

	c.mustDo("PATCH", orgSSOPath,
		map[string]any{"type": "openid", "configId": id, "enabled": false}, http.StatusOK)
	var row SSOConfig
	var configs map[string]any
	srv.View(func(st *State) {
		row = *st.SSOConfigByID(id)
		configs = st.DecryptedConfigs(&row)
	})
	if row.Enabled {
		t.Errorf("enabled = true after saving enabled false")
	}
	if configs["clientSecret"] != "s3cret" {
		t.Errorf("clientSecret = %v after a save without configs, want s3cret",
			configs["clientSecret"])
	}

	c.mustDo("PATCH", orgSSOPath, map[string]any{
		"type": "openid", "configId": id, "configs": map[string]any{"name": "x"},
	}, http.StatusOK)
	srv.View(func(st *State) { row = *st.SSOConfigByID(id) })
	if row.Enabled {
		t.Errorf("enabled changed by a save without enabled")
	}
}

func TestOrganizationSSO_secretEncryptedAtRest(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	body := oidcBody("s3cret")
	configs := body["configs"].(map[string]any)
	configs["otherSECRETKey"] = "second"
	configs["emptySecret"] = ""
	configs["nullSecret"] = nil
	id := savedID(t, c.mustDo("PATCH", orgSSOPath, body, http.StatusOK))

	var stored map[string]any
	srv.View(func(st *State) { stored = st.SSOConfigByID(id).Configs })
	for _, key := range []string{"clientSecret", "otherSECRETKey"} {
		value, _ := stored[key].(string)
		if !strings.HasPrefix(value, encryptedPrefix) {
			t.Errorf("stored %s = %q, want an encrypted value", key, value)
		}
	}
	if stored["emptySecret"] != "" {
		t.Errorf("stored emptySecret = %v, want it kept as \"\"", stored["emptySecret"])
	}
	if stored["nullSecret"] != nil {
		t.Errorf("stored nullSecret = %v, want it kept as null", stored["nullSecret"])
	}
	if stored["clientId"] != "client-1" {
		t.Errorf("stored clientId = %v, want it in plain text", stored["clientId"])
	}
}

func TestOrganizationSSO_secretReadModes(t *testing.T) {
	tests := []struct {
		mode        SecretReadMode
		wantPresent bool
		want        string
	}{
		{SecretsPlain, true, "s3cret"},
		{SecretsMasked, true, ""},
		{SecretsOmitted, false, ""},
		{SecretsPlaceholder, true, SecretPlaceholder},
	}
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	c.mustDo("PATCH", orgSSOPath, oidcBody("s3cret"), http.StatusOK)

	for _, tt := range tests {
		t.Run(string(tt.mode), func(t *testing.T) {
			srv.SetOptions(func(o *Options) { o.SecretRead = tt.mode })
			resp := c.mustDo("GET", "/api/login-configs/organization", nil, http.StatusOK)
			configs := path(t, resp.object(t), "organization_details", "sso_configs", 1,
				"configs").(map[string]any)
			value, present := configs["client_secret"]
			if present != tt.wantPresent {
				t.Fatalf("client_secret present = %v, want %v", present, tt.wantPresent)
			}
			if present && value != tt.want {
				t.Errorf("client_secret = %v, want %q", value, tt.want)
			}
			if configs["client_id"] != "client-1" {
				t.Errorf("client_id = %v, want client-1", configs["client_id"])
			}
		})
	}
}

func TestOrganizationSSO_createWithoutConfigID(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	first := savedID(t, c.mustDo("PATCH", orgSSOPath, oidcBody("a"), http.StatusOK))
	second := savedID(t, c.mustDo("PATCH", orgSSOPath, oidcBody("a"), http.StatusOK))

	if first == second {
		t.Errorf("two saves without configId returned the same id %s", first)
	}
	if rows := openIDRows(srv, c.workspaceID); len(rows) != 2 {
		t.Errorf("openid rows = %d, want 2", len(rows))
	}
}

func TestOrganizationSSO_unknownConfigIDCreatesRow(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	existing := savedID(t, c.mustDo("PATCH", orgSSOPath, oidcBody("a"), http.StatusOK))
	sent := "11111111-2222-4333-8444-555555555555"
	body := oidcBody("b")
	body["configId"] = sent

	created := savedID(t, c.mustDo("PATCH", orgSSOPath, body, http.StatusOK))
	if created == sent {
		t.Errorf("new row got the configId that was sent")
	}
	if created == existing {
		t.Errorf("unknown configId updated the existing row")
	}
	if rows := openIDRows(srv, c.workspaceID); len(rows) != 2 {
		t.Errorf("openid rows = %d, want 2", len(rows))
	}
}

func TestOrganizationSSO_otherWorkspaceConfigIDCreatesRow(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	foreign := savedID(t, c.mustDo("PATCH", orgSSOPath, oidcBody("a"), http.StatusOK))

	c.loginTo(srv, superAdminEmail, "marketing")
	body := oidcBody("b")
	body["configId"] = foreign
	created := savedID(t, c.mustDo("PATCH", orgSSOPath, body, http.StatusOK))
	if created == foreign {
		t.Errorf("a save in marketing updated a row of my-workspace")
	}
}

func TestOrganizationSSO_otherTypesUpsert(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	var formID string
	srv.View(func(st *State) {
		for _, row := range st.WorkspaceConfigs(c.workspaceID) {
			if row.SSO == ssoForm {
				formID = row.ID
			}
		}
	})

	got := savedID(t, c.mustDo("PATCH", orgSSOPath,
		map[string]any{"type": "form", "enabled": false}, http.StatusOK))
	if got != formID {
		t.Errorf("form save id = %s, want the existing row %s", got, formID)
	}
	first := savedID(t, c.mustDo("PATCH", orgSSOPath,
		map[string]any{"type": "google", "configs": map[string]any{"clientId": "g"}}, http.StatusOK))
	second := savedID(t, c.mustDo("PATCH", orgSSOPath,
		map[string]any{"type": "google", "enabled": true}, http.StatusOK))
	if first != second {
		t.Errorf("second google save created row %s, want update of %s", second, first)
	}
}

func TestOrganizationSSO_invalidType(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	for _, body := range []map[string]any{{"type": "oidc"}, {}, {"type": 1}} {
		resp := c.mustDo("PATCH", orgSSOPath, body, http.StatusBadRequest)
		if got := resp.message(t); got != msgInvalidSSOType {
			t.Errorf("body %v: message = %v, want %q", body, got, msgInvalidSSOType)
		}
	}
}

func TestOrganizationSSO_nonJSONContentTypeIgnored(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	req, err := http.NewRequestWithContext(t.Context(), "PATCH", baseURL+orgSSOPath,
		strings.NewReader(`{"type":"openid"}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "text/plain")
	req.Header.Set(workspaceHeader, c.workspaceID)
	resp, err := c.http.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusBadRequest {
		t.Errorf("status = %d, want 400 because the body is not parsed", resp.StatusCode)
	}
}

// groupSyncItem returns an oidcGroupSyncs element for a workspace id; an
// empty id leaves organizationId out.
func groupSyncBody(workspaceID, claim string, mapping map[string]any) map[string]any {
	item := map[string]any{"claimName": claim, "groupMapping": mapping, "enableGroupSync": true}
	if workspaceID != "" {
		item["organizationId"] = workspaceID
	}
	return item
}

// groupSyncRows returns copies of the group-sync rows of an SSO row.
func groupSyncRows(srv *Server, configID string) []GroupSync {
	var rows []GroupSync
	srv.View(func(st *State) {
		for _, g := range st.GroupSyncsFor(configID) {
			rows = append(rows, *g)
		}
	})
	return rows
}

func rowFor(rows []GroupSync, workspaceID string) *GroupSync {
	for i := range rows {
		if rows[i].OrganizationID != nil && *rows[i].OrganizationID == workspaceID {
			return &rows[i]
		}
	}
	return nil
}

func TestGroupSync_listDeletesOmittedRows(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	marketing, sales := workspaceID(t, srv, "marketing"), workspaceID(t, srv, "sales")
	body := oidcBody("a")
	body["oidcGroupSyncs"] = []any{
		groupSyncBody(marketing, "groups", map[string]any{"A": "marketing"}),
		groupSyncBody(sales, "groups", map[string]any{"B": "sales"}),
	}
	id := savedID(t, c.mustDo("PATCH", orgSSOPath, body, http.StatusOK))
	if rows := groupSyncRows(srv, id); len(rows) != 2 {
		t.Fatalf("rows after first save = %d, want 2", len(rows))
	}

	c.mustDo("PATCH", orgSSOPath, map[string]any{
		"type": "openid", "configId": id,
		"oidcGroupSyncs": []any{groupSyncBody(marketing, "groups", map[string]any{"A": "x"})},
	}, http.StatusOK)
	rows := groupSyncRows(srv, id)
	if len(rows) != 1 {
		t.Fatalf("rows after second save = %d, want 1", len(rows))
	}
	if rowFor(rows, marketing) == nil {
		t.Errorf("the listed marketing row was deleted")
	}
}

func TestGroupSync_emptyListDeletesNothing(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	marketing := workspaceID(t, srv, "marketing")
	body := oidcBody("a")
	body["oidcGroupSyncs"] = []any{groupSyncBody(marketing, "groups", map[string]any{"A": "b"})}
	id := savedID(t, c.mustDo("PATCH", orgSSOPath, body, http.StatusOK))

	c.mustDo("PATCH", orgSSOPath,
		map[string]any{"type": "openid", "configId": id, "oidcGroupSyncs": []any{}}, http.StatusOK)
	if rows := groupSyncRows(srv, id); len(rows) != 1 {
		t.Errorf("rows after an empty list = %d, want 1", len(rows))
	}
}

func TestGroupSync_shallowMergeKeepsOmittedFields(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	marketing := workspaceID(t, srv, "marketing")
	body := oidcBody("a")
	body["oidcGroupSyncs"] = []any{groupSyncBody(marketing, "groups",
		map[string]any{"Marketing Team": "marketing"})}
	id := savedID(t, c.mustDo("PATCH", orgSSOPath, body, http.StatusOK))
	before := groupSyncRows(srv, id)[0]

	c.mustDo("PATCH", orgSSOPath, map[string]any{
		"type": "openid", "configId": id,
		"oidcGroupSyncs": []any{map[string]any{"organizationId": marketing, "claimName": "roles"}},
	}, http.StatusOK)
	rows := groupSyncRows(srv, id)
	if len(rows) != 1 {
		t.Fatalf("rows = %d, want 1", len(rows))
	}
	after := rows[0]
	if after.ID != before.ID {
		t.Errorf("row id changed from %s to %s", before.ID, after.ID)
	}
	if after.ClaimName != "roles" {
		t.Errorf("claimName = %q, want roles", after.ClaimName)
	}
	if after.GroupMapping["Marketing Team"] != "marketing" {
		t.Errorf("groupMapping = %v, want the stored mapping kept", after.GroupMapping)
	}
	if after.EnableGroupSync == nil || !*after.EnableGroupSync {
		t.Errorf("enableGroupSync = %v, want the stored true kept", after.EnableGroupSync)
	}
}

func TestGroupSync_missingOrganizationIDMatchesAnyRow(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	marketing, sales := workspaceID(t, srv, "marketing"), workspaceID(t, srv, "sales")
	body := oidcBody("a")
	body["oidcGroupSyncs"] = []any{
		groupSyncBody(marketing, "groups", map[string]any{"A": "a"}),
		groupSyncBody(sales, "groups", map[string]any{"B": "b"}),
	}
	id := savedID(t, c.mustDo("PATCH", orgSSOPath, body, http.StatusOK))

	c.mustDo("PATCH", orgSSOPath, map[string]any{
		"type": "openid", "configId": id,
		"oidcGroupSyncs": []any{groupSyncBody("", "roles", map[string]any{"C": "c"})},
	}, http.StatusOK)
	rows := groupSyncRows(srv, id)
	if len(rows) != 2 {
		t.Fatalf("rows = %d, want 2 because an item without organizationId deletes nothing",
			len(rows))
	}
	first := rowFor(rows, marketing)
	if first == nil || first.ClaimName != "roles" {
		t.Errorf("first row = %+v, want the item merged into it", first)
	}
	if second := rowFor(rows, sales); second == nil || second.ClaimName != "groups" {
		t.Errorf("second row = %+v, want it unchanged", second)
	}
}

func TestGroupSync_nullOrganizationRowSurvivesList(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	body := oidcBody("a")
	body["oidcGroupSyncs"] = []any{groupSyncBody("", "groups", map[string]any{"A": "a"})}
	id := savedID(t, c.mustDo("PATCH", orgSSOPath, body, http.StatusOK))

	marketing := workspaceID(t, srv, "marketing")
	c.mustDo("PATCH", orgSSOPath, map[string]any{
		"type": "openid", "configId": id,
		"oidcGroupSyncs": []any{groupSyncBody(marketing, "groups", map[string]any{"B": "b"})},
	}, http.StatusOK)
	if rows := groupSyncRows(srv, id); len(rows) != 2 {
		t.Errorf("rows = %d, want 2 because NOT IN never deletes a NULL organizationId",
			len(rows))
	}
}

func TestGroupSync_invalidItemStoresNothing(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	body := oidcBody("a")
	body["oidcGroupSyncs"] = []any{map[string]any{"groupMapping": map[string]any{"A": 1}}}

	c.mustDo("PATCH", orgSSOPath, body, http.StatusBadRequest)
	if rows := openIDRows(srv, c.workspaceID); len(rows) != 0 {
		t.Errorf("openid rows = %d after a rejected save, want 0", len(rows))
	}
}

func TestOrganizationSSO_delete(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	body := oidcBody("a")
	body["oidcGroupSyncs"] = []any{groupSyncBody("", "groups", map[string]any{"A": "a"})}
	id := savedID(t, c.mustDo("PATCH", orgSSOPath, body, http.StatusOK))

	c.mustDo("DELETE", orgSSOPath+"/"+id, nil, http.StatusOK)
	if rows := openIDRows(srv, c.workspaceID); len(rows) != 0 {
		t.Errorf("openid rows after delete = %d, want 0", len(rows))
	}
	if rows := groupSyncRows(srv, id); len(rows) != 0 {
		t.Errorf("group-sync rows after delete = %d, want 0", len(rows))
	}
	resp := c.mustDo("DELETE", orgSSOPath+"/"+id, nil, http.StatusNotFound)
	if got := resp.message(t); got != msgSSONotFound {
		t.Errorf("message = %v, want %q", got, msgSSONotFound)
	}
}

func TestOrganizationSSO_deleteOtherWorkspaceRow(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	id := savedID(t, c.mustDo("PATCH", orgSSOPath, oidcBody("a"), http.StatusOK))

	c.loginTo(srv, superAdminEmail, "marketing")
	c.mustDo("DELETE", orgSSOPath+"/"+id, nil, http.StatusNotFound)
	if rows := openIDRows(srv, workspaceID(t, srv, "my-workspace")); len(rows) != 1 {
		t.Errorf("row of my-workspace deleted from marketing")
	}
}

func TestOrganizationSSO_license(t *testing.T) {
	srv, baseURL := startServer(t, Options{License: &License{CustomGroups: true}})
	c := superAdmin(t, srv, baseURL)

	resp := c.mustDo("PATCH", orgSSOPath, oidcBody("a"), http.StatusUnavailableForLegalReasons)
	if got := resp.message(t); got != msgLicense {
		t.Errorf("message = %v, want the license message", got)
	}
	c.mustDo("PATCH", orgSSOPath, map[string]any{"type": "form", "enabled": true}, http.StatusOK)

	srv.SetOptions(func(o *Options) { o.Edition = EditionCommunity })
	c.mustDo("PATCH", orgSSOPath, oidcBody("a"), http.StatusOK)
}
