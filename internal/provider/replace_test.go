package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// Terraform plans a replacement twice, as an update and then as a create,
// and the uniqueness checks must not count the two plans as two resources.
func TestAccReplace_notADuplicate(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	config := func(syncWorkspace, idpGroup, oidcWorkspace string) string {
		return env.config(workspaceLookup + instanceWithGroupSync("") + fmt.Sprintf(`
resource "tooljet_workspace_group_sync" "test" {
  workspace_id = data.tooljet_workspace.%s.id
}

resource "tooljet_group_mapping" "test" {
  workspace_id  = tooljet_workspace_group_sync.test.workspace_id
  idp_group     = %q
  tooljet_group = "builder"
}

resource "tooljet_workspace_oidc" "test" {
  workspace_id   = data.tooljet_workspace.%s.id
  name           = "Okta"
  client_id      = "tooljet-client"
  client_secret  = "secret"
  well_known_url = %q
}
`, syncWorkspace, idpGroup, oidcWorkspace, testWellKnownURL))
	}
	replaced := func(addresses ...string) resource.ConfigPlanChecks {
		var checks []plancheck.PlanCheck
		for _, address := range addresses {
			checks = append(checks, plancheck.ExpectResourceAction(address,
				plancheck.ResourceActionDestroyBeforeCreate))
		}
		return resource.ConfigPlanChecks{PreApply: checks}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config("marketing", "Developers", "sales")},
			{
				// A new IdP group name replaces the mapping.
				Config:           config("marketing", "Engineers", "sales"),
				ConfigPlanChecks: replaced("tooljet_group_mapping.test"),
			},
			{
				// A new workspace replaces all three.
				Config: config("engineering", "Engineers", "engineering"),
				ConfigPlanChecks: replaced("tooljet_workspace_group_sync.test",
					"tooljet_group_mapping.test", "tooljet_workspace_oidc.test"),
			},
		},
	})
}

// Another configuration manages a mapping entry of an inheriting workspace;
// an instance mapping name that ToolJet returns as the same key fails at
// plan time.
func TestAccInstanceOIDC_collidesWithOtherRootsEntry(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	config := func(mapping string) string {
		return env.config(instanceWithGroupSync(mapping))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config: config(""),
				Check: func(*terraform.State) error {
					marketing := env.workspaceID(t, "marketing")
					env.modify(t, func(d *ssostate.Draft) error {
						ws := d.Record.Workspace(marketing)
						ws.Managed = true
						ws.Mappings = map[string]string{"Developers": "marketing"}
						d.RowEnabled[marketing] = true
						return nil
					})
					return nil
				},
			},
			{
				Config: config(`group_mapping = { "developers" = "end-user" }`),
				ExpectError: textPattern(`IdP groups "developers" and "Developers" of workspace ` +
					`"marketing"`),
			},
		},
	})
}

// A replacement whose new IdP group another resource already maps fails at
// plan time, before the apply deletes the old entry.
func TestAccReplace_newKeyIsChecked(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	config := func(second string) string {
		return env.config(workspaceLookup + instanceWithGroupSync("") + marketingSync +
			groupMappingConfig("Developers", "builder") + fmt.Sprintf(`
resource "tooljet_group_mapping" "second" {
  workspace_id  = tooljet_workspace_group_sync.marketing.workspace_id
  idp_group     = %q
  tooljet_group = "marketing"
}
`, second))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config("Engineers")},
			{
				// PlanOnly: without the plan-time check the plan succeeds.
				Config:   config("Developers"),
				PlanOnly: true,
				ExpectError: textPattern(`already has a tooljet_group_mapping for IdP group ` +
					`"Developers"`),
			},
			{
				Config: config("Engineers"),
				Check:  env.checkStoredKeys(t, "marketing", "Developers", "Engineers"),
			},
		},
	})
}

// Terraform plans the replacement of a tainted resource as a create, and
// the object it finds in ToolJet is the resource's own.
func TestAccReplace_tainted(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	config := env.config(workspaceLookup + instanceWithGroupSync("") + marketingSync +
		groupMappingConfig("Developers", "builder") +
		workspaceOIDCConfig(env.workspaceID(t, "sales"), "Okta", `  client_secret = "s"`))
	addresses := []string{"tooljet_workspace_group_sync.marketing", "tooljet_group_mapping.test",
		"tooljet_workspace_oidc.test"}
	var checks []plancheck.PlanCheck
	for _, address := range addresses {
		checks = append(checks, plancheck.ExpectResourceAction(address,
			plancheck.ResourceActionDestroyBeforeCreate))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config},
			{
				Config:           config,
				Taint:            addresses,
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: checks},
				Check:            env.checkStoredKeys(t, "marketing", "Developers"),
			},
		},
	})
}

// A disabled workspace planned before the enabled one, here forced by
// depends_on, must not fail the plan as if it switched off the last one.
func TestAccWorkspaceGroupSync_disabledPlannedFirst(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	config := env.config(workspaceLookup + instanceWithGroupSync(
		"default_workspace_inherits = false") + `
resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id
  enabled      = false
}

resource "tooljet_workspace_group_sync" "sales" {
  workspace_id = data.tooljet_workspace.sales.id

  depends_on = [tooljet_workspace_group_sync.marketing]
}
`)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{{
			Config: config,
			Check: resource.ComposeTestCheckFunc(
				env.checkRow(t, "marketing", func(row *ssostate.Row) error {
					if row == nil || row.Enabled {
						return fmt.Errorf("row %+v, expected a switched-off row", row)
					}
					return nil
				}),
				env.checkRow(t, "sales", func(row *ssostate.Row) error {
					if row == nil || !row.Enabled {
						return fmt.Errorf("row %+v, expected an enabled row", row)
					}
					return nil
				}),
			),
		}},
	})
}
