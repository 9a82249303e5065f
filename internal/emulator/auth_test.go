package emulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func login(c *apiClient, route, email, password string, want int) response {
	c.t.Helper()
	return c.mustDo("POST", route, map[string]any{"email": email, "password": password}, want)
}

func TestLogin_superAdminPayloadAndCookie(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := newClient(t, baseURL)
	resp := login(c, "/api/authenticate/super-admin", "DEV@ToolJet.io", seedPassword,
		http.StatusCreated)

	payload := resp.object(t)
	if payload["current_organization_id"] != workspaceID(t, srv, "my-workspace") {
		t.Errorf("current_organization_id = %v, want my-workspace", payload["current_organization_id"])
	}
	if payload["current_organization_slug"] != "my-workspace" {
		t.Errorf("current_organization_slug = %v", payload["current_organization_slug"])
	}
	if payload["super_admin"] != true {
		t.Errorf("super_admin = %v, want true", payload["super_admin"])
	}
	if payload["email"] != superAdminEmail {
		t.Errorf("email = %v, want the lower-cased address", payload["email"])
	}
	cookie := resp.header.Get("Set-Cookie")
	for _, part := range []string{"tj_auth_token=", "Path=/", "HttpOnly", "SameSite=Strict"} {
		if !strings.Contains(cookie, part) {
			t.Errorf("Set-Cookie %q lacks %q", cookie, part)
		}
	}
}

func TestLogin_errors(t *testing.T) {
	tests := []struct {
		name     string
		route    string
		body     map[string]any
		status   int
		contains string
	}{
		{"wrong password", "/api/authenticate",
			map[string]any{"email": endUserEmail, "password": "wrong"},
			http.StatusUnauthorized, msgInvalidCredentials},
		{"unknown user", "/api/authenticate",
			map[string]any{"email": "nobody@example.com", "password": "x"},
			http.StatusUnauthorized, msgInvalidCredentials},
		{"not a super admin", "/api/authenticate/super-admin",
			map[string]any{"email": workspaceAdminEmail, "password": seedPassword},
			http.StatusUnauthorized, msgInvalidCredentials},
		{"password too long", "/api/authenticate",
			map[string]any{"email": endUserEmail, "password": strings.Repeat("p", 101)},
			http.StatusBadRequest, "Password should be Max 100 characters"},
		{"invalid email", "/api/authenticate",
			map[string]any{"email": "not-an-email", "password": "x"},
			http.StatusBadRequest, "email must be an email"},
		{"missing password", "/api/authenticate",
			map[string]any{"email": endUserEmail},
			http.StatusBadRequest, "password should not be empty"},
	}
	_, baseURL := startServer(t, Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, baseURL)
			resp := c.mustDo("POST", tt.route, tt.body, tt.status)
			message := resp.message(t)
			if list, ok := message.([]any); ok {
				found := false
				for _, m := range list {
					found = found || m == tt.contains
				}
				if !found {
					t.Errorf("messages %v lack %q", list, tt.contains)
				}
				return
			}
			if message != tt.contains {
				t.Errorf("message = %v, want %q", message, tt.contains)
			}
		})
	}
}

func TestLogin_retryLimit(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := newClient(t, baseURL)
	for i := 0; i < passwordRetryLimit; i++ {
		resp := login(c, "/api/authenticate", endUserEmail, "wrong", http.StatusUnauthorized)
		if got := resp.message(t); got != msgInvalidCredentials {
			t.Fatalf("attempt %d: message = %v, want %q", i+1, got, msgInvalidCredentials)
		}
	}
	resp := login(c, "/api/authenticate", endUserEmail, seedPassword, http.StatusUnauthorized)
	if got := resp.message(t); got != msgRetryLimit {
		t.Errorf("message after %d failures = %v, want the retry limit", passwordRetryLimit, got)
	}
	srv.View(func(st *State) {
		if n := st.UserByEmail(endUserEmail).FailedLogins; n != passwordRetryLimit {
			t.Errorf("FailedLogins = %d, want %d", n, passwordRetryLimit)
		}
	})
}

