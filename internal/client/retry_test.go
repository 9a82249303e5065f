package client_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

// failFirst returns a handler that replies with fail to the first n
// requests and with an empty instance SSO list to the others.
func failFirst(n int32, fail http.HandlerFunc) http.HandlerFunc {
	var calls atomic.Int32
	return func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= n {
			fail(w, r)
			return
		}
		writeJSONReply(w, http.StatusOK, []any{})
	}
}

// replyTooManyRequests replies 429 with a Retry-After header.
func replyTooManyRequests(retryAfter string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", retryAfter)
		writeToolJetError(w, r, http.StatusTooManyRequests, "ThrottlerException: Too Many Requests")
	}
}

// This is the only test that waits for a Retry-After, because it costs a
// second.
func TestRetry_retryAfterSeconds(t *testing.T) {
	fake := newFakeServer(t, failFirst(1, replyTooManyRequests("1")))
	c := newClient(t, fake.URL)

	if _, err := c.GetInstanceSSO(testContext(t)); err != nil {
		t.Fatalf("GetInstanceSSO: %v", err)
	}

	attempts := fake.requestsTo(http.MethodGet, pathInstanceSSO)
	if len(attempts) != 2 {
		t.Fatalf("attempts = %d, want 2", len(attempts))
	}
	wait := attempts[1].received.Sub(attempts[0].received)
	if wait < time.Second {
		t.Errorf("the client retried after %s, want at least the Retry-After of 1s", wait)
	}
	if wait > 5*time.Second {
		t.Errorf("the client retried after %s, want about 1s", wait)
	}
}

func TestRetry_retryAfterPastDate(t *testing.T) {
	past := time.Now().Add(-time.Hour).UTC().Format(http.TimeFormat)
	fake := newFakeServer(t, failFirst(1, replyTooManyRequests(past)))
	c := newClient(t, fake.URL)

	started := time.Now()
	_, err := c.GetInstanceSSO(testContext(t))
	elapsed := time.Since(started)

	if err != nil {
		t.Fatalf("GetInstanceSSO: %v", err)
	}
	if got := len(fake.requestsTo(http.MethodGet, pathInstanceSSO)); got != 2 {
		t.Errorf("attempts = %d, want 2", got)
	}
	if elapsed > time.Second {
		t.Errorf("the call took %s, want an immediate retry for a date in the past", elapsed)
	}
}

func TestRetry_retryAfterFutureDate(t *testing.T) {
	future := time.Now().Add(time.Hour).UTC().Format(http.TimeFormat)
	fake := newFakeServer(t, replyTooManyRequests(future))
	c := newClient(t, fake.URL)

	_, err := c.GetInstanceSSO(testContext(t))

	var tooLong *client.RetryAfterTooLongError
	if !errors.As(err, &tooLong) {
		t.Fatalf("error = %v, want a *RetryAfterTooLongError", err)
	}
	wait, parseErr := time.ParseDuration(tooLong.Wait)
	if parseErr != nil {
		t.Fatalf("Wait %q is not a duration: %v", tooLong.Wait, parseErr)
	}
	if wait < 59*time.Minute || wait > time.Hour {
		t.Errorf("Wait = %s, want about 1h", wait)
	}
	if got := len(fake.requestsTo(http.MethodGet, pathInstanceSSO)); got != 1 {
		t.Errorf("attempts = %d, want 1", got)
	}
}

func TestRetry_invalidRetryAfter(t *testing.T) {
	fake := newFakeServer(t, failFirst(1, replyTooManyRequests("soon")))
	c := newClient(t, fake.URL)

	if _, err := c.GetInstanceSSO(testContext(t)); err != nil {
		t.Fatalf("GetInstanceSSO: %v", err)
	}
	if got := len(fake.requestsTo(http.MethodGet, pathInstanceSSO)); got != 2 {
		t.Errorf("attempts = %d, want 2 (an invalid Retry-After falls back to backoff)", got)
	}
}

