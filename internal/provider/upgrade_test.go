package provider

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/hashicorp/go-hclog"
	"github.com/hashicorp/go-plugin"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6/tf6server"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

// Upgrade tests check that state written by one version of the provider
// plans empty with the current one.
//
// Every schema is at Version 0. testdata/state-v0 holds, for that version:
//
//   - main.tf: the configuration, upgradeConfig with a required_providers
//     block that names registry.terraform.io/tooljet/tooljet;
//   - terraform.tfstate: the state that applying main.tf wrote, refreshed
//     once so that computed values such as effective_group_mapping settle;
//   - emulator.json: the emulator's state file after that apply, so that
//     ToolJet holds exactly what the state describes, including the
//     provider's record inside the instance OIDC configuration.
//
// TestAccUpgrade_stateFixtures runs every testdata/state-v* directory. When
// a change raises a resource schema's Version (and adds its state upgrader),
// keep the old directories unchanged and write one for the new version:
//
//	TF_ACC=1 TOOLJET_WRITE_STATE_FIXTURE=testdata/state-v1 \
//	  go test ./internal/provider -run '^TestAccUpgrade_writeStateFixture$' -v
//
// It applies the current upgradeConfig to a fresh emulator and writes the
// three files, which are then committed. Before the first release, regenerate
// state-v0 the same way whenever upgradeConfig changes.

// stateFixtureEnv names the directory that TestAccUpgrade_writeStateFixture
// writes, relative to this package.
const stateFixtureEnv = "TOOLJET_WRITE_STATE_FIXTURE"

// fixtureProviderAddress is the provider source address in the fixtures. It
// names the registry host explicitly, so that Terraform and OpenTofu resolve
// it to the same address in the configuration and in the state.
const fixtureProviderAddress = "registry.terraform.io/tooljet/tooljet"

// upgradeConfig uses every resource type and attribute group of the
// provider, so that a state format change in any of them shows up as a
// non-empty plan.
const upgradeConfig = `
data "tooljet_workspace" "marketing" {
  slug = "marketing"
}

data "tooljet_workspace" "sales" {
  slug = "sales"
}

data "tooljet_workspace" "engineering" {
  slug = "engineering"
}

resource "tooljet_instance_oidc" "sso" {
  name           = "Okta"
  client_id      = "tooljet-client"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"

  client_secret_wo         = "upgrade-secret"
  client_secret_wo_version = 1

  group_sync = {
    claim_name = "groups"
    group_mapping = provider::tooljet::parse_group_mapping(
      "Everyone -> end-user, ToolJet Admins -> admin"
    )
  }
}

resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id

  depends_on = [tooljet_instance_oidc.sso]
}

resource "tooljet_workspace_group_sync" "sales" {
  workspace_id  = data.tooljet_workspace.sales.id
  claim_name    = "roles"
  group_mapping = { "Sales Team" = "sales" }

  depends_on = [tooljet_instance_oidc.sso]
}

resource "tooljet_group_mapping" "campaign_managers" {
  workspace_id  = tooljet_workspace_group_sync.marketing.workspace_id
  idp_group     = "Campaign Managers"
  tooljet_group = "marketing"
}

resource "tooljet_workspace_oidc" "engineering" {
  workspace_id   = data.tooljet_workspace.engineering.id
  name           = "Engineering IdP"
  client_id      = "engineering-client"
  client_secret  = "engineering-secret"
  well_known_url = "https://idp.example.com/.well-known/openid-configuration"

  group_sync = {
    group_mapping = { "Engineers" = "engineers" }
  }
}
`

func TestAccUpgrade_freshProviderPlan(t *testing.T) {
	parallel(t)
	env := newTestEnv(t)
	env.requireEmulator(t)
	config := env.config(upgradeConfig)

	resource.Test(t, resource.TestCase{
		Steps: []resource.TestStep{
			{
				ProtoV6ProviderFactories: env.factories(testOptions{}),
				Config:                   config,
			},
			{
				// plugin-testing starts a provider server for every Terraform
				// command, so this plan runs in a provider that did not
				// apply step 1, with empty caches and plan registry. Its
				// factories build the provider with New, as main.go does.
				ProtoV6ProviderFactories: upgradeFactories(),
				Config:                   config,
				PlanOnly:                 true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh:  []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// upgradeFactories returns provider factories that build a provider from
// New, as main.go does, rather than from the test options.
func upgradeFactories() map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"tooljet": providerserver.NewProtocol6WithError(New("test")()),
	}
}

func TestAccUpgrade_stateFixtures(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("testdata", "state-v*"))
	if err != nil {
		t.Fatalf("listing state fixtures: %v", err)
	}
	if len(dirs) == 0 {
		t.Fatal("no testdata/state-v* directories: the state fixtures are missing")
	}
	for _, dir := range dirs {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			parallel(t)
			planStateFixture(t, dir)
		})
	}
}

