package provider

import (
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// uiRow is a workspace's row in the instance group sync table as an admin
// adds it in ToolJet's UI. Its mapping keys have no capital letters, so
// ToolJet returns them as stored.
type uiRow struct {
	claimName string
	mapping   map[string]string
	enabled   bool
}

// addGroupSyncRowInUI adds a row for the workspace to the instance group sync table
// directly in the emulator, without the provider's record, as ToolJet's UI
// does.
func (e *testEnv) addGroupSyncRowInUI(t *testing.T, slug string, row uiRow) {
	t.Helper()
	workspaceID := e.workspaceID(t, slug)
	err := e.emulator.Update(func(st *emulator.State) error {
		instance := st.InstanceOIDC()
		if instance == nil {
			return fmt.Errorf("no instance OIDC configuration to add the row of %s to", slug)
		}
		enabled := row.enabled
		st.GroupSyncs = append(st.GroupSyncs, &emulator.GroupSync{
			ID:              "c0ffee00-0000-4000-8000-" + fmt.Sprintf("%012d", len(st.GroupSyncs)),
			SSOConfigID:     instance.ID,
			OrganizationID:  &workspaceID,
			ClaimName:       row.claimName,
			GroupMapping:    maps.Clone(row.mapping),
			EnableGroupSync: &enabled,
		})
		return nil
	})
	if err != nil {
		t.Fatalf("adding the row of workspace %s in the UI: %v", slug, err)
	}
}

// compareGroupSyncRow compares the stored row of a workspace with want.
func (e *testEnv) compareGroupSyncRow(t *testing.T, slug string, want uiRow) error {
	t.Helper()
	row := e.snapshot(t).Rows[e.workspaceID(t, slug)]
	switch {
	case row == nil:
		return fmt.Errorf("workspace %s has no group sync row", slug)
	case row.ClaimName != want.claimName:
		return fmt.Errorf("claim name %q, expected %q", row.ClaimName, want.claimName)
	case row.Enabled != want.enabled:
		return fmt.Errorf("enabled %t, expected %t", row.Enabled, want.enabled)
	case !maps.Equal(row.MappingRead, want.mapping):
		return fmt.Errorf("mapping %v, expected %v", row.MappingRead, want.mapping)
	}
	return nil
}

// marketingUIRow is the row that an admin adds for the marketing workspace.
var marketingUIRow = uiRow{
	claimName: "roles",
	mapping:   map[string]string{"campaign managers": "marketing"},
	enabled:   true,
}

// marketingUIRowConfig is a tooljet_workspace_group_sync that matches
// marketingUIRow.
const marketingUIRowConfig = `
resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id  = data.tooljet_workspace.marketing.id
  claim_name    = "roles"
  group_mapping = { "campaign managers" = "marketing" }
}
`

// TestAccWorkspaceGroupSync_createOverUIRow creates the resource for a
// workspace that an admin added to the group sync table in ToolJet's UI.
// The instance OIDC configuration is managed elsewhere, and each import runs
// in a test case of its own, because an import block test step after the
// first one needs the resource in the state.
func TestAccWorkspaceGroupSync_createOverUIRow(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	env.createManagedInstance(t)
	env.addGroupSyncRowInUI(t, "marketing", marketingUIRow)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{{
			Config: env.config(workspaceLookup + marketingSync),
			ExpectError: diagnosticPattern("Unable to create ToolJet",
				`is already in ToolJet's instance group sync table (added outside `+
					`Terraform), and creating the resource would overwrite its settings. `+
					`Import it instead: terraform import <address> <workspace ID or slug>.`),
		}},
	})
	if err := env.compareGroupSyncRow(t, "marketing", marketingUIRow); err != nil {
		t.Errorf("the rejected create changed the row: %v", err)
	}

	importIDs := map[string]string{
		"import by ID":   env.workspaceID(t, "marketing"),
		"import by slug": "marketing",
	}
	for name, id := range importIDs {
		t.Run(name, func(t *testing.T) {
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(testOptions{}),
				Steps: []resource.TestStep{{
					Config:          env.config(workspaceLookup + marketingUIRowConfig),
					ResourceName:    "tooljet_workspace_group_sync.marketing",
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithID,
					ImportStateId:   id,
				}},
			})
		})
	}
}

// createManagedInstance stores an instance OIDC configuration with group
// sync on and the provider's record, as a tooljet_instance_oidc in another
// configuration leaves it.
func (e *testEnv) createManagedInstance(t *testing.T) {
	t.Helper()
	e.modify(t, func(d *ssostate.Draft) error {
		secret := "managed-secret"
		enabled := true
		d.Enabled = &enabled
		d.Instance = &ssostate.InstanceSettings{
			Name: "Okta", ClientID: "tooljet-client", ClientSecret: &secret,
			WellKnownURL: testWellKnownURL,
			GrantType:    ssostate.GrantTypeAuthorizationCode, GroupSyncEnabled: true,
			ClaimName: ssostate.DefaultClaimName,
		}
		d.Record.DefaultWorkspaceInherits = true
		return nil
	})
}

