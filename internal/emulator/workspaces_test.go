package emulator

import (
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

func slugsOf(t *testing.T, r response) []string {
	t.Helper()
	var slugs []string
	for _, ws := range r.object(t)["organizations"].([]any) {
		slugs = append(slugs, ws.(map[string]any)["slug"].(string))
	}
	return slugs
}

func TestOrganizations_pagination(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	tests := []struct {
		query string
		want  string
	}{
		{"status=active&currentPage=1&perPageCount=2", "engineering,marketing"},
		{"status=active&currentPage=2&perPageCount=2", "my-workspace,sales"},
		{"status=active&currentPage=3&perPageCount=2", ""},
		{"status=active", "engineering,marketing,my-workspace,sales"},
		{"name=ENG", "engineering"},
		{"name=work&perPageCount=1", "my-workspace"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp := c.mustDo("GET", "/api/organizations?"+tt.query, nil, http.StatusOK)
			if got := strings.Join(slugsOf(t, resp), ","); got != tt.want {
				t.Errorf("slugs = %s, want %s", got, tt.want)
			}
		})
	}

	resp := c.mustDo("GET", "/api/organizations?perPageCount=1", nil, http.StatusOK)
	if got := resp.object(t)["total_count"]; got != float64(4) {
		t.Errorf("total_count = %v, want 4", got)
	}
	resp = c.mustDo("GET", "/api/organizations?name=sal", nil, http.StatusOK)
	if got := resp.object(t)["total_count"]; got != float64(1) {
		t.Errorf("total_count with a name filter = %v, want 1", got)
	}
	first := resp.object(t)["organizations"].([]any)[0].(map[string]any)
	if _, ok := first["is_default"]; !ok {
		t.Errorf("organization lacks is_default: %v", first)
	}
}