func TestLogin_successResetsFailures(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := newClient(t, baseURL)
	for i := 0; i < passwordRetryLimit-1; i++ {
		login(c, "/api/authenticate", endUserEmail, "wrong", http.StatusUnauthorized)
	}
	login(c, "/api/authenticate", endUserEmail, seedPassword, http.StatusCreated)
	srv.View(func(st *State) {
		if n := st.UserByEmail(endUserEmail).FailedLogins; n != 0 {
			t.Errorf("FailedLogins = %d after a success, want 0", n)
		}
	})
}

func TestLogin_workspaceMembership(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	marketing := workspaceID(t, srv, "marketing")

	admin := newClient(t, baseURL)
	resp := login(admin, "/api/authenticate/"+marketing, workspaceAdminEmail, seedPassword,
		http.StatusUnauthorized)
	if got := resp.message(t); got != msgInvalidCredentials {
		t.Errorf("non-member message = %v, want %q", got, msgInvalidCredentials)
	}

	super := newClient(t, baseURL)
	resp = login(super, "/api/authenticate/"+marketing, superAdminEmail, seedPassword,
		http.StatusCreated)
	if got := resp.object(t)["current_organization_id"]; got != marketing {
		t.Errorf("super admin current_organization_id = %v, want marketing", got)
	}
}

