package ssostate

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

func TestModify_create(t *testing.T) {
	env := newTestEnv(t, emulator.Options{}, Options{})

	result := env.modify(t, configureInstance)

	if result.Attempts != 1 {
		t.Errorf("Attempts = %d, want 1", result.Attempts)
	}
	snap := result.Snapshot
	if !snap.Exists {
		t.Fatal("the read-back has no instance OIDC configuration")
	}
	if !snap.Enabled {
		t.Error("the read-back has instance OIDC switched off")
	}
	if snap.Name != "Okta" {
		t.Errorf("Name = %q, want Okta", snap.Name)
	}
	if snap.ClientID != "tooljet-client" {
		t.Errorf("ClientID = %q, want tooljet-client", snap.ClientID)
	}
	if snap.ClientSecret != testSecret {
		t.Errorf("ClientSecret = %q, want %q", snap.ClientSecret, testSecret)
	}
	if !snap.RecordFound {
		t.Fatal("the read-back has no provider record")
	}
	wantMapping := map[string]string{"Marketing Team": "marketing"}
	if got := snap.InstanceMapping(); !maps.Equal(got, wantMapping) {
		t.Errorf("InstanceMapping() = %v, want the exact spelling %v", got, wantMapping)
	}
	row := snap.Rows[env.defaultWorkspace]
	if row == nil {
		t.Fatal("the default workspace has no group-sync row")
	}
	if !maps.Equal(row.MappingRead, map[string]string{"marketing _team": "marketing"}) {
		t.Errorf("row mapping = %v, want the key as ToolJet returns it", row.MappingRead)
	}
	if row.ClaimName != "groups" {
		t.Errorf("row ClaimName = %q, want groups", row.ClaimName)
	}
	if !row.Enabled {
		t.Error("the default workspace's row is switched off")
	}
	if len(snap.Rows) != 1 {
		t.Errorf("the table has %d rows, want only the default workspace", len(snap.Rows))
	}
}

func TestModify_noChange(t *testing.T) {
	env := newTestEnv(t, emulator.Options{}, Options{})
	env.modify(t, configureInstance)
	env.srv.ResetRequestCounts()

	result := env.modify(t, func(d *Draft) error { return nil })

	if env.patches() != 0 {
		t.Errorf("PATCH requests = %d, want 0 for a change that changes nothing", env.patches())
	}
	if result.Attempts != 1 {
		t.Errorf("Attempts = %d, want 1", result.Attempts)
	}
}

func TestModify_opError(t *testing.T) {
	env := newTestEnv(t, emulator.Options{}, Options{})
	env.modify(t, configureInstance)
	env.srv.ResetRequestCounts()
	opErr := errors.New("rejected by the operation")

	_, err := env.store.Modify(testContext(t), func(d *Draft) error {
		d.Record.InstanceMapping["Sales"] = "sales"
		return opErr
	})

	if !errors.Is(err, opErr) {
		t.Errorf("error = %v, want the operation's error", err)
	}
	if env.patches() != 0 {
		t.Errorf("PATCH requests = %d, want 0", env.patches())
	}
}

func TestModify_keepsStoredSecret(t *testing.T) {
	env := newTestEnv(t, emulator.Options{}, Options{})
	env.modify(t, configureInstance)
	env.srv.ResetRequestCounts()

	result := env.modify(t, func(d *Draft) error {
		d.Record.InstanceMapping["Sales"] = "sales"
		return nil
	})

	if env.patches() != 1 {
		t.Fatalf("PATCH requests = %d, want 1", env.patches())
	}
	if result.Snapshot.Record.InstanceMapping["Sales"] != "sales" {
		t.Fatal("the record change was not written, so configs were not rewritten")
	}
	configs := env.storedConfigs(t)
	if configs["clientSecret"] != testSecret {
		t.Errorf("stored clientSecret = %v, want the secret stored before", configs["clientSecret"])
	}
	if configs["name"] != "Okta" {
		t.Errorf("stored name = %v, want Okta", configs["name"])
	}
}

