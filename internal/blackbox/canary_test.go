package blackbox

import (
	"archive/zip"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

// Canaries: values that must never leave the provider's memory, except in
// requests to ToolJet.
const (
	canaryPassword = "canary-password-7f3a9"
	canarySecret   = "canary-secret-51c2e"
)

// cookieInText matches a session cookie with a value, as a Cookie or
// Set-Cookie header would print it.
var cookieInText = regexp.MustCompile(sessionCookie + `=[A-Za-z0-9._~+/-]`)

// canaryConfig passes the client secret as an ephemeral variable, so that
// neither the configuration nor the saved plan contains it unless the provider
// puts it there.
const canaryConfig = `
variable "client_secret" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "secret_version" {
  type = number
}

resource "tooljet_instance_oidc" "this" {
  name                     = "Okta"
  client_id                = "tooljet-client"
  client_secret_wo         = var.client_secret
  client_secret_wo_version = var.secret_version
  well_known_url           = "https://idp.test/.well-known/openid-configuration"

  group_sync = {
    group_mapping = {
      "Everyone" = "end-user"
    }
  }
}

data "tooljet_workspace" "marketing" {
  slug = "marketing"
}

resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id

  depends_on = [tooljet_instance_oidc.this]
}

resource "tooljet_group_mapping" "admins" {
  workspace_id  = tooljet_workspace_group_sync.marketing.workspace_id
  idp_group     = "Marketing Admins"
  tooljet_group = "admin"
}

data "tooljet_workspace" "sales" {
  slug = "sales"
}

resource "tooljet_workspace_oidc" "sales" {
  workspace_id             = data.tooljet_workspace.sales.id
  name                     = "Okta"
  client_id                = "sales-client"
  client_secret_wo         = var.client_secret
  client_secret_wo_version = var.secret_version
  well_known_url           = "https://idp.test/.well-known/openid-configuration"
}
`

// canaryRun collects the text of every artifact the canary test produces.
type canaryRun struct {
	t   *testing.T
	dir *terraformDir
	// sources maps an artifact name to its content.
	sources map[string]string
}

// run runs one terraform command of the scenario with its own TRACE log
// file, and records its stdout, stderr and log.
func (c *canaryRun) run(step string, wantFailure bool, args ...string) commandResult {
	c.t.Helper()
	logPath := c.dir.path(step + ".log")
	c.dir.env["TF_LOG_PATH"] = logPath
	result := c.dir.run(args...)
	c.sources[step+" stdout"] = result.stdout
	c.sources[step+" stderr"] = result.stderr
	logData, err := os.ReadFile(logPath)
	if err != nil {
		c.t.Fatalf("reading the log of %s: %v", step, err)
	}
	c.sources[step+" log"] = string(logData)
	switch {
	case wantFailure && !result.failed():
		c.t.Fatalf("%s succeeded, but the scenario needs it to fail: %s", step, result)
	case !wantFailure && result.failed():
		c.t.Fatalf("%s failed: %s", step, result)
	}
	return result
}

// addFile records a file of the working directory, when it exists.
func (c *canaryRun) addFile(name string) {
	c.t.Helper()
	data, err := os.ReadFile(c.dir.path(name))
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		c.t.Fatalf("reading %s: %v", name, err)
	}
	c.sources[name] = string(data)
}

// addZip records every file inside a zip archive, such as a saved plan.
func (c *canaryRun) addZip(name string) {
	c.t.Helper()
	archive, err := zip.OpenReader(c.dir.path(name))
	if err != nil {
		c.t.Fatalf("opening %s as a zip archive: %v", name, err)
	}
	defer archive.Close()
	for _, file := range archive.File {
		reader, err := file.Open()
		if err != nil {
			c.t.Fatalf("opening %s in %s: %v", file.Name, name, err)
		}
		data, err := io.ReadAll(reader)
		reader.Close()
		if err != nil {
			c.t.Fatalf("reading %s in %s: %v", file.Name, name, err)
		}
		c.sources[name+":"+file.Name] = string(data)
	}
}

