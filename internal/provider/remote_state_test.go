package provider

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// Read routes of the instance and workspace SSO settings, as the emulator's
// faults match them.
const (
	instanceSSOPath      = "/api/login-configs/instance-sso"
	workspaceConfigsPath = "/api/login-configs/organization"
	workspaceSSOPath     = "/api/login-configs/organization-sso"
)

// seedUnmanagedRow adds a group sync row for a workspace to the instance OIDC
// configuration, as an admin does in ToolJet's UI: claim "roles" and the
// mapping {"ops": "end-user"}. The provider never managed it.
func (e *testEnv) seedUnmanagedRow(t *testing.T, slug string) {
	t.Helper()
	workspaceID := e.workspaceID(t, slug)
	err := e.emulator.Update(func(st *emulator.State) error {
		instance := st.InstanceOIDC()
		if instance == nil {
			return errors.New("ToolJet has no instance OIDC configuration")
		}
		enabled := true
		st.GroupSyncs = append(st.GroupSyncs, &emulator.GroupSync{
			ID:              "row-added-in-ui",
			SSOConfigID:     instance.ID,
			OrganizationID:  &workspaceID,
			ClaimName:       "roles",
			GroupMapping:    map[string]string{"ops": "end-user"},
			EnableGroupSync: &enabled,
		})
		return nil
	})
	if err != nil {
		t.Fatalf("adding a group sync row in the UI: %v", err)
	}
}

// checkUnmanagedRow checks that the row seedUnmanagedRow added is stored unchanged.
func (e *testEnv) checkUnmanagedRow(t *testing.T, slug string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		workspaceID := e.workspaceID(t, slug)
		var row *emulator.GroupSync
		e.emulator.View(func(st *emulator.State) {
			for _, g := range st.GroupSyncs {
				if g.OrganizationID != nil && *g.OrganizationID == workspaceID {
					copied := *g
					row = &copied
				}
			}
		})
		switch {
		case row == nil:
			return fmt.Errorf("the row of workspace %s added in the UI was deleted", slug)
		case row.ClaimName != "roles":
			return fmt.Errorf("workspace %s: claim name %q, expected roles as set in the UI",
				slug, row.ClaimName)
		case !maps.Equal(row.GroupMapping, map[string]string{"ops": "end-user"}):
			return fmt.Errorf("workspace %s: mapping %v, expected the one set in the UI", slug,
				row.GroupMapping)
		case row.EnableGroupSync == nil || !*row.EnableGroupSync:
			return fmt.Errorf("workspace %s: group sync switched off", slug)
		}
		return nil
	}
}

// TestAccGroupSync_keepsUnmanagedRow adds a row in ToolJet's UI for a
// workspace that no resource manages. Creating, updating and destroying the
// provider's resources must leave it as the admin set it.
func TestAccGroupSync_keepsUnmanagedRow(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	instance := func(mapping string) string {
		return workspaceLookup + instanceWithGroupSync(`group_mapping = `+mapping)
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		CheckDestroy:             env.checkUnmanagedRow(t, "engineering"),
		Steps: []resource.TestStep{
			{Config: env.config(instance(`{ "Everyone" = "end-user" }`))},
			{
				// A row create and an instance mapping update.
				PreConfig: func() { env.seedUnmanagedRow(t, "engineering") },
				Config: env.config(instance(`{ "Everyone" = "end-user", "Ops" = "builder" }`) +
					marketingSync),
				Check: env.checkUnmanagedRow(t, "engineering"),
			},
			{
				// A row destroy.
				Config: env.config(instance(`{ "Everyone" = "end-user", "Ops" = "builder" }`)),
				Check:  env.checkUnmanagedRow(t, "engineering"),
			},
		},
	})
}

// TestAccInstanceOIDC_recordDropped runs against a ToolJet that stores only
// the configs keys of its OpenId type, so every save loses the provider's
// record. The apply must fail and name the record key.
func TestAccInstanceOIDC_recordDropped(t *testing.T) {
	parallel(t)
	env := newTestEnv(t, func(o *emulator.Options) { o.DropUnknownConfigKeys = true })
	env.requireEmulator(t)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{{
			Config:      env.config(instanceOIDCConfig("secret")),
			ExpectError: regexp.MustCompile(ssostate.RecordKey),
		}},
	})
}