// planStateFixture seeds an emulator with the fixture's emulator.json,
// copies its main.tf and terraform.tfstate into a working directory, and
// plans with the current provider. The plan must change no resource, and
// refreshing must find every stored value unchanged.
func planStateFixture(t *testing.T, dir string) {
	emulatorState := filepath.Join(t.TempDir(), "emulator.json")
	copyFile(t, filepath.Join(dir, "emulator.json"), emulatorState)
	env := newTestEnv(t, func(o *emulator.Options) { o.StatePath = emulatorState })
	env.requireEmulator(t)

	tf := newTerraformRunner(t, env)
	copyFile(t, filepath.Join(dir, "main.tf"), filepath.Join(tf.dir, "main.tf"))
	copyFile(t, filepath.Join(dir, "terraform.tfstate"), filepath.Join(tf.dir, "terraform.tfstate"))
	tf.run(t, "init", "-input=false")

	out, changed := tf.plan(t, "-out=tfplan")
	if changed {
		t.Errorf("the plan for the %s state with the current provider is not empty:\n%s", dir, out)
	}
	plan := tf.showPlan(t, "tfplan")
	for _, change := range plan.ResourceChanges {
		if !slices.Equal(change.Change.Actions, []string{"no-op"}) {
			t.Errorf("the plan for the %s state would %v %s", dir, change.Change.Actions,
				change.Address)
		}
	}
	// Terraform compares the refreshed values with the stored ones after
	// upgrading them to the current schema. A difference here means that
	// Read returns values in another form than the old version stored,
	// even where the plan stays empty.
	for _, drift := range plan.ResourceDrift {
		t.Errorf("refreshing the %s state changes %s from %s to %s", dir, drift.Address,
			drift.Change.Before, drift.Change.After)
	}
}

// jsonPlan is the part of "terraform show -json PLANFILE" that the upgrade
// tests read.
type jsonPlan struct {
	ResourceChanges []jsonResourceChange `json:"resource_changes"`
	ResourceDrift   []jsonResourceChange `json:"resource_drift"`
}

type jsonResourceChange struct {
	Address string `json:"address"`
	Change  struct {
		Actions []string        `json:"actions"`
		Before  json.RawMessage `json:"before"`
		After   json.RawMessage `json:"after"`
	} `json:"change"`
}

func TestAccUpgrade_writeStateFixture(t *testing.T) {
	dir := os.Getenv(stateFixtureEnv)
	if dir == "" {
		t.Skip("writes a state fixture when " + stateFixtureEnv + " names its directory")
	}
	emulatorState := filepath.Join(t.TempDir(), "emulator.json")
	env := newTestEnv(t, func(o *emulator.Options) { o.StatePath = emulatorState })
	env.requireEmulator(t)

	tf := newTerraformRunner(t, env)
	writeFile(t, filepath.Join(tf.dir, "main.tf"), fixtureConfig())
	tf.run(t, "init", "-input=false")
	tf.run(t, "apply", "-input=false", "-auto-approve")
	tf.run(t, "apply", "-input=false", "-auto-approve", "-refresh-only")
	if out, changed := tf.plan(t); changed {
		t.Fatalf("the plan after applying the fixture configuration is not empty:\n%s", out)
	}

	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("creating %s: %v", dir, err)
	}
	copyFile(t, filepath.Join(tf.dir, "main.tf"), filepath.Join(dir, "main.tf"))
	copyFile(t, filepath.Join(tf.dir, "terraform.tfstate"), filepath.Join(dir, "terraform.tfstate"))
	copyFile(t, emulatorState, filepath.Join(dir, "emulator.json"))
	t.Logf("wrote main.tf, terraform.tfstate and emulator.json to %s", dir)
}

// fixtureConfig is the main.tf of a new state fixture.
func fixtureConfig() string {
	return `# Configuration of this state fixture, written by
# TestAccUpgrade_writeStateFixture. The test adds a provider block that
# points at its emulator.
terraform {
  required_providers {
    tooljet = {
      source = "` + fixtureProviderAddress + `"
    }
  }
}
` + upgradeConfig
}

// terraformRunner runs the Terraform CLI (or TF_ACC_TERRAFORM_PATH, such as
// OpenTofu) in a working directory, with the provider served from this test
// process.
type terraformRunner struct {
	binary string
	dir    string
	env    []string
}

