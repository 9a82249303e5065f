package provider

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// marketingSync adds the marketing workspace to the group sync table.
const marketingSync = `
resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id
}
`

func groupMappingConfig(idpGroup, target string) string {
	return fmt.Sprintf(`
resource "tooljet_group_mapping" "test" {
  workspace_id  = tooljet_workspace_group_sync.marketing.workspace_id
  idp_group     = %q
  tooljet_group = %q
}
`, idpGroup, target)
}

func TestAccGroupMapping_basic(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	const address = "tooljet_group_mapping.test"
	config := func(idpGroup, target string) string {
		return env.config(workspaceLookup + instanceWithGroupSync(
			`group_mapping = { "Everyone" = "end-user" }`) + marketingSync +
			groupMappingConfig(idpGroup, target))
	}
	marketingID := env.workspaceID(t, "marketing")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		CheckDestroy: env.checkStored(func(snap *ssostate.Snapshot) error {
			if row := snap.Rows[marketingID]; row != nil {
				if _, ok := row.MappingRead[mapping.ToolJetReadKey("Marketing Team/EU 2")]; ok {
					return errors.New("the mapping is still stored after destroy")
				}
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: config("Marketing Team/EU 2", "marketing"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(address, tfjsonpath.New("id"),
						knownvalue.StringExact(marketingID+"/Marketing Team/EU 2")),
				},
				Check: env.checkRow(t, "marketing", rowMapping(map[string]string{
					"Everyone": "end-user", "Marketing Team/EU 2": "marketing"})),
			},
			{
				Config: config("Marketing Team/EU 2", "marketing"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// The documented import ID: workspace slug, then the IdP group,
				// which may itself contain "/".
				ResourceName:      address,
				ImportState:       true,
				ImportStateId:     "marketing/Marketing Team/EU 2",
				ImportStateVerify: true,
			},
			{
				ResourceName:      address,
				ImportState:       true,
				ImportStateId:     marketingID + "/Marketing Team/EU 2",
				ImportStateVerify: true,
			},
			{
				Config: config("Marketing Team/EU 2", "builder"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(address, plancheck.ResourceActionUpdate),
					},
				},
				Check: env.checkRow(t, "marketing", rowMapping(map[string]string{
					"Everyone": "end-user", "Marketing Team/EU 2": "builder"})),
			},
		},
	})
}

func TestAccGroupMapping_survivesInstanceChange(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	config := func(instanceMapping string) string {
		return env.config(workspaceLookup + instanceWithGroupSync(instanceMapping) + marketingSync +
			groupMappingConfig("Campaign Managers", "marketing"))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config: config(`group_mapping = { "Everyone" = "end-user" }`),
				Check: env.checkRow(t, "marketing", rowMapping(map[string]string{
					"Everyone": "end-user", "Campaign Managers": "marketing"})),
			},
			{
				Config: config(`group_mapping = { "All Staff" = "end-user", "OIDC Admins" = "admin" }`),
				Check: env.checkRow(t, "marketing", rowMapping(map[string]string{
					"All Staff": "end-user", "OIDC Admins": "admin", "Campaign Managers": "marketing"})),
			},
			{
				Config: config(`group_mapping = { "All Staff" = "end-user", "OIDC Admins" = "admin" }`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccGroupMapping_disappears(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	config := env.config(workspaceLookup + instanceWithGroupSync("") + marketingSync +
		groupMappingConfig("Campaign Managers", "marketing"))
	marketingID := env.workspaceID(t, "marketing")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					env.modify(t, func(d *ssostate.Draft) error {
						delete(d.Record.Workspace(marketingID).Mappings, "Campaign Managers")
						return nil
					})
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("tooljet_group_mapping.test",
							plancheck.ResourceActionCreate),
					},
				},
				Check: env.checkRow(t, "marketing", rowMapping(map[string]string{
					"Campaign Managers": "marketing"})),
			},
			{
				// The workspace is deleted: both resources leave the state with
				// a warning, and creating them again fails with a clear error.
				PreConfig: func() {
					if err := env.emulator.Update(func(st *emulator.State) error {
						st.DeleteWorkspace(marketingID)
						return nil
					}); err != nil {
						t.Fatal(err)
					}
				},
				Config: env.config(instanceWithGroupSync("") + fmt.Sprintf(`
resource "tooljet_group_mapping" "test" {
  workspace_id  = %q
  idp_group     = "Campaign Managers"
  tooljet_group = "marketing"
}
`, marketingID)),
				ExpectError: textPattern("Unknown workspace"),
			},
		},
	})
}

