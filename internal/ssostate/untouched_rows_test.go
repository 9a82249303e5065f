package ssostate

import (
	"errors"
	"slices"
	"testing"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

// manageWorkspace returns an operation that adds a workspace to the table
// as tooljet_workspace_group_sync does, inheriting the instance values.
func manageWorkspace(workspaceID string) func(d *Draft) error {
	return func(d *Draft) error {
		d.Record.Workspace(workspaceID).Managed = true
		d.RowEnabled[workspaceID] = true
		d.ReplaceForeign[workspaceID] = true
		return nil
	}
}

// workspaceIDOf returns the ID of a seed workspace.
func (e *testEnv) workspaceIDOf(t *testing.T, slug string) string {
	t.Helper()
	var id string
	e.srv.View(func(st *emulator.State) { id = st.WorkspaceBySlug(slug).ID })
	if id == "" {
		t.Fatalf("no workspace %s", slug)
	}
	return id
}

// An entry added in ToolJet's UI to one managed row must not stop, or be
// reverted by, a write that changes only another row.
func TestModify_otherRowEditedInUI(t *testing.T) {
	env := newTestEnv(t, emulator.Options{}, Options{})
	env.modify(t, configureInstance)
	marketing := env.workspaceIDOf(t, "marketing")
	sales := env.workspaceIDOf(t, "sales")
	env.modify(t, manageWorkspace(marketing))
	env.modify(t, manageWorkspace(sales))
	env.updateRow(t, marketing, func(row *emulator.GroupSync) {
		row.GroupMapping["Partner Team"] = "marketing"
	})

	env.modify(t, addMapping(sales, "Sales Leads", "builder"))

	row := env.rowOf(t, marketing)
	if row == nil {
		t.Fatal("the marketing row was deleted")
	}
	if _, ok := row.GroupMapping["Partner Team"]; !ok {
		t.Errorf("marketing mapping = %v, want the entry added in the UI kept", row.GroupMapping)
	}
	if _, ok := env.rowOf(t, sales).GroupMapping["Sales Leads"]; !ok {
		t.Errorf("sales mapping = %v, want the new entry", env.rowOf(t, sales).GroupMapping)
	}
}

// A managed row that an admin removed in ToolJet's UI stays removed when
// another row is written: the resource that manages it creates it again.
func TestModify_otherRowRemovedInUI(t *testing.T) {
	env := newTestEnv(t, emulator.Options{}, Options{})
	env.modify(t, configureInstance)
	marketing := env.workspaceIDOf(t, "marketing")
	sales := env.workspaceIDOf(t, "sales")
	env.modify(t, manageWorkspace(marketing))
	env.modify(t, manageWorkspace(sales))
	err := env.srv.Update(func(st *emulator.State) error {
		st.GroupSyncs = slices.DeleteFunc(st.GroupSyncs, func(g *emulator.GroupSync) bool {
			return g.OrganizationID != nil && *g.OrganizationID == marketing
		})
		return nil
	})
	if err != nil {
		t.Fatalf("removing the marketing row: %v", err)
	}

	env.modify(t, addMapping(sales, "Sales Leads", "builder"))

	if row := env.rowOf(t, marketing); row != nil {
		t.Errorf("the marketing row came back with mapping %v, want it left removed",
			row.GroupMapping)
	}
}

// An instance mapping name that ToolJet returns as the same key as an
// entry of an inheriting workspace must not be written: one of the two
// would take the other's ToolJet group.
func TestModify_collidingInheritedNames(t *testing.T) {
	env := newTestEnv(t, emulator.Options{}, Options{})
	env.modify(t, configureInstance)
	marketing := env.workspaceIDOf(t, "marketing")
	env.modify(t, manageWorkspace(marketing))
	env.modify(t, addMapping(marketing, "Developers", "marketing"))
	env.srv.ResetRequestCounts()

	_, err := env.store.Modify(testContext(t), func(d *Draft) error {
		d.Record.InstanceMapping["developers"] = "end-user"
		d.ReplaceForeignInstanceMapping()
		return nil
	})

	var colliding *CollidingNamesError
	if !errors.As(err, &colliding) {
		t.Fatalf("error = %v, want a *CollidingNamesError", err)
	}
	if colliding.WorkspaceID != marketing {
		t.Errorf("WorkspaceID = %q, want the marketing workspace %q", colliding.WorkspaceID,
			marketing)
	}
	if env.patches() != 0 {
		t.Errorf("PATCH requests = %d, want 0", env.patches())
	}
}
