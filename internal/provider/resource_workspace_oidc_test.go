package provider

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/compare"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
)

const (
	workspaceOIDCAddress = "tooljet_workspace_oidc.test"
	workspaceOIDCPatch   = "PATCH /api/login-configs/organization-sso"
	workspaceOIDCDelete  = "DELETE /api/login-configs/organization-sso/{configId}"
	testWellKnownURL     = "https://idp.example.com/.well-known/openid-configuration"
)

// workspaceOIDCConfig is a tooljet_workspace_oidc with the client ID
// "tooljet-client". The body argument adds attributes such as the secret.
func workspaceOIDCConfig(workspaceID, name, body string) string {
	return fmt.Sprintf(`
resource "tooljet_workspace_oidc" "test" {
  workspace_id   = %q
  name           = %q
  client_id      = "tooljet-client"
  well_known_url = %q
%s
}
`, workspaceID, name, testWellKnownURL, body)
}

// oidcProviders reads a workspace's OIDC providers directly, bypassing the
// provider under test.
func (e *testEnv) oidcProviders(workspaceID string) ([]client.SSOConfig, error) {
	sso, err := e.client.GetWorkspaceSSO(context.Background(), workspaceID)
	if err != nil {
		return nil, err
	}
	return openIDProviders(sso.SSOConfigs), nil
}

// createOIDCProviderInUI creates an enabled OIDC provider named "Set in
// the UI" in a workspace, bypassing the provider under test, and returns
// its config ID.
func (e *testEnv) createOIDCProviderInUI(t *testing.T, workspaceID, clientID string) string {
	t.Helper()
	enabled := true
	id, err := e.client.UpdateWorkspaceSSO(context.Background(), workspaceID,
		client.SSOUpdate{Type: client.SSOTypeOpenID, Enabled: &enabled, Configs: map[string]any{
			oidcKeyName: "Set in the UI", oidcKeyClientID: clientID,
			oidcKeyClientSecret: "ui-secret", oidcKeyWellKnownURL: testWellKnownURL,
		}})
	if err != nil {
		t.Fatalf("creating a provider out of band: %v", err)
	}
	return id
}

// onlyOIDCProvider returns the workspace's single OIDC provider and fails
// when there is not exactly one.
func (e *testEnv) onlyOIDCProvider(t *testing.T, workspaceID string) client.SSOConfig {
	t.Helper()
	providers, err := e.oidcProviders(workspaceID)
	if err != nil {
		t.Fatalf("reading the OIDC providers of workspace %s: %v", workspaceID, err)
	}
	if len(providers) != 1 {
		t.Fatalf("workspace %s has %d OIDC providers, expected 1", workspaceID, len(providers))
	}
	return providers[0]
}

// checkOIDCProviders runs check on the workspace's OIDC providers.
func (e *testEnv) checkOIDCProviders(workspaceID string,
	check func(providers []client.SSOConfig) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		providers, err := e.oidcProviders(workspaceID)
		if err != nil {
			return err
		}
		return check(providers)
	}
}

// storedEmulatorConfigs returns the configs object of an SSO row as the
// emulator stores it, with secrets decrypted.
func (e *testEnv) storedEmulatorConfigs(configID string) map[string]any {
	var configs map[string]any
	e.emulator.View(func(st *emulator.State) {
		if row := st.SSOConfigByID(configID); row != nil {
			configs = st.DecryptedConfigs(row)
		}
	})
	return configs
}

// checkStoredSecret compares the emulator's stored client secret of the
// workspace's only OIDC provider with want.
func (e *testEnv) checkStoredSecret(workspaceID, want string) resource.TestCheckFunc {
	return e.checkOIDCProviders(workspaceID, func(providers []client.SSOConfig) error {
		if len(providers) != 1 {
			return fmt.Errorf("workspace has %d OIDC providers, expected 1", len(providers))
		}
		secret, _ := e.storedEmulatorConfigs(providers[0].ID)[oidcKeyClientSecret].(string)
		if secret != want {
			return fmt.Errorf("the stored client secret is not the expected one (length %d, "+
				"expected length %d)", len(secret), len(want))
		}
		return nil
	})
}

// checkStateIDIsOnlyProvider checks that the workspace has exactly one OIDC
// provider and that the resource's id is that provider.
func (e *testEnv) checkStateIDIsOnlyProvider(workspaceID string) resource.TestCheckFunc {
	return resource.TestCheckResourceAttrWith(workspaceOIDCAddress, "id", func(id string) error {
		providers, err := e.oidcProviders(workspaceID)
		if err != nil {
			return err
		}
		if len(providers) != 1 {
			return fmt.Errorf("workspace has %d OIDC providers, expected 1", len(providers))
		}
		if providers[0].ID != id {
			return fmt.Errorf("state id is %s, but the workspace's provider is %s", id,
				providers[0].ID)
		}
		return nil
	})
}

