package emulator

import (
	"net/http"
	"testing"
)

const instanceSSOPath = "/api/login-configs/instance-sso"

// instanceOIDCBody is an instance OIDC save with group sync on and one
// enabled row per workspace id.
func instanceOIDCBody(workspaceIDs ...string) map[string]any {
	items := []any{}
	for _, id := range workspaceIDs {
		items = append(items, map[string]any{
			"organizationId":  id,
			"claimName":       "groups",
			"groupMapping":    map[string]any{"Everyone": "Admin"},
			"enableGroupSync": true,
		})
	}
	return map[string]any{
		"type":    "openid",
		"enabled": true,
		"configs": map[string]any{
			"name": "", "clientId": "instance-client", "clientSecret": "instance-secret",
			"wellKnownUrl":    "https://idp.invalid/.well-known/openid-configuration",
			"enableGroupSync": true,
		},
		"oidcGroupSyncs": items,
	}
}

func TestInstanceSSO_arrayShape(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	if rows := c.mustDo("GET", instanceSSOPath, nil, http.StatusOK).array(t); len(rows) != 0 {
		t.Fatalf("rows before any save = %v, want none", rows)
	}
	marketing := workspaceID(t, srv, "marketing")
	id := savedID(t, c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(marketing), http.StatusOK))

	rows := c.mustDo("GET", instanceSSOPath, nil, http.StatusOK).array(t)
	if len(rows) != 1 {
		t.Fatalf("rows = %d, want 1", len(rows))
	}
	row := rows[0].(map[string]any)
	want := map[string]any{
		"id": id, "sso": "openid", "organization_id": nil, "config_scope": "instance",
		"enabled": true, "use_env_config": false,
	}
	for key, value := range want {
		if got, present := row[key]; !present || got != value {
			t.Errorf("%s = %v (present %v), want %v", key, got, present, value)
		}
	}
	if got := path(t, row, "configs", "client_secret"); got != "instance-secret" {
		t.Errorf("configs.client_secret = %v, want the decrypted secret", got)
	}
	if got := path(t, row, "configs", "enable_group_sync"); got != true {
		t.Errorf("configs.enable_group_sync = %v, want true", got)
	}
	if got := path(t, row, "oidc_group_syncs", 0, "organization_id"); got != marketing {
		t.Errorf("oidc_group_syncs[0].organization_id = %v, want marketing", got)
	}
	if got := path(t, row, "oidc_group_syncs", 0, "group_mapping", "everyone"); got != "Admin" {
		t.Errorf("group_mapping.everyone = %v, want Admin", got)
	}
}

func TestInstanceSSO_mapShape(t *testing.T) {
	srv, baseURL := startServer(t, Options{InstanceSSOShape: ShapeMap})
	c := superAdmin(t, srv, baseURL)
	if got := c.mustDo("GET", instanceSSOPath, nil, http.StatusOK).object(t); len(got) != 0 {
		t.Fatalf("map before any save = %v, want {}", got)
	}
	id := savedID(t, c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(), http.StatusOK))
	c.mustDo("PATCH", instanceSSOPath,
		map[string]any{"type": "google", "enabled": true}, http.StatusOK)

	byType := c.mustDo("GET", instanceSSOPath, nil, http.StatusOK).object(t)
	if got := path(t, byType, "openid", "id"); got != id {
		t.Errorf("openid.id = %v, want %s", got, id)
	}
	if got := path(t, byType, "google", "sso"); got != "google" {
		t.Errorf("google.sso = %v, want google", got)
	}
}

func TestInstanceSSO_upsertSingleRow(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	first := savedID(t, c.mustDo("PATCH", instanceSSOPath,
		map[string]any{"type": "openid"}, http.StatusOK))
	var created SSOConfig
	srv.View(func(st *State) { created = *st.InstanceOIDC() })
	if created.Enabled {
		t.Errorf("new instance row is enabled, want enabled false when left out")
	}
	if created.Configs == nil || len(created.Configs) != 0 {
		t.Errorf("new instance row configs = %v, want {}", created.Configs)
	}
	if created.OrganizationID != nil {
		t.Errorf("instance row organization id = %v, want nil", *created.OrganizationID)
	}

	second := savedID(t, c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(), http.StatusOK))
	if first != second {
		t.Errorf("second save created row %s, want update of %s", second, first)
	}
}