func TestRetry_retryAfterAboveMax(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{})
	srv.AddFault(emulator.Fault{Method: http.MethodPatch, Path: pathInstanceSSO,
		Status: http.StatusTooManyRequests, RetryAfter: "120"})
	c := newClient(t, host, func(cfg *client.Config) { cfg.MaxRetryWait = time.Second })

	started := time.Now()
	err := c.UpdateInstanceSSO(testContext(t), openIDSettings("secret"))
	elapsed := time.Since(started)

	var tooLong *client.RetryAfterTooLongError
	if !errors.As(err, &tooLong) {
		t.Fatalf("error = %v, want a *RetryAfterTooLongError", err)
	}
	if tooLong.StatusCode != http.StatusTooManyRequests {
		t.Errorf("StatusCode = %d, want 429", tooLong.StatusCode)
	}
	if tooLong.Wait != "2m0s" {
		t.Errorf("Wait = %q, want %q", tooLong.Wait, "2m0s")
	}
	if !strings.Contains(err.Error(), "max_retry_wait") {
		t.Errorf("error %q does not name max_retry_wait", err)
	}
	if elapsed > 500*time.Millisecond {
		t.Errorf("the call took %s, want a failure without waiting", elapsed)
	}
	if got := srv.RequestCounts()[routePatchInstance]; got != 1 {
		t.Errorf("PATCH attempts = %d, want 1", got)
	}
}

func TestRetry_retryAfterBeyondDeadline(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{})
	srv.AddFault(emulator.Fault{Method: http.MethodGet, Path: pathInstanceSSO,
		Status: http.StatusServiceUnavailable, RetryAfter: "1"})
	c := newClient(t, host)
	ctx, cancel := context.WithTimeout(testContext(t), 500*time.Millisecond)
	defer cancel()

	started := time.Now()
	_, err := c.GetInstanceSSO(ctx)
	elapsed := time.Since(started)

	var tooLong *client.RetryAfterTooLongError
	if !errors.As(err, &tooLong) {
		t.Fatalf("error = %v, want a *RetryAfterTooLongError", err)
	}
	if tooLong.Reason != "the operation's remaining time" {
		t.Errorf("Reason = %q, want the operation's remaining time", tooLong.Reason)
	}
	if elapsed > 400*time.Millisecond {
		t.Errorf("the call took %s, want a failure without waiting", elapsed)
	}
	if got := srv.RequestCounts()[routeGetInstanceSSO]; got != 1 {
		t.Errorf("GET attempts = %d, want 1", got)
	}
}

func TestRetry_gatewayErrors(t *testing.T) {
	for _, status := range []int{http.StatusBadGateway, http.StatusServiceUnavailable,
		http.StatusGatewayTimeout} {
		t.Run(fmt.Sprint(status), func(t *testing.T) {
			srv, host := startEmulator(t, emulator.Options{})
			srv.AddFault(emulator.Fault{Method: http.MethodPatch, Path: pathInstanceSSO,
				Status: status, Count: 2})
			c := newClient(t, host)

			if err := c.UpdateInstanceSSO(testContext(t), openIDSettings("secret")); err != nil {
				t.Fatalf("UpdateInstanceSSO: %v", err)
			}
			if got := srv.RequestCounts()[routePatchInstance]; got != 3 {
				t.Errorf("PATCH attempts = %d, want 3", got)
			}
			if !instanceOIDCStored(srv) {
				t.Error("the emulator has no instance OIDC row after the retried save")
			}
		})
	}
}

func instanceOIDCStored(srv *emulator.Server) bool {
	stored := false
	srv.View(func(st *emulator.State) { stored = st.InstanceOIDC() != nil })
	return stored
}