// importID returns an ImportStateIdFunc for "<workspace>/<config ID>".
func importID(workspaceKey string) resource.ImportStateIdFunc {
	return func(s *terraform.State) (string, error) {
		rs, ok := s.RootModule().Resources[workspaceOIDCAddress]
		if !ok {
			return "", errors.New(workspaceOIDCAddress + " is not in the state")
		}
		return workspaceKey + "/" + rs.Primary.ID, nil
	}
}

func TestAccWorkspaceOIDC_basic(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	marketing := env.workspaceID(t, "marketing")
	sameID := statecheck.CompareValue(compare.ValuesSame())

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		CheckDestroy: env.checkOIDCProviders(marketing, func(providers []client.SSOConfig) error {
			if len(providers) != 0 {
				return fmt.Errorf("workspace still has %d OIDC providers after destroy",
					len(providers))
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: env.config(workspaceOIDCConfig(marketing, "Okta", `
  client_secret  = "first-secret"

  group_sync = {
    group_mapping = {
      "everyone"       = "end-user"
      "marketing team" = "marketing"
    }
  }`)),
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(workspaceOIDCAddress, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(workspaceOIDCAddress, tfjsonpath.New("workspace_id"),
						knownvalue.StringExact(marketing)),
					statecheck.ExpectKnownValue(workspaceOIDCAddress, tfjsonpath.New("enabled"),
						knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(workspaceOIDCAddress, tfjsonpath.New("grant_type"),
						knownvalue.StringExact("authorization_code")),
					statecheck.ExpectKnownValue(workspaceOIDCAddress,
						tfjsonpath.New("group_sync").AtMapKey("claim_name"),
						knownvalue.StringExact("groups")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkStateIDIsOnlyProvider(marketing),
					env.checkStoredSecret(marketing, "first-secret"),
					env.checkOIDCProviders(marketing, func(providers []client.SSOConfig) error {
						sync := providerGroupSync(&providers[0])
						if sync == nil {
							return errors.New("the provider has no group sync row")
						}
						if !groupSyncOn(sync) {
							return errors.New("group sync is off")
						}
						if sync.GroupMapping["marketing team"] != "marketing" {
							return fmt.Errorf("stored mapping is %v", sync.GroupMapping)
						}
						return nil
					}),
				),
			},
			{
				ResourceName:            workspaceOIDCAddress,
				ImportState:             true,
				ImportStateIdFunc:       importID("marketing"),
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"client_secret"},
				ImportStateCheck:        importedWithoutSecret,
			},
			{
				ResourceName:            workspaceOIDCAddress,
				ImportState:             true,
				ImportStateIdFunc:       importID(marketing),
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"client_secret"},
				ImportStateCheck:        importedWithoutSecret,
			},
			{
				// Changing only the name must keep the stored secret, although
				// ToolJet replaces the whole configs object on every save.
				Config: env.config(workspaceOIDCConfig(marketing, "Okta SSO", `
  group_sync = {
    group_mapping = {
      "everyone"       = "end-user"
      "marketing team" = "marketing"
    }
  }`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(workspaceOIDCAddress,
							plancheck.ResourceActionUpdate),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					sameID.AddStateValue(workspaceOIDCAddress, tfjsonpath.New("id")),
					statecheck.ExpectKnownValue(workspaceOIDCAddress, tfjsonpath.New("name"),
						knownvalue.StringExact("Okta SSO")),
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkStateIDIsOnlyProvider(marketing),
					env.checkStoredSecret(marketing, "first-secret"),
				),
			},
		},
	})
}

