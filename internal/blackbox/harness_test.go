// Package blackbox tests the provider binary as Terraform runs it: it builds
// the provider, points the real terraform CLI at the build with a
// dev_overrides CLI configuration, and runs terraform commands against an
// in-process ToolJet API emulator on 127.0.0.1. The tests cover what only a
// separate provider process shows: secrets in state, plans and logs, TLS and
// proxy settings, and concurrent applies from two terraform processes.
//
// The tests run when TF_ACC is set and need terraform 1.11 or later on PATH
// (or at TF_ACC_TERRAFORM_PATH), because they use write-only attributes.
package blackbox

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// Accounts of the emulator's default seed.
const (
	superAdminEmail    = "dev@tooljet.io"
	superAdminPassword = "password"
)

// sessionCookie is the name of ToolJet's session cookie.
const sessionCookie = "tj_auth_token"

// commandTimeout bounds one terraform command, so that a hung provider
// fails the test instead of the whole run.
const commandTimeout = 2 * time.Minute

// providerBuild is the provider binary, built once per test run.
var providerBuild struct {
	once sync.Once
	dir  string
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if providerBuild.dir != "" {
		os.RemoveAll(providerBuild.dir)
	}
	os.Exit(code)
}

// requireAcceptance skips the test unless TF_ACC is set, as the
// acceptance tests of the provider package do.
func requireAcceptance(t *testing.T) {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("black-box tests run when TF_ACC is set (make test sets it)")
	}
}

// providerDir returns the directory of the provider binary,
// building it on first use.
func providerDir(t *testing.T) string {
	t.Helper()
	providerBuild.once.Do(func() {
		providerBuild.dir, providerBuild.err = buildProvider()
	})
	if providerBuild.err != nil {
		t.Fatalf("building the provider: %v", providerBuild.err)
	}
	return providerBuild.dir
}

// buildProvider runs go build in the module root into a new temporary
// directory and returns that directory.
func buildProvider() (string, error) {
	ctx := context.Background()
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	goMod := strings.TrimSpace(string(out))
	if goMod == "" || goMod == os.DevNull {
		return "", errors.New("go env GOMOD names no go.mod; run the tests inside the module")
	}
	dir, err := os.MkdirTemp("", "tooljet-blackbox-provider")
	if err != nil {
		return "", err
	}
	cmd := exec.CommandContext(ctx, "go", "build", "-o",
		filepath.Join(dir, "terraform-provider-tooljet"), ".")
	cmd.Dir = filepath.Dir(goMod)
	if output, err := cmd.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", fmt.Errorf("go build: %w\n%s", err, output)
	}
	return dir, nil
}

// terraformPath returns TF_ACC_TERRAFORM_PATH, or terraform from PATH.
func terraformPath(t *testing.T) string {
	t.Helper()
	if path := os.Getenv("TF_ACC_TERRAFORM_PATH"); path != "" {
		return path
	}
	path, err := exec.LookPath("terraform")
	if err != nil {
		t.Fatalf("terraform is not on PATH and TF_ACC_TERRAFORM_PATH is not set: %v", err)
	}
	return path
}

// toolJet is an emulator served on 127.0.0.1 through a handler that records
// every session cookie it issues.
type toolJet struct {
	server *emulator.Server
	// host is the base URL, such as "https://127.0.0.1:40123".
	host string
	// caPEM is the emulator's self-signed certificate, or nil over HTTP.
	caPEM  []byte
	client *client.Client

	mu      sync.Mutex
	cookies map[string]bool
	// afterRequest, when set, runs after each request with the request and
	// the label of its session cookie.
	afterRequest func(r *http.Request, session string)
	labels       map[string]string
}

