package provider

import (
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
