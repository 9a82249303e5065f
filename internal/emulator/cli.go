package emulator

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

// ErrUsage wraps command-line errors that the flag package has already
// printed together with the usage text.
var ErrUsage = errors.New("invalid command-line arguments")

// Run runs the tooljet-emulator command with args (without the program
// name) until SIGINT or SIGTERM, then saves the state file and returns. It
// returns flag.ErrHelp after printing the help text for -help.
func Run(args []string, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return RunContext(ctx, args, stdout, stderr)
}

// cliConfig is the parsed command line.
type cliConfig struct {
	listen          string
	allowRemote     bool
	statePath       string
	seedPath        string
	edition         string
	license         string
	secrets         string
	shape           string
	keepMappingKeys bool
	requireEnabled  bool
	dropUnknownKeys bool
	latency         time.Duration
	sessionTTL      time.Duration
	subPath         string
	faults          []Fault
	useTLS          bool
	tlsCAOut        string
	urlFile         string
	printSeed       bool
	logLevel        slog.Level
}

const commandHelp = `Usage: tooljet-emulator [flags]

Serves an in-memory emulator of ToolJet's admin HTTP API for SSO (OpenID
Connect), group sync, workspaces and groups, for tests and demos. When it is
ready it prints "ToolJet API emulator listening on URL" to standard output.
It logs one line per request to standard error, never bodies, cookies or
passwords. SIGINT or SIGTERM stops it and saves the state file.

Accounts of the default seed (password "password"): dev@tooljet.io (super
admin), admin@example.com (admin of my-workspace), user@example.com (end user).

Flags:
`

func newFlagSet(cfg *cliConfig, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("tooljet-emulator", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:3000",
		"`address` to listen on; use 127.0.0.1:0 for a free port")
	fs.BoolVar(&cfg.allowRemote, "allow-remote", false,
		"allow a -listen address that is not loopback (the accounts have well-known passwords)")

	fs.StringVar(&cfg.statePath, "state", "",
		"JSON state `file`, loaded when it exists and rewritten after each change")
	fs.StringVar(&cfg.seedPath, "seed", "",
		"seed JSON `file` used when no state file exists (see -print-seed)")

	fs.StringVar(&cfg.edition, "edition", string(EditionEnterprise), "ToolJet edition: ee or ce")
	fs.StringVar(&cfg.license, "license", "all",
		"licensed `features`: all, none, or a comma list of oidc and custom-groups")
	fs.StringVar(&cfg.secrets, "secrets", string(SecretsPlain),
		"how read endpoints return secrets: plain, masked (\"\"), omitted, or placeholder "+
			"(\"********\")")
	fs.StringVar(&cfg.shape, "instance-sso-shape", string(ShapeArray),
		"Enterprise shape of GET /api/login-configs/instance-sso: array or map")
	fs.BoolVar(&cfg.keepMappingKeys, "keep-mapping-keys", false,
		"return group-mapping keys as stored instead of decamelized")
	fs.BoolVar(&cfg.requireEnabled, "require-enabled-workspace", false,
		"reject an instance OIDC save with group sync on and no enabled workspace row (400)")
	fs.BoolVar(&cfg.dropUnknownKeys, "drop-unknown-config-keys", false,
		"store only the configs keys of ToolJet's OpenId type on openid saves, dropping "+
			"others such as terraformGroupSync")

	fs.DurationVar(&cfg.latency, "latency", 0, "`delay` added before every API request")
	fs.DurationVar(&cfg.sessionTTL, "session-ttl", 0,
		"session `lifetime` (default 14400m, ToolJet's default)")
	fs.StringVar(&cfg.subPath, "sub-path", "", "`prefix` before api/, such as /tooljet/")
	fs.Func("fault", "fault `rule` (repeatable), see Faults below", func(rule string) error {
		f, err := ParseFault(rule)
		if err != nil {
			return err
		}
		cfg.faults = append(cfg.faults, f)
		return nil
	})

	fs.BoolVar(&cfg.useTLS, "tls", false, "serve HTTPS with a new self-signed certificate")
	fs.StringVar(&cfg.tlsCAOut, "tls-ca-out", "",
		"write the -tls certificate as PEM to `file`, for clients to trust")
	fs.StringVar(&cfg.urlFile, "url-file", "", "write the base URL to `file` once listening")

	fs.BoolVar(&cfg.printSeed, "print-seed", false, "print the default seed JSON and exit")
	fs.TextVar(&cfg.logLevel, "log-level", slog.LevelInfo, "log `level`: debug, info, warn or error")

	fs.Usage = func() {
		fmt.Fprint(stderr, commandHelp)
		fs.PrintDefaults()
		fmt.Fprintf(stderr, "\nFaults (-fault):\n%s\n", FaultSyntax)
	}
	return fs
}