// createInstanceInUI stores an instance OIDC configuration as ToolJet's UI
// leaves it: with the given group sync settings and without the provider's
// record. With defaultInherits, the default workspace has a row.
func (e *testEnv) createInstanceInUI(t *testing.T, groupSync bool,
	instanceMapping map[string]string, defaultInherits bool) {
	t.Helper()
	e.modify(t, func(d *ssostate.Draft) error {
		secret := "ui-secret"
		enabled := true
		d.Enabled = &enabled
		d.Instance = &ssostate.InstanceSettings{
			Name: "Okta", ClientID: "tooljet-client", ClientSecret: &secret,
			WellKnownURL:     testWellKnownURL,
			GrantType:        ssostate.GrantTypeAuthorizationCode,
			GroupSyncEnabled: groupSync,
			ClaimName:        ssostate.DefaultClaimName,
		}
		d.Record.InstanceMapping = maps.Clone(instanceMapping)
		d.Record.DefaultWorkspaceInherits = defaultInherits
		return nil
	})
	err := e.emulator.Update(func(st *emulator.State) error {
		delete(st.InstanceOIDC().Configs, ssostate.RecordKey)
		return nil
	})
	if err != nil {
		t.Fatalf("removing the provider's record: %v", err)
	}
	if e.snapshot(t).RecordFound {
		t.Fatal("the instance OIDC configuration still contains the provider's record")
	}
}

// unmanagedInstanceConfig is a tooljet_instance_oidc that matches what
// createInstanceInUI stores, with the given group_sync block.
func unmanagedInstanceConfig(groupSync string) string {
	return fmt.Sprintf(`
resource "tooljet_instance_oidc" "test" {
  name           = "Okta"
  client_id      = "tooljet-client"
  well_known_url = %q
  %s
}
`, testWellKnownURL, groupSync)
}

// changedAttributes is a plan check that passes when the planned change of
// a resource changes exactly the given top-level attributes, counting an
// attribute whose value becomes unknown as changed.
type changedAttributes struct {
	address string
	want    []string
}

func (c changedAttributes) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest,
	resp *plancheck.CheckPlanResponse) {
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Address != c.address || rc.Change == nil {
			continue
		}
		before, _ := rc.Change.Before.(map[string]any)
		after, _ := rc.Change.After.(map[string]any)
		unknown, _ := rc.Change.AfterUnknown.(map[string]any)
		var changed []string
		for name := range maps.Keys(before) {
			if unknown[name] == true || !reflect.DeepEqual(before[name], after[name]) {
				changed = append(changed, name)
			}
		}
		slices.Sort(changed)
		want := slices.Sorted(slices.Values(c.want))
		if !slices.Equal(changed, want) {
			resp.Error = fmt.Errorf("%s: the plan changes %q, expected %q", c.address, changed,
				want)
		}
		return
	}
	resp.Error = fmt.Errorf("%s is not in the plan", c.address)
}

