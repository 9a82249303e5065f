package blackbox

import (
	"bufio"
	"net"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

// forwardProxy is an HTTP forward proxy that forwards requests for one host
// name to the emulator and rejects everything else, so that the test never
// sends traffic anywhere but the emulator.
type forwardProxy struct {
	// host is the host:port that clients ask for.
	host    string
	forward *httputil.ReverseProxy

	mu        sync.Mutex
	forwarded int
	rejected  []string
}

// newForwardProxy returns a proxy that sends requests for host to the
// emulator at target ("127.0.0.1:port").
func newForwardProxy(host, target string) *forwardProxy {
	return &forwardProxy{
		host: host,
		forward: &httputil.ReverseProxy{Rewrite: func(r *httputil.ProxyRequest) {
			r.Out.URL.Scheme = "http"
			r.Out.URL.Host = target
		}},
	}
}

func (p *forwardProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodConnect || r.URL.Host != p.host {
		p.mu.Lock()
		p.rejected = append(p.rejected, r.Method+" "+r.URL.Host)
		p.mu.Unlock()
		http.Error(w, "this test proxy forwards only to the ToolJet emulator",
			http.StatusBadGateway)
		return
	}
	p.mu.Lock()
	p.forwarded++
	p.mu.Unlock()
	p.forward.ServeHTTP(w, r)
}

// counts returns how many requests the proxy forwarded and which it
// rejected.
func (p *forwardProxy) counts() (int, []string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.forwarded, append([]string(nil), p.rejected...)
}

// loopbackAlias returns a host name other than "localhost" that /etc/hosts
// maps to a 127.x.x.x address, or "". It reads the file itself, because a
// resolver would ask DNS for a name that the file lacks.
func loopbackAlias() string {
	file, err := os.Open("/etc/hosts")
	if err != nil {
		return ""
	}
	defer file.Close()
	scanner := bufio.NewScanner(file)
	for scanner.Scan() {
		line, _, _ := strings.Cut(scanner.Text(), "#")
		fields := strings.Fields(line)
		if len(fields) < 2 {
			continue
		}
		ip := net.ParseIP(fields[0])
		if ip == nil || ip.To4() == nil || !ip.IsLoopback() {
			continue
		}
		for _, name := range fields[1:] {
			if !strings.EqualFold(name, "localhost") &&
				!strings.HasSuffix(strings.ToLower(name), ".localhost") {
				return name
			}
		}
	}
	return ""
}

// TestProxy applies a configuration with HTTP_PROXY set and checks that
// every request the emulator received came through the proxy.
//
// Go's ProxyFromEnvironment never proxies "localhost" or loopback IP
// addresses, so the provider reaches the emulator by a name from /etc/hosts
// that maps to 127.x.x.x. The proxy forwards that name to the emulator
// without resolving it.
func TestProxy(t *testing.T) {
	requireAcceptance(t)
	alias := loopbackAlias()
	if alias == "" {
		t.Skip("/etc/hosts maps no name other than localhost to a 127.x.x.x address, so " +
			"the provider cannot reach the emulator through a proxy")
	}
	tj := startToolJet(t, emulator.Options{}, false)
	emulatorURL, err := url.Parse(tj.host)
	if err != nil {
		t.Fatalf("parsing the emulator URL: %v", err)
	}
	proxiedHost := net.JoinHostPort(alias, emulatorURL.Port())
	proxy := newForwardProxy(proxiedHost, emulatorURL.Host)
	proxyServer := httptest.NewServer(proxy)
	t.Cleanup(proxyServer.Close)

	d := newTerraformDir(t, "http://"+proxiedHost, proxyConfig)
	d.env["HTTP_PROXY"] = proxyServer.URL
	before := totalRequests(tj.server)
	result := d.apply()
	if result.failed() {
		t.Fatalf("the apply through the proxy failed: %s", result)
	}

	forwarded, rejected := proxy.counts()
	received := totalRequests(tj.server) - before
	if forwarded == 0 {
		t.Fatal("no request went through the proxy")
	}
	if forwarded != received {
		t.Errorf("the proxy forwarded %d requests, but the emulator received %d", forwarded,
			received)
	}
	if len(rejected) > 0 {
		t.Errorf("the proxy rejected requests for other hosts: %v", rejected)
	}
	t.Logf("the proxy forwarded %d requests for %s", forwarded, proxiedHost)
}

// proxyConfig reads a workspace and writes the instance OIDC settings and a
// group sync row, so that the apply sends logins, reads and writes.
const proxyConfig = `
provider "tooljet" {}

data "tooljet_workspace" "marketing" {
  slug = "marketing"
}

resource "tooljet_instance_oidc" "this" {
  client_id                = "tooljet-client"
  client_secret_wo         = "not-a-real-secret"
  client_secret_wo_version = 1
  well_known_url           = "https://idp.test/.well-known/openid-configuration"

  group_sync = {}
}

resource "tooljet_workspace_group_sync" "marketing" {
  workspace_id = data.tooljet_workspace.marketing.id

  depends_on = [tooljet_instance_oidc.this]
}
`
