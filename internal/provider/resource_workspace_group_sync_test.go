package provider

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// instanceWithGroupSync is a tooljet_instance_oidc with group sync on and
// the given extra group_sync arguments.
func instanceWithGroupSync(extra string) string {
	return fmt.Sprintf(`
resource "tooljet_instance_oidc" "test" {
  name           = "Okta"
  client_id      = "tooljet-client"
  client_secret  = "secret"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"

  group_sync = {
    %s
  }
}
`, extra)
}

// workspaceLookup declares data sources for the seed workspaces.
const workspaceLookup = `
data "tooljet_workspace" "marketing" {
  slug = "marketing"
}

data "tooljet_workspace" "sales" {
  slug = "sales"
}

data "tooljet_workspace" "engineering" {
  slug = "engineering"
}
`

// checkRow compares one workspace's stored row with what the test expects.
func (e *testEnv) checkRow(t *testing.T, slug string,
	check func(row *ssostate.Row) error) resource.TestCheckFunc {
	return e.checkStored(func(snap *ssostate.Snapshot) error {
		row := snap.Rows[e.workspaceID(t, slug)]
		if err := check(row); err != nil {
			return fmt.Errorf("workspace %s: %w", slug, err)
		}
		return nil
	})
}

// rowMapping checks that a row holds exactly want, after ToolJet's key
// rewriting.
func rowMapping(want map[string]string) func(row *ssostate.Row) error {
	return func(row *ssostate.Row) error {
		if row == nil {
			return errors.New("no group sync row")
		}
		if !ssostate.SameAsRead(want, row.MappingRead) {
			return fmt.Errorf("mapping %v, expected %v as ToolJet returns it", row.MappingRead, want)
		}
		return nil
	}
}

