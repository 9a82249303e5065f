package provider

import (
	"crypto/tls"
	"crypto/x509"
	"net/http"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
)

// tlsSettings are the provider's TLS settings.
type tlsSettings struct {
	caCertPEM          string
	caCertFile         string
	insecureSkipVerify bool
}

type warning struct{ summary, detail string }

// newHTTPClient builds the HTTP client for ToolJet: the standard proxy
// variables (HTTPS_PROXY, HTTP_PROXY, NO_PROXY), the system's CA
// certificates plus any configured ones, and certificate verification
// unless insecure_skip_verify is set.
func newHTTPClient(s tlsSettings, diags *diag.Diagnostics) (*http.Client, []warning) {
	transport := &http.Transport{}
	if defaultTransport, ok := http.DefaultTransport.(*http.Transport); ok {
		transport = defaultTransport.Clone()
	}
	transport.Proxy = http.ProxyFromEnvironment
	tlsConfig := &tls.Config{MinVersion: tls.VersionTLS12}

	pemData, attribute := []byte(s.caCertPEM), "ca_cert_pem"
	if s.caCertFile != "" {
		attribute = "ca_cert_file"
		data, err := os.ReadFile(s.caCertFile)
		if err != nil {
			diags.AddAttributeError(path.Root(attribute), "Unreadable CA certificate file",
				"The provider cannot read "+quote(s.caCertFile)+": "+err.Error()+".")
			return nil, nil
		}
		pemData = data
	}
	if len(pemData) > 0 {
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pemData) {
			diags.AddAttributeError(path.Root(attribute), "Invalid CA certificate",
				"The value of "+attribute+" holds no PEM-encoded certificate. Give one or more "+
					"\"-----BEGIN CERTIFICATE-----\" blocks.")
			return nil, nil
		}
		tlsConfig.RootCAs = pool
	}

	var warnings []warning
	if s.insecureSkipVerify {
		tlsConfig.InsecureSkipVerify = true
		warnings = append(warnings, warning{
			summary: "TLS certificate verification is off",
			detail: "insecure_skip_verify is true, so the provider does not check ToolJet's " +
				"HTTPS certificate, and anyone on the network path can read the password and " +
				"client secrets it sends. Trust ToolJet's CA with ca_cert_pem or ca_cert_file " +
				"instead.",
		})
	}
	transport.TLSClientConfig = tlsConfig
	return &http.Client{Transport: transport}, warnings
}