func TestAccGroupMapping_planTimeErrors(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	cases := map[string]struct {
		config string
		want   *regexp.Regexp
	}{
		"owned mapping": {
			config: workspaceLookup + instanceWithGroupSync("") + `
resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id  = data.tooljet_workspace.marketing.id
  group_mapping = { "Everyone" = "end-user" }
}
` + groupMappingConfig("Campaign Managers", "marketing"),
			want: textPattern("sets group_mapping, so it owns the workspace's whole mapping"),
		},
		"contradicts instance mapping": {
			config: workspaceLookup + instanceWithGroupSync(
				`group_mapping = { "Campaign Managers" = "end-user" }`) + marketingSync +
				groupMappingConfig("Campaign Managers", "marketing"),
			want: textPattern(`maps IdP group "Campaign Managers" to "end-user"`),
		},
		"invalid IdP group": {
			config: workspaceLookup + instanceWithGroupSync("") + marketingSync +
				groupMappingConfig(" Padded", "marketing"),
			want: textPattern("leading or trailing whitespace"),
		},
		"invalid target": {
			config: workspaceLookup + instanceWithGroupSync("") + marketingSync +
				groupMappingConfig("Campaign Managers", "market!ng"),
			want: diagnosticPattern("Invalid group mapping",
				`Invalid ToolJet group name "market!ng": it contains "!"`),
		},
		"colliding keys in one map": {
			config: workspaceLookup + instanceWithGroupSync(
				`group_mapping = { "OIDC" = "admin", "o_i_d_c" = "builder" }`),
			want: diagnosticPattern("Invalid group mapping",
				`IdP groups "OIDC" and "o_i_d_c" are both returned by ToolJet as "o_i_d_c"`),
		},
		"empty claim name": {
			config: instanceWithGroupSync(`claim_name = ""`),
			want:   diagnosticPattern("Invalid claim name", `Invalid claim name "": it is empty`),
		},
		"same IdP group twice": {
			config: workspaceLookup + instanceWithGroupSync("") + marketingSync +
				groupMappingConfig("Campaign Managers", "marketing") + `
resource "tooljet_group_mapping" "again" {
  workspace_id  = tooljet_workspace_group_sync.marketing.workspace_id
  idp_group     = "Campaign Managers"
  tooljet_group = "builder"
}
`,
			want: textPattern(`Another tooljet_group_mapping in this configuration also maps IdP group "Campaign Managers"`),
		},
		"names that ToolJet reads back alike": {
			config: workspaceLookup + instanceWithGroupSync("") + marketingSync +
				groupMappingConfig("OIDC", "marketing") + `
resource "tooljet_group_mapping" "alike" {
  workspace_id  = tooljet_workspace_group_sync.marketing.workspace_id
  idp_group     = "o_i_d_c"
  tooljet_group = "builder"
}
`,
			want: textPattern(`both come back from ToolJet's API as "o_i_d_c"`),
		},
		"slug as workspace ID": {
			config: instanceWithGroupSync("") + `
resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = "marketing"
}
`,
			want: textPattern(`workspace_id must be a workspace ID, but "marketing" is the slug`),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(testOptions{}),
				Steps: []resource.TestStep{{
					Config:      env.config(tc.config),
					PlanOnly:    true,
					ExpectError: tc.want,
				}},
			})
		})
	}
	if env.emulator != nil {
		if n := env.emulator.RequestCounts()["PATCH /api/login-configs/instance-sso"]; n != 0 {
			t.Errorf("the rejected plans sent %d writes, expected none", n)
		}
	}
}

func TestAccGroupMapping_strictTargets(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	config := env.config(workspaceLookup + instanceWithGroupSync("") + marketingSync +
		groupMappingConfig("Campaign Managers", "no-such-group"))
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{{
			// Without strict_group_targets a missing target is only a warning.
			Config:             config,
			PlanOnly:           true,
			ExpectNonEmptyPlan: true,
		}},
	})

	strict := strings.Replace(env.providerConfig(), "max_retries = 3",
		"max_retries = 3\n  strict_group_targets = true", 1)
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{{
			Config: strict + workspaceLookup + instanceWithGroupSync("") + marketingSync +
				groupMappingConfig("Campaign Managers", "no-such-group"),
			PlanOnly:    true,
			ExpectError: textPattern(`has no custom group with that name`),
		}},
	})
}

// TestAccGroupMapping_parallelCreates creates 50 mappings across three
// workspaces in one apply at Terraform's default parallelism of 10, ten
// times, each on a fresh emulator. Every run must store all 50 entries and
// leave an empty second plan.
func TestAccGroupMapping_parallelCreates(t *testing.T) {
	runs := 10
	if testing.Short() {
		runs = 2
	}
	for run := 1; run <= runs; run++ {
		t.Run(fmt.Sprintf("run %d", run), func(t *testing.T) {
			env := newTestEnv(t)
			env.requireEmulator(t)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(testOptions{}),
				Steps: []resource.TestStep{
					{
						Config:            env.config(fiftyMappingsConfig()),
						ConfigStateChecks: []statecheck.StateCheck{env.checkFiftyMappings(t)},
					},
					{
						Config: env.config(fiftyMappingsConfig()),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
					},
				},
			})
		})
	}
}