func TestRetry_droppedConnection(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{})
	srv.AddFault(emulator.Fault{Method: http.MethodPatch, Path: pathInstanceSSO,
		Drop: true, Count: 1})
	c := newClient(t, host)

	if err := c.UpdateInstanceSSO(testContext(t), openIDSettings("secret")); err != nil {
		t.Fatalf("UpdateInstanceSSO: %v", err)
	}
	if got := srv.RequestCounts()[routePatchInstance]; got != 2 {
		t.Errorf("PATCH attempts = %d, want 2", got)
	}
	if !instanceOIDCStored(srv) {
		t.Error("the emulator has no instance OIDC row after the retried save")
	}
}

func TestRetry_sameBodyBytes(t *testing.T) {
	var calls atomic.Int32
	fake := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) <= 2 {
			writeToolJetError(w, r, http.StatusServiceUnavailable, "Service Unavailable")
			return
		}
		writeJSONReply(w, http.StatusOK, map[string]any{"id": "row-1"})
	})
	c := newClient(t, fake.URL)
	update := openIDSettings("secret")
	mapping := map[string]string{"Marketing Team": "marketing", "OIDC": "admin", "É": "x"}
	update.GroupSyncs = []client.GroupSyncItem{{OrganizationID: fakeWorkspaceID,
		GroupMapping: &mapping}}

	if err := c.UpdateInstanceSSO(testContext(t), update); err != nil {
		t.Fatalf("UpdateInstanceSSO: %v", err)
	}

	attempts := fake.requestsTo(http.MethodPatch, pathInstanceSSO)
	if len(attempts) != 3 {
		t.Fatalf("attempts = %d, want 3", len(attempts))
	}
	if !json.Valid(attempts[0].body) {
		t.Fatalf("the first attempt sent an invalid JSON body: %q", attempts[0].body)
	}
	for i, attempt := range attempts[1:] {
		if !bytes.Equal(attempt.body, attempts[0].body) {
			t.Errorf("attempt %d sent %q, want the bytes of attempt 1 %q", i+2, attempt.body,
				attempts[0].body)
		}
	}
}

func TestRetry_finalStatuses(t *testing.T) {
	tests := []struct {
		status int
		// attempts is 2 for 401 because the client logs in again once
		// before it gives up; that is not a retry of a transient failure.
		attempts int
	}{
		{http.StatusBadRequest, 1},
		{http.StatusUnauthorized, 2},
		{http.StatusForbidden, 1},
		{http.StatusNotFound, 1},
		{http.StatusUnprocessableEntity, 1},
		{http.StatusUnavailableForLegalReasons, 1},
		{http.StatusInternalServerError, 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.status), func(t *testing.T) {
			fake := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
				writeToolJetError(w, r, tt.status, http.StatusText(tt.status))
			})
			c := newClient(t, fake.URL)

			_, err := c.GetInstanceSSO(testContext(t))

			if got := client.StatusCode(err); got != tt.status {
				t.Errorf("StatusCode(err) = %d, want %d (error %v)", got, tt.status, err)
			}
			if got := len(fake.requestsTo(http.MethodGet, pathInstanceSSO)); got != tt.attempts {
				t.Errorf("attempts = %d, want %d", got, tt.attempts)
			}
		})
	}
}

func TestRetry_maxRetries(t *testing.T) {
	tests := []struct {
		maxRetries int
		attempts   int
	}{
		{-1, 1},
		{2, 3},
		{0, client.DefaultMaxRetries + 1},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.maxRetries), func(t *testing.T) {
			fake := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
				writeToolJetError(w, r, http.StatusServiceUnavailable, "Service Unavailable")
			})
			c := newClient(t, fake.URL, func(cfg *client.Config) { cfg.MaxRetries = tt.maxRetries })

			_, err := c.GetInstanceSSO(testContext(t))

			if got := client.StatusCode(err); got != http.StatusServiceUnavailable {
				t.Errorf("StatusCode(err) = %d, want 503 (error %v)", got, err)
			}
			if got := len(fake.requestsTo(http.MethodGet, pathInstanceSSO)); got != tt.attempts {
				t.Errorf("attempts = %d, want %d", got, tt.attempts)
			}
		})
	}
}

