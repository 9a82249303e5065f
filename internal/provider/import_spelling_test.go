package provider

import (
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
)

func TestAccGroupMapping_importRewrittenName(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	config := env.config(workspaceLookup + instanceWithGroupSync("") + marketingSync +
		groupMappingConfig("Team/Sub Group", "marketing"))

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{Config: config},
			{
				// ToolJet returns the name as "team/_sub _group".
				Config:        config,
				ResourceName:  "tooljet_group_mapping.test",
				ImportState:   true,
				ImportStateId: "marketing/team/_sub _group",
				ExpectError: textPattern(`The IdP group "team/_sub _group" is the name as ` +
					`ToolJet returns it, and the provider wrote this entry as "Team/Sub Group". ` +
					`Import it with the ID "marketing/Team/Sub Group".`),
			},
			{
				Config:            config,
				ResourceName:      "tooljet_group_mapping.test",
				ImportState:       true,
				ImportStateId:     "marketing/Team/Sub Group",
				ImportStateVerify: true,
			},
		},
	})
}

func TestAccGroupMapping_duplicateInConfiguration(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	second := strings.Replace(groupMappingConfig("New Group", "builder"), `"test"`, `"again"`, 1)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{{
			Config: env.config(workspaceLookup + instanceWithGroupSync("") + marketingSync +
				groupMappingConfig("New Group", "marketing") + second),
			ExpectError: textPattern(`Another tooljet_group_mapping in this configuration also ` +
				`maps IdP group "New Group" in workspace "marketing"`),
		}},
	})
	if n := env.emulator.RequestCounts()["PATCH /api/login-configs/instance-sso"]; n != 0 {
		t.Errorf("%d writes reached ToolJet, expected none: the plan must fail", n)
	}
}