// TestSecretCanary runs applies, a saved plan, show -json and two failing
// commands with TRACE logging, then checks that neither the password, nor
// the client secret, nor any session cookie appears in any output, log,
// state or plan file.
func TestSecretCanary(t *testing.T) {
	requireAcceptance(t)
	tj := startToolJet(t, emulator.Options{}, false)
	err := tj.server.Update(func(st *emulator.State) error {
		st.UserByEmail(superAdminEmail).Password = canaryPassword
		return nil
	})
	if err != nil {
		t.Fatalf("setting the canary password: %v", err)
	}

	d := newTerraformDir(t, tj.host, canaryConfig)
	d.env["TOOLJET_PASSWORD"] = canaryPassword
	d.env["TF_VAR_client_secret"] = canarySecret
	d.env["TF_VAR_secret_version"] = "1"
	d.env["TF_LOG"] = "TRACE"
	d.env["TF_LOG_PROVIDER"] = "TRACE"
	c := &canaryRun{t: t, dir: d, sources: map[string]string{}}

	c.run("apply", false, "apply", "-auto-approve", "-input=false", "-no-color")
	if got := storedClientSecret(tj); got != canarySecret {
		t.Fatalf("ToolJet stores the client secret %q, expected the canary: the test would "+
			"prove nothing", got)
	}

	// A saved plan that sends the secret again, because its version changes.
	d.env["TF_VAR_secret_version"] = "2"
	c.run("plan-out", false, "plan", "-input=false", "-no-color", "-out=tfplan")
	c.addZip("tfplan")
	showPlan := c.run("show-plan", false, "show", "-json", "-no-color", "tfplan")
	actions := plannedActions(t, showPlan.stdout)
	if got := actions["tooljet_instance_oidc.this"]; got != "update" {
		t.Fatalf("the saved plan has action %q for the instance OIDC, expected \"update\": "+
			"the plan would not send the secret", got)
	}
	c.run("apply-plan", false, "apply", "-input=false", "-no-color", "tfplan")
	c.run("show-state", false, "show", "-json", "-no-color")

	// An apply whose write ToolJet rejects with 451, so that the provider
	// prints the diagnostics of a failed write that carried the secret.
	tj.server.SetOptions(func(o *emulator.Options) {
		o.License = &emulator.License{OIDC: false, CustomGroups: true}
	})
	d.env["TF_VAR_secret_version"] = "3"
	failedApply := c.run("apply-unlicensed", true,
		"apply", "-auto-approve", "-input=false", "-no-color")
	if !strings.Contains(failedApply.output(), "HTTP 451") {
		t.Errorf("the failed apply does not report ToolJet's HTTP 451: %s", failedApply)
	}
	tj.server.SetOptions(func(o *emulator.Options) { o.License = nil })

	// A plan whose refresh fails, so that the provider prints the
	// diagnostics of a failed read.
	tj.server.AddFault(emulator.Fault{Method: http.MethodGet,
		Path: "/api/login-configs/instance-sso", Status: http.StatusInternalServerError})
	failedPlan := c.run("plan-failing", true, "plan", "-input=false", "-no-color")
	if !strings.Contains(failedPlan.output(), "HTTP 500") {
		t.Errorf("the failed plan does not report ToolJet's HTTP 500: %s", failedPlan)
	}
	tj.server.ClearFaults()
	c.addFile("terraform.tfstate")
	c.sources["state before the imports"] = c.sources["terraform.tfstate"]

	// Imports read the stored objects, and ToolJet returns their secrets.
	salesProvider := storedWorkspaceProviderID(t, tj, "sales")
	c.run("state-rm", false, "state", "rm", "tooljet_instance_oidc.this",
		"tooljet_workspace_oidc.sales")
	c.run("import-instance", false, "import", "-input=false", "-no-color",
		"tooljet_instance_oidc.this", "instance")
	c.run("import-workspace-oidc", false, "import", "-input=false", "-no-color",
		"tooljet_workspace_oidc.sales", "sales/"+salesProvider)

	c.addFile("terraform.tfstate")
	c.addFile("terraform.tfstate.backup")

	// The checks below prove something only if the logs are TRACE logs of
	// the provider and the provider logged in.
	if !strings.Contains(c.sources["apply log"], "Sending ToolJet API request") {
		t.Fatal("the apply log lacks the provider's request log: TF_LOG_PROVIDER did not apply")
	}
	if !strings.Contains(c.sources["terraform.tfstate"], "client_secret_wo_version") {
		t.Fatal("terraform.tfstate lacks the instance OIDC resource")
	}
	cookies := tj.sessionCookies()
	if len(cookies) == 0 {
		t.Fatal("the emulator issued no session cookie")
	}

	secrets := map[string]string{"password": canaryPassword, "client secret": canarySecret}
	for i, value := range cookies {
		secrets[fmt.Sprintf("session cookie %d", i+1)] = value
	}
	for _, source := range sortedKeys(c.sources) {
		text := c.sources[source]
		for _, name := range sortedKeys(secrets) {
			if strings.Contains(text, secrets[name]) {
				t.Errorf("%s contains the %s", source, name)
			}
		}
		if match := cookieInText.FindString(text); match != "" {
			t.Errorf("%s contains a session cookie with a value (%q...)", source, match)
		}
	}
	t.Logf("checked %d artifacts for %d secrets", len(c.sources), len(secrets))
}

// storedClientSecret returns the client secret of the instance OIDC
// configuration that the emulator stores.
func storedClientSecret(tj *toolJet) string {
	var secret string
	tj.server.View(func(st *emulator.State) {
		if row := st.InstanceOIDC(); row != nil {
			secret, _ = st.DecryptedConfigs(row)["clientSecret"].(string)
		}
	})
	return secret
}

// storedWorkspaceProviderID returns the config ID of the only OIDC provider
// that the emulator stores for a workspace.
func storedWorkspaceProviderID(t *testing.T, tj *toolJet, slug string) string {
	t.Helper()
	var ids []string
	tj.server.View(func(st *emulator.State) {
		ws := st.WorkspaceBySlug(slug)
		if ws == nil {
			return
		}
		for _, row := range st.WorkspaceConfigs(ws.ID) {
			if row.SSO == "openid" {
				ids = append(ids, row.ID)
			}
		}
	})
	if len(ids) != 1 {
		t.Fatalf("workspace %s has %d OIDC providers, expected 1", slug, len(ids))
	}
	return ids[0]
}

// plannedActions returns the actions of each resource in the JSON output of
// terraform show -json PLAN, such as "create" or "delete,create", by
// resource address. Resources without changes are left out.
func plannedActions(t *testing.T, planJSON string) map[string]string {
	t.Helper()
	var plan struct {
		ResourceChanges []struct {
			Address string `json:"address"`
			Change  struct {
				Actions []string `json:"actions"`
			} `json:"change"`
		} `json:"resource_changes"`
	}
	if err := json.Unmarshal([]byte(planJSON), &plan); err != nil {
		t.Fatalf("decoding the JSON plan: %v", err)
	}
	actions := map[string]string{}
	for _, change := range plan.ResourceChanges {
		joined := strings.Join(change.Change.Actions, ",")
		if joined != "no-op" && joined != "read" {
			actions[change.Address] = joined
		}
	}
	return actions
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	return keys
}
