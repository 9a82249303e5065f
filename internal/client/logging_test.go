package client_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

// TestClient_secretsNotLogged runs a login, a retried save with a client
// secret, a read that returns the secret, a workspace login and a failed
// login under a JSON logger, then checks that no password, secret or
// session cookie reached the log.
func TestClient_secretsNotLogged(t *testing.T) {
	const (
		passwordCanary      = "password-canary-5d1e7b"
		wrongPasswordCanary = "wrong-password-canary-8c2f90"
		secretCanary        = "client-secret-canary-3a94c6"
	)
	srv, recorder, host := startRecordedEmulator(t, emulator.Options{})
	err := srv.Update(func(st *emulator.State) error {
		st.UserByEmail(superAdminEmail).Password = passwordCanary
		return nil
	})
	if err != nil {
		t.Fatalf("setting the password: %v", err)
	}
	srv.AddFault(emulator.Fault{Method: http.MethodPatch, Path: pathInstanceSSO,
		Status: http.StatusServiceUnavailable, RetryAfter: "0", Count: 1})
	var logs bytes.Buffer
	ctx := tflogtest.RootLogger(testContext(t), &logs)
	c := newClient(t, host, func(cfg *client.Config) { cfg.Password = passwordCanary })

	if err := c.UpdateInstanceSSO(ctx, openIDSettings(secretCanary)); err != nil {
		t.Fatalf("UpdateInstanceSSO: %v", err)
	}
	config, err := c.GetInstanceSSO(ctx)
	if err != nil {
		t.Fatalf("GetInstanceSSO: %v", err)
	}
	if config.ConfigString("client_secret") != secretCanary {
		t.Fatal("the emulator did not return the client secret, so the test proves nothing")
	}
	if _, err := c.ListGroups(ctx, workspaceID(t, srv, "marketing")); err != nil {
		t.Fatalf("ListGroups: %v", err)
	}
	wrong := newClient(t, host, func(cfg *client.Config) { cfg.Password = wrongPasswordCanary })
	if _, err := wrong.GetInstanceSSO(ctx); !client.IsUnauthorized(err) {
		t.Fatalf("login with a wrong password: error = %v, want a 401", err)
	}

	output := logs.String()
	for _, want := range []string{"Sending ToolJet API request", "Retrying ToolJet API request",
		"Received ToolJet API response"} {
		if !strings.Contains(output, want) {
			t.Fatalf("the log has no %q entry, so the test proves nothing:\n%s", want, output)
		}
	}
	canaries := map[string]string{
		"password":       passwordCanary,
		"wrong password": wrongPasswordCanary,
		"client secret":  secretCanary,
	}
	tokens := recorder.issuedTokens()
	if len(tokens) != 2 {
		t.Fatalf("the emulator issued %d session cookies, want 2", len(tokens))
	}
	for i, token := range tokens {
		canaries[fmt.Sprintf("session cookie %d", i+1)] = token
	}
	for name, canary := range canaries {
		if strings.Contains(output, canary) {
			t.Errorf("the log contains the %s", name)
		}
	}
}