func TestInstanceSSO_groupSyncPerWorkspace(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	marketing, sales := workspaceID(t, srv, "marketing"), workspaceID(t, srv, "sales")
	id := savedID(t, c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(marketing, sales),
		http.StatusOK))
	if rows := groupSyncRows(srv, id); len(rows) != 2 {
		t.Fatalf("rows = %d, want 2", len(rows))
	}

	c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(sales), http.StatusOK)
	rows := groupSyncRows(srv, id)
	if len(rows) != 1 {
		t.Fatalf("rows after removing marketing = %d, want 1", len(rows))
	}
	if rowFor(rows, sales) == nil {
		t.Errorf("the sales row was deleted")
	}
}

func TestInstanceSSO_unknownWorkspaceStoresNothing(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	resp := c.mustDo("PATCH", instanceSSOPath,
		instanceOIDCBody("99999999-9999-4999-8999-999999999999"), http.StatusBadRequest)
	messages, _ := resp.message(t).([]any)
	if len(messages) != 1 || !containsString(messages[0], "is not an existing workspace") {
		t.Errorf("message = %v, want one message naming the workspace", resp.message(t))
	}
	srv.View(func(st *State) {
		if st.InstanceOIDC() != nil {
			t.Errorf("instance row stored by a rejected save")
		}
	})
}

func TestInstanceSSO_requireEnabledWorkspace(t *testing.T) {
	srv, baseURL := startServer(t, Options{RequireEnabledWorkspace: true})
	c := superAdmin(t, srv, baseURL)
	marketing := workspaceID(t, srv, "marketing")
	body := instanceOIDCBody(marketing)
	body["oidcGroupSyncs"].([]any)[0].(map[string]any)["enableGroupSync"] = false

	resp := c.mustDo("PATCH", instanceSSOPath, body, http.StatusBadRequest)
	if got := resp.message(t); got != msgEnabledWorkspaceRequired {
		t.Errorf("message = %v, want %q", got, msgEnabledWorkspaceRequired)
	}
	srv.View(func(st *State) {
		if st.InstanceOIDC() != nil {
			t.Errorf("instance row stored by a rejected save")
		}
	})

	c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(marketing), http.StatusOK)
	srv.SetOptions(func(o *Options) { o.RequireEnabledWorkspace = false })
	c.mustDo("PATCH", instanceSSOPath, body, http.StatusOK)
}

func TestInstanceSSO_invalidType(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	resp := c.mustDo("PATCH", instanceSSOPath, map[string]any{"type": "okta"},
		http.StatusBadRequest)
	if got := resp.message(t); got != msgInvalidSSOType {
		t.Errorf("message = %v, want %q", got, msgInvalidSSOType)
	}
}

func TestInstanceSSO_communityEdition(t *testing.T) {
	srv, baseURL := startServer(t, Options{Edition: EditionCommunity})
	c := superAdmin(t, srv, baseURL)
	resp := c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(), http.StatusNotFound)
	if got := resp.message(t); got != msgNotFound {
		t.Errorf("message = %v, want %q", got, msgNotFound)
	}

	shape := c.mustDo("GET", instanceSSOPath, nil, http.StatusOK).object(t)
	if _, ok := shape["openid"]; ok {
		t.Errorf("Community Edition shape has openid: %v", shape)
	}
	if got := path(t, shape, "form", "enabled"); got != true {
		t.Errorf("form.enabled = %v, want true", got)
	}
	if _, ok := shape["enable_sign_up"]; !ok {
		t.Errorf("Community Edition shape lacks enable_sign_up: %v", shape)
	}

	user := newClient(t, baseURL)
	user.loginTo(srv, endUserEmail, "my-workspace")
	user.mustDo("GET", instanceSSOPath, nil, http.StatusOK)
}