// TestAccWorkspaceOIDC_writeDiscarded makes ToolJet reply 200 to a change
// of the group mapping and store nothing. The read-back shows the old
// mapping, and the apply must fail saying so.
func TestAccWorkspaceOIDC_writeDiscarded(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	marketing := env.workspaceID(t, "marketing")
	config := func(target string) string {
		return env.config(workspaceOIDCConfig(marketing, "Okta", fmt.Sprintf(`
  client_secret = "secret"

  group_sync = {
    group_mapping = { "Everyone" = %q }
  }`, target)))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config("end-user")},
			{
				PreConfig: func() {
					env.emulator.AddFault(emulator.Fault{Method: http.MethodPatch,
						Path: workspaceSSOPath, Discard: true})
				},
				Config:      config("builder"),
				ExpectError: textPattern("the group mapping differs from what was written"),
			},
			{
				PreConfig: env.emulator.ClearFaults,
				Config:    config("builder"),
			},
		},
	})
}

// TestAccInstanceOIDC_destroyKeepsSettings destroys tooljet_instance_oidc
// with group sync on. As documented, the name, the claim name and the
// instance mapping stay in ToolJet, and so do the rows of
// tooljet_workspace_group_sync resources.
func TestAccInstanceOIDC_destroyKeepsSettings(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	keptSettings := func(snap *ssostate.Snapshot) error {
		want := map[string]string{"Marketing Team": "marketing"}
		switch {
		case snap.Name != "Okta":
			return fmt.Errorf("name is %q after destroy, expected Okta", snap.Name)
		case snap.ClaimName != "roles":
			return fmt.Errorf("claim name is %q after destroy, expected roles", snap.ClaimName)
		case !maps.Equal(snap.InstanceMapping(), want):
			return fmt.Errorf("instance mapping is %v after destroy, expected %v",
				snap.InstanceMapping(), want)
		case snap.ClientID != "":
			return fmt.Errorf("client ID is still %q after destroy", snap.ClientID)
		case snap.Enabled:
			return errors.New("instance OIDC is still enabled after destroy")
		case snap.GroupSyncEnabled:
			return errors.New("instance group sync is still on after destroy")
		}
		return nil
	}
	instance := instanceWithGroupSync(`claim_name    = "roles"
    group_mapping = { "Marketing Team" = "marketing" }`)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		CheckDestroy:             env.checkStored(keptSettings),
		Steps: []resource.TestStep{
			{Config: env.config(workspaceLookup + instance + marketingSync)},
			{
				// Only tooljet_instance_oidc is destroyed.
				Config: env.config(workspaceLookup + marketingSync),
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkStored(keptSettings),
					env.checkRow(t, "marketing", func(row *ssostate.Row) error {
						if row == nil {
							return errors.New("the row of tooljet_workspace_group_sync was deleted")
						}
						return nil
					}),
				),
			},
		},
	})
}