// startToolJet starts an emulator with opts, over HTTPS with a self-signed
// certificate when useTLS is true, and a client for the seed's super admin.
func startToolJet(t *testing.T, opts emulator.Options, useTLS bool) *toolJet {
	t.Helper()
	server, err := emulator.New(opts)
	if err != nil {
		t.Fatalf("creating the emulator: %v", err)
	}
	tj := &toolJet{server: server, cookies: map[string]bool{}, labels: map[string]string{}}
	httpServer := httptest.NewUnstartedServer(tj)
	// The TLS tests cause failed handshakes on purpose, and their log lines
	// would only clutter the test output.
	httpServer.Config.ErrorLog = log.New(io.Discard, "", 0)
	transport := http.DefaultTransport.(*http.Transport).Clone()
	if useTLS {
		cert, certPEM, err := emulator.SelfSignedCertificate()
		if err != nil {
			t.Fatalf("creating the emulator's certificate: %v", err)
		}
		httpServer.TLS = &tls.Config{Certificates: []tls.Certificate{cert}}
		httpServer.StartTLS()
		tj.caPEM = certPEM
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(certPEM)
		transport.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	} else {
		httpServer.Start()
	}
	t.Cleanup(httpServer.Close)
	tj.host = httpServer.URL

	tj.client, err = client.New(client.Config{
		Host: tj.host, Email: superAdminEmail, Password: superAdminPassword,
		HTTPClient: &http.Client{Transport: transport}, MinRetryWait: 10 * time.Millisecond,
	})
	if err != nil {
		t.Fatalf("creating the test client: %v", err)
	}
	return tj
}

// ServeHTTP passes the request to the emulator, then records the session
// cookie that the response sets.
func (tj *toolJet) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tj.server.Handler().ServeHTTP(w, r)
	for _, line := range w.Header().Values("Set-Cookie") {
		cookie, err := http.ParseSetCookie(line)
		if err == nil && cookie.Name == sessionCookie && cookie.Value != "" {
			tj.mu.Lock()
			tj.cookies[cookie.Value] = true
			tj.mu.Unlock()
		}
	}
	tj.mu.Lock()
	hook := tj.afterRequest
	tj.mu.Unlock()
	if hook != nil {
		hook(r, tj.sessionLabel(r))
	}
}

// sessionLabel names the session cookie of a request "session N", numbered
// in the order the cookies first appear, or returns "" without a cookie.
func (tj *toolJet) sessionLabel(r *http.Request) string {
	cookie, err := r.Cookie(sessionCookie)
	if err != nil || cookie.Value == "" {
		return ""
	}
	tj.mu.Lock()
	defer tj.mu.Unlock()
	label, ok := tj.labels[cookie.Value]
	if !ok {
		label = fmt.Sprintf("session %d", len(tj.labels)+1)
		tj.labels[cookie.Value] = label
	}
	return label
}

// sessionCookies returns every session cookie value the emulator issued.
func (tj *toolJet) sessionCookies() []string {
	tj.mu.Lock()
	defer tj.mu.Unlock()
	values := make([]string, 0, len(tj.cookies))
	for value := range tj.cookies {
		values = append(values, value)
	}
	return values
}

// snapshot reads the instance SSO settings through the test client.
func (tj *toolJet) snapshot(t *testing.T) *ssostate.Snapshot {
	t.Helper()
	row, err := tj.client.GetInstanceSSO(context.Background())
	if err != nil {
		t.Fatalf("reading the instance SSO settings: %v", err)
	}
	snap, err := ssostate.NewSnapshot(row)
	if err != nil {
		t.Fatalf("decoding the instance SSO settings: %v", err)
	}
	return snap
}

// workspaceIDs returns the IDs of the emulator's workspaces by slug.
func (tj *toolJet) workspaceIDs(t *testing.T) map[string]string {
	t.Helper()
	ids := map[string]string{}
	tj.server.View(func(st *emulator.State) {
		for _, ws := range st.Workspaces {
			ids[ws.Slug] = ws.ID
		}
	})
	return ids
}

// terraformDir is a Terraform working directory and the environment its
// commands run with.
type terraformDir struct {
	t         *testing.T
	dir       string
	terraform string
	env       map[string]string
}

// requiredProviders makes "tooljet" resolve to the dev_overrides build.
const requiredProviders = `terraform {
  required_providers {
    tooljet = {
      source = "tooljet/tooljet"
    }
  }
}
`

// newTerraformDir writes config to main.tf in a new directory, with the
// required_providers block before it, and prepares an environment that
// reaches host as the seed's super admin. The CLI configuration points
// Terraform at the provider build, so no terraform init is needed.
func newTerraformDir(t *testing.T, host, config string) *terraformDir {
	t.Helper()
	dir := t.TempDir()
	cliConfig := filepath.Join(dir, "terraform.rc")
	cliText := fmt.Sprintf(`provider_installation {
  dev_overrides {
    "tooljet/tooljet" = %q
  }
  direct {}
}
`, providerDir(t))
	if err := os.WriteFile(cliConfig, []byte(cliText), 0o600); err != nil {
		t.Fatalf("writing the CLI configuration: %v", err)
	}
	d := &terraformDir{
		t:         t,
		dir:       dir,
		terraform: terraformPath(t),
		env: map[string]string{
			"TF_CLI_CONFIG_FILE": cliConfig,
			"TF_IN_AUTOMATION":   "1",
			"CHECKPOINT_DISABLE": "1",
			"TOOLJET_HOST":       host,
			"TOOLJET_EMAIL":      superAdminEmail,
			"TOOLJET_PASSWORD":   superAdminPassword,
		},
	}
	d.writeFile("main.tf", requiredProviders+"\n"+strings.TrimLeft(config, "\n"))
	return d
}