func TestLogin_passwordLoginDisabled(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	id := workspaceID(t, srv, "my-workspace")
	err := srv.Update(func(st *State) error {
		for _, row := range st.WorkspaceConfigs(id) {
			if row.SSO == ssoForm {
				row.Enabled = false
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	c := newClient(t, baseURL)
	resp := login(c, "/api/authenticate/"+id, workspaceAdminEmail, seedPassword,
		http.StatusUnauthorized)
	if got := resp.message(t); got != msgPasswordLoginDisabled {
		t.Errorf("message = %v, want %q", got, msgPasswordLoginDisabled)
	}
	login(c, "/api/authenticate/"+id, superAdminEmail, seedPassword, http.StatusCreated)
}

func TestSession_workspaceIDsAccumulate(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	first := c.workspaceID
	c.loginTo(srv, superAdminEmail, "marketing")

	c.mustDo("GET", "/api/login-configs/organization", nil, http.StatusOK)
	c.workspaceID = first
	c.mustDo("GET", "/api/login-configs/organization", nil, http.StatusOK)
}

func TestSession_otherUserCookieNotMerged(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	first := c.workspaceID
	login(c, "/api/authenticate/"+first, workspaceAdminEmail, seedPassword, http.StatusCreated)
	c.loginTo(srv, superAdminEmail, "marketing")

	c.workspaceID = first
	c.mustDo("GET", "/api/login-configs/organization", nil, http.StatusUnauthorized)
}

func TestSwitch_addsWorkspaceAndSetsDefault(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	first := c.workspaceID
	sales := workspaceID(t, srv, "sales")

	resp := c.mustDo("GET", "/api/switch/"+sales, nil, http.StatusOK)
	if got := resp.object(t)["current_organization_id"]; got != sales {
		t.Errorf("current_organization_id = %v, want sales", got)
	}
	c.workspaceID = sales
	c.mustDo("GET", "/api/login-configs/organization", nil, http.StatusOK)
	c.workspaceID = first
	c.mustDo("GET", "/api/login-configs/organization", nil, http.StatusOK)
	srv.View(func(st *State) {
		if got := st.UserByEmail(superAdminEmail).DefaultWorkspaceID; got != sales {
			t.Errorf("DefaultWorkspaceID = %s, want sales", got)
		}
	})
}

func TestLogout_endsSession(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	c.mustDo("GET", "/api/session/logout", nil, http.StatusOK)
	c.mustDo("GET", "/api/login-configs/organization", nil, http.StatusUnauthorized)
}

func TestSession_expires(t *testing.T) {
	srv, baseURL := startServer(t, Options{SessionTTL: time.Hour})
	now := time.Now()
	srv.mu.Lock()
	srv.now = func() time.Time { return now }
	srv.mu.Unlock()
	c := superAdmin(t, srv, baseURL)
	c.mustDo("GET", "/api/license/access", nil, http.StatusOK)

	srv.mu.Lock()
	srv.now = func() time.Time { return now.Add(time.Hour - time.Second) }
	srv.mu.Unlock()
	c.mustDo("GET", "/api/license/access", nil, http.StatusOK)

	srv.mu.Lock()
	srv.now = func() time.Time { return now.Add(time.Hour) }
	srv.mu.Unlock()
	resp := c.mustDo("GET", "/api/license/access", nil, http.StatusUnauthorized)
	if got := resp.message(t); got != msgUnauthorized {
		t.Errorf("message = %v, want %q", got, msgUnauthorized)
	}
}

func TestAuthorize_order(t *testing.T) {
	srv, baseURL := startServer(t, Options{License: &License{}})
	marketing := workspaceID(t, srv, "marketing")
	anonymous := newClient(t, baseURL)
	anonymous.workspaceID = marketing
	noHeader := superAdmin(t, srv, baseURL)
	noHeader.workspaceID = ""
	wrongWorkspace := superAdmin(t, srv, baseURL)
	wrongWorkspace.workspaceID = marketing
	endUser := newClient(t, baseURL)
	endUser.loginTo(srv, endUserEmail, "my-workspace")
	workspaceAdmin := newClient(t, baseURL)
	workspaceAdmin.loginTo(srv, workspaceAdminEmail, "my-workspace")
	super := superAdmin(t, srv, baseURL)

	instanceBody := map[string]any{"type": "openid", "configs": map[string]any{}}
	tests := []struct {
		name    string
		client  *apiClient
		method  string
		path    string
		body    any
		status  int
		message string
	}{
		{"no cookie", anonymous, "GET", "/api/login-configs/organization", nil,
			http.StatusUnauthorized, msgUnauthorized},
		{"no workspace header", noHeader, "GET", "/api/login-configs/organization", nil,
			http.StatusUnauthorized, msgUnauthorized},
		{"workspace not in token", wrongWorkspace, "GET", "/api/login-configs/organization", nil,
			http.StatusUnauthorized, msgUnauthorized},
		{"end user reads configs", endUser, "GET", "/api/login-configs/organization", nil,
			http.StatusForbidden, msgForbidden},
		{"end user saves SSO", endUser, "PATCH", orgSSOPath, oidcBody("a"),
			http.StatusForbidden, msgForbidden},
		{"end user lists groups", endUser, "GET", "/api/v2/group-permissions", nil,
			http.StatusForbidden, msgForbidden},
		{"admin reads instance", workspaceAdmin, "GET", "/api/login-configs/instance-sso", nil,
			http.StatusForbidden, msgForbidden},
		{"admin saves instance", workspaceAdmin, "PATCH", "/api/login-configs/instance-sso",
			instanceBody, http.StatusForbidden, msgForbidden},
		{"unlicensed instance save", super, "PATCH", "/api/login-configs/instance-sso",
			instanceBody, http.StatusUnavailableForLegalReasons, msgLicense},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := tt.client.mustDo(tt.method, tt.path, tt.body, tt.status)
			envelope := resp.object(t)
			if envelope["message"] != tt.message {
				t.Errorf("message = %v, want %q", envelope["message"], tt.message)
			}
			if envelope["statusCode"] != float64(tt.status) {
				t.Errorf("statusCode = %v, want %d", envelope["statusCode"], tt.status)
			}
			if envelope["path"] != tt.path {
				t.Errorf("path = %v, want %s", envelope["path"], tt.path)
			}
			if _, err := time.Parse(time.RFC3339, envelope["timestamp"].(string)); err != nil {
				t.Errorf("timestamp %v: %v", envelope["timestamp"], err)
			}
		})
	}
}

func TestAuthorize_deletedWorkspace(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	c.loginTo(srv, superAdminEmail, "sales")
	sales := c.workspaceID
	if err := srv.Update(func(st *State) error { st.DeleteWorkspace(sales); return nil }); err != nil {
		t.Fatal(err)
	}
	c.mustDo("GET", "/api/login-configs/organization", nil, http.StatusUnauthorized)
}