// workspaceOpenIDRows counts the OIDC providers of a workspace.
func workspaceOpenIDRows(srv *emulator.Server, workspaceID string) int {
	count := 0
	srv.View(func(st *emulator.State) {
		for _, row := range st.WorkspaceConfigs(workspaceID) {
			if row.SSO == client.SSOTypeOpenID {
				count++
			}
		}
	})
	return count
}

func TestRetry_ambiguousCreate(t *testing.T) {
	tests := []struct {
		name  string
		fault emulator.Fault
	}{
		{"gateway timeout", emulator.Fault{Status: http.StatusGatewayTimeout}},
		{"dropped connection", emulator.Fault{Drop: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, host := startEmulator(t, emulator.Options{})
			marketing := workspaceID(t, srv, "marketing")
			fault := tt.fault
			fault.Method, fault.Path = http.MethodPatch, "/api/login-configs/organization-sso"
			fault.CommitThenFail = true
			srv.AddFault(fault)
			c := newClient(t, host)

			_, err := c.UpdateWorkspaceSSO(testContext(t), marketing, openIDSettings("secret"))

			if !client.IsAmbiguous(err) {
				t.Fatalf("error = %v, want an *AmbiguousError", err)
			}
			if got := srv.RequestCounts()[routePatchWorkspace]; got != 1 {
				t.Errorf("PATCH attempts = %d, want 1 (a create is never repeated)", got)
			}
			if got := workspaceOpenIDRows(srv, marketing); got != 1 {
				t.Errorf("the workspace has %d OIDC providers, want exactly 1", got)
			}
		})
	}
}

func TestRetry_updateWithConfigID(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{})
	marketing := workspaceID(t, srv, "marketing")
	c := newClient(t, host)
	ctx := testContext(t)
	id, err := c.UpdateWorkspaceSSO(ctx, marketing, openIDSettings("secret"))
	if err != nil {
		t.Fatalf("creating the workspace OIDC provider: %v", err)
	}
	srv.AddFault(emulator.Fault{Method: http.MethodPatch,
		Path: "/api/login-configs/organization-sso", Status: http.StatusGatewayTimeout,
		CommitThenFail: true, Count: 1})
	srv.ResetRequestCounts()
	update := openIDSettings("new-secret")
	update.ConfigID = id

	gotID, err := c.UpdateWorkspaceSSO(ctx, marketing, update)

	if err != nil {
		t.Fatalf("UpdateWorkspaceSSO with a config ID: %v", err)
	}
	if gotID != id {
		t.Errorf("returned ID = %q, want %q", gotID, id)
	}
	if got := srv.RequestCounts()[routePatchWorkspace]; got != 2 {
		t.Errorf("PATCH attempts = %d, want 2", got)
	}
	if got := workspaceOpenIDRows(srv, marketing); got != 1 {
		t.Errorf("the workspace has %d OIDC providers, want 1", got)
	}
}

func TestRetry_requestTimeout(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{})
	srv.AddFault(emulator.Fault{Method: http.MethodGet, Path: pathInstanceSSO,
		Latency: 3 * time.Second})
	c := newClient(t, host, func(cfg *client.Config) {
		cfg.RequestTimeout = 100 * time.Millisecond
		cfg.MaxRetries = 1
	})

	started := time.Now()
	_, err := c.GetInstanceSSO(testContext(t))
	elapsed := time.Since(started)

	if err == nil {
		t.Fatal("GetInstanceSSO succeeded against a server slower than the request timeout")
	}
	if !strings.Contains(err.Error(), "request_timeout") {
		t.Errorf("error %q does not name request_timeout", err)
	}
	if !strings.Contains(err.Error(), "100ms") {
		t.Errorf("error %q does not give the timeout", err)
	}
	if got := srv.RequestCounts()[routeGetInstanceSSO]; got != 2 {
		t.Errorf("GET attempts = %d, want 2", got)
	}
	if elapsed > 2*time.Second {
		t.Errorf("the call took %s, want about two request timeouts", elapsed)
	}
}
