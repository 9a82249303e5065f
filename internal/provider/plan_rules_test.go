package provider

import (
	"errors"
	"fmt"
	"maps"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// diagnosticPattern returns a regular expression that matches a diagnostic
// by its summary followed by the words of its detail, across the line breaks
// that Terraform puts into wrapped diagnostics. Matching the summary keeps
// the pattern from matching the configuration that Terraform prints in other
// errors, such as "the non-refresh plan was not empty".
func diagnosticPattern(summary, detail string) *regexp.Regexp {
	return regexp.MustCompile(textPattern(summary).String() + `.*` +
		strings.TrimPrefix(textPattern(detail).String(), "(?s)"))
}

// writeRequests counts the requests that could change ToolJet: every route
// except reads and logins.
func writeRequests(counts map[string]int) int {
	writes := 0
	for route, n := range apiRequests(counts) {
		if !strings.HasPrefix(route, "GET ") {
			writes += n
		}
	}
	return writes
}

// TestAccValidators_planTime checks that each custom validator rejects its
// value when Terraform validates the configuration, before the provider
// reads or writes anything. Each pattern names the validator's own summary,
// so that a later check of the provider (such as the workspace lookup)
// cannot satisfy it.
func TestAccValidators_planTime(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	const whitespaceDetail = "has leading or trailing whitespace, which the identity provider " +
		"would not match. Remove it."
	cases := map[string]struct {
		config string
		want   *regexp.Regexp
	}{
		"instance client ID with leading space": {
			config: env.config(`
resource "tooljet_instance_oidc" "test" {
  client_id      = " a"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"
}
`),
			want: diagnosticPattern("Invalid value", `The value " a" `+whitespaceDetail),
		},
		"workspace client ID with leading space": {
			config: env.config(workspaceLookup + `
resource "tooljet_workspace_oidc" "test" {
  workspace_id   = data.tooljet_workspace.marketing.id
  client_id      = " a"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"
}
`),
			want: diagnosticPattern("Invalid value", `The value " a" `+whitespaceDetail),
		},
		"group sync workspace ID with trailing space": {
			config: env.config(`
resource "tooljet_workspace_group_sync" "test" {
  workspace_id = "x "
}
`),
			want: diagnosticPattern("Invalid value", `The value "x " `+whitespaceDetail),
		},
		"group mapping workspace ID with trailing space": {
			config: env.config(`
resource "tooljet_group_mapping" "test" {
  workspace_id  = "x "
  idp_group     = "Campaign Managers"
  tooljet_group = "marketing"
}
`),
			want: diagnosticPattern("Invalid value", `The value "x " `+whitespaceDetail),
		},
		"workspace OIDC workspace ID with trailing space": {
			config: env.config(`
resource "tooljet_workspace_oidc" "test" {
  workspace_id   = "x "
  client_id      = "tooljet-client"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"
}
`),
			want: diagnosticPattern("Invalid value", `The value "x " `+whitespaceDetail),
		},
		"discovery URL with trailing space": {
			config: env.config(`
resource "tooljet_instance_oidc" "test" {
  client_id      = "tooljet-client"
  well_known_url = "https://x/ "
}
`),
			want: diagnosticPattern("Invalid URL",
				`The value "https://x/ " has leading or trailing whitespace; remove it.`),
		},
		"zero retry wait": {
			// The provider's Configure rejects the value too, with the summary
			// "Invalid max_retry_wait", so this pattern names the validator's.
			config: strings.Replace(env.providerConfig(), "max_retries = 3",
				"max_retries = 3\n  max_retry_wait = \"0s\"", 1) + workspaceLookup,
			want: diagnosticPattern("Invalid duration", `The value "0s" is not a positive `+
				`duration. Write a number with a unit, for example "30s" or "2m".`),
		},
		"instance secret version without secret": {
			config: env.config(`
resource "tooljet_instance_oidc" "test" {
  client_id                = "tooljet-client"
  well_known_url           = "https://idp.example.com/.well-known/openid-configuration"
  client_secret_wo_version = 1
}
`),
			want: diagnosticPattern("Invalid Attribute Combination", `Attribute `+
				`"client_secret_wo" must be specified when "client_secret_wo_version" is specified`),
		},
		"workspace secret version without secret": {
			config: env.config(workspaceLookup + `
resource "tooljet_workspace_oidc" "test" {
  workspace_id             = data.tooljet_workspace.marketing.id
  client_id                = "tooljet-client"
  well_known_url           = "https://idp.example.com/.well-known/openid-configuration"
  client_secret_wo_version = 1
}
`),
			want: diagnosticPattern("Invalid Attribute Combination", `Attribute `+
				`"client_secret_wo" must be specified when "client_secret_wo_version" is specified`),
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(testOptions{}),
				Steps: []resource.TestStep{{
					Config:      tc.config,
					PlanOnly:    true,
					ExpectError: tc.want,
				}},
			})
		})
	}
	if env.emulator != nil {
		if n := writeRequests(env.emulator.RequestCounts()); n != 0 {
			t.Errorf("the rejected plans sent %d write requests, expected none", n)
		}
	}
}

// ownedMappingConfig is the marketing workspace in the group sync table with
// two tooljet_group_mapping entries. syncBody adds arguments to its
// tooljet_workspace_group_sync.
func ownedMappingConfig(syncBody string) string {
	return workspaceLookup + instanceWithGroupSync("") + fmt.Sprintf(`
resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id
  %s
}
`, syncBody) + twoMappings("tooljet_workspace_group_sync.marketing.workspace_id")
}