func TestAccInstanceOIDC_importUnmanaged(t *testing.T) {
	parallel(t)
	cases := map[string]struct {
		groupSync       bool
		mapping         map[string]string
		defaultInherits bool
		marketingRow    bool
		config          string
		// changes lists the attributes that the first plan after the import
		// changes; none means an empty plan.
		changes []string
		checks  []plancheck.PlanCheck
	}{
		"without group sync": {
			config: unmanagedInstanceConfig(""),
		},
		"default workspace row": {
			groupSync:       true,
			mapping:         map[string]string{"everyone": "end-user"},
			defaultInherits: true,
			config: unmanagedInstanceConfig(`group_sync = {
    group_mapping = { "everyone" = "end-user" }
  }`),
			// Without the record, the update writes the instance values and
			// the record again, and the unknown id shows it.
			changes: []string{"id"},
		},
		"no default workspace row": {
			groupSync:    true,
			mapping:      map[string]string{"everyone": "end-user"},
			marketingRow: true,
			config: unmanagedInstanceConfig(`group_sync = {
    group_mapping              = { "everyone" = "end-user" }
    default_workspace_inherits = false
  }`),
			changes: []string{"id"},
		},
		"mapping key with capitals": {
			groupSync:       true,
			mapping:         map[string]string{"Marketing Team": "marketing"},
			defaultInherits: true,
			config: unmanagedInstanceConfig(`group_sync = {
    group_mapping = { "Marketing Team" = "marketing" }
  }`),
			// ToolJet returns the key as "marketing _team", so the plan sets
			// the configured spelling, and that update records it.
			changes: []string{"group_sync"},
			checks: []plancheck.PlanCheck{
				plancheck.ExpectKnownValue(instanceOIDCAddress,
					tfjsonpath.New("group_sync").AtMapKey("group_mapping"),
					knownvalue.MapExact(map[string]knownvalue.Check{
						"Marketing Team": knownvalue.StringExact("marketing"),
					})),
			},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			parallel(t)
			env := newTestEnv(t)
			env.requireEmulator(t)
			env.createInstanceInUI(t, tc.groupSync, tc.mapping, tc.defaultInherits)
			if tc.marketingRow {
				env.addGroupSyncRowInUI(t, "marketing", marketingUIRow)
			}
			checks := slices.Clone(tc.checks)
			if len(tc.changes) > 0 {
				checks = append(checks,
					plancheck.ExpectResourceAction(instanceOIDCAddress, plancheck.ResourceActionUpdate),
					changedAttributes{address: instanceOIDCAddress, want: tc.changes})
			}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(testOptions{}),
				Steps: []resource.TestStep{{
					Config:             env.config(tc.config),
					ResourceName:       instanceOIDCAddress,
					ImportState:        true,
					ImportStateKind:    resource.ImportBlockWithID,
					ImportStateId:      "instance",
					ExpectNonEmptyPlan: len(tc.changes) > 0,
					ImportPlanChecks:   resource.ImportPlanChecks{PreApply: checks},
				}},
			})
		})
	}
}

// TestAccWorkspaceGroupSync_importUIRowWithoutRecord imports a row added
// in the UI while ToolJet contains no record of the provider at all, as after
// an instance OIDC configuration made in the UI.
func TestAccWorkspaceGroupSync_importUIRowWithoutRecord(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	env.createInstanceInUI(t, true, map[string]string{"everyone": "end-user"}, true)
	env.addGroupSyncRowInUI(t, "marketing", marketingUIRow)

	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: env.factories(testOptions{}),
		Steps: []resource.TestStep{{
			Config:          env.config(workspaceLookup + marketingUIRowConfig),
			ResourceName:    "tooljet_workspace_group_sync.marketing",
			ImportState:     true,
			ImportStateKind: resource.ImportBlockWithID,
			ImportStateId:   "marketing",
		}},
	})
	if err := env.compareGroupSyncRow(t, "marketing", marketingUIRow); err != nil {
		t.Errorf("the import plan changed the row: %v", err)
	}
}

// documentedImport is one resource's import example: the address and ID of
// import-by-string-id.tf and those of the command in import.sh.
type documentedImport struct {
	blockAddress, blockID     string
	commandAddress, commandID string
}

var (
	importBlockTo = regexp.MustCompile(`(?m)^\s*to\s*=\s*(\S+)\s*$`)
	importBlockID = regexp.MustCompile(`(?m)^\s*id\s*=\s*("(?:[^"\\]|\\.)*")\s*$`)
	importCommand = regexp.MustCompile(`(?m)^terraform import (\S+) (.+)$`)
)

// readDocumentedImport reads the import examples of one resource type.
func readDocumentedImport(t *testing.T, dir string) documentedImport {
	t.Helper()
	block, err := os.ReadFile(filepath.Join(dir, "import-by-string-id.tf"))
	if err != nil {
		t.Fatal(err)
	}
	command, err := os.ReadFile(filepath.Join(dir, "import.sh"))
	if err != nil {
		t.Fatal(err)
	}
	to := importBlockTo.FindSubmatch(block)
	id := importBlockID.FindSubmatch(block)
	cmd := importCommand.FindSubmatch(command)
	if to == nil || id == nil || cmd == nil {
		t.Fatalf("%s: no import block with to and id, or no terraform import command", dir)
	}
	var doc documentedImport
	doc.blockAddress = string(to[1])
	if doc.blockID, err = strconv.Unquote(string(id[1])); err != nil {
		t.Fatalf("%s: the import block id %s is not a string: %v", dir, id[1], err)
	}
	doc.commandAddress = string(cmd[1])
	doc.commandID = strings.TrimSpace(string(cmd[2]))
	if unquoted, err := strconv.Unquote(doc.commandID); err == nil {
		doc.commandID = unquoted
	}
	return doc
}