// writeFile writes a file into the working directory.
func (d *terraformDir) writeFile(name, content string) {
	d.t.Helper()
	if err := os.WriteFile(filepath.Join(d.dir, name), []byte(content), 0o600); err != nil {
		d.t.Fatalf("writing %s: %v", name, err)
	}
}

// path returns the path of a file in the working directory.
func (d *terraformDir) path(name string) string { return filepath.Join(d.dir, name) }

// environ is the process environment without the variables that would
// change what Terraform or the provider does (TF_*, TOOLJET_*, proxies),
// plus the directory's own variables.
func (d *terraformDir) environ() []string {
	var env []string
	for _, entry := range os.Environ() {
		key, _, _ := strings.Cut(entry, "=")
		upper := strings.ToUpper(key)
		if strings.HasPrefix(upper, "TF_") || strings.HasPrefix(upper, "TOOLJET_") ||
			strings.HasSuffix(upper, "_PROXY") {
			continue
		}
		env = append(env, entry)
	}
	for key, value := range d.env {
		env = append(env, key+"="+value)
	}
	return env
}

// commandResult is the outcome of one terraform command.
type commandResult struct {
	args     []string
	stdout   string
	stderr   string
	err      error
	duration time.Duration
}

// failed reports whether the command exited with an error.
func (r commandResult) failed() bool { return r.err != nil }

// output is stdout and stderr together, for matching messages.
func (r commandResult) output() string { return r.stdout + r.stderr }

// String describes the command and its output, for failure messages.
func (r commandResult) String() string {
	return fmt.Sprintf("terraform %s (error: %v)\n--- stdout ---\n%s\n--- stderr ---\n%s",
		strings.Join(r.args, " "), r.err, r.stdout, r.stderr)
}

// runningCommand is a terraform command started with start.
type runningCommand struct {
	cmd            *exec.Cmd
	cancel         context.CancelFunc
	stdout, stderr bytes.Buffer
	args           []string
	started        time.Time
}

// start starts terraform with args in the working directory.
func (d *terraformDir) start(args ...string) *runningCommand {
	d.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	rc := &runningCommand{args: args, cancel: cancel}
	rc.cmd = exec.CommandContext(ctx, d.terraform, args...)
	rc.cmd.Dir = d.dir
	rc.cmd.Env = d.environ()
	rc.cmd.Stdout = &rc.stdout
	rc.cmd.Stderr = &rc.stderr
	rc.cmd.WaitDelay = 10 * time.Second
	rc.started = time.Now()
	if err := rc.cmd.Start(); err != nil {
		cancel()
		d.t.Fatalf("starting terraform %s: %v", strings.Join(args, " "), err)
	}
	return rc
}

// wait waits for the command to end.
func (rc *runningCommand) wait() commandResult {
	err := rc.cmd.Wait()
	rc.cancel()
	return commandResult{
		args:     rc.args,
		stdout:   rc.stdout.String(),
		stderr:   rc.stderr.String(),
		err:      err,
		duration: time.Since(rc.started),
	}
}

// run runs terraform with args and waits for it.
func (d *terraformDir) run(args ...string) commandResult {
	d.t.Helper()
	return d.start(args...).wait()
}

// mustRun runs terraform with args and fails the test when it fails.
func (d *terraformDir) mustRun(args ...string) commandResult {
	d.t.Helper()
	result := d.run(args...)
	if result.failed() {
		d.t.Fatalf("command failed: %s", result)
	}
	return result
}

// apply runs terraform apply without prompts.
func (d *terraformDir) apply() commandResult {
	d.t.Helper()
	return d.run("apply", "-auto-approve", "-input=false", "-no-color")
}

// plan runs terraform plan without prompts.
func (d *terraformDir) plan(extra ...string) commandResult {
	d.t.Helper()
	return d.run(append([]string{"plan", "-input=false", "-no-color"}, extra...)...)
}
