package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

const instanceOIDCAddress = "tooljet_instance_oidc.test"

// parallel runs the test in parallel with others unless it targets a real
// ToolJet, which all tests share.
func parallel(t *testing.T) {
	if !realToolJet() {
		t.Parallel()
	}
}

// instanceOIDCConfig is a tooljet_instance_oidc named "Okta" with the given
// client secret.
func instanceOIDCConfig(secret string) string {
	return fmt.Sprintf(`
resource "tooljet_instance_oidc" "test" {
  name           = "Okta"
  client_id      = "tooljet-client"
  client_secret  = %q
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"
}
`, secret)
}

// checkStored compares the instance configuration stored in ToolJet with
// what the test expects.
func (e *testEnv) checkStored(check func(snap *ssostate.Snapshot) error) resource.TestCheckFunc {
	return func(*terraform.State) error {
		row, err := e.client.GetInstanceSSO(context.Background())
		if err != nil {
			return err
		}
		snap, err := ssostate.NewSnapshot(row)
		if err != nil {
			return err
		}
		return check(snap)
	}
}

// importedWithoutSecret checks that an import put no client secret into
// the state.
func importedWithoutSecret(states []*terraform.InstanceState) error {
	for _, st := range states {
		if secret := st.Attributes["client_secret"]; secret != "" {
			return fmt.Errorf("import stored a client secret of length %d in the state, "+
				"expected none", len(secret))
		}
	}
	return nil
}

func TestAccInstanceOIDC_basic(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		CheckDestroy: env.checkStored(func(snap *ssostate.Snapshot) error {
			switch {
			case snap.ClientID != "":
				return fmt.Errorf("client ID is still %q after destroy", snap.ClientID)
			case snap.ClientSecret != "":
				return errors.New("the client secret is still stored after destroy")
			case snap.Enabled:
				return errors.New("instance OIDC is still enabled after destroy")
			case snap.GroupSyncEnabled:
				return errors.New("instance group sync is still on after destroy")
			}
			return nil
		}),
		Steps: []resource.TestStep{
			{
				Config: env.config(instanceOIDCConfig("first-secret")),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(instanceOIDCAddress, tfjsonpath.New("id"),
						knownvalue.StringExact("instance")),
					statecheck.ExpectKnownValue(instanceOIDCAddress, tfjsonpath.New("enabled"),
						knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(instanceOIDCAddress, tfjsonpath.New("grant_type"),
						knownvalue.StringExact("authorization_code")),
					statecheck.ExpectKnownValue(instanceOIDCAddress, tfjsonpath.New("group_sync"),
						knownvalue.Null()),
				},
				Check: env.checkStored(func(snap *ssostate.Snapshot) error {
					if snap.ClientID != "tooljet-client" || snap.Name != "Okta" || !snap.Enabled {
						return fmt.Errorf("stored client ID %q, name %q, enabled %t", snap.ClientID,
							snap.Name, snap.Enabled)
					}
					if snap.ClientSecret != "first-secret" {
						return errors.New("the stored client secret is not the configured one")
					}
					return nil
				}),
			},
			{
				// Import leaves client_secret out of the state.
				ResourceName:            instanceOIDCAddress,
				ImportState:             true,
				ImportStateId:           "instance",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"client_secret"},
				ImportStateCheck:        importedWithoutSecret,
			},
			{
				// Changing only the name must keep the stored secret, although
				// ToolJet replaces the whole configs object on every save.
				Config: env.config(`
resource "tooljet_instance_oidc" "test" {
  name           = "Okta SSO"
  client_id      = "tooljet-client"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"
}
`),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(instanceOIDCAddress,
							plancheck.ResourceActionUpdate),
					},
				},
				Check: env.checkStored(func(snap *ssostate.Snapshot) error {
					if snap.Name != "Okta SSO" {
						return fmt.Errorf("stored name is %q", snap.Name)
					}
					if snap.ClientSecret != "first-secret" {
						return errors.New("the update without a secret wiped or changed the " +
							"stored client secret")
					}
					return nil
				}),
			},
		},
	})
}

