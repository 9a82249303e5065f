package provider

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// The acceptance tests run against an in-process ToolJet API emulator, or
// against a real ToolJet when TOOLJET_HOST, TOOLJET_EMAIL and
// TOOLJET_PASSWORD are set. A real ToolJet must be a disposable test
// instance: the tests change its instance SSO settings.

func TestMain(m *testing.M) {
	cleanup, err := ensureCLIConfig()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	code := m.Run()
	cleanup()
	os.Exit(code)
}

// ensureCLIConfig points TF_CLI_CONFIG_FILE at an empty file when it names
// a file that does not exist, because Terraform warns about a missing CLI
// configuration on every command.
func ensureCLIConfig() (func(), error) {
	configured := os.Getenv("TF_CLI_CONFIG_FILE")
	if configured != "" {
		if _, err := os.Stat(configured); err == nil {
			return func() {}, nil
		}
	}
	dir, err := os.MkdirTemp("", "tooljet-tfcli")
	if err != nil {
		return nil, err
	}
	file := filepath.Join(dir, "terraformrc")
	if err := os.WriteFile(file, []byte("# empty CLI configuration for tests\n"), 0o600); err != nil {
		return nil, err
	}
	if err := os.Setenv("TF_CLI_CONFIG_FILE", file); err != nil {
		return nil, err
	}
	return func() { os.RemoveAll(dir) }, nil
}

// testEnv is the ToolJet that one test talks to.
type testEnv struct {
	// emulator is nil when the test runs against a real ToolJet.
	emulator *emulator.Server
	host     string
	email    string
	password string
	client   *client.Client
}

// realToolJet reports whether the acceptance tests target a real ToolJet.
func realToolJet() bool { return os.Getenv(envHost) != "" }

// newTestEnv starts an emulator for the test (changing its options with
// configure), or uses the real ToolJet from the environment.
func newTestEnv(t *testing.T, configure ...func(*emulator.Options)) *testEnv {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance tests run when TF_ACC is set (make test sets it)")
	}
	env := &testEnv{}
	if realToolJet() {
		env.host = os.Getenv(envHost)
		env.email = os.Getenv(envEmail)
		env.password = os.Getenv(envPassword)
	} else {
		opts := emulator.Options{Latency: 2 * time.Millisecond}
		for _, f := range configure {
			f(&opts)
		}
		server, err := emulator.New(opts)
		if err != nil {
			t.Fatalf("starting the emulator: %v", err)
		}
		url, err := server.Start("127.0.0.1:0")
		if err != nil {
			t.Fatalf("starting the emulator: %v", err)
		}
		t.Cleanup(func() { server.Close() })
		env.emulator = server
		env.host = url
		env.email = "dev@tooljet.io"
		env.password = "password"
	}
	c, err := client.New(client.Config{Host: env.host, Email: env.email, Password: env.password,
		MinRetryWait: 10 * time.Millisecond})
	if err != nil {
		t.Fatalf("creating the test client: %v", err)
	}
	env.client = c
	return env
}

// requireEmulator skips tests that need the emulator's switches or state.
func (e *testEnv) requireEmulator(t *testing.T) {
	t.Helper()
	if e.emulator == nil {
		t.Skip("this test needs the ToolJet API emulator")
	}
}

// factories returns the provider factories for resource.TestCase.
func (e *testEnv) factories(opts testOptions) map[string]func() (tfprotov6.ProviderServer, error) {
	return map[string]func() (tfprotov6.ProviderServer, error){
		"tooljet": providerserver.NewProtocol6WithError(&tooljetProvider{
			version: "test", testOptions: opts,
		}),
	}
}

// providerConfig is the provider block of the test configurations.
func (e *testEnv) providerConfig() string {
	return fmt.Sprintf(`
provider "tooljet" {
  host        = %q
  email       = %q
  password    = %q
  max_retries = 3
}
`, e.host, e.email, e.password)
}

// config prepends the provider block to a test configuration.
func (e *testEnv) config(hcl string) string {
	return e.providerConfig() + strings.TrimLeft(hcl, "\n")
}

// snapshot reads the instance SSO object directly, bypassing the provider.
func (e *testEnv) snapshot(t *testing.T) *ssostate.Snapshot {
	t.Helper()
	row, err := e.client.GetInstanceSSO(context.Background())
	if err != nil {
		t.Fatalf("reading instance SSO settings: %v", err)
	}
	snap, err := ssostate.NewSnapshot(row)
	if err != nil {
		t.Fatalf("decoding instance SSO settings: %v", err)
	}
	return snap
}

// modify changes the instance SSO object out of band, as another tool
// would, through the same API the provider uses.
func (e *testEnv) modify(t *testing.T, op func(d *ssostate.Draft) error) {
	t.Helper()
	store := ssostate.NewStore(e.client, ssostate.Options{})
	if _, err := store.Modify(context.Background(), op); err != nil {
		t.Fatalf("changing instance SSO settings out of band: %v", err)
	}
}

// workspaceID returns the ID of a workspace by slug.
func (e *testEnv) workspaceID(t *testing.T, slug string) string {
	t.Helper()
	list, err := e.client.ListWorkspaces(context.Background())
	if err != nil {
		t.Fatalf("listing workspaces: %v", err)
	}
	for _, ws := range list {
		if ws.Slug == slug {
			return ws.ID
		}
	}
	t.Fatalf("no workspace with slug %q", slug)
	return ""
}

// textPattern returns a regular expression that matches the words of text
// in order, across the line breaks and spaces Terraform puts into wrapped
// diagnostics. Regular expression syntax in text is quoted.
func textPattern(text string) *regexp.Regexp {
	words := strings.Fields(text)
	for i, word := range words {
		words[i] = regexp.QuoteMeta(word)
	}
	return regexp.MustCompile(`(?s)` + strings.Join(words, `\s+`))
}

// stateCheckFunc is a statecheck.StateCheck that runs a function, for
// checks against ToolJet rather than the Terraform state. Unlike a legacy
// Check function it works with for_each resources.
type stateCheckFunc func() error

func (f stateCheckFunc) CheckState(_ context.Context, _ statecheck.CheckStateRequest,
	resp *statecheck.CheckStateResponse) {
	resp.Error = f()
}
