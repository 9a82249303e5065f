package client_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

// sessionRecorder wraps the emulator's handler and records the session
// cookies it sets and the credentials of every instance SSO request.
type sessionRecorder struct {
	next http.Handler

	mu        sync.Mutex
	issued    []string // tj_auth_token values set by logins, in order
	sent      []string // tj_auth_token values of GET instance-sso requests
	workspace []string // tj-workspace-id values of GET instance-sso requests
}

func (s *sessionRecorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet && r.URL.Path == pathInstanceSSO {
		token := ""
		if cookie, err := r.Cookie("tj_auth_token"); err == nil {
			token = cookie.Value
		}
		s.mu.Lock()
		s.sent = append(s.sent, token)
		s.workspace = append(s.workspace, r.Header.Get("tj-workspace-id"))
		s.mu.Unlock()
	}
	rec := httptest.NewRecorder()
	s.next.ServeHTTP(rec, r)
	for _, cookie := range rec.Result().Cookies() {
		if cookie.Name == "tj_auth_token" && cookie.Value != "" {
			s.mu.Lock()
			s.issued = append(s.issued, cookie.Value)
			s.mu.Unlock()
		}
	}
	for key, values := range rec.Header() {
		w.Header()[key] = values
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

// issuedTokens returns the session cookie values that logins set.
func (s *sessionRecorder) issuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.issued)
}

// sentCredentials returns the session cookie and tj-workspace-id values of
// the GET instance-sso requests.
func (s *sessionRecorder) sentCredentials() (tokens, workspaceIDs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.sent), slices.Clone(s.workspace)
}

// startRecordedEmulator serves an emulator's handler through a
// sessionRecorder on an httptest server. The recorder cannot hijack
// connections, so the emulator's Drop faults do not work through it.
func startRecordedEmulator(t *testing.T, opts emulator.Options) (*emulator.Server,
	*sessionRecorder, string) {
	t.Helper()
	srv, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("emulator.New: %v", err)
	}
	recorder := &sessionRecorder{next: srv.Handler()}
	ts := httptest.NewServer(recorder)
	t.Cleanup(ts.Close)
	return srv, recorder, ts.URL
}

func TestLogin_instanceCallCarriesSession(t *testing.T) {
	srv, recorder, host := startRecordedEmulator(t, emulator.Options{})
	c := newClient(t, host)

	if _, err := c.GetInstanceSSO(testContext(t)); err != nil {
		t.Fatalf("GetInstanceSSO: %v", err)
	}

	counts := srv.RequestCounts()
	if counts[routeSuperAdminLogin] != 1 {
		t.Errorf("super-admin logins = %d, want 1", counts[routeSuperAdminLogin])
	}
	issued := recorder.issuedTokens()
	if len(issued) != 1 {
		t.Fatalf("the emulator issued %d session cookies, want 1", len(issued))
	}
	tokens, workspaceIDs := recorder.sentCredentials()
	if len(tokens) != 1 {
		t.Fatalf("GET instance-sso requests = %d, want 1", len(tokens))
	}
	if tokens[0] != issued[0] {
		t.Error("GET instance-sso did not carry the tj_auth_token cookie of the login")
	}
	if want := workspaceID(t, srv, "my-workspace"); workspaceIDs[0] != want {
		t.Errorf("tj-workspace-id = %q, want the login's workspace %q", workspaceIDs[0], want)
	}
}

func TestLogin_reusesSession(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{})
	c := newClient(t, host)
	ctx := testContext(t)

	for range 3 {
		if _, err := c.GetInstanceSSO(ctx); err != nil {
			t.Fatalf("GetInstanceSSO: %v", err)
		}
	}
	if got := srv.RequestCounts()[routeSuperAdminLogin]; got != 1 {
		t.Errorf("super-admin logins after three calls = %d, want 1", got)
	}
}

func TestLogin_workspaceOnce(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{})
	c := newClient(t, host)
	ctx := testContext(t)
	marketing := workspaceID(t, srv, "marketing")

	for range 2 {
		if _, err := c.ListGroups(ctx, marketing); err != nil {
			t.Fatalf("ListGroups(marketing): %v", err)
		}
	}
	if _, err := c.GetWorkspaceSSO(ctx, marketing); err != nil {
		t.Fatalf("GetWorkspaceSSO(marketing): %v", err)
	}
	// The super admin's own workspace uses the super-admin session.
	if _, err := c.ListGroups(ctx, workspaceID(t, srv, "my-workspace")); err != nil {
		t.Fatalf("ListGroups(my-workspace): %v", err)
	}

	counts := srv.RequestCounts()
	if counts[routeWorkspaceLogin] != 1 {
		t.Errorf("workspace logins = %d, want 1", counts[routeWorkspaceLogin])
	}
	if counts[routeSuperAdminLogin] != 1 {
		t.Errorf("super-admin logins = %d, want 1", counts[routeSuperAdminLogin])
	}
}

