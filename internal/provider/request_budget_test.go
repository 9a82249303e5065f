package provider

import (
	"fmt"
	"maps"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// manyMappingsConfig maps n IdP groups in the marketing workspace, with
// extra entries added after them.
func manyMappingsConfig(n int, extra ...string) string {
	var b strings.Builder
	b.WriteString(workspaceLookup + instanceWithGroupSync("") + marketingSync)
	fmt.Fprintf(&b, `
resource "tooljet_group_mapping" "team" {
  count = %d

  workspace_id  = tooljet_workspace_group_sync.marketing.workspace_id
  idp_group     = "Team ${count.index} Members"
  tooljet_group = "builder"
}
`, n)
	for _, group := range extra {
		fmt.Fprintf(&b, `
resource "tooljet_group_mapping" %q {
  workspace_id  = tooljet_workspace_group_sync.marketing.workspace_id
  idp_group     = %q
  tooljet_group = "end-user"
}
`, strings.ReplaceAll(strings.ToLower(group), " ", "_"), group)
	}
	return b.String()
}

// apiRequests counts the requests to ToolJet's API routes, leaving out
// logins, which every provider process makes once per workspace.
func apiRequests(counts map[string]int) map[string]int {
	out := map[string]int{}
	for route, n := range counts {
		if strings.Contains(route, "/api/authenticate") {
			continue
		}
		out[route] = n
	}
	return out
}

// TestAccGroupMapping_requestBudget checks the number of API requests:
// refreshing N mappings costs the same for N = 10 and N = 60 (one shared
// fetch of the instance SSO object), and creating one mapping costs one
// read, one write and one read-back of it.
func TestAccGroupMapping_requestBudget(t *testing.T) {
	parallel(t)
	refresh := map[int]map[string]int{}
	create := map[int]map[string]int{}
	for _, n := range []int{10, 60} {
		env := newTestEnv(t)
		env.requireEmulator(t)
		resource.Test(t, resource.TestCase{
			ProtoV6ProviderFactories: env.factories(testOptions{}),
			Steps: []resource.TestStep{
				{Config: env.config(manyMappingsConfig(n))},
				{
					PreConfig: env.emulator.ResetRequestCounts,
					Config:    env.config(manyMappingsConfig(n)),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					},
				},
				{
					PreConfig: func() {
						refresh[n] = apiRequests(env.emulator.RequestCounts())
						env.emulator.ResetRequestCounts()
					},
					Config: env.config(manyMappingsConfig(n, "Campaign Managers")),
					Check: func(*terraform.State) error {
						create[n] = apiRequests(env.emulator.RequestCounts())
						return nil
					},
				},
			},
		})
		// A plan-and-apply step refreshes twice: once for the plan and once
		// for the apply's own plan.
		t.Logf("refreshing %d mappings: %v", n, refresh[n])
		t.Logf("creating one mapping beside %d: %v", n, create[n])
		if got := create[n]["PATCH /api/login-configs/instance-sso"]; got != 1 {
			t.Errorf("creating one mapping sent %d writes, expected 1", got)
		}
	}
	if !maps.Equal(refresh[10], refresh[60]) {
		t.Errorf("refreshing 10 mappings made requests %v, 60 made %v; the number must not grow "+
			"with the number of mappings", refresh[10], refresh[60])
	}
	if got := refresh[60]["GET /api/login-configs/instance-sso"]; got > 3 {
		t.Errorf("refreshing 60 mappings fetched the instance SSO object %d times", got)
	}
}