func TestAccInstanceOIDC_writeOnlySecret(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	config := func(name, secret string, version int) string {
		return env.config(fmt.Sprintf(`
resource "tooljet_instance_oidc" "test" {
  name                     = %q
  client_id                = "tooljet-client"
  client_secret_wo         = %q
  client_secret_wo_version = %d
  well_known_url           = "https://idp.example.com/.well-known/openid-configuration"
}
`, name, secret, version))
	}
	storedSecret := func(want string) resource.TestCheckFunc {
		return env.checkStored(func(snap *ssostate.Snapshot) error {
			if snap.ClientSecret != want {
				return fmt.Errorf("the stored client secret is not the expected one (length %d, "+
					"expected length %d)", len(snap.ClientSecret), len(want))
			}
			return nil
		})
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config: config("Okta", "wo-secret-1", 1),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(instanceOIDCAddress, tfjsonpath.New("client_secret"),
						knownvalue.Null()),
					statecheck.ExpectKnownValue(instanceOIDCAddress,
						tfjsonpath.New("client_secret_wo"), knownvalue.Null()),
				},
				Check: storedSecret("wo-secret-1"),
			},
			{
				// A new value without a new version is not sent.
				Config: config("Okta 2", "wo-secret-2", 1),
				Check:  storedSecret("wo-secret-1"),
			},
			{
				Config: config("Okta 2", "wo-secret-2", 2),
				Check:  storedSecret("wo-secret-2"),
			},
		},
	})
}

func TestAccInstanceOIDC_writeOnlySecretHidden(t *testing.T) {
	parallel(t)
	env := newTestEnv(t, func(o *emulator.Options) { o.SecretRead = emulator.SecretsMasked })
	env.requireEmulator(t)
	config := func(name, secretArguments string) string {
		return env.config(fmt.Sprintf(`
resource "tooljet_instance_oidc" "test" {
  name           = %q
  client_id      = "tooljet-client"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"
%s
}
`, name, secretArguments))
	}
	writeOnly := `
  client_secret_wo         = "hidden-secret"
  client_secret_wo_version = 1`
	storedSecret := func(want string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			var secret string
			env.emulator.View(func(st *emulator.State) {
				if row := st.InstanceOIDC(); row != nil {
					secret, _ = st.DecryptedConfigs(row)[oidcKeyClientSecret].(string)
				}
			})
			if secret != want {
				return fmt.Errorf("the stored client secret is not the expected one (length "+
					"%d, expected length %d)", len(secret), len(want))
			}
			return nil
		}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config("Okta", writeOnly), Check: storedSecret("hidden-secret")},
			{
				// ToolJet returns the secret masked, so the update writes
				// client_secret_wo again rather than the placeholder.
				Config: config("Okta 2", writeOnly),
				Check:  storedSecret("hidden-secret"),
			},
			{
				// Without any secret argument, writing could wipe the
				// hidden secret.
				Config:      config("Okta 3", ""),
				ExpectError: textPattern("with a client ID but an empty client secret"),
			},
			{Config: config("Okta", writeOnly), Check: storedSecret("hidden-secret")},
		},
	})
}

