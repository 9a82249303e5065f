// Command terraform-provider-tooljet is the Terraform provider for ToolJet's
// single sign-on and group sync settings.
package main

import (
	"context"
	"flag"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/tooljet/terraform-provider-tooljet/internal/provider"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	var debug bool
	flag.BoolVar(&debug, "debug", false, "run the provider with support for debuggers "+
		"such as delve, printing the TF_REATTACH_PROVIDERS value to use")
	flag.Parse()
	quietSDKLogs()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/tooljet/tooljet",
		Debug:           debug,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err)
	}
}

// logSettings are the environment variables with which a user asks Terraform
// for logs, of Terraform or of providers.
var logSettings = []string{
	"TF_LOG", "TF_LOG_PATH", "TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO",
	"TF_LOG_SDK_FRAMEWORK", "TF_ACC_LOG_PATH",
}

// quietSDKLogs switches off the plugin SDK's own logs when no log is asked
// for. Without a level, terraform-plugin-log writes every SDK log line at
// TRACE to Terraform, which throws them away unless TF_LOG or
// TF_LOG_PROVIDER is set; formatting them took a third of the provider's CPU
// time in a plan of 1000 resources. The provider's own logs are not
// affected, and any of the variables above turns the SDK's logs back on.
func quietSDKLogs() {
	for _, name := range logSettings {
		if os.Getenv(name) != "" {
			return
		}
	}
	_ = os.Setenv("TF_LOG_SDK", "off")
}