func TestAccWorkspaceOIDC_mappingKeys(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	marketing := env.workspaceID(t, "marketing")
	config := env.config(workspaceOIDCConfig(marketing, "Okta", `
  client_secret  = "secret"

  group_sync = {
    claim_name = "roles"
    group_mapping = {
      "Marketing Team"  = "marketing"
      "OIDC"            = "admin"
      "Team2B Builders" = "builder"
      "2024 Interns"    = "End-User"
      "R&D (EU)"        = "end-user"
    }
  }`))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(workspaceOIDCAddress,
						tfjsonpath.New("group_sync").AtMapKey("group_mapping").AtMapKey("OIDC"),
						knownvalue.StringExact("admin")),
					statecheck.ExpectKnownValue(workspaceOIDCAddress,
						tfjsonpath.New("group_sync").AtMapKey("group_mapping"),
						knownvalue.MapSizeExact(5)),
				},
				Check: env.checkOIDCProviders(marketing, func(providers []client.SSOConfig) error {
					// ToolJet stores the keys as sent and rewrites them on read.
					var stored map[string]string
					env.emulator.View(func(st *emulator.State) {
						for _, sync := range st.GroupSyncsFor(providers[0].ID) {
							stored = sync.GroupMapping
						}
					})
					if stored["Marketing Team"] != "marketing" {
						return fmt.Errorf("stored mapping is %v, expected the keys as written",
							stored)
					}
					return nil
				}),
			},
			{
				// ToolJet returns "Marketing Team" as "marketing _team" and
				// "OIDC" as "o_i_d_c": the second plan must still be empty.
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccWorkspaceOIDC_groupSyncRemoved(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	marketing := env.workspaceID(t, "marketing")
	withoutSync := env.config(workspaceOIDCConfig(marketing, "Okta", `  client_secret = "s"`))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config: env.config(workspaceOIDCConfig(marketing, "Okta", `
  client_secret = "s"

  group_sync = {
    claim_name    = "roles"
    group_mapping = { "sales team" = "builder" }
  }`)),
			},
			{
				// Without the block, group sync is switched off and its
				// settings stay in ToolJet.
				Config: withoutSync,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(workspaceOIDCAddress, tfjsonpath.New("group_sync"),
						knownvalue.Null()),
				},
				Check: env.checkOIDCProviders(marketing, func(providers []client.SSOConfig) error {
					sync := providerGroupSync(&providers[0])
					switch {
					case sync == nil:
						return errors.New("the group sync row was deleted")
					case groupSyncOn(sync):
						return errors.New("group sync is still on")
					case sync.ClaimName != "roles":
						return fmt.Errorf("the claim name changed to %q", sync.ClaimName)
					case sync.GroupMapping["sales team"] != "builder":
						return fmt.Errorf("the mapping changed to %v", sync.GroupMapping)
					}
					return nil
				}),
			},
			{
				Config: withoutSync,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

func TestAccWorkspaceOIDC_writeOnlySecret(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	marketing := env.workspaceID(t, "marketing")
	config := func(name, secret string, version int) string {
		return env.config(workspaceOIDCConfig(marketing, name, fmt.Sprintf(`
  client_secret_wo         = %q
  client_secret_wo_version = %d`, secret, version)))
	}
	noSecretInState := []statecheck.StateCheck{
		statecheck.ExpectKnownValue(workspaceOIDCAddress, tfjsonpath.New("client_secret"),
			knownvalue.Null()),
		statecheck.ExpectKnownValue(workspaceOIDCAddress, tfjsonpath.New("client_secret_wo"),
			knownvalue.Null()),
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config:            config("Okta", "wo-secret-1", 1),
				ConfigStateChecks: noSecretInState,
				Check:             env.checkStoredSecret(marketing, "wo-secret-1"),
			},
			{
				// A new value without a new version is not sent.
				Config:            config("Okta 2", "wo-secret-2", 1),
				ConfigStateChecks: noSecretInState,
				Check:             env.checkStoredSecret(marketing, "wo-secret-1"),
			},
			{
				Config:            config("Okta 2", "wo-secret-2", 2),
				ConfigStateChecks: noSecretInState,
				Check:             env.checkStoredSecret(marketing, "wo-secret-2"),
			},
		},
	})
}

func TestAccWorkspaceOIDC_drift(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	marketing := env.workspaceID(t, "marketing")
	config := env.config(workspaceOIDCConfig(marketing, "Okta", `
  client_secret = "secret"

  group_sync = {
    group_mapping = { "Sales Team" = "builder" }
  }`))
	// change edits the provider in the emulator, as ToolJet's UI would.
	change := func(edit func(st *emulator.State, id string)) func() {
		return func() {
			id := env.onlyOIDCProvider(t, marketing).ID
			err := env.emulator.Update(func(st *emulator.State) error {
				edit(st, id)
				return nil
			})
			if err != nil {
				t.Fatalf("changing the provider out of band: %v", err)
			}
		}
	}
	expectUpdate := resource.ConfigPlanChecks{
		PreApply: []plancheck.PlanCheck{
			plancheck.ExpectResourceAction(workspaceOIDCAddress, plancheck.ResourceActionUpdate),
		},
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: change(func(st *emulator.State, id string) {
					st.SSOConfigByID(id).Configs[oidcKeyName] = "Changed in the UI"
				}),
				Config:           config,
				ConfigPlanChecks: expectUpdate,
				Check: env.checkOIDCProviders(marketing, func(providers []client.SSOConfig) error {
					if name := providers[0].ConfigString("name"); name != "Okta" {
						return fmt.Errorf("the name drift was not corrected: name is %q", name)
					}
					return nil
				}),
			},
			{
				PreConfig: change(func(st *emulator.State, id string) {
					for _, sync := range st.GroupSyncsFor(id) {
						sync.ClaimName = "roles"
					}
				}),
				Config:           config,
				ConfigPlanChecks: expectUpdate,
				Check: env.checkOIDCProviders(marketing, func(providers []client.SSOConfig) error {
					sync := providerGroupSync(&providers[0])
					if sync.ClaimName != "groups" {
						return fmt.Errorf("the claim drift was not corrected: %q", sync.ClaimName)
					}
					return nil
				}),
			},
			{
				PreConfig: change(func(st *emulator.State, id string) {
					for _, sync := range st.GroupSyncsFor(id) {
						sync.GroupMapping["Sales Team"] = "admin"
					}
				}),
				Config:           config,
				ConfigPlanChecks: expectUpdate,
				Check: env.checkOIDCProviders(marketing, func(providers []client.SSOConfig) error {
					sync := providerGroupSync(&providers[0])
					if sync.GroupMapping["sales _team"] != "builder" {
						return fmt.Errorf("the mapping drift was not corrected: %v",
							sync.GroupMapping)
					}
					return nil
				}),
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

func TestAccWorkspaceOIDC_disappears(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	marketing := env.workspaceID(t, "marketing")
	config := env.config(workspaceOIDCConfig(marketing, "Okta", `  client_secret = "secret"`))
	var firstID string

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config: config,
				Check: resource.TestCheckResourceAttrWith(workspaceOIDCAddress, "id",
					func(id string) error {
						firstID = id
						return nil
					}),
			},
			{
				PreConfig: func() {
					err := env.emulator.Update(func(st *emulator.State) error {
						st.SSOConfigs = slices.DeleteFunc(st.SSOConfigs,
							func(c *emulator.SSOConfig) bool { return c.ID == firstID })
						return nil
					})
					if err != nil {
						t.Fatalf("deleting the provider out of band: %v", err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(workspaceOIDCAddress,
							plancheck.ResourceActionCreate),
					},
				},
				Check: resource.ComposeAggregateTestCheckFunc(
					env.checkStateIDIsOnlyProvider(marketing),
					resource.TestCheckResourceAttrWith(workspaceOIDCAddress, "id",
						func(id string) error {
							if id == firstID {
								return errors.New("the state still has the deleted provider's ID")
							}
							return nil
						}),
				),
			},
		},
	})
}

