package blackbox

import (
	"strings"
	"testing"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

// marketingLookup makes a plan read a workspace, so that the provider logs
// in and sends requests during the plan.
const marketingLookup = `
data "tooljet_workspace" "marketing" {
  slug = "marketing"
}
`

// insecureWarning is the summary of the warning that insecure_skip_verify
// gives.
const insecureWarning = "Warning: TLS certificate verification is off"

// TestTLSSettings runs plans against an HTTPS emulator whose certificate is
// self-signed, with each of the provider's TLS settings.
func TestTLSSettings(t *testing.T) {
	requireAcceptance(t)
	tj := startToolJet(t, emulator.Options{}, true)
	if !strings.HasPrefix(tj.host, "https://") {
		t.Fatalf("the emulator URL %q is not HTTPS", tj.host)
	}

	// planWith runs a plan with the given provider block and the PEM
	// certificate written to ca.pem beside main.tf.
	planWith := func(t *testing.T, providerBlock string) commandResult {
		d := newTerraformDir(t, tj.host, providerBlock+marketingLookup)
		d.writeFile("ca.pem", string(tj.caPEM))
		d.writeFile("no-cert.pem", "This file contains no certificate.\n")
		return d.plan()
	}

	t.Run("no CA rejects certificate", func(t *testing.T) {
		t.Parallel()
		result := planWith(t, `provider "tooljet" {}`)
		if !result.failed() {
			t.Fatalf("the plan succeeded without a trusted CA: %s", result)
		}
		if !strings.Contains(result.output(), "certificate") {
			t.Errorf("the error does not mention the certificate: %s", result)
		}
	})

	t.Run("ca_cert_pem trusts certificate", func(t *testing.T) {
		t.Parallel()
		result := planWith(t, `
provider "tooljet" {
  ca_cert_pem = file("${path.module}/ca.pem")
}
`)
		if result.failed() {
			t.Fatalf("the plan failed with ca_cert_pem: %s", result)
		}
	})

	t.Run("ca_cert_file trusts certificate", func(t *testing.T) {
		t.Parallel()
		result := planWith(t, `
provider "tooljet" {
  ca_cert_file = "${path.module}/ca.pem"
}
`)
		if result.failed() {
			t.Fatalf("the plan failed with ca_cert_file: %s", result)
		}
	})

	t.Run("ca_cert_pem without certificate", func(t *testing.T) {
		t.Parallel()
		result := planWith(t, `
provider "tooljet" {
  ca_cert_pem = file("${path.module}/no-cert.pem")
}
`)
		if !result.failed() {
			t.Fatalf("the plan succeeded with a ca_cert_pem that contains no certificate: %s", result)
		}
		if !strings.Contains(result.output(), "Error: Invalid CA certificate") {
			t.Errorf("the output lacks the error \"Invalid CA certificate\": %s", result)
		}
		// Terraform quotes the configuration line of an attribute error.
		if !strings.Contains(result.output(), "ca_cert_pem = file(") {
			t.Errorf("the error does not point at the ca_cert_pem line: %s", result)
		}
	})

	t.Run("ca_cert_file without certificate", func(t *testing.T) {
		t.Parallel()
		result := planWith(t, `
provider "tooljet" {
  ca_cert_file = "${path.module}/no-cert.pem"
}
`)
		if !result.failed() {
			t.Fatalf("the plan succeeded with a ca_cert_file that contains no certificate: %s",
				result)
		}
		if !strings.Contains(result.output(), "Error: Invalid CA certificate") {
			t.Errorf("the output lacks the error \"Invalid CA certificate\": %s", result)
		}
	})

	t.Run("insecure_skip_verify warns once", func(t *testing.T) {
		t.Parallel()
		result := planWith(t, `
provider "tooljet" {
  insecure_skip_verify = true
}
`)
		if result.failed() {
			t.Fatalf("the plan failed with insecure_skip_verify: %s", result)
		}
		if got := strings.Count(result.output(), insecureWarning); got != 1 {
			t.Errorf("the output has %d warnings %q, expected 1: %s", got, insecureWarning, result)
		}
	})

	t.Run("ca_cert_pem and ca_cert_file conflict", func(t *testing.T) {
		t.Parallel()
		result := planWith(t, `
provider "tooljet" {
  ca_cert_pem  = file("${path.module}/ca.pem")
  ca_cert_file = "${path.module}/ca.pem"
}
`)
		if !result.failed() {
			t.Fatalf("the plan succeeded with both ca_cert_pem and ca_cert_file: %s", result)
		}
		if !strings.Contains(result.output(), "Error: Invalid Attribute Combination") {
			t.Errorf("the output lacks the error \"Invalid Attribute Combination\": %s", result)
		}
	})

	t.Run("bad CA fails before any request", func(t *testing.T) {
		// Not parallel, because it counts the emulator's requests. Subtests
		// that call t.Parallel wait until the parent test function returns,
		// so none of them runs meanwhile.
		before := totalRequests(tj.server)
		planWith(t, `
provider "tooljet" {
  ca_cert_pem = file("${path.module}/no-cert.pem")
}
`)
		if got := totalRequests(tj.server) - before; got != 0 {
			t.Errorf("the provider sent %d requests with an invalid CA, expected 0", got)
		}
	})
}

// totalRequests returns how many requests the emulator received on every
// route together.
func totalRequests(server *emulator.Server) int {
	total := 0
	for _, count := range server.RequestCounts() {
		total += count
	}
	return total
}