// A key that ToolJet stores but the provider does not manage survives a
// rewrite of configs under its camelCase name.
func TestModify_keepsUnmanagedConfigs(t *testing.T) {
	env := newTestEnv(t, emulator.Options{}, Options{})
	env.modify(t, configureInstance)
	err := env.srv.Update(func(st *emulator.State) error {
		st.InstanceOIDC().Configs["codeVerifier"] = "verifier"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	env.modify(t, func(d *Draft) error {
		d.Record.InstanceMapping["Sales"] = "sales"
		return nil
	})

	configs := env.storedConfigs(t)
	if configs["codeVerifier"] != "verifier" {
		t.Errorf("stored codeVerifier = %v, want it kept", configs["codeVerifier"])
	}
	if _, ok := configs["code_verifier"]; ok {
		t.Error("configs has code_verifier, the key as ToolJet returns it")
	}
}

func TestModify_maskedSecret(t *testing.T) {
	modes := []emulator.SecretReadMode{
		emulator.SecretsMasked, emulator.SecretsOmitted, emulator.SecretsPlaceholder,
	}
	for _, mode := range modes {
		t.Run(string(mode), func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{SecretRead: mode}, Options{})
			env.modify(t, configureInstance)
			env.srv.ResetRequestCounts()

			_, err := env.store.Modify(testContext(t), func(d *Draft) error {
				d.Record.InstanceMapping["Sales"] = "sales"
				return nil
			})

			var unknown *SecretUnknownError
			if !errors.As(err, &unknown) {
				t.Fatalf("error = %v, want a *SecretUnknownError", err)
			}
			if env.patches() != 0 {
				t.Errorf("PATCH requests = %d, want 0", env.patches())
			}
			if got := env.storedConfigs(t)["clientSecret"]; got != testSecret {
				t.Errorf("stored clientSecret = %v, want it unchanged", got)
			}
		})
	}
}

// Changes that leave configs alone, and changes that carry the secret, do
// not need the secret from ToolJet.
func TestModify_maskedSecretNotNeeded(t *testing.T) {
	env := newTestEnv(t, emulator.Options{SecretRead: emulator.SecretsMasked}, Options{})
	env.modify(t, configureInstance)
	env.srv.ResetRequestCounts()

	env.modify(t, func(d *Draft) error {
		off := false
		d.Enabled = &off
		return nil
	})
	env.modify(t, func(d *Draft) error {
		settings := testSettings()
		secret := "new-secret"
		settings.ClientSecret = &secret
		d.Instance = &settings
		return nil
	})

	if env.patches() != 2 {
		t.Errorf("PATCH requests = %d, want 2", env.patches())
	}
	if got := env.storedConfigs(t)["clientSecret"]; got != "new-secret" {
		t.Errorf("stored clientSecret = %v, want the new secret", got)
	}
}

func TestModify_foreignRowEntries(t *testing.T) {
	env := newTestEnv(t, emulator.Options{}, Options{})
	env.modify(t, configureInstance)
	env.updateRow(t, env.defaultWorkspace, func(row *emulator.GroupSync) {
		row.GroupMapping["Outside Group"] = "admin"
	})
	env.srv.ResetRequestCounts()
	addSales := func(d *Draft) error {
		d.Record.InstanceMapping["Sales"] = "sales"
		return nil
	}

	_, err := env.store.Modify(testContext(t), addSales)

	var foreign *ForeignEntriesError
	if !errors.As(err, &foreign) {
		t.Fatalf("error = %v, want a *ForeignEntriesError", err)
	}
	if foreign.WorkspaceID != env.defaultWorkspace {
		t.Errorf("WorkspaceID = %q, want the default workspace", foreign.WorkspaceID)
	}
	if !slices.Equal(foreign.Keys, []string{"outside _group"}) {
		t.Errorf("Keys = %q, want the key as ToolJet returns it", foreign.Keys)
	}
	if env.patches() != 0 {
		t.Errorf("PATCH requests = %d, want 0", env.patches())
	}

	result := env.modify(t, func(d *Draft) error {
		d.ReplaceForeign[env.defaultWorkspace] = true
		return addSales(d)
	})

	want := map[string]string{"marketing _team": "marketing", "sales": "sales"}
	if got := result.Snapshot.Rows[env.defaultWorkspace].MappingRead; !maps.Equal(got, want) {
		t.Errorf("row mapping after ReplaceForeign = %v, want %v", got, want)
	}
}