func TestAccWorkspaceOIDC_workspaceDeleted(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	marketing := env.workspaceID(t, "marketing")
	config := env.config(workspaceOIDCConfig(marketing, "Okta", `  client_secret = "secret"`))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config},
			{
				// The refresh removes the resource, and creating it again
				// fails at plan time with an error that names the workspace.
				PreConfig: func() {
					err := env.emulator.Update(func(st *emulator.State) error {
						st.DeleteWorkspace(marketing)
						return nil
					})
					if err != nil {
						t.Fatalf("deleting the workspace: %v", err)
					}
					env.emulator.ResetRequestCounts()
				},
				Config:      config,
				PlanOnly:    true,
				ExpectError: textPattern("Unknown workspace"),
			},
			{
				// Removing the resource from the configuration then needs no
				// delete request.
				Config: env.providerConfig(),
				Check: func(*terraform.State) error {
					if n := env.emulator.RequestCounts()[workspaceOIDCDelete]; n != 0 {
						return fmt.Errorf("%d delete requests were sent for a deleted workspace", n)
					}
					return nil
				},
			},
		},
	})
}

func TestAccWorkspaceOIDC_ambiguousCreate(t *testing.T) {
	parallel(t)
	cases := map[string]struct {
		fault emulator.Fault
		// patches is how many create requests reach ToolJet.
		patches int
	}{
		"504 after commit": {
			fault:   emulator.Fault{Status: http.StatusGatewayTimeout, CommitThenFail: true},
			patches: 1,
		},
		"dropped after commit": {
			fault:   emulator.Fault{Drop: true, CommitThenFail: true},
			patches: 1,
		},
		"dropped before commit": {
			fault:   emulator.Fault{Drop: true},
			patches: 2,
		},
		"success without an ID": {
			fault:   emulator.Fault{Omit: []string{"id"}},
			patches: 1,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			parallel(t)
			env := newTestEnv(t)
			env.requireEmulator(t)
			marketing := env.workspaceID(t, "marketing")
			fault := tc.fault
			fault.Method = http.MethodPatch
			fault.Path = "/api/login-configs/organization-sso"
			fault.Count = 1
			env.emulator.AddFault(fault)

			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(testOptions{}),
				Steps: []resource.TestStep{{
					Config: env.config(workspaceOIDCConfig(marketing, "Okta",
						`  client_secret = "secret"`)),
					Check: resource.ComposeAggregateTestCheckFunc(
						env.checkStateIDIsOnlyProvider(marketing),
						func(*terraform.State) error {
							if n := env.emulator.RequestCounts()[workspaceOIDCPatch]; n != tc.patches {
								return fmt.Errorf("%d create requests reached ToolJet, expected %d",
									n, tc.patches)
							}
							return nil
						},
					),
				}},
			})
		})
	}
}

func TestAccWorkspaceOIDC_clientIDExists(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	marketing := env.workspaceID(t, "marketing")
	existingID := env.createOIDCProviderInUI(t, marketing, "tooljet-client")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{{
			Config: env.config(workspaceOIDCConfig(marketing, "Okta", `  client_secret = "s"`)),
			ExpectError: textPattern(fmt.Sprintf(`already has an OIDC provider with the client ID `+
				`"tooljet-client" (config ID %s). To manage it with Terraform, import it: `+
				`terraform import tooljet_workspace_oidc.<name> <workspace ID or slug>/%s`,
				existingID, existingID)),
		}},
	})
	provider := env.onlyOIDCProvider(t, marketing)
	if provider.ID != existingID {
		t.Errorf("the workspace's provider is %s, expected %s", provider.ID, existingID)
	}
	if name := provider.ConfigString("name"); name != "Set in the UI" {
		t.Errorf("the failed create changed the existing provider's name to %q", name)
	}
}

