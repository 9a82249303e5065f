package emulator

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"go/build"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer that RunContext and the test can share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

const readyPrefix = "ToolJet API emulator listening on "

// waitForURL polls stdout for the ready line and returns its URL.
func waitForURL(t *testing.T, stdout *lockedBuffer, done <-chan error) string {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for {
		if line, ok := strings.CutPrefix(stdout.String(), readyPrefix); ok &&
			strings.HasSuffix(line, "\n") {
			return strings.TrimSuffix(line, "\n")
		}
		select {
		case err := <-done:
			t.Fatalf("command ended before it was ready: %v", err)
		case <-deadline:
			t.Fatalf("no ready line within 10s, stdout %q", stdout.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func TestRunContext_servesAndSavesState(t *testing.T) {
	dir := t.TempDir()
	statePath := filepath.Join(dir, "state.json")
	urlPath := filepath.Join(dir, "url")
	var stdout, stderr lockedBuffer
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- RunContext(ctx, []string{"-listen", "127.0.0.1:0", "-state", statePath,
			"-url-file", urlPath, "-sub-path", "/tooljet/",
			"-fault", "GET /api/license/access status=503 count=1"}, &stdout, &stderr)
	}()

	baseURL := waitForURL(t, &stdout, done)
	if !strings.HasPrefix(baseURL, "http://127.0.0.1:") || !strings.HasSuffix(baseURL, "/tooljet") {
		t.Errorf("URL = %s, want http://127.0.0.1:PORT/tooljet", baseURL)
	}
	written, err := os.ReadFile(urlPath)
	if err != nil || string(written) != baseURL+"\n" {
		t.Errorf("URL file = %q (%v), want %q", written, err, baseURL+"\n")
	}

	srvState, err := loadStateFile(statePath)
	if err != nil || srvState == nil {
		t.Fatalf("state file at start: %v", err)
	}
	c := newClient(t, baseURL)
	var workspace string
	for _, ws := range srvState.Workspaces {
		if ws.Slug == "my-workspace" {
			workspace = ws.ID
		}
	}
	c.mustDo("POST", "/api/authenticate/"+workspace,
		map[string]any{"email": superAdminEmail, "password": seedPassword}, http.StatusCreated)
	c.workspaceID = workspace
	c.mustDo("GET", "/api/license/access", nil, http.StatusServiceUnavailable)
	c.mustDo("PATCH", "/api/login-configs/organization-general/inherit-sso",
		map[string]any{"inheritSSO": true}, http.StatusOK)

	cancel()
	if err := <-done; err != nil {
		t.Fatalf("RunContext: %v", err)
	}
	saved, err := loadStateFile(statePath)
	if err != nil {
		t.Fatal(err)
	}
	if !saved.WorkspaceByID(workspace).InheritSSO {
		t.Errorf("state file lacks the change made before shutdown")
	}
	logs := stderr.String()
	if !strings.Contains(logs, `route="PATCH /api/login-configs/organization-general/inherit-sso"`) {
		t.Errorf("request log lacks the PATCH route:\n%s", logs)
	}
	for _, secret := range []string{seedPassword, "tj_auth_token"} {
		if strings.Contains(logs, secret) {
			t.Errorf("log contains %q:\n%s", secret, logs)
		}
	}
}

func TestRunContext_rejectsRemoteListen(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "192.0.2.1:3000"} {
		err := RunContext(context.Background(), []string{"-listen", addr}, io.Discard, io.Discard)
		if err == nil || !strings.Contains(err.Error(), "-allow-remote") {
			t.Errorf("-listen %s: error = %v, want a loopback error naming -allow-remote", addr, err)
		}
	}
}

func TestRunContext_printSeed(t *testing.T) {
	var stdout bytes.Buffer
	if err := RunContext(context.Background(), []string{"-print-seed"}, &stdout,
		io.Discard); err != nil {
		t.Fatal(err)
	}
	var seed Seed
	if err := json.Unmarshal(stdout.Bytes(), &seed); err != nil {
		t.Fatalf("decode printed seed: %v", err)
	}
	if !reflect.DeepEqual(&seed, DefaultSeed()) {
		t.Errorf("printed seed differs from DefaultSeed")
	}
}

func TestRunContext_invalidArguments(t *testing.T) {
	tests := []struct {
		args  []string
		usage bool
		want  string
	}{
		{[]string{"-no-such-flag"}, true, "no-such-flag"},
		{[]string{"-fault", "GET /api"}, true, "expected METHOD PATH"},
		{[]string{"extra"}, true, "unexpected argument"},
		{[]string{"-listen", "127.0.0.1:0", "-edition", "pro"}, false, "invalid edition"},
		{[]string{"-listen", "127.0.0.1:0", "-license", "oidc,saml"}, false, "saml"},
		{[]string{"-listen", "127.0.0.1:0", "-secrets", "hidden"}, false, "secret read mode"},
		{[]string{"-fault", "PATCH /api discard status=500"}, true, "discard excludes"},
		{[]string{"-listen", "127.0.0.1:0", "-seed", "/nonexistent/seed.json"}, false,
			"read seed file"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			var stderr bytes.Buffer
			err := RunContext(context.Background(), tt.args, io.Discard, &stderr)
			if err == nil {
				t.Fatalf("RunContext succeeded, want an error")
			}
			if errors.Is(err, ErrUsage) != tt.usage {
				t.Errorf("errors.Is(err, ErrUsage) = %v, want %v (%v)", !tt.usage, tt.usage, err)
			}
			if !strings.Contains(err.Error()+stderr.String(), tt.want) {
				t.Errorf("error %q and output lack %q", err, tt.want)
			}
		})
	}
}

func TestRunContext_help(t *testing.T) {
	var stderr bytes.Buffer
	err := RunContext(context.Background(), []string{"-help"}, io.Discard, &stderr)
	if !errors.Is(err, flag.ErrHelp) {
		t.Errorf("error = %v, want flag.ErrHelp", err)
	}
	for _, part := range []string{"-listen", "-fault", "retry-after=", "* * drop count=1",
		"discard", "-drop-unknown-config-keys", "placeholder"} {
		if !strings.Contains(stderr.String(), part) {
			t.Errorf("help lacks %q", part)
		}
	}
}

// goTool returns the go command that runs the tests.
func goTool(t *testing.T) string {
	t.Helper()
	if path, err := exec.LookPath("go"); err == nil {
		return path
	}
	path := filepath.Join(build.Default.GOROOT, "bin", "go")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("go command not found: %v", err)
	}
	return path
}