func TestModify_foreignInstanceEntries(t *testing.T) {
	env := newTestEnv(t, emulator.Options{}, Options{})
	env.modify(t, configureInstance)
	err := env.srv.Update(func(st *emulator.State) error {
		instanceMapping, ok := st.InstanceOIDC().Configs["groupMapping"].(map[string]any)
		if !ok {
			return fmt.Errorf("stored groupMapping is %T", st.InstanceOIDC().Configs["groupMapping"])
		}
		instanceMapping["Outside Group"] = "admin"
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	env.srv.ResetRequestCounts()

	_, err = env.store.Modify(testContext(t), setInstance)

	var foreign *ForeignEntriesError
	if !errors.As(err, &foreign) {
		t.Fatalf("error = %v, want a *ForeignEntriesError", err)
	}
	if foreign.WorkspaceID != "" {
		t.Errorf("WorkspaceID = %q, want \"\" for the instance mapping", foreign.WorkspaceID)
	}
	if env.patches() != 0 {
		t.Errorf("PATCH requests = %d, want 0", env.patches())
	}

	result := env.modify(t, func(d *Draft) error {
		d.ReplaceForeignInstanceMapping()
		return setInstance(d)
	})

	if _, ok := result.Snapshot.MappingRead["outside _group"]; ok {
		t.Error("the instance mapping still has the foreign entry after ReplaceForeign")
	}
}

func TestModify_lastRowSwitchedOff(t *testing.T) {
	env := newTestEnv(t, emulator.Options{}, Options{})
	env.modify(t, configureInstance)

	result := env.modify(t, func(d *Draft) error {
		d.Record.DefaultWorkspaceInherits = false
		return nil
	})

	if !slices.ContainsFunc(result.Warnings, func(w Warning) bool {
		return strings.Contains(w.Detail, "cannot remove the last workspace from the group sync table")
	}) {
		t.Errorf("Warnings = %+v, want the last-row warning", result.Warnings)
	}
	rows := env.groupSyncRows(t)
	if len(rows) != 1 {
		t.Fatalf("the table has %d rows, want the last row kept", len(rows))
	}
	if rows[0].EnableGroupSync == nil || *rows[0].EnableGroupSync {
		t.Errorf("EnableGroupSync = %v, want false", rows[0].EnableGroupSync)
	}
	if result.Snapshot.Record.DefaultWorkspaceInherits {
		t.Error("the record still says that the default workspace inherits")
	}
}

// A row that removal switched off is enabled again when the workspace
// joins the table again, as a row created anew would be.
func TestModify_lastRowJoinsAgain(t *testing.T) {
	env := newTestEnv(t, emulator.Options{}, Options{})
	env.modify(t, configureInstance)
	env.modify(t, func(d *Draft) error {
		d.Record.DefaultWorkspaceInherits = false
		return nil
	})

	result := env.modify(t, func(d *Draft) error {
		d.Record.DefaultWorkspaceInherits = true
		return nil
	})

	row := result.Snapshot.Rows[env.defaultWorkspace]
	if row == nil {
		t.Fatal("the default workspace has no row")
	}
	if !row.Enabled {
		t.Error("the default workspace inherits again, but its row stays switched off")
	}
}

func TestModify_emptyOwnMapping(t *testing.T) {
	env := newTestEnv(t, emulator.Options{}, Options{})
	env.modify(t, configureInstance)
	marketing := ""
	env.srv.View(func(st *emulator.State) { marketing = st.WorkspaceBySlug("marketing").ID })
	own := func(d *Draft) error {
		ws := d.Record.Workspace(marketing)
		ws.Managed = true
		ws.GroupMapping = map[string]string{}
		d.RowEnabled[marketing] = true
		return nil
	}
	env.modify(t, own)
	env.srv.ResetRequestCounts()

	fresh := NewStore(env.store.Client(), Options{})
	snap, err := fresh.Snapshot(testContext(t))
	if err != nil {
		t.Fatalf("Snapshot: %v", err)
	}
	ws := snap.Record.Lookup(marketing)
	if ws == nil || ws.GroupMapping == nil {
		t.Fatalf("workspace record %+v, want an empty mapping of its own", ws)
	}
	if got := snap.Expected(marketing).Mapping; len(got) != 0 {
		t.Errorf("Expected(marketing).Mapping = %v, want empty", got)
	}

	env.modify(t, own)

	if env.patches() != 0 {
		t.Errorf("PATCH requests = %d when nothing changed, want 0", env.patches())
	}
}

// readBackChanger changes the emulator's state while the read-back of a
// Modify waits in the emulator's latency: for k = 1 to times, it waits until
// GET instance-sso number 2k (the read-back of attempt k) has arrived, then
// calls change.
func readBackChanger(srv *emulator.Server, times int,
	change func(st *emulator.State, k int)) <-chan error {
	done := make(chan error, 1)
	go func() {
		deadline := time.Now().Add(10 * time.Second)
		for k := 1; k <= times; k++ {
			for srv.RequestCounts()[routeGetInstanceSSO] < 2*k {
				if time.Now().After(deadline) {
					done <- fmt.Errorf("read-back %d did not arrive", k)
					return
				}
				time.Sleep(time.Millisecond)
			}
			err := srv.Update(func(st *emulator.State) error {
				change(st, k)
				return nil
			})
			if err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	return done
}

// renameInstance sets the instance OIDC name, as an admin in ToolJet's UI
// would.
func renameInstance(st *emulator.State, k int) {
	st.InstanceOIDC().Configs["name"] = fmt.Sprintf("Renamed in the UI %d", k)
}

func TestModify_concurrentChangeRetried(t *testing.T) {
	env := newTestEnv(t, emulator.Options{}, Options{})
	env.modify(t, configureInstance)
	env.srv.ResetRequestCounts()
	env.srv.AddFault(emulator.Fault{Method: http.MethodGet, Path: pathInstanceSSO,
		Latency: 100 * time.Millisecond})
	changed := readBackChanger(env.srv, 1, renameInstance)

	result, err := env.store.Modify(testContext(t), setInstance)

	if changeErr := <-changed; changeErr != nil {
		t.Fatalf("changing the state during the read-back: %v", changeErr)
	}
	if err != nil {
		t.Fatalf("Modify: %v", err)
	}
	if result.Attempts != 2 {
		t.Errorf("Attempts = %d, want 2", result.Attempts)
	}
	if env.patches() != 2 {
		t.Errorf("PATCH requests = %d, want 2", env.patches())
	}
	if got := env.storedConfigs(t)["name"]; got != "Okta" {
		t.Errorf("stored name = %v, want the retried write's Okta", got)
	}
}

func TestModify_conflict(t *testing.T) {
	const attempts = 3
	env := newTestEnv(t, emulator.Options{}, Options{MaxAttempts: attempts})
	env.modify(t, configureInstance)
	env.srv.ResetRequestCounts()
	env.srv.AddFault(emulator.Fault{Method: http.MethodGet, Path: pathInstanceSSO,
		Latency: 50 * time.Millisecond})
	changed := readBackChanger(env.srv, attempts, renameInstance)

	_, err := env.store.Modify(testContext(t), setInstance)

	if changeErr := <-changed; changeErr != nil {
		t.Fatalf("changing the state during the read-backs: %v", changeErr)
	}
	var conflict *ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("error = %v, want a *ConflictError", err)
	}
	if conflict.Attempts != attempts {
		t.Errorf("Attempts = %d, want %d", conflict.Attempts, attempts)
	}
	if conflict.Last == nil || !strings.Contains(conflict.Last.Error(), "name is") {
		t.Errorf("Last = %v, want the name difference", conflict.Last)
	}
	if env.patches() != attempts {
		t.Errorf("PATCH requests = %d, want %d", env.patches(), attempts)
	}
}

func TestSnapshot_sharedFetch(t *testing.T) {
	const callers = 20
	env := newTestEnv(t, emulator.Options{}, Options{})
	env.modify(t, configureInstance)
	store := NewStore(env.store.Client(), Options{})
	env.srv.ResetRequestCounts()
	env.srv.AddFault(emulator.Fault{Method: http.MethodGet, Path: pathInstanceSSO,
		Latency: 50 * time.Millisecond})
	ctx := testContext(t)

	start := make(chan struct{})
	snapshots := make([]*Snapshot, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			<-start
			snapshots[i], errs[i] = store.Snapshot(ctx)
		})
	}
	close(start)
	wg.Wait()

	for i, err := range errs {
		if err != nil {
			t.Fatalf("caller %d: %v", i, err)
		}
	}
	if got := env.srv.RequestCounts()[routeGetInstanceSSO]; got != 1 {
		t.Errorf("GET instance-sso requests = %d, want 1 for %d callers", got, callers)
	}
	for i, snap := range snapshots {
		if snap != snapshots[0] {
			t.Errorf("caller %d got another snapshot than caller 0", i)
		}
	}

	store.Invalidate()
	if _, err := store.Snapshot(ctx); err != nil {
		t.Fatalf("Snapshot after Invalidate: %v", err)
	}
	if got := env.srv.RequestCounts()[routeGetInstanceSSO]; got != 2 {
		t.Errorf("GET instance-sso requests after Invalidate = %d, want 2", got)
	}
}