// TestAccExamples_importIDs imports every resource with the IDs of its
// import examples, so that the documented formats keep working. The
// emulator contains the objects the examples name, created outside Terraform,
// and each configuration matches its object, so every import plan is empty.
func TestAccExamples_importIDs(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	marketingID := env.workspaceID(t, "marketing")
	engineeringID := env.workspaceID(t, "engineering")
	env.createManagedInstance(t)
	env.modify(t, func(d *ssostate.Draft) error {
		d.Record.Workspace(marketingID).Managed = true
		engineering := d.Record.Workspace(engineeringID)
		engineering.Managed = true
		engineering.Mappings = map[string]string{"Developers": "developers"}
		d.RowEnabled[marketingID] = true
		d.RowEnabled[engineeringID] = true
		return nil
	})

	configs := map[string]func(name string) string{
		"tooljet_instance_oidc": func(name string) string {
			return fmt.Sprintf(`
resource "tooljet_instance_oidc" %q {
  name           = "Okta"
  client_id      = "tooljet-client"
  well_known_url = %q
  group_sync     = {}
}
`, name, testWellKnownURL)
		},
		"tooljet_workspace_group_sync": func(name string) string {
			return fmt.Sprintf(`
resource "tooljet_workspace_group_sync" %q {
  workspace_id = %q
}
`, name, marketingID)
		},
		"tooljet_group_mapping": func(name string) string {
			return fmt.Sprintf(`
resource "tooljet_group_mapping" %q {
  workspace_id  = %q
  idp_group     = "Developers"
  tooljet_group = "developers"
}
`, name, engineeringID)
		},
		"tooljet_workspace_oidc": func(name string) string {
			return fmt.Sprintf(`
resource "tooljet_workspace_oidc" %q {
  workspace_id   = %q
  name           = "Set in the UI"
  client_id      = "tooljet-client"
  well_known_url = %q
}
`, name, marketingID, testWellKnownURL)
		},
	}

	dirs, err := filepath.Glob(filepath.Join("..", "..", "examples", "resources", "*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) != len(configs) {
		t.Fatalf("found %d example directories, expected one for each of the %d resources",
			len(dirs), len(configs))
	}
	for _, dir := range dirs {
		resourceType := filepath.Base(dir)
		doc := readDocumentedImport(t, dir)
		if doc.blockAddress != doc.commandAddress {
			t.Errorf("%s: the import block imports %s, but import.sh imports %s",
				resourceType, doc.blockAddress, doc.commandAddress)
		}
		if doc.blockID != doc.commandID {
			t.Errorf("%s: the import block ID %q differs from the import.sh ID %q",
				resourceType, doc.blockID, doc.commandID)
		}
		if resourceType == "tooljet_workspace_oidc" {
			env.createDocumentedOIDCProvider(t, marketingID, doc.blockID)
		}
	}

	for _, dir := range dirs {
		resourceType := filepath.Base(dir)
		t.Run(resourceType, func(t *testing.T) {
			doc := readDocumentedImport(t, dir)
			config := configs[resourceType]
			if config == nil {
				t.Fatalf("no test configuration for the examples of %s", resourceType)
			}
			_, name, _ := strings.Cut(doc.blockAddress, ".")
			hcl := env.config(config(name))
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: env.factories(testOptions{}),
				Steps: []resource.TestStep{
					{
						Config:          hcl,
						ResourceName:    doc.blockAddress,
						ImportState:     true,
						ImportStateKind: resource.ImportBlockWithID,
						ImportStateId:   doc.blockID,
					},
					{
						Config:           hcl,
						ResourceName:     doc.commandAddress,
						ImportState:      true,
						ImportStateKind:  resource.ImportCommandWithID,
						ImportStateId:    doc.commandID,
						ImportStateCheck: importedOneResource(doc.commandAddress),
					},
				},
			})
		})
	}
}

// createDocumentedOIDCProvider creates an OIDC provider in a workspace
// outside Terraform and gives it the config ID of the import example.
func (e *testEnv) createDocumentedOIDCProvider(t *testing.T, workspaceID, importID string) {
	t.Helper()
	_, configID, ok := strings.Cut(importID, "/")
	if !ok {
		t.Fatalf("the import ID %q of tooljet_workspace_oidc has no config ID", importID)
	}
	created := e.createOIDCProviderInUI(t, workspaceID, "tooljet-client")
	err := e.emulator.Update(func(st *emulator.State) error {
		st.SSOConfigByID(created).ID = configID
		return nil
	})
	if err != nil {
		t.Fatalf("setting the config ID of the provider to %s: %v", configID, err)
	}
}

// importedOneResource returns an ImportStateCheckFunc that expects the
// import to produce exactly one resource with an ID.
func importedOneResource(address string) resource.ImportStateCheckFunc {
	return func(states []*terraform.InstanceState) error {
		if len(states) != 1 {
			return fmt.Errorf("importing %s produced %d resources, expected 1", address,
				len(states))
		}
		if states[0].ID == "" {
			return fmt.Errorf("importing %s produced a resource without an ID", address)
		}
		return nil
	}
}