func TestCommand_signalSavesState(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command")
	}
	dir := t.TempDir()
	binary := filepath.Join(dir, "tooljet-emulator")
	buildCmd := exec.CommandContext(t.Context(), goTool(t), "build", "-o", binary,
		"github.com/tooljet/terraform-provider-tooljet/cmd/tooljet-emulator")
	if out, err := buildCmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}

	statePath := filepath.Join(dir, "state.json")
	cmd := exec.CommandContext(t.Context(), binary, "-listen", "127.0.0.1:0", "-state", statePath)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()

	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		t.Fatalf("read ready line: %v; stderr %s", err, stderr.String())
	}
	baseURL, ok := strings.CutPrefix(strings.TrimSpace(line), readyPrefix)
	if !ok {
		t.Fatalf("ready line = %q", line)
	}
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, baseURL+"/api/health", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if err := os.Remove(statePath); err != nil {
		t.Fatal(err)
	}

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("command exit after SIGTERM: %v; stderr %s", err, stderr.String())
	}
	if _, err := loadStateFile(statePath); err != nil {
		t.Errorf("state file after SIGTERM: %v", err)
	}
	if _, err := os.Stat(statePath); err != nil {
		t.Errorf("state file not saved on SIGTERM: %v", err)
	}
}

func TestFlags_gapSwitches(t *testing.T) {
	var cfg cliConfig
	fs := newFlagSet(&cfg, io.Discard)
	err := fs.Parse([]string{"-drop-unknown-config-keys", "-secrets", "placeholder",
		"-fault", "PATCH /api/login-configs/instance-sso discard count=2"})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	opts, err := cfg.options(nil)
	if err != nil {
		t.Fatalf("options: %v", err)
	}
	if !opts.DropUnknownConfigKeys {
		t.Error("DropUnknownConfigKeys = false, want true from -drop-unknown-config-keys")
	}
	if opts.SecretRead != SecretsPlaceholder {
		t.Errorf("SecretRead = %q, want %q", opts.SecretRead, SecretsPlaceholder)
	}
	if len(cfg.faults) != 1 || !cfg.faults[0].Discard || cfg.faults[0].Count != 2 {
		t.Errorf("faults = %+v, want one discard fault with count 2", cfg.faults)
	}
}