// RunContext is Run stopping when ctx is done instead of on a signal.
func RunContext(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg cliConfig
	fs := newFlagSet(&cfg, stderr)
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %w", ErrUsage, err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return fmt.Errorf("%w: unexpected argument %q", ErrUsage, fs.Arg(0))
	}
	if cfg.printSeed {
		data, err := json.MarshalIndent(DefaultSeed(), "", "  ")
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "%s\n", data)
		return err
	}
	if !cfg.allowRemote {
		if err := checkLoopback(cfg.listen); err != nil {
			return err
		}
	}

	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel}))
	opts, err := cfg.options(logger)
	if err != nil {
		return err
	}
	srv, err := New(opts)
	if err != nil {
		return err
	}
	for _, f := range cfg.faults {
		srv.AddFault(f)
	}
	baseURL, err := cfg.start(srv)
	if err != nil {
		return err
	}
	if cfg.urlFile != "" {
		if err := writeFileAtomic(cfg.urlFile, []byte(baseURL+"\n"), 0o644); err != nil {
			_ = srv.Close()
			return err
		}
	}
	fmt.Fprintf(stdout, "ToolJet API emulator listening on %s\n", baseURL)

	<-ctx.Done()
	logger.Info("shutting down", "reason", context.Cause(ctx))
	return srv.Close()
}

// options converts the flags into Options.
func (cfg *cliConfig) options(logger *slog.Logger) (Options, error) {
	license, err := parseLicense(cfg.license)
	if err != nil {
		return Options{}, err
	}
	opts := Options{
		Edition:                 Edition(cfg.edition),
		License:                 license,
		SecretRead:              SecretReadMode(cfg.secrets),
		InstanceSSOShape:        InstanceSSOShape(cfg.shape),
		KeepMappingKeys:         cfg.keepMappingKeys,
		RequireEnabledWorkspace: cfg.requireEnabled,
		DropUnknownConfigKeys:   cfg.dropUnknownKeys,
		Latency:                 cfg.latency,
		SessionTTL:              cfg.sessionTTL,
		SubPath:                 cfg.subPath,
		StatePath:               cfg.statePath,
		Logger:                  logger,
	}
	if cfg.seedPath != "" {
		if opts.Seed, err = LoadSeed(cfg.seedPath); err != nil {
			return Options{}, err
		}
	}
	return opts, nil
}

func (cfg *cliConfig) start(srv *Server) (string, error) {
	if !cfg.useTLS {
		return srv.Start(cfg.listen)
	}
	cert, certPEM, err := SelfSignedCertificate()
	if err != nil {
		return "", err
	}
	if cfg.tlsCAOut != "" {
		if err := writeFileAtomic(cfg.tlsCAOut, certPEM, 0o644); err != nil {
			return "", err
		}
	}
	return srv.StartTLS(cfg.listen, cert)
}

// parseLicense reads the -license flag. "all" means every feature.
func parseLicense(value string) (*License, error) {
	switch value {
	case "all":
		return nil, nil
	case "none":
		return &License{}, nil
	}
	license := &License{}
	for _, feature := range strings.Split(value, ",") {
		switch strings.TrimSpace(feature) {
		case "oidc":
			license.OIDC = true
		case "custom-groups":
			license.CustomGroups = true
		default:
			return nil, fmt.Errorf("invalid -license feature %q: use all, none, or a comma "+
				"list of oidc and custom-groups", feature)
		}
	}
	return license, nil
}

// checkLoopback rejects a listen address that other machines could reach.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("invalid -listen address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-listen address %q is not a loopback address; the emulator's accounts "+
		"have well-known passwords, so use 127.0.0.1 or pass -allow-remote", addr)
}