func TestLogin_wrongPassword(t *testing.T) {
	const password = "wrong-password-canary"
	srv, host := startEmulator(t, emulator.Options{})
	c := newClient(t, host, func(cfg *client.Config) { cfg.Password = password })

	_, err := c.GetInstanceSSO(testContext(t))

	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want an *APIError", err)
	}
	if apiErr.StatusCode != http.StatusUnauthorized {
		t.Errorf("status = %d, want 401", apiErr.StatusCode)
	}
	message := err.Error()
	for _, want := range []string{"check the provider's email and password", "TOOLJET_EMAIL",
		"TOOLJET_PASSWORD", superAdminEmail} {
		if !strings.Contains(message, want) {
			t.Errorf("error %q does not contain %q", message, want)
		}
	}
	if strings.Contains(message, password) {
		t.Error("the error contains the password")
	}
	if got := srv.RequestCounts()[routeSuperAdminLogin]; got != 1 {
		t.Errorf("login attempts = %d, want 1 (a 401 is not retried)", got)
	}
}

func TestLogin_notSuperAdmin(t *testing.T) {
	_, host := startEmulator(t, emulator.Options{})
	c := newClient(t, host, func(cfg *client.Config) { cfg.Email = workspaceAdminEmail })

	_, err := c.GetInstanceSSO(testContext(t))

	if !client.IsUnauthorized(err) {
		t.Fatalf("error = %v, want a 401", err)
	}
	if !strings.Contains(err.Error(), "that the account is a super admin") {
		t.Errorf("error %q does not say that the account must be a super admin", err)
	}
}

// ToolJet's super-admin login rejects other accounts with 401. A server that
// accepts the login of an account without super_admin gets its own error.
func TestLogin_superAdminFlagFalse(t *testing.T) {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeFakeLogin(w, false)
	}))
	t.Cleanup(ts.Close)
	c := newClient(t, ts.URL)

	_, err := c.GetInstanceSSO(testContext(t))

	if err == nil {
		t.Fatal("GetInstanceSSO succeeded for an account that is not a super admin")
	}
	if !strings.Contains(err.Error(), superAdminEmail+" is not a super admin") {
		t.Errorf("error %q does not say that the account is not a super admin", err)
	}
}

func TestLogin_retryLimit(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{})
	err := srv.Update(func(st *emulator.State) error {
		st.UserByEmail(superAdminEmail).FailedLogins = 5
		return nil
	})
	if err != nil {
		t.Fatalf("locking the account: %v", err)
	}
	c := newClient(t, host)

	_, err = c.GetInstanceSSO(testContext(t))

	if !client.IsUnauthorized(err) {
		t.Fatalf("error = %v, want a 401", err)
	}
	message := err.Error()
	if !strings.Contains(message, "locked the password login") {
		t.Errorf("error %q does not say that the login is locked", message)
	}
	if !strings.Contains(message, "reset its password") {
		t.Errorf("error %q does not tell to reset the password", message)
	}
	if strings.Contains(message, "check the provider's email and password") {
		t.Errorf("error %q gives the wrong-password hint", message)
	}
}

func TestLogin_expiredSession(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{SessionTTL: 500 * time.Millisecond})
	c := newClient(t, host)
	ctx := testContext(t)

	if _, err := c.GetInstanceSSO(ctx); err != nil {
		t.Fatalf("first GetInstanceSSO: %v", err)
	}
	// Sessions issued from now on last long enough for the rest of the test.
	srv.SetOptions(func(o *emulator.Options) { o.SessionTTL = time.Hour })
	time.Sleep(600 * time.Millisecond)

	if _, err := c.GetInstanceSSO(ctx); err != nil {
		t.Fatalf("GetInstanceSSO after the session expired: %v", err)
	}
	counts := srv.RequestCounts()
	if counts[routeSuperAdminLogin] != 2 {
		t.Errorf("super-admin logins = %d, want 2", counts[routeSuperAdminLogin])
	}
	if counts[routeGetInstanceSSO] != 3 {
		t.Errorf("GET instance-sso requests = %d, want 3 (one rejected)",
			counts[routeGetInstanceSSO])
	}
}

func TestLogin_secondUnauthorizedFails(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{})
	srv.AddFault(emulator.Fault{Method: http.MethodGet, Path: pathInstanceSSO,
		Status: http.StatusUnauthorized})
	c := newClient(t, host)

	_, err := c.GetInstanceSSO(testContext(t))

	if !client.IsUnauthorized(err) {
		t.Fatalf("error = %v, want a 401", err)
	}
	counts := srv.RequestCounts()
	if counts[routeSuperAdminLogin] != 2 {
		t.Errorf("super-admin logins = %d, want 2 (one login again, no loop)",
			counts[routeSuperAdminLogin])
	}
	if counts[routeGetInstanceSSO] != 2 {
		t.Errorf("GET instance-sso requests = %d, want 2", counts[routeGetInstanceSSO])
	}
}

func TestLogin_wrongPasswordTriedOnce(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{})
	c := newClient(t, host, func(cfg *client.Config) { cfg.Password = "wrong-password" })

	// Five resources of one plan each need a session: a rejected login must
	// not be repeated, or ToolJet locks the account after five failures.
	for i := 0; i < 5; i++ {
		if _, err := c.GetInstanceSSO(testContext(t)); err == nil {
			t.Fatal("GetInstanceSSO succeeded with a wrong password")
		}
	}
	if got := srv.RequestCounts()[routeSuperAdminLogin]; got != 1 {
		t.Errorf("login attempts = %d, want 1", got)
	}
}
