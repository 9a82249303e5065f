package provider

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// providerRoutes are the routes the provider uses for instance group sync,
// as the emulator names them.
var providerRoutes = []string{
	"POST /api/authenticate/super-admin",
	"POST /api/authenticate/{organizationId}",
	"GET /api/organizations",
	"GET /api/v2/group-permissions",
	"GET /api/login-configs/instance-sso",
	"PATCH /api/login-configs/instance-sso",
}

// faultsConfig uses every route in providerRoutes: data sources list the
// workspaces, a mapping to a custom group lists the workspace's groups (with
// a workspace login), and the resources read and write the instance SSO
// object.
func faultsConfig() string {
	return workspaceLookup + instanceWithGroupSync(`group_mapping = { "Everyone" = "end-user" }`) +
		marketingSync + groupMappingConfig("Campaign Managers", "marketing")
}

// TestAccFaults_transientErrorsOnEveryRoute injects, on every route the
// provider uses, a 429 with Retry-After, a 503 and a dropped connection
// before the request succeeds. The provider (max_retries = 3) must retry
// through all of them and store the configuration exactly once.
func TestAccFaults_transientErrorsOnEveryRoute(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	for _, route := range providerRoutes {
		method, path, _ := strings.Cut(route, " ")
		for _, rule := range []string{"status=429 retry-after=1 count=1", "status=503 count=1",
			"drop count=1"} {
			fault, err := emulator.ParseFault(method + " " + path + " " + rule)
			if err != nil {
				t.Fatalf("fault %q %q: %v", route, rule, err)
			}
			env.emulator.AddFault(fault)
		}
	}

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config: env.config(faultsConfig()),
				ConfigStateChecks: []statecheck.StateCheck{stateCheckFunc(func() error {
					counts := env.emulator.RequestCounts()
					for _, route := range providerRoutes {
						if counts[route] < 4 {
							return fmt.Errorf("route %s got %d requests, expected the three "+
								"faults and a success", route, counts[route])
						}
					}
					return nil
				})},
				Check: env.checkRow(t, "marketing", rowMapping(map[string]string{
					"Everyone": "end-user", "Campaign Managers": "marketing"})),
			},
			{
				Config: env.config(faultsConfig()),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// TestAccFaults_writeCommittedThenFailed makes ToolJet store the write and
// then answer 504 or drop the connection. The provider reads the object back,
// sees the write applied, and does not write twice.
func TestAccFaults_writeCommittedThenFailed(t *testing.T) {
	parallel(t)
	for _, rule := range []string{"status=504 commit count=1", "drop commit count=1"} {
		t.Run(rule, func(t *testing.T) {
			env := newTestEnv(t)
			env.requireEmulator(t)
			fault, err := emulator.ParseFault("PATCH /api/login-configs/instance-sso " + rule)
			if err != nil {
				t.Fatal(err)
			}
			env.emulator.AddFault(fault)
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(testOptions{}),
				Steps: []resource.TestStep{{
					Config: env.config(instanceOIDCConfig("secret")),
					Check: env.checkStored(func(snap *ssostate.Snapshot) error {
						if snap.ClientID != "tooljet-client" {
							return fmt.Errorf("stored client ID %q", snap.ClientID)
						}
						return nil
					}),
				}},
			})
			instances := 0
			env.emulator.View(func(st *emulator.State) {
				for _, c := range st.SSOConfigs {
					if c.OrganizationID == nil && c.SSO == "openid" {
						instances++
					}
				}
			})
			if instances != 1 {
				t.Errorf("the emulator holds %d instance OIDC rows, expected 1", instances)
			}
		})
	}
}

// TestAccFaults_slowServer checks both time limits: a request slower than
// the provider's request_timeout fails as a timeout that names the setting,
// and an operation that cannot finish within the resource's timeouts fails
// as such, without waiting for the slow server.
func TestAccFaults_slowServer(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	fault, err := emulator.ParseFault("PATCH /api/login-configs/instance-sso latency=3s")
	if err != nil {
		t.Fatal(err)
	}
	env.emulator.AddFault(fault)
	slow := strings.Replace(env.providerConfig(), "max_retries = 3",
		"max_retries = 0\n  request_timeout = \"1s\"", 1)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config:      slow + instanceOIDCConfig("secret"),
				ExpectError: textPattern("no response within the request timeout of 1s"),
			},
			{
				Config: env.config(`
resource "tooljet_instance_oidc" "test" {
  client_id      = "tooljet-client"
  client_secret  = "secret"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"
  timeouts = {
    create = "1s"
  }
}
`),
				ExpectError: textPattern("timed out"),
			},
		},
	})
}

// TestAccFaults_rateLimitLongerThanAllowed checks that a Retry-After longer
// than max_retry_wait fails at once with a message that says so.
func TestAccFaults_rateLimitLongerThanAllowed(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	fault, err := emulator.ParseFault("GET /api/login-configs/instance-sso status=429 retry-after=120")
	if err != nil {
		t.Fatal(err)
	}
	env.emulator.AddFault(fault)
	config := strings.Replace(env.providerConfig(), "max_retries = 3",
		"max_retries = 3\n  max_retry_wait = \"5s\"", 1) + instanceOIDCConfig("secret")

	started := time.Now()
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{{
			Config:      config,
			ExpectError: textPattern("asked the provider to retry after 2m0s"),
		}},
	})
	if elapsed := time.Since(started); elapsed > 60*time.Second {
		t.Errorf("the plan took %s: it waited for the Retry-After instead of failing at once", elapsed)
	}
}

// TestAccInstanceOIDC_licenseDowngrade checks that a license that loses
// OIDC is reported as such: ToolJet then shows instance OIDC switched off,
// the plan warns about the license, and the apply fails with the license
// error rather than a bare diff.
func TestAccInstanceOIDC_licenseDowngrade(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	config := env.config(instanceOIDCConfig("secret"))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config},
			{
				PreConfig: func() {
					env.emulator.SetOptions(func(o *emulator.Options) {
						o.License = &emulator.License{OIDC: false, CustomGroups: true}
					})
				},
				Config: config,
				ExpectError: textPattern("ToolJet's license does not include OpenID Connect " +
					"SSO (license field oidcEnabled), or it expired"),
			},
			{
				// With the license back, ToolJet reports the stored settings
				// again and nothing needs changing.
				PreConfig: func() {
					env.emulator.SetOptions(func(o *emulator.Options) { o.License = nil })
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}