func TestAccWorkspaceGroupSync_basic(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	const address = "tooljet_workspace_group_sync.marketing"
	config := func(body string) string {
		return env.config(workspaceLookup + instanceWithGroupSync(`
    group_mapping = { "Everyone" = "end-user" }`) + fmt.Sprintf(`
resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id
  %s

  depends_on = [tooljet_instance_oidc.test]
}
`, body))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		CheckDestroy: env.checkStored(func(snap *ssostate.Snapshot) error {
			if snap.Rows[env.workspaceID(t, "marketing")] != nil {
				return errors.New("the marketing workspace is still in the group sync table")
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: config(""),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("enabled"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("claim_name"), knownvalue.Null()),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("group_mapping"), knownvalue.Null()),
					statecheck.ExpectKnownValue(address, tfjsonpath.New("effective_claim_name"),
						knownvalue.StringExact("groups")),
					statecheck.ExpectKnownValue(address,
						tfjsonpath.New("effective_group_mapping").AtMapKey("Everyone"),
						knownvalue.StringExact("end-user")),
				},
				Check: env.checkRow(t, "marketing", rowMapping(map[string]string{"Everyone": "end-user"})),
			},
			{
				ResourceName:      address,
				ImportState:       true,
				ImportStateId:     "marketing",
				ImportStateVerify: true,
			},
			{
				Config: config(`claim_name = "roles"
  enabled    = false`),
				Check: env.checkRow(t, "marketing", func(row *ssostate.Row) error {
					if row == nil || row.ClaimName != "roles" || row.Enabled {
						return fmt.Errorf("row %+v, expected claim roles and group sync off", row)
					}
					return nil
				}),
			},
			{
				Config: config(`claim_name = "roles"
  enabled    = false`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccWorkspaceGroupSync_inheritance(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	config := func(instanceMapping string) string {
		return env.config(workspaceLookup + instanceWithGroupSync(instanceMapping) + `
resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id
}

resource "tooljet_workspace_group_sync" "sales" {
  workspace_id  = data.tooljet_workspace.sales.id
  claim_name    = "roles"
  group_mapping = { "Sales Team" = "sales" }
}
`)
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config: config(`group_mapping = { "Marketing Team" = "marketing" }`),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkRow(t, "marketing", rowMapping(map[string]string{"Marketing Team": "marketing"})),
					env.checkRow(t, "sales", rowMapping(map[string]string{"Sales Team": "sales"})),
				),
			},
			{
				// The instance mapping and claim change: the inheriting
				// workspace follows, the overriding one keeps its own values.
				Config: config(`claim_name = "memberOf"
    group_mapping = { "Marketing Team" = "marketing", "OIDC Admins" = "admin" }`),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkRow(t, "marketing", rowMapping(map[string]string{
						"Marketing Team": "marketing", "OIDC Admins": "admin"})),
					env.checkRow(t, "marketing", func(row *ssostate.Row) error {
						if row.ClaimName != "memberOf" {
							return fmt.Errorf("claim %q, expected the new instance claim", row.ClaimName)
						}
						return nil
					}),
					env.checkRow(t, "sales", rowMapping(map[string]string{"Sales Team": "sales"})),
					env.checkRow(t, "sales", func(row *ssostate.Row) error {
						if row.ClaimName != "roles" {
							return fmt.Errorf("claim %q, expected the override", row.ClaimName)
						}
						return nil
					}),
				),
			},
			{
				Config: config(`claim_name = "memberOf"
    group_mapping = { "Marketing Team" = "marketing", "OIDC Admins" = "admin" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				// The refresh of this step picks up the new inherited values.
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("tooljet_workspace_group_sync.marketing",
						tfjsonpath.New("effective_claim_name"), knownvalue.StringExact("memberOf")),
					statecheck.ExpectKnownValue("tooljet_workspace_group_sync.marketing",
						tfjsonpath.New("effective_group_mapping").AtMapKey("OIDC Admins"),
						knownvalue.StringExact("admin")),
				},
			},
		},
	})
}

func TestAccWorkspaceGroupSync_uiEditIsDrift(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	config := env.config(workspaceLookup + instanceWithGroupSync(
		`group_mapping = { "Marketing Team" = "marketing" }`) + `
resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id
}
`)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config},
			{
				// An admin adds an entry in ToolJet's UI, which saves the
				// keys it read, rewritten.
				PreConfig: func() {
					marketingID := env.workspaceID(t, "marketing")
					err := env.emulator.Update(func(st *emulator.State) error {
						instance := st.InstanceOIDC()
						for _, row := range st.GroupSyncsFor(instance.ID) {
							if row.OrganizationID != nil && *row.OrganizationID == marketingID {
								row.GroupMapping = map[string]string{
									mapping.ToolJetReadKey("Marketing Team"): "marketing",
									"ui-added":                               "admin",
								}
							}
						}
						return nil
					})
					if err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("tooljet_workspace_group_sync.marketing",
							plancheck.ResourceActionUpdate),
					},
				},
				Check: env.checkRow(t, "marketing", rowMapping(map[string]string{"Marketing Team": "marketing"})),
			},
		},
	})
}

func TestAccWorkspaceGroupSync_disappears(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	config := env.config(workspaceLookup + instanceWithGroupSync("") + `
resource "tooljet_workspace_group_sync" "sales" {
  workspace_id = data.tooljet_workspace.sales.id
}
`)
	salesID := env.workspaceID(t, "sales")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config},
			{
				// The row is removed outside Terraform: the next plan creates it.
				PreConfig: func() {
					env.modify(t, func(d *ssostate.Draft) error {
						d.Record.Workspace(salesID).Managed = false
						return nil
					})
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("tooljet_workspace_group_sync.sales",
							plancheck.ResourceActionCreate),
					},
				},
				Check: env.checkRow(t, "sales", func(row *ssostate.Row) error {
					if row == nil {
						return errors.New("the row was not created again")
					}
					return nil
				}),
			},
			{
				// The row is removed in ToolJet's UI, which keeps the
				// provider's record that the workspace is managed: the next
				// plan creates the row again and takes the record over.
				PreConfig: func() {
					if err := env.emulator.Update(func(st *emulator.State) error {
						st.GroupSyncs = slices.DeleteFunc(st.GroupSyncs,
							func(g *emulator.GroupSync) bool {
								return g.OrganizationID != nil && *g.OrganizationID == salesID
							})
						return nil
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("tooljet_workspace_group_sync.sales",
							plancheck.ResourceActionCreate),
					},
				},
				Check: env.checkRow(t, "sales", func(row *ssostate.Row) error {
					if row == nil {
						return errors.New("the row was not created again")
					}
					return nil
				}),
			},
			{
				// The workspace itself is deleted: the resource leaves the
				// state and the plan fails with a clear error.
				PreConfig: func() {
					if err := env.emulator.Update(func(st *emulator.State) error {
						st.DeleteWorkspace(salesID)
						return nil
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.config(instanceWithGroupSync("") + fmt.Sprintf(`
resource "tooljet_workspace_group_sync" "sales" {
  workspace_id = %q
}
`, salesID)),
				ExpectError: regexp.MustCompile(`(?s)Unknown workspace.*no active workspace`),
			},
		},
	})
}

func TestAccWorkspaceGroupSync_lastEnabledWorkspace(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	config := func(enabled bool) string {
		return env.config(workspaceLookup + instanceWithGroupSync(
			`default_workspace_inherits = false`) + fmt.Sprintf(`
resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id
  enabled      = %t
}
`, enabled))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config(true)},
			{
				Config:      config(false),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Last enabled workspace.*enabled = false.*`),
			},
			{
				// Removing it is the same mistake.
				Config: env.config(workspaceLookup + instanceWithGroupSync(
					`default_workspace_inherits = false`)),
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)Last enabled workspace`),
			},
		},
	})
}

func TestAccWorkspaceGroupSync_defaultWorkspaceAlone(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)

	// Terraform may plan tooljet_instance_oidc before the workspace resources
	// that would add a workspace, so an instance that stops the default
	// workspace's inheritance with nothing else in the table only warns, at
	// plan and at apply, and the default workspace leaves the table.
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{{
			Config: env.config(instanceWithGroupSync(`default_workspace_inherits = false`)),
			Check: env.checkStored(func(snap *ssostate.Snapshot) error {
				if !snap.GroupSyncEnabled {
					return errors.New("instance group sync is off")
				}
				if len(snap.Rows) != 0 {
					return fmt.Errorf("the group sync table has %d rows, expected none", len(snap.Rows))
				}
				return nil
			}),
		}},
	})
}

func TestAccWorkspaceGroupSync_twoForOneWorkspace(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{{
			Config: env.config(workspaceLookup + instanceWithGroupSync("") + `
resource "tooljet_workspace_group_sync" "one" {
  workspace_id = data.tooljet_workspace.marketing.id
}

resource "tooljet_workspace_group_sync" "two" {
  workspace_id = data.tooljet_workspace.marketing.id
  claim_name   = "roles"
}
`),
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)Workspace managed twice.*only one`),
		}},
	})
}

