// Command tooljet-emulator serves an in-memory emulator of ToolJet's admin
// HTTP API for SSO, group sync, workspaces and groups, for the provider's
// tests and demos. Run it with -help for its flags and fault rules.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

func main() {
	err := emulator.Run(os.Args[1:], os.Stdout, os.Stderr)
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
		return
	case errors.Is(err, emulator.ErrUsage):
		// The flag package has printed the error and the usage text.
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "tooljet-emulator:", err)
		os.Exit(1)
	}
}
