package ssostate

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

// Routes as emulator.Server.RequestCounts names them.
const (
	routeGetInstanceSSO   = "GET /api/login-configs/instance-sso"
	routePatchInstanceSSO = "PATCH /api/login-configs/instance-sso"
	pathInstanceSSO       = "/api/login-configs/instance-sso"
)

// testSecret is the client secret that configureInstance stores.
const testSecret = "stored-client-secret"

// testEnv is an emulator with a client and a Store for one test.
type testEnv struct {
	srv   *emulator.Server
	store *Store
	// defaultWorkspace is the ID of the seed's default workspace.
	defaultWorkspace string
}

// newTestEnv starts an emulator with the default seed and returns a Store
// for its super admin.
func newTestEnv(t *testing.T, opts emulator.Options, storeOpts Options) *testEnv {
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
	// The client's idle connections are closed before the emulator, which
	// otherwise waits for connections that were dialed but never used.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	t.Cleanup(transport.CloseIdleConnections)
	c, err := client.New(client.Config{Host: host, Email: "dev@tooljet.io", Password: "password",
		HTTPClient: &http.Client{Transport: transport}, RequestTimeout: 5 * time.Second,
		MinRetryWait: 2 * time.Millisecond})
	if err != nil {
		t.Fatalf("client.New: %v", err)
	}
	env := &testEnv{srv: srv, store: NewStore(c, storeOpts)}
	srv.View(func(st *emulator.State) {
		env.defaultWorkspace = st.WorkspaceBySlug("my-workspace").ID
	})
	return env
}

// testContext returns a context that ends with the test, at most after 20
// seconds.
func testContext(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// modify runs Store.Modify and fails the test on an error.
func (e *testEnv) modify(t *testing.T, op func(d *Draft) error) *Result {
	t.Helper()
	result, err := e.store.Modify(testContext(t), op)
	if err != nil {
		t.Fatalf("Modify: %v", err)
	}
	return result
}

// testSettings are the instance settings that configureInstance writes.
func testSettings() InstanceSettings {
	secret := testSecret
	return InstanceSettings{
		Name:             "Okta",
		ClientID:         "tooljet-client",
		WellKnownURL:     "https://idp.invalid/.well-known/openid-configuration",
		GrantType:        GrantTypeAuthorizationCode,
		ClientSecret:     &secret,
		GroupSyncEnabled: true,
		ClaimName:        "groups",
	}
}

// configureInstance creates the instance OIDC configuration with group sync
// on, the instance mapping "Marketing Team" -> marketing, and the default
// workspace inheriting it.
func configureInstance(d *Draft) error {
	settings := testSettings()
	enabled := true
	d.Instance = &settings
	d.Enabled = &enabled
	d.Record.InstanceMapping = map[string]string{"Marketing Team": "marketing"}
	d.Record.DefaultWorkspaceInherits = true
	return nil
}

// setInstance returns an operation that writes the test settings again, as
// tooljet_instance_oidc does on every update.
func setInstance(d *Draft) error {
	settings := testSettings()
	d.Instance = &settings
	return nil
}

// addMapping returns an operation that adds an entry of a
// tooljet_group_mapping to a workspace in the group-sync table.
func addMapping(workspaceID, idpGroup, target string) func(d *Draft) error {
	return func(d *Draft) error {
		ws := d.Record.Workspace(workspaceID)
		if ws.Mappings == nil {
			ws.Mappings = map[string]string{}
		}
		ws.Mappings[idpGroup] = target
		return nil
	}
}

// storedConfigs returns the instance OIDC configs as the emulator stores
// them, with secrets decrypted.
func (e *testEnv) storedConfigs(t *testing.T) map[string]any {
	t.Helper()
	var configs map[string]any
	e.srv.View(func(st *emulator.State) {
		if row := st.InstanceOIDC(); row != nil {
			configs = st.DecryptedConfigs(row)
		}
	})
	if configs == nil {
		t.Fatal("the emulator has no instance OIDC configuration")
	}
	return configs
}

// groupSyncRows returns copies of the instance OIDC group-sync rows.
func (e *testEnv) groupSyncRows(t *testing.T) []emulator.GroupSync {
	t.Helper()
	var rows []emulator.GroupSync
	e.srv.View(func(st *emulator.State) {
		if row := st.InstanceOIDC(); row != nil {
			for _, sync := range st.GroupSyncsFor(row.ID) {
				rows = append(rows, *sync)
			}
		}
	})
	return rows
}

// updateRow changes the group-sync row of a workspace out of band.
func (e *testEnv) updateRow(t *testing.T, workspaceID string,
	change func(row *emulator.GroupSync)) {
	t.Helper()
	err := e.srv.Update(func(st *emulator.State) error {
		for _, sync := range st.GroupSyncsFor(st.InstanceOIDC().ID) {
			if sync.OrganizationID != nil && *sync.OrganizationID == workspaceID {
				change(sync)
				return nil
			}
		}
		return fmt.Errorf("workspace %s has no group-sync row", workspaceID)
	})
	if err != nil {
		t.Fatalf("changing the group-sync row: %v", err)
	}
}

// patches returns how many PATCH instance-sso requests the emulator has
// received since the last ResetRequestCounts.
func (e *testEnv) patches() int {
	return e.srv.RequestCounts()[routePatchInstanceSSO]
}