func TestAccInstanceOIDC_groupSync(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	config := func(claim string) string {
		return env.config(fmt.Sprintf(`
resource "tooljet_instance_oidc" "test" {
  name           = "Okta"
  client_id      = "tooljet-client"
  client_secret  = "secret"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"

  group_sync = {
    claim_name = %q
    group_mapping = {
      "Marketing Team"  = "marketing"
      "OIDC"            = "admin"
      "Team2B Builders" = "builder"
      "R&D (EU)"        = "End-User"
      "everyone"        = "end-user"
    }
  }
}
`, claim))
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config: config("groups"),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(instanceOIDCAddress,
						tfjsonpath.New("group_sync").AtMapKey("group_mapping").AtMapKey("Marketing Team"),
						knownvalue.StringExact("marketing")),
					statecheck.ExpectKnownValue(instanceOIDCAddress,
						tfjsonpath.New("group_sync").AtMapKey("default_workspace_inherits"),
						knownvalue.Bool(true)),
				},
				Check: env.checkStored(func(snap *ssostate.Snapshot) error {
					if !snap.GroupSyncEnabled || snap.ClaimName != "groups" {
						return fmt.Errorf("stored group sync %t with claim %q",
							snap.GroupSyncEnabled, snap.ClaimName)
					}
					defaultID := env.workspaceID(t, "my-workspace")
					row, ok := snap.Rows[defaultID]
					if !ok {
						return errors.New("the default workspace has no group sync row")
					}
					if len(row.MappingRead) != 5 || !row.Enabled {
						return fmt.Errorf("the default workspace row has %d entries, enabled %t",
							len(row.MappingRead), row.Enabled)
					}
					return nil
				}),
			},
			{
				// ToolJet returns "Marketing Team" as "marketing _team": the
				// second plan must still be empty.
				Config: config("groups"),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				ResourceName:            instanceOIDCAddress,
				ImportState:             true,
				ImportStateId:           "instance",
				ImportStateVerify:       true,
				ImportStateVerifyIgnore: []string{"client_secret"},
				ImportStateCheck:        importedWithoutSecret,
			},
			{
				Config: config("roles"),
				Check: env.checkStored(func(snap *ssostate.Snapshot) error {
					row := snap.Rows[env.workspaceID(t, "my-workspace")]
					if row == nil || row.ClaimName != "roles" {
						return errors.New("the default workspace did not inherit the new claim name")
					}
					return nil
				}),
			},
		},
	})
}

func TestAccInstanceOIDC_drift(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	config := env.config(instanceOIDCConfig("secret"))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					env.modify(t, func(d *ssostate.Draft) error {
						settings := baseSettings(d.Base)
						settings.Name = "Changed in the UI"
						d.Instance = &settings
						return nil
					})
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(instanceOIDCAddress,
							plancheck.ResourceActionUpdate),
						plancheck.ExpectKnownValue(instanceOIDCAddress, tfjsonpath.New("name"),
							knownvalue.StringExact("Okta")),
					},
				},
				Check: env.checkStored(func(snap *ssostate.Snapshot) error {
					if snap.Name != "Okta" {
						return fmt.Errorf("the drift was not corrected: name is %q", snap.Name)
					}
					return nil
				}),
			},
		},
	})
}

func TestAccInstanceOIDC_disappears(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	config := env.config(instanceOIDCConfig("secret"))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					env.modify(t, func(d *ssostate.Draft) error {
						settings := baseSettings(d.Base)
						settings.ClientID = ""
						cleared := ""
						settings.ClientSecret = &cleared
						d.Instance = &settings
						return nil
					})
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(instanceOIDCAddress,
							plancheck.ResourceActionCreate),
					},
				},
				Check: env.checkStored(func(snap *ssostate.Snapshot) error {
					if snap.ClientID != "tooljet-client" {
						return errors.New("the configuration was not created again")
					}
					return nil
				}),
			},
		},
	})
}

func TestAccInstanceOIDC_refusesToOverwrite(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.modify(t, func(d *ssostate.Draft) error {
		secret := "ui-secret"
		d.Instance = &ssostate.InstanceSettings{
			Name: "Set in the UI", ClientID: "ui-client", ClientSecret: &secret,
			WellKnownURL: "https://ui.example.com/.well-known/openid-configuration",
			GrantType:    ssostate.GrantTypeAuthorizationCode,
		}
		return nil
	})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config: env.config(instanceOIDCConfig("secret")),
				ExpectError: regexp.MustCompile(`(?s)already has an instance OIDC configuration.*` +
					`terraform import tooljet_instance_oidc\.<name> instance`),
			},
		},
	})
	snap := env.snapshot(t)
	if snap.ClientID != "ui-client" {
		t.Errorf("the failed create changed the client ID to %q", snap.ClientID)
	}
	if snap.ClientSecret != "ui-secret" {
		t.Error("the failed create changed the client secret")
	}
}