// TestAccWorkspaceGroupSync_recordLost removes the provider's record from
// ToolJet, as a save of the instance settings in ToolJet's UI can. The
// workspace's row cannot then tell inherited entries from added ones, and
// no apply may drop the tooljet_group_mapping entry stored in it.
func TestAccWorkspaceGroupSync_recordLost(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	config := func(name string) string {
		return env.config(workspaceLookup + strings.Replace(instanceWithGroupSync(
			`group_mapping = { "Everyone" = "end-user" }`), `"Okta"`, fmt.Sprintf("%q", name), 1) +
			marketingSync + groupMappingConfig("Campaign Managers", "marketing"))
	}
	keepsEntry := env.checkRow(t, "marketing", func(row *ssostate.Row) error {
		if row == nil {
			return errors.New("no group sync row")
		}
		if row.MappingRead[mapping.ToolJetReadKey("Campaign Managers")] != "marketing" {
			return fmt.Errorf("the tooljet_group_mapping entry was dropped: %v", row.MappingRead)
		}
		return nil
	})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config("Okta"), Check: keepsEntry},
			{
				PreConfig: func() {
					if err := env.emulator.Update(func(st *emulator.State) error {
						delete(st.InstanceOIDC().Configs, ssostate.RecordKey)
						return nil
					}); err != nil {
						t.Fatal(err)
					}
				},
				// A change of the instance alone rewrites the configs and the
				// default workspace's row, never marketing's entry.
				Config: config("Okta SSO"),
				Check:  keepsEntry,
			},
			{
				Config: config("Okta SSO"),
				Check:  keepsEntry,
			},
		},
	})
}

func TestAccWorkspaceGroupSync_waitsForNewSecret(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	instance := func(secretArguments string) string {
		return fmt.Sprintf(`
resource "tooljet_instance_oidc" "test" {
  name           = "Okta"
  client_id      = "tooljet-client"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"
%s

  group_sync = {}
}
`, secretArguments)
	}
	workspace := `
resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id
  claim_name   = "teams"
}
`

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: env.config(instance(""))},
			{
				// The workspace does not refer to the instance, so Terraform
				// may apply it first, while ToolJet still has no secret.
				Config: env.config(workspaceLookup + workspace + instance(`
  client_secret_wo         = "new-secret"
  client_secret_wo_version = 1`)),
				Check: resource.ComposeTestCheckFunc(
					env.checkRow(t, "marketing", func(row *ssostate.Row) error {
						if row == nil || row.ClaimName != "teams" {
							return errors.New("the claim name override was not stored")
						}
						return nil
					}),
					env.checkStored(func(snap *ssostate.Snapshot) error {
						if snap.ClientSecret != "new-secret" {
							return errors.New("the new client secret was not stored")
						}
						return nil
					}),
				),
			},
		},
	})
}