// newTerraformRunner serves a new provider in this process, writes a
// provider block for env into a new working directory, and returns a runner
// whose commands use that provider.
func newTerraformRunner(t *testing.T, env *testEnv) *terraformRunner {
	t.Helper()
	binary := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if binary == "" {
		path, err := exec.LookPath("terraform")
		if err != nil {
			t.Fatalf("terraform is not on PATH and TF_ACC_TERRAFORM_PATH is not set: %v", err)
		}
		binary = path
	}
	r := &terraformRunner{binary: binary, dir: t.TempDir()}
	writeFile(t, filepath.Join(r.dir, "provider.tf"), env.providerConfig())

	reattach := serveProvider(t)
	r.env = append(os.Environ(),
		"TF_REATTACH_PROVIDERS="+reattach,
		"TF_IN_AUTOMATION=1",
		"TF_INPUT=0",
		"CHECKPOINT_DISABLE=1",
	)
	return r
}

// run runs one command and fails the test when it exits with an error.
func (r *terraformRunner) run(t *testing.T, args ...string) string {
	t.Helper()
	out, err := r.exec(t, args...)
	if err != nil {
		t.Fatalf("%s %s failed: %v\n%s", filepath.Base(r.binary), args[0], err, out)
	}
	return out
}

// plan runs "plan -detailed-exitcode" and reports whether it found changes.
func (r *terraformRunner) plan(t *testing.T, args ...string) (string, bool) {
	t.Helper()
	args = append([]string{"plan", "-input=false", "-detailed-exitcode"}, args...)
	out, err := r.exec(t, args...)
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return out, false
	case errors.As(err, &exitErr) && exitErr.ExitCode() == 2:
		return out, true
	default:
		t.Fatalf("%s plan failed: %v\n%s", filepath.Base(r.binary), err, out)
		return "", false
	}
}

// showPlan returns the JSON form of a saved plan.
func (r *terraformRunner) showPlan(t *testing.T, planFile string) jsonPlan {
	t.Helper()
	out := r.run(t, "show", "-json", planFile)
	var plan jsonPlan
	if err := json.Unmarshal([]byte(out), &plan); err != nil {
		t.Fatalf("decoding the JSON plan: %v\n%s", err, out)
	}
	return plan
}

func (r *terraformRunner) exec(t *testing.T, args ...string) (string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	// -no-color goes right after the subcommand, because Terraform reads no
	// flags after a positional argument such as a plan file.
	cmdArgs := append([]string{args[0], "-no-color"}, args[1:]...)
	cmd := exec.CommandContext(ctx, r.binary, cmdArgs...)
	cmd.Dir = r.dir
	cmd.Env = r.env
	var out bytes.Buffer
	cmd.Stdout = &out
	cmd.Stderr = &out
	err := cmd.Run()
	return out.String(), err
}

// serveProvider serves a new provider over gRPC in this process, as
// "terraform-provider-tooljet -debug" does, until the test ends, and returns
// the TF_REATTACH_PROVIDERS value that makes Terraform use it.
func serveProvider(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	reattachCh := make(chan *plugin.ReattachConfig, 1)
	closeCh := make(chan struct{})
	serveErr := make(chan error, 1)
	server := providerserver.NewProtocol6(New("test")())

	go func() {
		serveErr <- tf6server.Serve(fixtureProviderAddress, server,
			tf6server.WithDebug(ctx, reattachCh, closeCh),
			tf6server.WithGoPluginLogger(hclog.New(&hclog.LoggerOptions{Output: io.Discard})),
			tf6server.WithLoggingSink(t),
		)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-closeCh:
		case <-time.After(10 * time.Second):
			t.Error("the provider server did not stop within 10s")
		}
	})

	var config *plugin.ReattachConfig
	select {
	case config = <-reattachCh:
	case err := <-serveErr:
		t.Fatalf("serving the provider: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the provider server did not start within 30s")
	}

	// The JSON shape that Terraform and OpenTofu read from
	// TF_REATTACH_PROVIDERS, keyed by provider source address.
	type reattachAddr struct {
		Network string
		String  string
	}
	type reattachConfig struct {
		Protocol        string
		ProtocolVersion int
		Pid             int
		Test            bool
		Addr            reattachAddr
	}
	reattach, err := json.Marshal(map[string]reattachConfig{
		fixtureProviderAddress: {
			Protocol:        string(config.Protocol),
			ProtocolVersion: config.ProtocolVersion,
			Pid:             config.Pid,
			Test:            config.Test,
			Addr:            reattachAddr{Network: config.Addr.Network(), String: config.Addr.String()},
		},
	})
	if err != nil {
		t.Fatalf("encoding the reattach configuration: %v", err)
	}
	return string(reattach)
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatalf("reading %s: %v", from, err)
	}
	writeFile(t, to, string(data))
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatalf("writing %s: %v", path, err)
	}
}