func TestAccWorkspaceOIDC_envManaged(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	marketing := env.workspaceID(t, "marketing")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: env.config(workspaceOIDCConfig(marketing, "Okta", `  client_secret = "s"`))},
			{
				PreConfig: func() {
					id := env.onlyOIDCProvider(t, marketing).ID
					err := env.emulator.Update(func(st *emulator.State) error {
						st.SSOConfigByID(id).UseEnvConfig = true
						return nil
					})
					if err != nil {
						t.Fatalf("marking the provider as environment-managed: %v", err)
					}
				},
				Config: env.config(workspaceOIDCConfig(marketing, "Okta 2",
					`  client_secret = "s"`)),
				ExpectError: textPattern("from environment variables (WORKSPACE_OIDC_CONFIG, " +
					"use_env_config is true)"),
			},
		},
	})
}

func TestAccWorkspaceOIDC_hiddenSecret(t *testing.T) {
	parallel(t)
	env := newTestEnv(t, func(o *emulator.Options) { o.SecretRead = emulator.SecretsMasked })
	env.requireEmulator(t)
	marketing := env.workspaceID(t, "marketing")
	config := func(name string) string {
		return env.config(workspaceOIDCConfig(marketing, name, `
  client_secret_wo         = "hidden-secret"
  client_secret_wo_version = 1`))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config("Okta")},
			{
				// ToolJet returns the secret masked, so the update writes
				// client_secret_wo again rather than the placeholder.
				Config: config("Okta 2"),
				Check:  env.checkStoredSecret(marketing, "hidden-secret"),
			},
			{
				// Without client_secret_wo, writing the provider back could
				// wipe the hidden secret.
				Config:      env.config(workspaceOIDCConfig(marketing, "Okta 3", "")),
				ExpectError: textPattern("with a client ID but an empty client secret"),
			},
			{
				Config: config("Okta"),
				Check:  env.checkStoredSecret(marketing, "hidden-secret"),
			},
		},
	})
}

func TestAccWorkspaceOIDC_licenseWithoutOIDC(t *testing.T) {
	parallel(t)
	t.Run("at plan", func(t *testing.T) {
		parallel(t)
		env := newTestEnv(t, func(o *emulator.Options) {
			o.License = &emulator.License{OIDC: false, CustomGroups: true}
		})
		env.requireEmulator(t)
		marketing := env.workspaceID(t, "marketing")

		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(testOptions{}),
			Steps: []resource.TestStep{{
				Config: env.config(workspaceOIDCConfig(marketing, "Okta", `  client_secret = "s"`)),
				ExpectError: regexp.MustCompile(`(?s)ToolJet's license does not include OIDC.*` +
					`then plan again`),
			}},
		})
		if n := env.emulator.RequestCounts()[workspaceOIDCPatch]; n != 0 {
			t.Errorf("the plan-time error came after %d writes, expected none", n)
		}
	})
	t.Run("at apply", func(t *testing.T) {
		// The license changes between the plan and the write.
		parallel(t)
		env := newTestEnv(t)
		env.requireEmulator(t)
		marketing := env.workspaceID(t, "marketing")
		env.emulator.AddFault(emulator.Fault{Method: http.MethodPatch,
			Path: "/api/login-configs/organization-sso", Status: http.StatusUnavailableForLegalReasons})

		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(testOptions{}),
			Steps: []resource.TestStep{{
				Config: env.config(workspaceOIDCConfig(marketing, "Okta", `  client_secret = "s"`)),
				ExpectError: regexp.MustCompile(`(?s)Unable to create workspace OIDC provider.*` +
					`license does not include OpenID Connect SSO.*HTTP 451`),
			}},
		})
	})
}

func TestAccWorkspaceOIDC_invalidWorkspace(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	cases := map[string]struct {
		workspace string
		want      string
	}{
		"slug instead of ID": {
			workspace: "marketing",
			want: fmt.Sprintf(`workspace_id must be a workspace ID, but "marketing" is the `+
				`slug or name of workspace %s.`, env.workspaceID(t, "marketing")),
		},
		"unknown workspace": {
			workspace: "no-such-workspace",
			want:      `ToolJet has no active workspace with the ID, slug or name "no-such-workspace"`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(testOptions{}),
				Steps: []resource.TestStep{{
					Config: env.config(workspaceOIDCConfig(tc.workspace, "Okta",
						`  client_secret = "s"`)),
					ExpectError: textPattern(tc.want),
				}},
			})
		})
	}
	if n := env.emulator.RequestCounts()[workspaceOIDCPatch]; n != 0 {
		t.Errorf("invalid workspaces sent %d writes to ToolJet, expected none", n)
	}
}

