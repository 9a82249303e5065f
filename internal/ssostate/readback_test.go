package ssostate

import (
	"errors"
	"maps"
	"net/http"
	"strings"
	"testing"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

// addUIRow adds a group-sync row for a workspace to the instance OIDC
// configuration out of band, as an admin does in ToolJet's UI, and returns
// the workspace ID.
func (e *testEnv) addUIRow(t *testing.T, slug string) string {
	t.Helper()
	var workspaceID string
	err := e.srv.Update(func(st *emulator.State) error {
		workspaceID = st.WorkspaceBySlug(slug).ID
		enabled := true
		st.GroupSyncs = append(st.GroupSyncs, &emulator.GroupSync{
			ID:              "row-added-in-ui",
			SSOConfigID:     st.InstanceOIDC().ID,
			OrganizationID:  &workspaceID,
			ClaimName:       "roles",
			GroupMapping:    map[string]string{"ops": "end-user"},
			EnableGroupSync: &enabled,
		})
		return nil
	})
	if err != nil {
		t.Fatalf("adding a group-sync row in the UI: %v", err)
	}
	return workspaceID
}

// rowOf returns a copy of the workspace's group-sync row, or nil.
func (e *testEnv) rowOf(t *testing.T, workspaceID string) *emulator.GroupSync {
	t.Helper()
	for _, row := range e.groupSyncRows(t) {
		if row.OrganizationID != nil && *row.OrganizationID == workspaceID {
			return &row
		}
	}
	return nil
}

// A row that an admin added in ToolJet's UI is not the provider's: writes
// of the instance mapping and claim name must send it back unchanged.
func TestModify_keepsUnmanagedRow(t *testing.T) {
	changes := map[string]func(d *Draft) error{
		"instance mapping": func(d *Draft) error {
			d.Record.InstanceMapping["Sales"] = "sales"
			return nil
		},
		"instance claim name": func(d *Draft) error {
			settings := testSettings()
			settings.ClaimName = "memberOf"
			d.Instance = &settings
			return nil
		},
	}
	for name, change := range changes {
		t.Run(name, func(t *testing.T) {
			env := newTestEnv(t, emulator.Options{}, Options{})
			env.modify(t, configureInstance)
			engineering := env.addUIRow(t, "engineering")
			env.srv.ResetRequestCounts()

			env.modify(t, change)

			if env.patches() != 1 {
				t.Fatalf("PATCH requests = %d, want 1", env.patches())
			}
			row := env.rowOf(t, engineering)
			if row == nil {
				t.Fatal("the row added in the UI was deleted")
			}
			if row.ClaimName != "roles" {
				t.Errorf("ClaimName = %q, want roles as the admin set it", row.ClaimName)
			}
			if want := map[string]string{"ops": "end-user"}; !maps.Equal(row.GroupMapping, want) {
				t.Errorf("GroupMapping = %v, want %v as the admin set it", row.GroupMapping, want)
			}
			if row.EnableGroupSync == nil || !*row.EnableGroupSync {
				t.Errorf("EnableGroupSync = %v, want true", row.EnableGroupSync)
			}
		})
	}
}

// A ToolJet that drops configs keys it does not know loses the provider's
// record on every save. Each read-back shows it missing, so Modify tries
// MaxAttempts times and fails with an error that names the record key.
func TestModify_recordDropped(t *testing.T) {
	const attempts = 2
	env := newTestEnv(t, emulator.Options{DropUnknownConfigKeys: true},
		Options{MaxAttempts: attempts})

	_, err := env.store.Modify(testContext(t), configureInstance)

	if err == nil {
		t.Fatal("Modify succeeded although ToolJet dropped the provider record")
	}
	if !strings.Contains(err.Error(), RecordKey) {
		t.Errorf("error %q does not name the record key %s", err, RecordKey)
	}
	var conflict *ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("error = %v, want a *ConflictError after the retries", err)
	}
	if env.patches() != attempts {
		t.Errorf("PATCH requests = %d, want %d", env.patches(), attempts)
	}
}

// ToolJet accepts a row write with 200 but ignores it: the read-back still
// shows the entry that the write removed, and Modify fails naming the row.
func TestModify_rowWriteIgnored(t *testing.T) {
	const attempts = 2
	env := newTestEnv(t, emulator.Options{}, Options{MaxAttempts: attempts})
	env.modify(t, configureInstance)
	env.updateRow(t, env.defaultWorkspace, func(row *emulator.GroupSync) {
		row.GroupMapping["Outside Group"] = "admin"
	})
	env.srv.AddFault(emulator.Fault{Method: http.MethodPatch, Path: pathInstanceSSO,
		Discard: true})
	env.srv.ResetRequestCounts()

	_, err := env.store.Modify(testContext(t), func(d *Draft) error {
		d.ReplaceForeign[env.defaultWorkspace] = true
		return nil
	})

	if err == nil {
		t.Fatal("Modify succeeded although ToolJet ignored the row write")
	}
	want := "the group mapping of workspace " + env.defaultWorkspace + " differs"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("error %q lacks %q", err, want)
	}
	if env.patches() != attempts {
		t.Errorf("PATCH requests = %d, want %d", env.patches(), attempts)
	}
}

// ToolJet replies 200 to every save and stores none: Modify tries
// MaxAttempts times, then fails with the attempts and the last difference.
func TestModify_writeDiscarded(t *testing.T) {
	const attempts = 3
	env := newTestEnv(t, emulator.Options{}, Options{MaxAttempts: attempts})
	env.modify(t, configureInstance)
	env.srv.AddFault(emulator.Fault{Method: http.MethodPatch, Path: pathInstanceSSO,
		Discard: true})
	env.srv.ResetRequestCounts()

	_, err := env.store.Modify(testContext(t), func(d *Draft) error {
		settings := testSettings()
		settings.Name = "Okta SSO"
		d.Instance = &settings
		return nil
	})

	var conflict *ConflictError
	if !errors.As(err, &conflict) {
		t.Fatalf("error = %v, want a *ConflictError", err)
	}
	if conflict.Attempts != attempts {
		t.Errorf("Attempts = %d, want %d", conflict.Attempts, attempts)
	}
	if env.patches() != attempts {
		t.Errorf("PATCH requests = %d, want %d", env.patches(), attempts)
	}
	if !strings.Contains(err.Error(), `name is "Okta", expected "Okta SSO"`) {
		t.Errorf("error %q does not show the last difference", err)
	}
	if got := env.storedConfigs(t)["name"]; got != "Okta" {
		t.Errorf("stored name = %v, want Okta: the fault must discard every save", got)
	}
}
