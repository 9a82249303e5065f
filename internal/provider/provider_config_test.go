package provider

import (
	"fmt"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"
)

// TestAccProvider_configErrors changes environment variables, so it does not
// run in parallel with other tests.
func TestAccProvider_configErrors(t *testing.T) {
	env := newTestEnv(t)
	env.requireEmulator(t)
	t.Setenv(envHost, "")
	t.Setenv(envEmail, "")
	t.Setenv(envPassword, "")
	lookup := `
data "tooljet_workspace" "default" {
  slug = "my-workspace"
}
`
	cases := map[string]struct {
		provider string
		want     string
	}{
		"missing host": {
			provider: fmt.Sprintf(`provider "tooljet" {
  email    = %q
  password = %q
}`, env.email, env.password),
			want: "Set host in the provider configuration or the TOOLJET_HOST environment variable",
		},
		"missing password": {
			provider: fmt.Sprintf(`provider "tooljet" {
  host  = %q
  email = %q
}`, env.host, env.email),
			want: "TOOLJET_PASSWORD environment variable",
		},
		"host without scheme": {
			provider: fmt.Sprintf(`provider "tooljet" {
  host     = "tooljet.example.com"
  email    = %q
  password = %q
}`, env.email, env.password),
			want: "must start with http:// or https://",
		},
		"wrong password": {
			provider: fmt.Sprintf(`provider "tooljet" {
  host     = %q
  email    = %q
  password = "not-the-password"
}`, env.host, env.email),
			want: "ToolJet rejected the login of dev@tooljet.io: check the provider's email and password",
		},
		"not a super admin": {
			provider: fmt.Sprintf(`provider "tooljet" {
  host     = %q
  email    = "admin@example.com"
  password = "password"
}`, env.host),
			want: "is a super admin",
		},
		"invalid duration": {
			provider: fmt.Sprintf(`provider "tooljet" {
  host            = %q
  email           = %q
  password        = %q
  request_timeout = "soon"
}`, env.host, env.email, env.password),
			want: `The value "soon" is not a positive duration`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(testOptions{}),
				Steps: []resource.TestStep{{
					Config:      tc.provider + lookup,
					ExpectError: textPattern(tc.want),
				}},
			})
		})
	}
}

func TestAccProvider_environmentVariables(t *testing.T) {
	env := newTestEnv(t)
	t.Setenv(envHost, env.host)
	t.Setenv(envEmail, env.email)
	t.Setenv(envPassword, env.password)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{{
			Config: `
data "tooljet_workspace" "default" {
  slug = "my-workspace"
}
`,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue("data.tooljet_workspace.default",
					tfjsonpath.New("is_default"), knownvalue.Bool(true)),
			},
		}},
	})
}

func TestAccDataSources_workspaceAndGroups(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	engineeringID := env.workspaceID(t, "engineering")

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config: env.config(`
data "tooljet_workspace" "missing" {
  slug = "no-such-workspace"
}
`),
				ExpectError: textPattern(`no active workspace whose slug is "no-such-workspace"`),
			},
			{
				Config: env.config(`
data "tooljet_workspace" "ambiguous" {
  slug = "engineering"
  name = "Engineering"
}
`),
				ExpectError: textPattern("Invalid Attribute Combination"),
			},
			{
				Config: env.config(fmt.Sprintf(`
data "tooljet_workspace" "by_slug" {
  slug = "engineering"
}

data "tooljet_workspace" "by_name" {
  name = "Engineering"
}

data "tooljet_workspace" "by_id" {
  id = %q
}

data "tooljet_groups" "engineering" {
  workspace_id = data.tooljet_workspace.by_slug.id
}
`, engineeringID)),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("data.tooljet_workspace.by_slug", tfjsonpath.New("id"),
						knownvalue.StringExact(engineeringID)),
					statecheck.ExpectKnownValue("data.tooljet_workspace.by_name", tfjsonpath.New("slug"),
						knownvalue.StringExact("engineering")),
					statecheck.ExpectKnownValue("data.tooljet_workspace.by_id", tfjsonpath.New("is_default"),
						knownvalue.Bool(false)),
					statecheck.ExpectKnownValue("data.tooljet_groups.engineering",
						tfjsonpath.New("role_groups"), knownvalue.ListExact([]knownvalue.Check{
							knownvalue.StringExact("admin"), knownvalue.StringExact("builder"),
							knownvalue.StringExact("end-user"),
						})),
					statecheck.ExpectKnownValue("data.tooljet_groups.engineering",
						tfjsonpath.New("custom_groups"), knownvalue.ListExact([]knownvalue.Check{
							knownvalue.StringExact("developers"), knownvalue.StringExact("engineers"),
						})),
				},
			},
		},
	})
}

func TestAccFunctions_groupMapping(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config: env.config(`
output "bad" {
  value = provider::tooljet::parse_group_mapping("Marketing Team -> marketing, Sales")
}
`),
				ExpectError: textPattern(`entry 2 "Sales": missing "->"`),
			},
			{
				Config: env.config(`
output "bad" {
  value = provider::tooljet::format_group_mapping({ "R&D, EU" = "builder" })
}
`),
				ExpectError: textPattern("Write the group mapping as a map instead"),
			},
			{
				Config: env.config(`
output "parsed" {
  value = provider::tooljet::parse_group_mapping("Marketing Team -> marketing, Sales -> sales\nEveryone -> end-user,")
}

output "formatted" {
  value = provider::tooljet::format_group_mapping({ "Sales" = "sales", "Marketing Team" = "marketing" })
}
`),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("parsed", knownvalue.MapExact(map[string]knownvalue.Check{
						"Marketing Team": knownvalue.StringExact("marketing"),
						"Sales":          knownvalue.StringExact("sales"),
						"Everyone":       knownvalue.StringExact("end-user"),
					})),
					statecheck.ExpectKnownOutputValue("formatted",
						knownvalue.StringExact("Marketing Team -> marketing, Sales -> sales")),
				},
			},
		},
	})
}