// routeMissingProxy starts a proxy in front of the emulator that replies to
// every DELETE request as a ToolJet without that route does, with NestJS's
// 404 "Cannot DELETE <path>".
func routeMissingProxy(t *testing.T, target string) string {
	t.Helper()
	targetURL, err := url.Parse(target)
	if err != nil {
		t.Fatalf("parsing the emulator URL: %v", err)
	}
	proxy := httputil.NewSingleHostReverseProxy(targetURL)
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodDelete {
			proxy.ServeHTTP(w, r)
			return
		}
		body, _ := json.Marshal(map[string]any{
			"statusCode": http.StatusNotFound,
			"message":    "Cannot DELETE " + r.URL.Path,
			"error":      "Not Found",
		})
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write(body)
	}))
	t.Cleanup(server.Close)
	return server.URL
}

func TestAccWorkspaceOIDC_deleteRouteMissing(t *testing.T) {
	parallel(t)
	cases := map[string]func(env *testEnv) *testEnv{
		// ToolJet has no such route: NestJS names the missing route.
		"route missing": func(env *testEnv) *testEnv {
			proxied := *env
			proxied.host = routeMissingProxy(t, env.host)
			return &proxied
		},
		// A 404 without ToolJet's message, as a proxy might send: the
		// provider's presence after the request shows that it was not
		// deleted.
		"plain 404": func(env *testEnv) *testEnv {
			env.emulator.AddFault(emulator.Fault{Method: http.MethodDelete,
				Path: "/api/login-configs/organization-sso/{configId}", Count: 1,
				Status: http.StatusNotFound})
			return env
		},
	}
	for name, setup := range cases {
		t.Run(name, func(t *testing.T) {
			parallel(t)
			env := newTestEnv(t)
			env.requireEmulator(t)
			marketing := env.workspaceID(t, "marketing")
			target := setup(env)

			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: target.factories(testOptions{}),
				CheckDestroy: env.checkOIDCProviders(marketing,
					func(providers []client.SSOConfig) error {
						if len(providers) != 1 {
							return fmt.Errorf("workspace has %d OIDC providers, expected the "+
								"disabled one", len(providers))
						}
						p := providers[0]
						switch {
						case p.Enabled:
							return errors.New("the provider is still enabled")
						case p.ConfigString("client_id") != "":
							return fmt.Errorf("the client ID is still %q", p.ConfigString("client_id"))
						case p.ConfigString("client_secret") != "":
							return errors.New("the client secret is still stored")
						case p.ConfigString("name") != "Okta":
							return fmt.Errorf("the name changed to %q", p.ConfigString("name"))
						}
						return nil
					}),
				Steps: []resource.TestStep{{
					Config: target.config(workspaceOIDCConfig(marketing, "Okta",
						`  client_secret = "secret"`)),
				}},
			})
		})
	}
}

func TestClassifyDelete(t *testing.T) {
	notFound := func(message string) error {
		return &client.APIError{StatusCode: http.StatusNotFound, Method: http.MethodDelete,
			Path: "/api/login-configs/organization-sso/1", Message: message}
	}
	cases := map[string]struct {
		err  error
		want deleteOutcome
	}{
		"deleted":      {err: nil, want: deleteDone},
		"already gone": {err: notFound("SSO configuration not found"), want: deleteDone},
		"route missing": {
			err:  notFound("Cannot DELETE /api/login-configs/organization-sso/1"),
			want: deleteRouteMissing,
		},
		"plain 404": {err: notFound("Not Found"), want: deleteUnclear},
		"wrapped 404": {
			err:  fmt.Errorf("deleting: %w", notFound("Cannot DELETE /x")),
			want: deleteRouteMissing,
		},
		"forbidden": {
			err:  &client.APIError{StatusCode: http.StatusForbidden},
			want: deleteFailed,
		},
		"transport error":  {err: errors.New("connection reset"), want: deleteFailed},
		"other method 404": {err: notFound("Cannot PATCH /x"), want: deleteUnclear},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := classifyDelete(tc.err); got != tc.want {
				t.Errorf("classifyDelete(%v) = %d, expected %d", tc.err, got, tc.want)
			}
		})
	}
}

// testProvider returns an OIDC provider as ToolJet's read endpoint returns
// it.
func testProvider(id, clientID, name string) client.SSOConfig {
	return client.SSOConfig{ID: id, SSO: client.SSOTypeOpenID, Enabled: true,
		ConfigScope: client.ScopeOrganization,
		Configs:     map[string]any{"client_id": clientID, "name": name}}
}

func TestNewMatchingProviders(t *testing.T) {
	before := []client.SSOConfig{testProvider("old", "tooljet-client", "Okta")}
	cases := map[string]struct {
		after []client.SSOConfig
		want  []string
	}{
		"not stored": {
			after: before,
			want:  nil,
		},
		"stored once": {
			after: append(slices.Clone(before), testProvider("new", "tooljet-client", "Okta")),
			want:  []string{"new"},
		},
		"stored twice": {
			after: append(slices.Clone(before), testProvider("new-1", "tooljet-client", "Okta"),
				testProvider("new-2", "tooljet-client", "Okta")),
			want: []string{"new-1", "new-2"},
		},
		"another client ID": {
			after: append(slices.Clone(before), testProvider("other", "other-client", "Okta")),
			want:  nil,
		},
		"another name": {
			after: append(slices.Clone(before), testProvider("other", "tooljet-client", "Azure")),
			want:  nil,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			var got []string
			for _, p := range newMatchingProviders(before, tc.after, "tooljet-client", "Okta") {
				got = append(got, p.ID)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("new matching providers are %v, expected %v", got, tc.want)
			}
		})
	}
}

