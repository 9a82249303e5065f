package client_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

func TestAPIError_forbiddenHint(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{})
	srv.AddFault(emulator.Fault{Method: http.MethodGet, Path: pathInstanceSSO,
		Status: http.StatusForbidden})
	c := newClient(t, host)

	_, err := c.GetInstanceSSO(testContext(t))

	if !client.IsForbidden(err) {
		t.Fatalf("error = %v, want a 403", err)
	}
	if !strings.Contains(err.Error(), "use a super admin account") {
		t.Errorf("error %q does not tell to use a super admin account", err)
	}
}

func TestAPIError_licenseHint(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{License: &emulator.License{}})
	c := newClient(t, host)

	err := c.UpdateInstanceSSO(testContext(t), openIDSettings("secret"))

	if !client.IsLicenseRequired(err) {
		t.Fatalf("error = %v, want a 451", err)
	}
	message := err.Error()
	for _, want := range []string{"OpenID Connect SSO", "oidcEnabled",
		"Your current plan doesn't have access to this feature"} {
		if !strings.Contains(message, want) {
			t.Errorf("error %q does not contain %q", message, want)
		}
	}
	if got := srv.RequestCounts()[routePatchInstance]; got != 1 {
		t.Errorf("PATCH attempts = %d, want 1 (a 451 is not retried)", got)
	}
}

func TestAPIError_communityEdition(t *testing.T) {
	_, host := startEmulator(t, emulator.Options{Edition: emulator.EditionCommunity})
	c := newClient(t, host)
	ctx := testContext(t)

	// Reading says so, rather than reporting no instance OIDC, so that
	// resources are not dropped from the state as deleted.
	config, err := c.GetInstanceSSO(ctx)
	if !errors.Is(err, client.ErrCommunityEdition) {
		t.Fatalf("GetInstanceSSO on Community Edition: %v, want ErrCommunityEdition", err)
	}
	if config != nil {
		t.Errorf("GetInstanceSSO on Community Edition = %+v, want nil", config)
	}

	err = c.UpdateInstanceSSO(ctx, openIDSettings("secret"))

	if !client.IsNotFound(err) {
		t.Fatalf("error = %v, want a 404", err)
	}
	if !strings.Contains(err.Error(), "Community Edition") {
		t.Errorf("error %q does not name the Community Edition", err)
	}
}

// Other 404s keep ToolJet's message without the Community Edition hint.
func TestAPIError_notFoundWithoutHint(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{})
	c := newClient(t, host)

	err := c.DeleteWorkspaceSSO(testContext(t), workspaceID(t, srv, "marketing"),
		"00000000-0000-4000-8000-000000000000")

	if !client.IsNotFound(err) {
		t.Fatalf("error = %v, want a 404", err)
	}
	if strings.Contains(err.Error(), "Community Edition") {
		t.Errorf("error %q has the Community Edition hint", err)
	}
	if !strings.Contains(err.Error(), "SSO configuration not found") {
		t.Errorf("error %q does not contain ToolJet's message", err)
	}
}

func TestAPIError_messageList(t *testing.T) {
	_, host := startEmulator(t, emulator.Options{})
	c := newClient(t, host)
	update := openIDSettings("secret")
	update.GroupSyncs = []client.GroupSyncItem{
		{OrganizationID: "00000000-0000-4000-8000-00000000000a"},
		{OrganizationID: "00000000-0000-4000-8000-00000000000b"},
	}

	err := c.UpdateInstanceSSO(testContext(t), update)

	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want an *APIError", err)
	}
	want := `oidcGroupSyncs[0].organizationId "00000000-0000-4000-8000-00000000000a" is not ` +
		`an existing workspace; oidcGroupSyncs[1].organizationId ` +
		`"00000000-0000-4000-8000-00000000000b" is not an existing workspace`
	if apiErr.Message != want {
		t.Errorf("Message = %q, want %q", apiErr.Message, want)
	}
}

func TestAPIError_envelopeFields(t *testing.T) {
	fake := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
		writeJSONReply(w, http.StatusUnprocessableEntity, map[string]any{
			"statusCode": 422, "message": "Already exists!", "code": "DUPLICATE",
		})
	})
	c := newClient(t, fake.URL)

	_, err := c.GetInstanceSSO(testContext(t))

	var apiErr *client.APIError
	if !errors.As(err, &apiErr) {
		t.Fatalf("error = %v, want an *APIError", err)
	}
	if apiErr.Message != "Already exists!" {
		t.Errorf("Message = %q, want %q", apiErr.Message, "Already exists!")
	}
	if apiErr.Code != "DUPLICATE" {
		t.Errorf("Code = %q, want %q", apiErr.Code, "DUPLICATE")
	}
	if apiErr.Method != http.MethodGet {
		t.Errorf("Method = %q, want GET", apiErr.Method)
	}
	if apiErr.Path != pathInstanceSSO {
		t.Errorf("Path = %q, want %q", apiErr.Path, pathInstanceSSO)
	}
	want := "ToolJet returned HTTP 422 for GET " + pathInstanceSSO + ": Already exists!"
	if err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
}

func TestAPIError_htmlBody(t *testing.T) {
	const page = "<html><body>proxy-page-canary</body></html>"
	tests := []struct {
		status  int
		message string
	}{
		{http.StatusInternalServerError, "Internal Server Error"},
		{http.StatusBadGateway, "Bad Gateway"},
		{http.StatusForbidden, "Forbidden"},
	}
	for _, tt := range tests {
		t.Run(tt.message, func(t *testing.T) {
			fake := newFakeServer(t, func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "text/html")
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(page))
			})
			c := newClient(t, fake.URL, func(cfg *client.Config) { cfg.MaxRetries = -1 })

			_, err := c.GetInstanceSSO(testContext(t))

			var apiErr *client.APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error = %v, want an *APIError", err)
			}
			if apiErr.StatusCode != tt.status {
				t.Errorf("status = %d, want %d", apiErr.StatusCode, tt.status)
			}
			if apiErr.Message != tt.message {
				t.Errorf("Message = %q, want the status text %q", apiErr.Message, tt.message)
			}
			if strings.Contains(err.Error(), "proxy-page-canary") {
				t.Errorf("error %q contains the response body", err)
			}
		})
	}
}
