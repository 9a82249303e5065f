package client_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

// Accounts of emulator.DefaultSeed.
const (
	superAdminEmail     = "dev@tooljet.io"
	workspaceAdminEmail = "admin@example.com"
	seedPassword        = "password"
)

// Routes as emulator.Server.RequestCounts names them.
const (
	routeSuperAdminLogin = "POST /api/authenticate/super-admin"
	routeWorkspaceLogin  = "POST /api/authenticate/{organizationId}"
	routeGetInstanceSSO  = "GET /api/login-configs/instance-sso"
	routePatchInstance   = "PATCH /api/login-configs/instance-sso"
	routePatchWorkspace  = "PATCH /api/login-configs/organization-sso"
	routeOrganizations   = "GET /api/organizations"
)

const pathInstanceSSO = "/api/login-configs/instance-sso"

// startEmulator starts an emulator on a free loopback port and closes it when
// the test ends.
func startEmulator(t *testing.T, opts emulator.Options) (*emulator.Server, string) {
	t.Helper()
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	host, err := srv.Start("127.0.0.1:0")
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("closing the emulator: %v", err)
		}
	})
	return srv, host
}

// newClient returns a client for the seed's super admin with short retry
// waits, after configure has changed its Config. The client's idle
// connections are closed when the test ends, before the servers that the
// test started: an emulator's Close otherwise waits up to five seconds for
// connections that were dialed but never used.
func newClient(t *testing.T, host string, configure ...func(*client.Config)) *client.Client {
	t.Helper()
	transport := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(transport.CloseIdleConnections)
	cfg := client.Config{
		Host:           host,
		HTTPClient:     &http.Client{Transport: transport},
		Email:          superAdminEmail,
		Password:       seedPassword,
		RequestTimeout: 5 * time.Second,
		MinRetryWait:   2 * time.Millisecond,
		MaxRetryWait:   2 * time.Second,
	}
	for _, f := range configure {
		f(&cfg)
	}
	c, err := client.New(cfg)
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	return c
}

// testContext returns a context that ends with the test, at most after 20
// seconds, so that a hanging request fails the test instead of the run.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// workspaceID returns the ID of the emulator's workspace with that slug.
func workspaceID(t *testing.T, srv *emulator.Server, slug string) string {
	t.Helper()
	var id string
	srv.View(func(st *emulator.State) {
		if ws := st.WorkspaceBySlug(slug); ws != nil {
			id = ws.ID
		}
	})
	if id == "" {
		t.Fatalf("the emulator has no workspace %q", slug)
	}
	return id
}

// openIDSettings is an instance or workspace OIDC save with a client secret.
func openIDSettings(secret string) client.SSOUpdate {
	enabled := true
	return client.SSOUpdate{
		Type:    client.SSOTypeOpenID,
		Enabled: &enabled,
		Configs: map[string]any{
			"name":         "Okta",
			"clientId":     "tooljet-client",
			"clientSecret": secret,
			"grantType":    "authorization_code",
			"wellKnownUrl": "https://idp.invalid/.well-known/openid-configuration",
		},
	}
}

// Values that fakeServer's login returns.
const (
	fakeSessionToken = "fake-session-token"
	fakeWorkspaceID  = "11111111-2222-4333-8444-555555555555"
)

// recordedRequest is one request that a fakeServer received.
type recordedRequest struct {
	method   string
	path     string
	body     []byte
	received time.Time
}

// fakeServer is an httptest server for tests that need exact control over
// the replies. It accepts POST /api/authenticate/super-admin with any
// credentials, hands every other request to its handler, and records every
// request.
type fakeServer struct {
	*httptest.Server
	handler http.HandlerFunc

	mu       sync.Mutex
	requests []recordedRequest
}

func newFakeServer(t *testing.T, handler http.HandlerFunc) *fakeServer {
	t.Helper()
	s := &fakeServer{handler: handler}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *fakeServer) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	s.mu.Lock()
	s.requests = append(s.requests, recordedRequest{
		method: r.Method, path: r.URL.Path, body: body, received: time.Now(),
	})
	s.mu.Unlock()

	if r.Method == http.MethodPost && r.URL.Path == "/api/authenticate/super-admin" {
		writeFakeLogin(w, true)
		return
	}
	s.handler(w, r)
}

// writeFakeLogin replies as ToolJet's login does, with a session cookie.
func writeFakeLogin(w http.ResponseWriter, superAdmin bool) {
	http.SetCookie(w, &http.Cookie{Name: "tj_auth_token", Value: fakeSessionToken, Path: "/"})
	writeJSONReply(w, http.StatusCreated, map[string]any{
		"current_organization_id": fakeWorkspaceID,
		"super_admin":             superAdmin,
	})
}

// requestsTo returns the recorded requests with that method and path.
func (s *fakeServer) requestsTo(method, path string) []recordedRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []recordedRequest
	for _, r := range s.requests {
		if r.method == method && r.path == path {
			out = append(out, r)
		}
	}
	return out
}

func writeJSONReply(w http.ResponseWriter, status int, body any) {
	data, err := json.Marshal(body)
	if err != nil {
		panic(err)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

// writeToolJetError replies with ToolJet's error envelope.
func writeToolJetError(w http.ResponseWriter, r *http.Request, status int, message any) {
	writeJSONReply(w, status, map[string]any{
		"statusCode": status,
		"timestamp":  time.Now().UTC().Format(time.RFC3339),
		"path":       r.URL.Path,
		"message":    message,
	})
}