func TestDuplicateProvidersError_listsIDs(t *testing.T) {
	err := &duplicateProvidersError{workspace: `"marketing" (ws-1)`, workspaceKey: "marketing",
		clientID: "tooljet-client", configIDs: []string{"id-1", "id-2"}}
	want := `providers id-1, id-2 all have the client ID "tooljet-client"`
	if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(err.Error()) {
		t.Errorf("message %q does not list the IDs as %q", err.Error(), want)
	}
	command := "terraform import tooljet_workspace_oidc.<name> marketing/id-1"
	if !regexp.MustCompile(regexp.QuoteMeta(command)).MatchString(err.Error()) {
		t.Errorf("message %q does not show the import command %q", err.Error(), command)
	}
}

func TestCamelCaseKey(t *testing.T) {
	cases := map[string]string{
		"name":             "name",
		"client_id":        "clientId",
		"client_secret":    "clientSecret",
		"well_known_url":   "wellKnownUrl",
		"env_config_index": "envConfigIndex",
		"code_verifier":    "codeVerifier",
	}
	for read, want := range cases {
		if got := camelCaseKey(read); got != want {
			t.Errorf("camelCaseKey(%q) = %q, expected %q", read, got, want)
		}
	}
}

// testSettings are the settings of a provider named Okta.
func testSettings() oidcProviderSettings {
	return oidcProviderSettings{enabled: true, name: "Okta", clientID: "tooljet-client",
		wellKnownURL: testWellKnownURL, grantType: "authorization_code"}
}

// storedRow is a provider as read, with a readable secret, an extra key
// that the provider does not manage, and a group sync row.
func storedRow(secret string) *client.SSOConfig {
	on := true
	return &client.SSOConfig{ID: "id-1", SSO: client.SSOTypeOpenID, Enabled: true,
		Configs: map[string]any{
			"name": "Okta", "client_id": "tooljet-client", "client_secret": secret,
			"well_known_url": testWellKnownURL, "grant_type": "authorization_code",
			"code_verifier": nil,
		},
		GroupSyncs: []client.GroupSync{{ClaimName: "groups", EnableGroupSync: &on,
			GroupMapping: client.Mapping{"everyone": "end-user"}}},
	}
}

func TestWorkspaceOIDCUpdate_create(t *testing.T) {
	update, err := workspaceOIDCUpdate(nil, testSettings())
	if err != nil {
		t.Fatalf("building the create: %v", err)
	}
	if update.ConfigID != "" {
		t.Errorf("the create has the config ID %q", update.ConfigID)
	}
	if _, ok := update.Configs[oidcKeyClientSecret]; ok {
		t.Error("a create without a secret sends clientSecret")
	}
	if update.Configs[oidcKeyClientID] != "tooljet-client" {
		t.Errorf("clientId is %v", update.Configs[oidcKeyClientID])
	}
	if update.GroupSyncs != nil {
		t.Errorf("a create without group_sync sends group sync items %v", update.GroupSyncs)
	}
}

func TestWorkspaceOIDCUpdate_keepsStoredKeys(t *testing.T) {
	settings := testSettings()
	settings.name = "Okta SSO"
	update, err := workspaceOIDCUpdate(storedRow("stored-secret"), settings)
	if err != nil {
		t.Fatalf("building the update: %v", err)
	}
	if update.Configs[oidcKeyClientSecret] != "stored-secret" {
		t.Errorf("clientSecret is %v, expected the stored secret", update.Configs[oidcKeyClientSecret])
	}
	if value, ok := update.Configs["codeVerifier"]; !ok || value != nil {
		t.Errorf("codeVerifier is %v (present %t), expected the stored null", value, ok)
	}
	if _, ok := update.Configs["client_id"]; ok {
		t.Error("the update sends the snake_case key client_id")
	}
	if update.Configs[oidcKeyName] != "Okta SSO" {
		t.Errorf("name is %v", update.Configs[oidcKeyName])
	}
}

func TestWorkspaceOIDCUpdate_newSecret(t *testing.T) {
	settings := testSettings()
	secret := "new-secret"
	settings.clientSecret = &secret
	update, err := workspaceOIDCUpdate(storedRow("stored-secret"), settings)
	if err != nil {
		t.Fatalf("building the update: %v", err)
	}
	if update.Configs[oidcKeyClientSecret] != "new-secret" {
		t.Error("the update does not send the new secret")
	}
}

func TestWorkspaceOIDCUpdate_hiddenSecret(t *testing.T) {
	for _, placeholder := range []string{"", "********"} {
		_, err := workspaceOIDCUpdate(storedRow(placeholder), testSettings())
		var unknown *oidcSecretUnknownError
		if !errors.As(err, &unknown) {
			t.Errorf("secret %q: error is %v, expected an oidcSecretUnknownError", placeholder, err)
		}
	}
}