// twoMappings returns two tooljet_group_mapping resources for one workspace.
func twoMappings(workspaceID string) string {
	return fmt.Sprintf(`
resource "tooljet_group_mapping" "campaigns" {
  workspace_id  = %[1]s
  idp_group     = "Campaign Managers"
  tooljet_group = "marketing"
}

resource "tooljet_group_mapping" "brand" {
  workspace_id  = %[1]s
  idp_group     = "Brand Team"
  tooljet_group = "end-user"
}
`, workspaceID)
}

// ownedTwiceDetail is the start of the error for a group_mapping on a
// workspace that has the entries of twoMappings.
const ownedTwiceDetail = `has tooljet_group_mapping entries ("Brand Team", "Campaign ` +
	`Managers"), so its tooljet_workspace_group_sync cannot set group_mapping`

func TestAccWorkspaceGroupSync_ownedMappingAtPlan(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	bothEntries := rowMapping(map[string]string{
		"Campaign Managers": "marketing", "Brand Team": "end-user"})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config: env.config(ownedMappingConfig("")),
				Check:  env.checkRow(t, "marketing", bothEntries),
			},
			{
				Config:      env.config(ownedMappingConfig(`group_mapping = { "Everyone" = "end-user" }`)),
				PlanOnly:    true,
				ExpectError: diagnosticPattern("Group mapping owned twice", ownedTwiceDetail),
			},
			{
				Config: env.config(ownedMappingConfig("")),
				Check:  env.checkRow(t, "marketing", bothEntries),
			},
		},
	})
}

// TestAccWorkspaceGroupSync_ownedMappingUnknownWorkspace hides the
// workspace from the plan: the tooljet_workspace_group_sync takes
// workspace_id from a terraform_data output, which is unknown until it is
// applied. The apply must still stop with the same error and leave the
// entries stored. Terraform plans the resource again during the apply, with
// the workspace known, so ModifyPlan reports the error before Create runs.
// TestWorkspaceGroupSyncApply_ownedMapping covers the check in Create.
func TestAccWorkspaceGroupSync_ownedMappingUnknownWorkspace(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	defaultLookup := `
data "tooljet_workspace" "default" {
  slug = "my-workspace"
}
`
	// The default workspace inherits, so it is in the table without a
	// tooljet_workspace_group_sync.
	mappings := strings.ReplaceAll(twoMappings("data.tooljet_workspace.default.id"),
		"tooljet_group = \"marketing\"", "tooljet_group = \"builder\"")
	mappings = strings.ReplaceAll(mappings, "\n}\n",
		"\n  depends_on = [tooljet_instance_oidc.test]\n}\n")
	base := defaultLookup + instanceWithGroupSync("") + mappings
	bothEntries := rowMapping(map[string]string{
		"Campaign Managers": "builder", "Brand Team": "end-user"})

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{
			{
				Config: env.config(base),
				Check:  env.checkRow(t, "my-workspace", bothEntries),
			},
			{
				Config: env.config(base + `
resource "terraform_data" "workspace" {
  input = data.tooljet_workspace.default.id
}

resource "tooljet_workspace_group_sync" "default" {
  workspace_id  = terraform_data.workspace.output
  group_mapping = { "Everyone" = "end-user" }
}
`),
				ExpectError: textPattern(ownedTwiceDetail),
			},
			{
				Config: env.config(base),
				Check:  env.checkRow(t, "my-workspace", bothEntries),
			},
		},
	})
}

// TestWorkspaceGroupSyncApply_ownedMapping checks the guard that Create and
// Update run against fresh state, which catches tooljet_group_mapping
// entries that another run stored after this plan.
func TestWorkspaceGroupSyncApply_ownedMapping(t *testing.T) {
	entries := map[string]string{"Brand Team": "end-user", "Campaign Managers": "marketing"}
	model := workspaceGroupSyncModel{
		WorkspaceID: types.StringValue("ws-1"),
		Enabled:     types.BoolValue(true),
		ClaimName:   types.StringNull(),
		GroupMapping: types.MapValueMust(types.StringType, map[string]attr.Value{
			"Everyone": types.StringValue("end-user"),
		}),
	}
	draft := &ssostate.Draft{
		Record: ssostate.Record{Workspaces: map[string]*ssostate.WorkspaceRecord{
			"ws-1": {Mappings: maps.Clone(entries)},
		}},
		RowEnabled:     map[string]bool{},
		ReplaceForeign: map[string]bool{},
	}

	err := model.apply(draft)
	var owned *ownedMappingError
	if !errors.As(err, &owned) {
		t.Fatalf("apply() error = %v, want an ownedMappingError", err)
	}
	if !maps.Equal(owned.entries, entries) {
		t.Errorf("the error lists the entries %v, want %v", owned.entries, entries)
	}
}

func TestWorkspaceGroupSyncApply_ownsMappingWithoutEntries(t *testing.T) {
	model := workspaceGroupSyncModel{
		WorkspaceID: types.StringValue("ws-1"),
		Enabled:     types.BoolValue(true),
		ClaimName:   types.StringNull(),
		GroupMapping: types.MapValueMust(types.StringType, map[string]attr.Value{
			"Everyone": types.StringValue("end-user"),
		}),
	}
	draft := &ssostate.Draft{RowEnabled: map[string]bool{}, ReplaceForeign: map[string]bool{}}

	if err := model.apply(draft); err != nil {
		t.Fatalf("apply() error = %v, want none", err)
	}
	if got := draft.Record.Lookup("ws-1").GroupMapping; !maps.Equal(got,
		map[string]string{"Everyone": "end-user"}) {
		t.Errorf("recorded group mapping %v, want the planned one", got)
	}
}
