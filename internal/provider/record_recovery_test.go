package provider

import (
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// saveInUI does what a save of the instance OIDC settings in ToolJet's UI
// does: it drops the provider's record and stores every mapping key as
// ToolJet returned it.
func (e *testEnv) saveInUI(t *testing.T) {
	t.Helper()
	rewrite := func(m map[string]string) map[string]string {
		out := make(map[string]string, len(m))
		for key, target := range m {
			out[mapping.ToolJetReadKey(key)] = target
		}
		return out
	}
	err := e.emulator.Update(func(st *emulator.State) error {
		row := st.InstanceOIDC()
		delete(row.Configs, ssostate.RecordKey)
		if stored, ok := row.Configs["groupMapping"].(map[string]any); ok {
			rewritten := map[string]any{}
			for key, target := range stored {
				rewritten[mapping.ToolJetReadKey(key)] = target
			}
			row.Configs["groupMapping"] = rewritten
		}
		for _, g := range st.GroupSyncsFor(row.ID) {
			g.GroupMapping = rewrite(g.GroupMapping)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("saving in the UI: %v", err)
	}
}

// removeRowInUI removes a workspace's row from the group sync table.
func (e *testEnv) removeRowInUI(t *testing.T, slug string) {
	t.Helper()
	id := e.workspaceID(t, slug)
	err := e.emulator.Update(func(st *emulator.State) error {
		st.GroupSyncs = slices.DeleteFunc(st.GroupSyncs, func(g *emulator.GroupSync) bool {
			return g.OrganizationID != nil && *g.OrganizationID == id
		})
		return nil
	})
	if err != nil {
		t.Fatalf("removing the row of workspace %s: %v", slug, err)
	}
}

// checkStoredKeys compares the mapping keys that the emulator stores, not
// the rewritten ones it returns, with want: those of the instance
// configuration when slug is empty, else those of the workspace's row.
func (e *testEnv) checkStoredKeys(t *testing.T, slug string, want ...string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		var keys []string
		var id string
		if slug != "" {
			id = e.workspaceID(t, slug)
		}
		e.emulator.View(func(st *emulator.State) {
			row := st.InstanceOIDC()
			if slug == "" {
				stored, _ := row.Configs["groupMapping"].(map[string]any)
				keys = slices.Collect(maps.Keys(stored))
				return
			}
			for _, g := range st.GroupSyncsFor(row.ID) {
				if g.OrganizationID != nil && *g.OrganizationID == id {
					keys = slices.Collect(maps.Keys(g.GroupMapping))
				}
			}
		})
		slices.Sort(keys)
		slices.Sort(want)
		if !slices.Equal(keys, want) {
			return fmt.Errorf("stored mapping keys %q, expected %q", keys, want)
		}
		return nil
	}
}

func TestAccRecordLost_recovery(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	config := env.config(workspaceLookup + instanceWithGroupSync(`group_mapping = {
      "Everyone" = "end-user"
    }`) + `
resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id
}

resource "tooljet_group_mapping" "brand" {
  workspace_id  = tooljet_workspace_group_sync.marketing.workspace_id
  idp_group     = "Brand Team"
  tooljet_group = "marketing"
}

resource "tooljet_group_mapping" "campaign" {
  workspace_id  = tooljet_workspace_group_sync.marketing.workspace_id
  idp_group     = "Campaign Managers"
  tooljet_group = "builder"
}
`)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config},
			{
				// The plan updates the instance, which records the instance
				// values again.
				PreConfig: func() { env.saveInUI(t) },
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(instanceOIDCAddress,
							plancheck.ResourceActionUpdate),
					},
				},
				Check: env.checkStoredKeys(t, "", "Everyone"),
			},
			{
				// An admin removes the workspace from the table in the UI:
				// the apply creates its row and mappings again.
				PreConfig: func() {
					env.saveInUI(t)
					env.removeRowInUI(t, "marketing")
				},
				Config: config,
				Check: env.checkStoredKeys(t, "marketing", "Brand Team", "Campaign Managers",
					"Everyone"),
			},
			{Config: config, PlanOnly: true},
		},
	})
}