func TestAccInstanceOIDC_invalidConfig(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	cases := map[string]struct {
		body string
		want string
	}{
		"relative URL": {
			body: `client_id = "a"
  well_known_url = "idp.example.com/.well-known/openid-configuration"`,
			want: `(?s)Invalid URL.*must be an\s+absolute URL`,
		},
		"ftp URL": {
			body: `client_id = "a"
  well_known_url = "ftp://idp.example.com/x"`,
			want: `(?s)Invalid URL.*ftp://idp.example.com/x`,
		},
		"missing client ID": {
			body: `well_known_url = "https://idp.example.com/x"`,
			want: `(?s)Missing required argument.*client_id`,
		},
		"both secrets": {
			body: `client_id = "a"
  well_known_url = "https://idp.example.com/x"
  client_secret = "one"
  client_secret_wo = "two"
  client_secret_wo_version = 1`,
			want: `(?s)client_secret_wo"?\s+cannot be specified\s+when\s+"?client_secret`,
		},
		"write-only without version": {
			body: `client_id = "a"
  well_known_url = "https://idp.example.com/x"
  client_secret_wo = "two"`,
			want: `(?s)client_secret_wo_version.*must be specified`,
		},
		"unknown grant type": {
			body: `client_id = "a"
  well_known_url = "https://idp.example.com/x"
  grant_type = "implicit"`,
			want: `(?s)grant_type.*authorization_code`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(testOptions{}),
				Steps: []resource.TestStep{{
					Config: env.config(fmt.Sprintf(`
resource "tooljet_instance_oidc" "test" {
  %s
}
`, tc.body)),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tc.want),
				}},
			})
		})
	}
	if env.emulator != nil {
		if count := env.emulator.RequestCounts()["PATCH /api/login-configs/instance-sso"]; count != 0 {
			t.Errorf("invalid configurations sent %d writes to ToolJet, expected none", count)
		}
	}
}

func TestAccInstanceOIDC_licenseWithoutOIDC(t *testing.T) {
	parallel(t)
	t.Run("at plan", func(t *testing.T) {
		parallel(t)
		env := newTestEnv(t, func(o *emulator.Options) {
			o.License = &emulator.License{OIDC: false, CustomGroups: true}
		})
		env.requireEmulator(t)

		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(testOptions{}),
			Steps: []resource.TestStep{{
				Config: env.config(instanceOIDCConfig("secret")),
				ExpectError: textPattern("so ToolJet would reject this OIDC provider. Install a " +
					"license whose plan includes OIDC, then plan again."),
			}},
		})
		if count := env.emulator.RequestCounts()["PATCH /api/login-configs/instance-sso"]; count != 0 {
			t.Errorf("the plan-time error came after %d writes, expected none", count)
		}
	})
	t.Run("at apply", func(t *testing.T) {
		// The license changes between the plan and the write.
		parallel(t)
		env := newTestEnv(t)
		env.requireEmulator(t)
		env.emulator.AddFault(emulator.Fault{Method: http.MethodPatch,
			Path: "/api/login-configs/instance-sso", Status: http.StatusUnavailableForLegalReasons})

		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(testOptions{}),
			Steps: []resource.TestStep{{
				Config: env.config(instanceOIDCConfig("secret")),
				ExpectError: regexp.MustCompile(`(?s)license does not include OpenID Connect SSO.*` +
					`HTTP 451`),
			}},
		})
	})
}

func TestAccInstanceOIDC_communityEdition(t *testing.T) {
	parallel(t)
	env := newTestEnv(t, func(o *emulator.Options) { o.Edition = emulator.EditionCommunity })
	env.requireEmulator(t)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{{
			Config:      env.config(instanceOIDCConfig("secret")),
			ExpectError: regexp.MustCompile(`(?s)Community Edition.*Enterprise Edition`),
		}},
	})
}

// baseSettings returns the instance settings of a snapshot, for tests that
// change one of them out of band.
func baseSettings(snap *ssostate.Snapshot) ssostate.InstanceSettings {
	secret := snap.ClientSecret
	return ssostate.InstanceSettings{
		Name: snap.Name, ClientID: snap.ClientID, WellKnownURL: snap.WellKnownURL,
		GrantType: snap.GrantType, ClientSecret: &secret,
		GroupSyncEnabled: snap.GroupSyncEnabled, ClaimName: snap.ClaimName,
	}
}