func TestWorkspaceOIDCUpdate_hiddenSecretWithoutClientID(t *testing.T) {
	row := storedRow("********")
	row.Configs["client_id"] = ""
	update, err := workspaceOIDCUpdate(row, testSettings())
	if err != nil {
		t.Fatalf("building the update: %v", err)
	}
	if _, ok := update.Configs[oidcKeyClientSecret]; ok {
		t.Error("the update writes the placeholder back as the secret")
	}
}

func TestWorkspaceOIDCUpdate_groupSyncRemoved(t *testing.T) {
	update, err := workspaceOIDCUpdate(storedRow("s"), testSettings())
	if err != nil {
		t.Fatalf("building the update: %v", err)
	}
	if len(update.GroupSyncs) != 1 {
		t.Fatalf("the update has %d group sync items, expected 1", len(update.GroupSyncs))
	}
	item := update.GroupSyncs[0]
	if item.EnableGroupSync == nil || *item.EnableGroupSync {
		t.Error("the item does not switch group sync off")
	}
	if item.ClaimName != nil {
		t.Errorf("the item changes the stored claim name to %q", *item.ClaimName)
	}
	if item.GroupMapping != nil {
		t.Errorf("the item changes the stored mapping to %v", *item.GroupMapping)
	}
}

func TestCheckWritten(t *testing.T) {
	settings := testSettings()
	settings.groupSync = &oidcGroupSyncSettings{enabled: true, claimName: "groups",
		mapping: map[string]string{"Everyone": "end-user"}}
	if err := checkWritten(storedRow("s"), settings); err != nil {
		t.Errorf("matching read-back: %v", err)
	}

	cases := map[string]func(row *client.SSOConfig){
		"disabled":   func(row *client.SSOConfig) { row.Enabled = false },
		"name":       func(row *client.SSOConfig) { row.Configs["name"] = "Other" },
		"client ID":  func(row *client.SSOConfig) { row.Configs["client_id"] = "other" },
		"grant type": func(row *client.SSOConfig) { row.Configs["grant_type"] = "" },
		"claim name": func(row *client.SSOConfig) { row.GroupSyncs[0].ClaimName = "roles" },
		"mapping value": func(row *client.SSOConfig) {
			row.GroupSyncs[0].GroupMapping["everyone"] = "admin"
		},
		"no group sync": func(row *client.SSOConfig) { row.GroupSyncs = nil },
	}
	for name, change := range cases {
		t.Run(name, func(t *testing.T) {
			row := storedRow("s")
			change(row)
			if err := checkWritten(row, settings); err == nil {
				t.Error("checkWritten accepted a read-back that differs")
			}
		})
	}
}

// TestAccWorkspaceOIDC_sameClientIDTwice plans two providers with one client
// ID in one workspace. Terraform creates them in parallel; the write lock
// makes the second see the first, so exactly one is stored and the other
// fails with the import advice.
func TestAccWorkspaceOIDC_sameClientIDTwice(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	marketing := env.workspaceID(t, "marketing")
	second := strings.Replace(workspaceOIDCConfig(marketing, "Okta again", `  client_secret = "s"`),
		`"test"`, `"again"`, 1)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{{
			Config: env.config(workspaceOIDCConfig(marketing, "Okta", `  client_secret = "s"`) +
				second),
			ExpectError: textPattern(`Another tooljet_workspace_oidc resource in this ` +
				`configuration also sets the client ID "tooljet-client" in workspace "marketing"`),
		}},
	})
	providers, err := env.oidcProviders(marketing)
	if err != nil {
		t.Fatal(err)
	}
	if len(providers) != 0 {
		t.Errorf("the workspace has %d OIDC providers, expected none: the plan must fail "+
			"before any create", len(providers))
	}
}

func TestAccWorkspaceOIDC_clientIDChangeToExisting(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	marketing := env.workspaceID(t, "marketing")
	otherID := env.createOIDCProviderInUI(t, marketing, "ui-client")
	changed := strings.Replace(workspaceOIDCConfig(marketing, "Okta", `  client_secret = "s"`),
		`"tooljet-client"`, `"ui-client"`, 1)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: env.config(workspaceOIDCConfig(marketing, "Okta", `  client_secret = "s"`))},
			{
				// PlanOnly shows that the plan fails: without the plan-time
				// check the plan succeeds and is not empty.
				Config:   env.config(changed),
				PlanOnly: true,
				ExpectError: textPattern(fmt.Sprintf(`already has an OIDC provider with the `+
					`client ID "ui-client" (config ID %s)`, otherID)),
			},
		},
	})
	providers, err := env.oidcProviders(marketing)
	if err != nil {
		t.Fatal(err)
	}
	clientIDs := map[string]int{}
	for _, p := range providers {
		clientIDs[p.ConfigString(mapping.ToolJetReadKey(oidcKeyClientID))]++
	}
	if clientIDs["ui-client"] != 1 {
		t.Errorf("%d providers have the client ID ui-client, expected 1", clientIDs["ui-client"])
	}
}