func TestAccGroupMapping_entryRemovedInUI(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	config := env.config(workspaceLookup + instanceWithGroupSync("") + marketingSync +
		groupMappingConfig("Developers", "builder"))
	removeEntry := func() {
		id := env.workspaceID(t, "marketing")
		err := env.emulator.Update(func(st *emulator.State) error {
			for _, g := range st.GroupSyncsFor(st.InstanceOIDC().ID) {
				if g.OrganizationID != nil && *g.OrganizationID == id {
					delete(g.GroupMapping, "Developers")
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("removing the entry: %v", err)
		}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config},
			{
				// The provider's record still lists the entry: the create
				// takes it over instead of reporting a duplicate.
				PreConfig: removeEntry,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("tooljet_group_mapping.test",
							plancheck.ResourceActionCreate),
					},
				},
				Check: env.checkStoredKeys(t, "marketing", "Developers"),
			},
			{
				// The same after the whole row is removed in the UI.
				PreConfig: func() { env.removeRowInUI(t, "marketing") },
				Config:    config,
				Check:     env.checkStoredKeys(t, "marketing", "Developers"),
			},
		},
	})
}

// A ToolJet that returns mapping keys as stored, not rewritten, must give
// the same results as one that rewrites them.
func TestAccGroupMapping_keysReturnedAsStored(t *testing.T) {
	parallel(t)
	env := newTestEnv(t, func(o *emulator.Options) { o.KeepMappingKeys = true })
	env.requireEmulator(t)
	config := env.config(workspaceLookup + instanceWithGroupSync(
		`group_mapping = { "Everyone" = "end-user" }`) + marketingSync +
		groupMappingConfig("Brand Team", "marketing") + `
resource "tooljet_group_mapping" "second" {
  workspace_id  = tooljet_workspace_group_sync.marketing.workspace_id
  idp_group     = "Campaign Managers"
  tooljet_group = "builder"
}
`)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: env.checkStoredKeys(t, "marketing", "Brand Team", "Campaign Managers",
					"Everyone"),
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// The default workspace's inheriting row belongs to tooljet_instance_oidc,
// which repairs it after an edit or a removal in ToolJet's UI.
func TestAccInstanceOIDC_defaultRowEditedInUI(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	config := env.config(instanceWithGroupSync(`group_mapping = { "Everyone" = "end-user" }`))
	editRow := func() {
		id := env.workspaceID(t, "my-workspace")
		err := env.emulator.Update(func(st *emulator.State) error {
			for _, g := range st.GroupSyncsFor(st.InstanceOIDC().ID) {
				if g.OrganizationID != nil && *g.OrganizationID == id {
					g.ClaimName = "edited"
					delete(g.GroupMapping, "Everyone")
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("editing the default row: %v", err)
		}
	}
	repaired := resource.ConfigPlanChecks{
		PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(instanceOIDCAddress, plancheck.ResourceActionUpdate),
		},
	}
	checkRepaired := env.checkRow(t, "my-workspace", func(row *ssostate.Row) error {
		if row == nil || row.ClaimName != "groups" || row.MappingRead["everyone"] != "end-user" {
			return fmt.Errorf("the default row is %+v, expected the instance values", row)
		}
		return nil
	})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config},
			{PreConfig: editRow, Config: config, ConfigPlanChecks: repaired, Check: checkRepaired},
			{
				PreConfig:        func() { env.removeRowInUI(t, "my-workspace") },
				Config:           config,
				ConfigPlanChecks: repaired,
				Check:            checkRepaired,
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// Respelling an instance mapping name as another name that ToolJet returns
// alike reaches the rows of inheriting workspaces.
func TestAccInstanceOIDC_respelledKeyReachesRows(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	config := func(name string) string {
		return env.config(instanceWithGroupSync(fmt.Sprintf(`group_mapping = { %q = "builder" }`,
			name)))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config("AppBuilders"), Check: env.checkStoredKeys(t, "my-workspace", "AppBuilders")},
			{Config: config("app_builders"), Check: env.checkStoredKeys(t, "my-workspace", "app_builders")},
		},
	})
}