// TestAccGroupSync_mixedApply applies, in one run, resources that do not
// refer to each other but write the same instance SSO object: mappings on
// the default workspace, a new row and a change of the instance mapping.
// Every write must survive.
//
// NOTE: the provider has no test option to turn off the read-back retries,
// which can repair a lost update, so without the write lock this test fails
// often but not on every run.
func TestAccGroupSync_mixedApply(t *testing.T) {
	parallel(t)
	env := newTestEnv(t, func(o *emulator.Options) { o.Latency = 10 * time.Millisecond })
	defaultWorkspace := `
data "tooljet_workspace" "default" {
  slug = "my-workspace"
}
`
	instance := func(mapping string) string {
		return instanceWithGroupSync(`group_mapping = ` + mapping)
	}
	// for_each would fit, but the legacy Check functions cannot read its
	// instances.
	mappings := `
resource "tooljet_group_mapping" "admins" {
  workspace_id  = data.tooljet_workspace.default.id
  idp_group     = "Admins"
  tooljet_group = "admin"
}

resource "tooljet_group_mapping" "builders" {
  workspace_id  = data.tooljet_workspace.default.id
  idp_group     = "Builders"
  tooljet_group = "builder"
}

resource "tooljet_group_mapping" "viewers" {
  workspace_id  = data.tooljet_workspace.default.id
  idp_group     = "Viewers"
  tooljet_group = "end-user"
}

resource "tooljet_workspace_group_sync" "sales" {
  workspace_id = data.tooljet_workspace.sales.id
}
`
	mixed := env.config(workspaceLookup + defaultWorkspace +
		instance(`{ "Everyone" = "end-user", "Ops" = "builder" }`) + mappings)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: env.config(workspaceLookup + defaultWorkspace +
				instance(`{ "Everyone" = "end-user" }`))},
			{
				Config: mixed,
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkRow(t, "my-workspace", rowMapping(map[string]string{
						"Everyone": "end-user", "Ops": "builder", "Admins": "admin",
						"Builders": "builder", "Viewers": "end-user",
					})),
					env.checkRow(t, "sales", rowMapping(map[string]string{
						"Everyone": "end-user", "Ops": "builder",
					})),
				),
			},
			{
				Config: mixed,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// crashPattern matches Terraform's output for a provider that panicked or
// stopped responding.
var crashPattern = regexp.MustCompile(`(?i)panic|plugin did not respond|failed to respond|` +
	`plugin exited|unexpected EOF|rpc error`)

// TestAccFaults_nullNestedObjects makes ToolJet return null for, or leave
// out, a nested object on each read route the provider uses. A plan must
// then fail with a clear error or show no changes, and never crash the
// provider. A row's null group_mapping is not among them: ToolJet stores a
// row saved without a mapping that way, and it reads as an empty mapping.
func TestAccFaults_nullNestedObjects(t *testing.T) {
	parallel(t)
	cases := []struct {
		path string
		key  string
	}{
		{instanceSSOPath, "configs"},
		{instanceSSOPath, "oidc_group_syncs"},
		{workspaceConfigsPath, "organization_details"},
		{workspaceConfigsPath, "configs"},
		{workspaceConfigsPath, "oidc_group_syncs"},
	}
	for _, tc := range cases {
		for _, kind := range []string{"null", "omit"} {
			t.Run(kind+" "+tc.key+" on "+tc.path, func(t *testing.T) {
				parallel(t)
				fault := emulator.Fault{Method: http.MethodGet, Path: tc.path}
				if kind == "null" {
					fault.Null = []string{tc.key}
				} else {
					fault.Omit = []string{tc.key}
				}
				testNullNestedObject(t, fault)
			})
		}
	}
}

// incompleteResponsePattern matches the provider's error for a response
// without a nested object that it needs.
var incompleteResponsePattern = regexp.MustCompile(`has\s+no\s+(organization_details|` +
	`configs|oidc_group_syncs)`)

// testNullNestedObject applies a configuration that reads both routes, then
// plans it again under the fault. The plan may fail with an error, but not
// with a crash, and a plan that succeeds must be empty.
func testNullNestedObject(t *testing.T, fault emulator.Fault) {
	env := newTestEnv(t)
	env.requireEmulator(t)
	sales := env.workspaceID(t, "sales")
	config := env.config(workspaceLookup + instanceWithGroupSync(
		`group_mapping = { "Everyone" = "end-user" }`) + marketingSync +
		workspaceOIDCConfig(sales, "Okta", `
  client_secret = "secret"

  group_sync = {
    group_mapping = { "Everyone" = "end-user" }
  }`))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		ErrorCheck: func(err error) error {
			// The destroy after a failed test must not run under the fault.
			env.emulator.ClearFaults()
			if crashPattern.MatchString(err.Error()) ||
				strings.Contains(err.Error(), "plan was not empty") ||
				!incompleteResponsePattern.MatchString(err.Error()) {
				return err
			}
			t.Logf("fault %q: the plan failed with: %v", fault.String(), err)
			return nil
		},
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() { env.emulator.AddFault(fault) },
				Config:    config,
				PlanOnly:  true,
			},
			{
				PreConfig: env.emulator.ClearFaults,
				Config:    config,
				PlanOnly:  true,
			},
		},
	})
}

