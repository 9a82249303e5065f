package client_test

import (
	"strings"
	"testing"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

func TestClient_subPath(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{SubPath: "/tooljet/"})
	if !strings.HasSuffix(host, "/tooljet") {
		t.Fatalf("emulator URL %q does not end with the sub-path", host)
	}

	for _, configured := range []string{host, host + "/"} {
		t.Run(configured, func(t *testing.T) {
			srv.ResetRequestCounts()
			c := newClient(t, configured)
			ctx := testContext(t)

			if c.Host() != host {
				t.Errorf("Host() = %q, want %q", c.Host(), host)
			}
			if err := c.UpdateInstanceSSO(ctx, openIDSettings("secret")); err != nil {
				t.Fatalf("UpdateInstanceSSO: %v", err)
			}
			config, err := c.GetInstanceSSO(ctx)
			if err != nil {
				t.Fatalf("GetInstanceSSO: %v", err)
			}
			if config == nil {
				t.Fatal("GetInstanceSSO returned no configuration after a save")
			}
			workspaces, err := c.ListWorkspaces(ctx)
			if err != nil {
				t.Fatalf("ListWorkspaces: %v", err)
			}
			if len(workspaces) != 4 {
				t.Errorf("ListWorkspaces returned %d workspaces, want the seed's 4",
					len(workspaces))
			}
			if got := srv.RequestCounts()[routeGetInstanceSSO]; got != 1 {
				t.Errorf("GET instance-sso under the sub-path = %d, want 1", got)
			}
		})
	}
}

func TestNormalizeHost_valid(t *testing.T) {
	tests := []struct {
		host string
		want string
	}{
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"https://tooljet.example.com/", "https://tooljet.example.com"},
		{"https://tooljet.example.com/tooljet/", "https://tooljet.example.com/tooljet"},
		{"http://[::1]:3000/a/b", "http://[::1]:3000/a/b"},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			got, err := client.NormalizeHost(tt.host)
			if err != nil {
				t.Fatalf("NormalizeHost(%q): %v", tt.host, err)
			}
			if got != tt.want {
				t.Errorf("NormalizeHost(%q) = %q, want %q", tt.host, got, tt.want)
			}
		})
	}
}

func TestNormalizeHost_invalid(t *testing.T) {
	tests := []struct {
		name string
		host string
		want string // part of the error message
	}{
		{"empty", "", "the ToolJet host is empty"},
		{"blank", "  ", "the ToolJet host is empty"},
		{"relative", "tooljet.example.com", "must start with http:// or https://"},
		{"relative path", "/tooljet", "must start with http:// or https://"},
		{"port without scheme", "tooljet.example.com:8080", "must start with http:// or https://"},
		{"ftp", "ftp://tooljet.example.com", "must start with http:// or https://"},
		{"no host name", "https:///tooljet", "has no host name"},
		{"query", "https://tooljet.example.com/?org=1", "must not have a query or fragment"},
		{"fragment", "https://tooljet.example.com/#login", "must not have a query or fragment"},
		{"credentials", "https://admin:s3cret-canary@tooljet.example.com",
			"must not contain credentials; use email and password"},
		{"invalid URL", "https://tooljet.example.com:port", "is not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := client.NormalizeHost(tt.host)
			if err == nil {
				t.Fatalf("NormalizeHost(%q) succeeded, want an error", tt.host)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret-canary") {
				t.Errorf("error %q contains the password of the URL", err)
			}
		})
	}
}

func TestNew_rejectsMissingCredentials(t *testing.T) {
	tests := []struct {
		name string
		cfg  client.Config
		want string
	}{
		{"email", client.Config{Host: "http://127.0.0.1:1", Password: "p"},
			"the ToolJet email is empty"},
		{"password", client.Config{Host: "http://127.0.0.1:1", Email: "a@b.c"},
			"the ToolJet password is empty"},
		{"host", client.Config{Host: "127.0.0.1", Email: "a@b.c", Password: "p"},
			"must start with http:// or https://"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := client.New(tt.cfg)
			if err == nil {
				t.Fatal("New succeeded, want an error")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
		})
	}
}