func TestInstanceSSO_licenseAllowsOtherTypes(t *testing.T) {
	srv, baseURL := startServer(t, Options{License: &License{}})
	c := superAdmin(t, srv, baseURL)
	c.mustDo("PATCH", instanceSSOPath, map[string]any{"type": "google"}, http.StatusOK)
	c.mustDo("PATCH", instanceSSOPath, map[string]any{"type": "openid"},
		http.StatusUnavailableForLegalReasons)

	srv.SetOptions(func(o *Options) { o.License = &License{OIDC: true} })
	c.mustDo("PATCH", instanceSSOPath, map[string]any{"type": "openid"}, http.StatusOK)
}

func TestOptions_dropUnknownConfigKeys(t *testing.T) {
	srv, baseURL := startServer(t, Options{DropUnknownConfigKeys: true})
	c := superAdmin(t, srv, baseURL)
	body := instanceOIDCBody()
	configs := body["configs"].(map[string]any)
	configs["terraformGroupSync"] = map[string]any{"version": 1}
	configs["grantType"] = "authorization_code"

	c.mustDo("PATCH", instanceSSOPath, body, http.StatusOK)

	srv.View(func(st *State) {
		stored := st.DecryptedConfigs(st.InstanceOIDC())
		if _, ok := stored["terraformGroupSync"]; ok {
			t.Error("terraformGroupSync was stored, want it dropped")
		}
		for _, key := range []string{"name", "clientId", "clientSecret", "wellKnownUrl",
			"grantType", "enableGroupSync"} {
			if _, ok := stored[key]; !ok {
				t.Errorf("OpenId key %s was dropped, want it stored", key)
			}
		}
	})
}

func TestOptions_dropUnknownConfigKeysWorkspace(t *testing.T) {
	srv, baseURL := startServer(t, Options{DropUnknownConfigKeys: true})
	c := superAdmin(t, srv, baseURL)
	body := oidcBody("s3cret")
	body["configs"].(map[string]any)["customScopes"] = "openid email"

	c.mustDo("PATCH", orgSSOPath, body, http.StatusOK)

	rows := openIDRows(srv, c.workspaceID)
	if len(rows) != 1 {
		t.Fatalf("openid rows = %d, want 1", len(rows))
	}
	if _, ok := rows[0].Configs["customScopes"]; ok {
		t.Error("customScopes was stored, want it dropped")
	}
	if rows[0].Configs["clientId"] != "client-1" {
		t.Errorf("clientId = %v, want client-1", rows[0].Configs["clientId"])
	}
}

// Without the option, unknown keys are stored as sent.
func TestOptions_keepsUnknownConfigKeysByDefault(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	body := instanceOIDCBody()
	body["configs"].(map[string]any)["terraformGroupSync"] = "record"

	c.mustDo("PATCH", instanceSSOPath, body, http.StatusOK)

	srv.View(func(st *State) {
		if got := st.InstanceOIDC().Configs["terraformGroupSync"]; got != "record" {
			t.Errorf("terraformGroupSync = %v, want it stored", got)
		}
	})
}

func TestSecretRead_placeholderInstance(t *testing.T) {
	srv, baseURL := startServer(t, Options{SecretRead: SecretsPlaceholder})
	c := superAdmin(t, srv, baseURL)
	c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(), http.StatusOK)

	row := c.mustDo("GET", instanceSSOPath, nil, http.StatusOK).array(t)[0]
	if got := path(t, row, "configs", "client_secret"); got != SecretPlaceholder {
		t.Errorf("client_secret = %v, want %q", got, SecretPlaceholder)
	}
	srv.View(func(st *State) {
		stored := st.DecryptedConfigs(st.InstanceOIDC())["clientSecret"]
		if stored != "instance-secret" {
			t.Errorf("stored clientSecret = %v, want the secret as saved", stored)
		}
	})
}

// An empty secret has nothing to hide, so it is returned as "".
func TestSecretRead_placeholderEmptySecret(t *testing.T) {
	srv, baseURL := startServer(t, Options{SecretRead: SecretsPlaceholder})
	c := superAdmin(t, srv, baseURL)
	body := instanceOIDCBody()
	body["configs"].(map[string]any)["clientSecret"] = ""
	c.mustDo("PATCH", instanceSSOPath, body, http.StatusOK)

	row := c.mustDo("GET", instanceSSOPath, nil, http.StatusOK).array(t)[0]
	if got := path(t, row, "configs", "client_secret"); got != "" {
		t.Errorf("client_secret = %v, want \"\"", got)
	}
}