// TestAccInstanceOIDC_switchedOff stores enabled = false for instance OIDC
// and for its group sync. ToolJet returns false as it was sent, so the next
// plan must be empty.
func TestAccInstanceOIDC_switchedOff(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	config := func(groupSync string) string {
		return env.config(fmt.Sprintf(`
resource "tooljet_instance_oidc" "test" {
  name           = "Okta"
  enabled        = false
  client_id      = "tooljet-client"
  client_secret  = "secret"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"

  group_sync = {
    %s
  }
}
`, groupSync))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps:                    switchedOffSteps(config),
	})
}

// switchedOffSteps applies config with group sync on and then off, each
// followed by a plan that must be empty.
func switchedOffSteps(config func(groupSync string) string) []resource.TestStep {
	emptyPlan := resource.ConfigPlanChecks{
		PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
	}
	return []resource.TestStep{
		{Config: config("")},
		{Config: config(""), ConfigPlanChecks: emptyPlan},
		{Config: config("enabled = false")},
		{Config: config("enabled = false"), ConfigPlanChecks: emptyPlan},
	}
}

// TestAccWorkspaceOIDC_switchedOff is TestAccInstanceOIDC_switchedOff for a
// workspace OIDC provider.
func TestAccWorkspaceOIDC_switchedOff(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	marketing := env.workspaceID(t, "marketing")
	config := func(groupSync string) string {
		return env.config(workspaceOIDCConfig(marketing, "Okta", fmt.Sprintf(`
  enabled       = false
  client_secret = "secret"

  group_sync = {
    %s
  }`, groupSync)))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps:                    switchedOffSteps(config),
	})
}

// TestAccFaults_grantTypeOmitted makes ToolJet leave grant_type out of the
// configs it returns, as a configuration saved without it would be. The
// configured default, authorization_code, must not show as a change.
func TestAccFaults_grantTypeOmitted(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	marketing := env.workspaceID(t, "marketing")
	config := env.config(instanceOIDCConfig("secret") +
		workspaceOIDCConfig(marketing, "Okta", `  client_secret = "secret"`))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					for _, path := range []string{instanceSSOPath, workspaceConfigsPath} {
						env.emulator.AddFault(emulator.Fault{Method: http.MethodGet, Path: path,
							Omit: []string{"grant_type"}})
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				PreConfig: env.emulator.ClearFaults,
				Config:    config,
			},
		},
	})
}

// TestAccInstanceOIDC_secretPlaceholder runs against a ToolJet that returns
// "********" in place of a stored client secret. Changing the name writes
// the whole configs object again, and the secret stored must stay the
// configured one, never the placeholder.
func TestAccInstanceOIDC_secretPlaceholder(t *testing.T) {
	parallel(t)
	env := newTestEnv(t, func(o *emulator.Options) { o.SecretRead = emulator.SecretsPlaceholder })
	env.requireEmulator(t)
	const secret = "configured-secret"
	config := func(name string) string {
		return env.config(strings.Replace(instanceOIDCConfig(secret), `"Okta"`,
			fmt.Sprintf("%q", name), 1))
	}
	storedSecret := func(*terraform.State) error {
		var stored any
		env.emulator.View(func(st *emulator.State) {
			if row := st.InstanceOIDC(); row != nil {
				stored = st.DecryptedConfigs(row)[oidcKeyClientSecret]
			}
		})
		switch stored {
		case secret:
			return nil
		case emulator.SecretPlaceholder:
			return errors.New("ToolJet stores the placeholder " + emulator.SecretPlaceholder +
				" as the client secret")
		}
		return errors.New("the stored client secret is not the configured one")
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config("Okta"), Check: storedSecret},
			{Config: config("Okta SSO"), Check: storedSecret},
			{
				Config: config("Okta SSO"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}
