package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"
)

// Passwords and accounts of DefaultSeed.
const (
	superAdminEmail     = "dev@tooljet.io"
	workspaceAdminEmail = "admin@example.com"
	endUserEmail        = "user@example.com"
	seedPassword        = "password"
)

// startServer starts an emulator on a free loopback port and closes it when
// the test ends.
func startServer(t *testing.T, opts Options) (*Server, string) {
	t.Helper()
	srv, err := New(opts)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	baseURL, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return srv, baseURL
}

// apiClient is a cookie-keeping HTTP client for one emulator.
type apiClient struct {
	t           *testing.T
	baseURL     string
	http        *http.Client
	workspaceID string // sent as tj-workspace-id when not empty
}

func newClient(t *testing.T, baseURL string) *apiClient {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatalf("cookiejar.New: %v", err)
	}
	return &apiClient{
		t:       t,
		baseURL: baseURL,
		http:    &http.Client{Jar: jar, Timeout: 10 * time.Second},
	}
}

// response is a reply with its body read.
type response struct {
	status int
	header http.Header
	body   []byte
}

// do sends a request with body encoded as JSON when it is not nil.
func (c *apiClient) do(method, path string, body any) response {
	c.t.Helper()
	var reader io.Reader
	if body != nil {
		data, err := json.Marshal(body)
		if err != nil {
			c.t.Fatalf("encode request body: %v", err)
		}
		reader = bytes.NewReader(data)
	}
	req, err := http.NewRequestWithContext(c.t.Context(), method, c.baseURL+path, reader)
	if err != nil {
		c.t.Fatalf("new request: %v", err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.workspaceID != "" {
		req.Header.Set(workspaceHeader, c.workspaceID)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatalf("read body of %s %s: %v", method, path, err)
	}
	return response{status: resp.StatusCode, header: resp.Header, body: data}
}

// mustDo sends a request and fails the test unless the status is want.
func (c *apiClient) mustDo(method, path string, body any, want int) response {
	c.t.Helper()
	resp := c.do(method, path, body)
	if resp.status != want {
		c.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, resp.status, want,
			resp.body)
	}
	return resp
}

// object decodes the reply as a JSON object.
func (r response) object(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode object %s: %v", r.body, err)
	}
	return v
}

// array decodes the reply as a JSON array.
func (r response) array(t *testing.T) []any {
	t.Helper()
	var v []any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("decode array %s: %v", r.body, err)
	}
	return v
}

// message returns the message of an error envelope.
func (r response) message(t *testing.T) any {
	t.Helper()
	return r.object(t)["message"]
}

// workspaceID returns the id of a workspace by slug.
func workspaceID(t *testing.T, srv *Server, slug string) string {
	t.Helper()
	var id string
	srv.View(func(st *State) {
		if ws := st.WorkspaceBySlug(slug); ws != nil {
			id = ws.ID
		}
	})
	if id == "" {
		t.Fatalf("workspace %q not found", slug)
	}
	return id
}

// loginTo logs email in to the workspace with that slug and makes it the
// client's tj-workspace-id.
func (c *apiClient) loginTo(srv *Server, email, slug string) {
	c.t.Helper()
	id := workspaceID(c.t, srv, slug)
	c.mustDo("POST", "/api/authenticate/"+id,
		map[string]any{"email": email, "password": seedPassword}, http.StatusCreated)
	c.workspaceID = id
}

// superAdmin returns a client logged in as the seed's super admin in
// my-workspace.
func superAdmin(t *testing.T, srv *Server, baseURL string) *apiClient {
	t.Helper()
	c := newClient(t, baseURL)
	c.loginTo(srv, superAdminEmail, "my-workspace")
	return c
}

// savedID returns the "id" of a save reply.
func savedID(t *testing.T, r response) string {
	t.Helper()
	id, ok := r.object(t)["id"].(string)
	if !ok || id == "" {
		t.Fatalf("reply has no id: %s", r.body)
	}
	return id
}

// path walks a decoded JSON value along keys and array indexes.
func path(t *testing.T, v any, steps ...any) any {
	t.Helper()
	for _, step := range steps {
		switch s := step.(type) {
		case string:
			object, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("at %q: not an object: %v", s, v)
			}
			v = object[s]
		case int:
			array, ok := v.([]any)
			if !ok || s >= len(array) {
				t.Fatalf("at [%d]: not an array of that length: %v", s, v)
			}
			v = array[s]
		}
	}
	return v
}

// oidcBody is a workspace OIDC save with a secret and one group sync.
func oidcBody(secret string) map[string]any {
	return map[string]any{
		"type":    "openid",
		"enabled": true,
		"configs": map[string]any{
			"name":         "Okta",
			"clientId":     "client-1",
			"clientSecret": secret,
			"grantType":    "authorization_code",
			"wellKnownUrl": "https://idp.invalid/.well-known/openid-configuration",
		},
	}
}

// openIDRows returns the workspace's openid rows.
func openIDRows(srv *Server, workspaceID string) []SSOConfig {
	var rows []SSOConfig
	srv.View(func(st *State) {
		for _, c := range st.WorkspaceConfigs(workspaceID) {
			if c.SSO == ssoOpenID {
				rows = append(rows, *c)
			}
		}
	})
	return rows
}

func containsString(haystack any, needle string) bool {
	s, ok := haystack.(string)
	return ok && strings.Contains(s, needle)
}