// TestAccGroupMapping_lockDisabledLosesUpdates shows that the parallel test
// tests something: without the write lock, the same apply loses entries or
// fails, because each create reads the mapping, adds its entry and writes the
// whole object back while others do the same.
func TestAccGroupMapping_lockDisabledLosesUpdates(t *testing.T) {
	env := newTestEnv(t, func(o *emulator.Options) { o.Latency = 5 * time.Millisecond })
	env.requireEmulator(t)
	var applyErr error
	stored := -1
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{disableWriteLock: true}),
		ErrorCheck: func(err error) error {
			if applyErr == nil {
				applyErr = err
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config:             env.config(fiftyMappingsConfig()),
				ExpectNonEmptyPlan: true,
			},
			{
				// Count what the racing apply stored, then remove the instance
				// SSO object so that the destroy at the end has nothing to undo.
				PreConfig: func() {
					stored = env.countFiftyMappings(t)
					if err := env.emulator.Update(deleteInstanceOIDC); err != nil {
						t.Fatal(err)
					}
				},
				Config:             env.config(fiftyMappingsConfig()),
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
			},
		},
	})
	t.Logf("without the lock: %d of 50 entries stored; apply error: %v", stored, applyErr != nil)
	if applyErr == nil && stored == 50 {
		t.Fatal("all 50 entries were stored without the write lock, so the parallel test " +
			"cannot tell whether the lock works")
	}
}

// fiftyMappingsConfig maps 50 IdP groups, with capitals, spaces and
// digits, spread over three workspaces.
func fiftyMappingsConfig() string {
	return workspaceLookup + instanceWithGroupSync(`group_mapping = { "Everyone" = "end-user" }`) + `
locals {
  workspaces = {
    marketing   = tooljet_workspace_group_sync.marketing.workspace_id
    sales       = tooljet_workspace_group_sync.sales.workspace_id
    engineering = tooljet_workspace_group_sync.engineering.workspace_id
  }
  slugs = ["engineering", "marketing", "sales"]
}

resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id
}

resource "tooljet_workspace_group_sync" "sales" {
  workspace_id = data.tooljet_workspace.sales.id
}

resource "tooljet_workspace_group_sync" "engineering" {
  workspace_id = data.tooljet_workspace.engineering.id
}

# count rather than for_each: the test framework's legacy state shim cannot
# read instances keyed by strings.
resource "tooljet_group_mapping" "team" {
  count = 50

  workspace_id  = local.workspaces[local.slugs[count.index % 3]]
  idp_group     = "Team ${count.index} Group${count.index % 7}"
  tooljet_group = "builder"
}
`
}

// fiftyMappingEntries returns the IdP groups of fiftyMappingsConfig by
// workspace slug.
func fiftyMappingEntries() map[string][]string {
	slugs := []string{"engineering", "marketing", "sales"}
	out := map[string][]string{}
	for i := 0; i < 50; i++ {
		slug := slugs[i%3]
		out[slug] = append(out[slug], fmt.Sprintf("Team %d Group%d", i, i%7))
	}
	return out
}

func (e *testEnv) countFiftyMappings(t *testing.T) int {
	snap := e.snapshot(t)
	stored := 0
	for slug, groups := range fiftyMappingEntries() {
		row := snap.Rows[e.workspaceID(t, slug)]
		if row == nil {
			continue
		}
		for _, group := range groups {
			if row.MappingRead[mapping.ToolJetReadKey(group)] == "builder" {
				stored++
			}
		}
	}
	return stored
}

func (e *testEnv) checkFiftyMappings(t *testing.T) statecheck.StateCheck {
	return stateCheckFunc(func() error {
		if stored := e.countFiftyMappings(t); stored != 50 {
			return fmt.Errorf("%d of 50 entries are stored", stored)
		}
		return nil
	})
}

// deleteInstanceOIDC removes the instance OIDC row and its group-sync rows
// from the emulator's state.
func deleteInstanceOIDC(st *emulator.State) error {
	instance := st.InstanceOIDC()
	if instance == nil {
		return nil
	}
	configs := st.SSOConfigs[:0]
	for _, c := range st.SSOConfigs {
		if c.ID != instance.ID {
			configs = append(configs, c)
		}
	}
	st.SSOConfigs = configs
	syncs := st.GroupSyncs[:0]
	for _, g := range st.GroupSyncs {
		if g.SSOConfigID != instance.ID {
			syncs = append(syncs, g)
		}
	}
	st.GroupSyncs = syncs
	return nil
}