func TestOrganizations_defaultPageSize(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	err := srv.Update(func(st *State) error {
		for i := 0; i < 12; i++ {
			st.AddWorkspace(fmt.Sprintf("Extra %02d", i), fmt.Sprintf("extra-%02d", i))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c := superAdmin(t, srv, baseURL)
	resp := c.mustDo("GET", "/api/organizations", nil, http.StatusOK)
	if got := len(slugsOf(t, resp)); got != defaultPageSize {
		t.Errorf("organizations = %d, want %d", got, defaultPageSize)
	}
	if got := resp.object(t)["total_count"]; got != float64(16) {
		t.Errorf("total_count = %v, want 16", got)
	}
}

func TestOrganizations_membersOnly(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := newClient(t, baseURL)
	c.loginTo(srv, workspaceAdminEmail, "my-workspace")
	resp := c.mustDo("GET", "/api/organizations?status=active", nil, http.StatusOK)
	if got := strings.Join(slugsOf(t, resp), ","); got != "my-workspace" {
		t.Errorf("slugs = %s, want my-workspace only", got)
	}
}

func TestOrganizations_invalidPage(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	c.mustDo("GET", "/api/organizations?currentPage=0", nil, http.StatusBadRequest)
	c.mustDo("GET", "/api/organizations?perPageCount=x", nil, http.StatusBadRequest)
}

func TestGroupPermissions_listAndLicense(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	c.loginTo(srv, superAdminEmail, "engineering")

	resp := c.mustDo("GET", "/api/v2/group-permissions", nil, http.StatusOK)
	body := resp.object(t)
	groups := body["groupPermissions"].([]any)
	if body["length"] != float64(5) || len(groups) != 5 {
		t.Fatalf("length = %v with %d groups, want 5", body["length"], len(groups))
	}
	var names []string
	for _, g := range groups {
		names = append(names, g.(map[string]any)["name"].(string))
	}
	if got := strings.Join(names, ","); got != "admin,builder,end-user,developers,engineers" {
		t.Errorf("names = %s", got)
	}
	first := groups[0].(map[string]any)
	if _, ok := first["organizationId"]; !ok {
		t.Errorf("group keys were decamelized: %v", first)
	}
	if _, ok := groups[3].(map[string]any)["disabled"]; ok {
		t.Errorf("custom group disabled with a full license")
	}

	srv.SetOptions(func(o *Options) { o.License = &License{OIDC: true} })
	groups = c.mustDo("GET", "/api/v2/group-permissions", nil, http.StatusOK).
		object(t)["groupPermissions"].([]any)
	if got := groups[3].(map[string]any)["disabled"]; got != true {
		t.Errorf("custom group disabled = %v without the license, want true", got)
	}
	if _, ok := groups[0].(map[string]any)["disabled"]; ok {
		t.Errorf("role group marked disabled")
	}
}

func TestLicenseAccess(t *testing.T) {
	srv, baseURL := startServer(t, Options{License: &License{CustomGroups: true}})
	c := superAdmin(t, srv, baseURL)
	access := c.mustDo("GET", "/api/license/access", nil, http.StatusOK).object(t)
	if access["oidc"] != false {
		t.Errorf("oidc = %v, want false", access["oidc"])
	}
	if access["customGroups"] != true {
		t.Errorf("customGroups = %v, want true", access["customGroups"])
	}
}

func TestPublicConfigs(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	enabled := oidcBody("s3cret")
	enabled["oidcGroupSyncs"] = []any{groupSyncBody("", "groups", map[string]any{"OIDC": "x"})}
	enabledID := savedID(t, c.mustDo("PATCH", orgSSOPath, enabled, http.StatusOK))
	disabled := oidcBody("other")
	disabled["enabled"] = false
	c.mustDo("PATCH", orgSSOPath, disabled, http.StatusOK)

	anonymous := newClient(t, baseURL)
	for _, key := range []string{"my-workspace", c.workspaceID} {
		resp := anonymous.mustDo("GET", "/api/login-configs/"+key+"/public", nil, http.StatusOK)
		configs := resp.object(t)["sso_configs"].(map[string]any)
		providers := configs["openid"].([]any)
		if len(providers) != 1 {
			t.Fatalf("%s: openid providers = %d, want only the enabled one", key, len(providers))
		}
		provider := providers[0].(map[string]any)
		if provider["config_id"] != enabledID {
			t.Errorf("%s: config_id = %v, want %s", key, provider["config_id"], enabledID)
		}
		if _, ok := provider["configs"].(map[string]any)["client_secret"]; ok {
			t.Errorf("%s: public configs contain client_secret", key)
		}
		if got := path(t, provider, "oidc_group_syncs", 0, "group_mapping", "o_i_d_c"); got != "x" {
			t.Errorf("%s: group mapping o_i_d_c = %v, want x", key, got)
		}
		if strings.Contains(string(resp.body), "s3cret") {
			t.Errorf("%s: public reply contains the secret", key)
		}
	}

	resp := anonymous.mustDo("GET", "/api/login-configs/nowhere/public", nil, http.StatusNotFound)
	if got := resp.message(t); got != msgOrgNotFound {
		t.Errorf("message = %v, want %q", got, msgOrgNotFound)
	}
}

func TestPublicConfigs_inheritsInstanceOIDC(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(), http.StatusOK)
	c.mustDo("PATCH", "/api/login-configs/organization-general/inherit-sso",
		map[string]any{"inheritSSO": true}, http.StatusOK)

	resp := newClient(t, baseURL).mustDo("GET", "/api/login-configs/my-workspace/public", nil,
		http.StatusOK)
	openid := path(t, resp.object(t), "sso_configs", "openid")
	provider, ok := openid.(map[string]any)
	if !ok {
		t.Fatalf("inherited openid = %v, want a single object", openid)
	}
	if provider["config_scope"] != "instance" {
		t.Errorf("config_scope = %v, want instance", provider["config_scope"])
	}
	if strings.Contains(string(resp.body), "instance-secret") {
		t.Errorf("public reply contains the instance secret")
	}
}

func TestOrganizationGeneral(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	const generalPath = "/api/login-configs/organization-general"

	resp := c.mustDo("PATCH", generalPath, map[string]any{"automaticSsoLogin": true},
		http.StatusInternalServerError)
	if got := resp.message(t); got != msgAutomaticSSOLogin {
		t.Errorf("message = %v, want the automatic SSO login rule", got)
	}
	resp = c.mustDo("PATCH", generalPath, map[string]any{"domain": strings.Repeat("d", 251)},
		http.StatusBadRequest)
	if messages, ok := resp.message(t).([]any); !ok || len(messages) != 1 {
		t.Errorf("message = %v, want a one-element array", resp.message(t))
	}
	c.mustDo("PATCH", generalPath, map[string]any{"enableSignUp": "yes"}, http.StatusBadRequest)

	c.mustDo("PATCH", generalPath,
		map[string]any{"domain": "example.com", "enableSignUp": true, "unknown": 1}, http.StatusOK)
	srv.View(func(st *State) {
		ws := st.WorkspaceByID(c.workspaceID)
		if ws.Domain != "example.com" || !ws.EnableSignUp {
			t.Errorf("workspace = %+v, want domain and sign-up saved", ws)
		}
	})

	c.mustDo("PATCH", orgSSOPath, oidcBody("a"), http.StatusOK)
	c.mustDo("PATCH", orgSSOPath, map[string]any{"type": "form", "enabled": false}, http.StatusOK)
	c.mustDo("PATCH", generalPath, map[string]any{"automaticSsoLogin": true}, http.StatusOK)
}

func TestInheritSSO(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	const inheritPath = "/api/login-configs/organization-general/inherit-sso"
	c.mustDo("PATCH", inheritPath, map[string]any{"inheritSSO": "true"}, http.StatusBadRequest)
	c.mustDo("PATCH", inheritPath, map[string]any{"inheritSSO": true}, http.StatusOK)
	srv.View(func(st *State) {
		if !st.WorkspaceByID(c.workspaceID).InheritSSO {
			t.Errorf("InheritSSO not saved")
		}
	})
}

func TestUnknownRoute(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	resp := c.mustDo("GET", "/api/nothing-here", nil, http.StatusNotFound)
	if got := resp.message(t); got != "Cannot GET /api/nothing-here" {
		t.Errorf("message = %v", got)
	}
	resp = c.mustDo("PUT", orgSSOPath, map[string]any{}, http.StatusNotFound)
	if got := resp.message(t); got != "Cannot PUT "+orgSSOPath {
		t.Errorf("message for a wrong method = %v", got)
	}
}

func TestHealth(t *testing.T) {
	_, baseURL := startServer(t, Options{})
	c := newClient(t, baseURL)
	c.mustDo("GET", "/api/health", nil, http.StatusOK)
	c.mustDo("GET", "/health", nil, http.StatusOK)
}

func TestSubPath(t *testing.T) {
	srv, baseURL := startServer(t, Options{SubPath: "tooljet"})
	if !strings.HasSuffix(baseURL, "/tooljet") {
		t.Fatalf("base URL = %s, want the /tooljet sub-path", baseURL)
	}
	c := superAdmin(t, srv, baseURL)
	c.mustDo("GET", "/api/login-configs/organization", nil, http.StatusOK)

	root := newClient(t, strings.TrimSuffix(baseURL, "/tooljet"))
	root.mustDo("POST", "/api/authenticate",
		map[string]any{"email": superAdminEmail, "password": seedPassword}, http.StatusNotFound)
	root.mustDo("GET", "/api/health", nil, http.StatusOK)
	root.mustDo("GET", "/health", nil, http.StatusOK)

	counts := srv.RequestCounts()
	if counts["GET /api/login-configs/organization"] != 1 {
		t.Errorf("counts = %v, want the route keyed without the sub-path", counts)
	}
}

func TestStartTLS(t *testing.T) {
	srv, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	cert, certPEM, err := SelfSignedCertificate()
	if err != nil {
		t.Fatal(err)
	}
	baseURL, err := srv.StartTLS("127.0.0.1:0", cert)
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	if !strings.HasPrefix(baseURL, "https://127.0.0.1:") {
		t.Fatalf("base URL = %s, want https on 127.0.0.1", baseURL)
	}
	if srv.URL() != baseURL {
		t.Errorf("URL() = %s, want %s", srv.URL(), baseURL)
	}

	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(certPEM) {
		t.Fatal("certificate PEM not accepted")
	}
	c := newClient(t, baseURL)
	c.http.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
	resp := login(c, "/api/authenticate/super-admin", superAdminEmail, seedPassword,
		http.StatusCreated)
	if !strings.Contains(resp.header.Get("Set-Cookie"), "Secure") {
		t.Errorf("Set-Cookie over TLS lacks Secure: %s", resp.header.Get("Set-Cookie"))
	}
}
