package emulator

import (
	"fmt"
	"log/slog"
	"strings"
	"time"
)

// Edition is the ToolJet build that the emulator imitates.
type Edition string

const (
	// EditionEnterprise serves the Enterprise Edition routes (the default).
	EditionEnterprise Edition = "ee"
	// EditionCommunity replies 404 on the Enterprise-only routes and returns
	// the environment-only instance SSO shape, as the Community Edition does.
	EditionCommunity Edition = "ce"
)

// SecretReadMode is the form in which read endpoints return stored secrets.
// A secret is a configs key whose name contains "secret" in any case.
type SecretReadMode string

const (
	// SecretsPlain returns secrets decrypted (the default), as ToolJet's public
	// code does.
	SecretsPlain SecretReadMode = "plain"
	// SecretsMasked keeps each secret key with the value "".
	SecretsMasked SecretReadMode = "masked"
	// SecretsOmitted removes secret keys from responses.
	SecretsOmitted SecretReadMode = "omitted"
	// SecretsPlaceholder returns each stored secret as SecretPlaceholder,
	// and an empty secret as "".
	SecretsPlaceholder SecretReadMode = "placeholder"
)

// SecretPlaceholder is the value that SecretsPlaceholder returns in place of
// a stored secret.
const SecretPlaceholder = "********"

// InstanceSSOShape is the JSON shape of GET /api/login-configs/instance-sso in
// the Enterprise Edition, which ToolJet's public material does not show.
type InstanceSSOShape string

const (
	// ShapeArray returns a JSON array of instance rows (the default).
	ShapeArray InstanceSSOShape = "array"
	// ShapeMap returns an object keyed by SSO type ("openid", "google", ...).
	ShapeMap InstanceSSOShape = "map"
)

// License is the set of licensed features that the emulator checks.
type License struct {
	OIDC         bool // license field oidcEnabled: OpenID Connect SSO and group sync
	CustomGroups bool // license field customGroupsEnabled
}

// Options configures a Server. The zero value emulates a fully licensed
// Enterprise Edition with ToolJet's default behaviours.
type Options struct {
	Edition Edition
	// License lists the licensed features. Nil means every feature is licensed.
	License *License
	// SecretRead selects how read endpoints return secrets (default SecretsPlain).
	SecretRead SecretReadMode
	// InstanceSSOShape selects the Enterprise shape of GET instance-sso
	// (default ShapeArray).
	InstanceSSOShape InstanceSSOShape
	// KeepMappingKeys returns group-mapping keys as stored instead of rewriting
	// them as ToolJet's decamelize does. Every other key is still rewritten.
	KeepMappingKeys bool
	// RequireEnabledWorkspace rejects an instance OIDC save that turns group
	// sync on while no group-sync row has enableGroupSync true (HTTP 400).
	RequireEnabledWorkspace bool
	// DropUnknownConfigKeys makes openid saves, on the workspace and the
	// instance route, store only the configs keys of ToolJet's OpenId type
	// (see openIDConfigKeys) and drop the others, such as the provider's
	// terraformGroupSync record. The save still replies 200.
	DropUnknownConfigKeys bool
	// Latency is added before handling every request under the API prefix,
	// outside the state lock, so that concurrent requests interleave.
	Latency time.Duration
	// SessionTTL is the session lifetime. Zero means ToolJet's default
	// USER_SESSION_EXPIRY of 14400 minutes.
	SessionTTL time.Duration
	// SubPath is an optional prefix such as "/tooljet/" before "api/". It is
	// read only by New.
	SubPath string
	// StatePath is a JSON state file, loaded at start when it exists and
	// rewritten atomically after each change. It is read only by New.
	StatePath string
	// Seed is the initial state when no state file exists. Nil means
	// DefaultSeed(). It is read only by New.
	Seed *Seed
	// Logger receives one record per request and the start, stop and error
	// records. Nil discards them. It is read only by New.
	Logger *slog.Logger
}

// defaultSessionTTL is ToolJet's default USER_SESSION_EXPIRY (14400 minutes).
const defaultSessionTTL = 14400 * time.Minute

// withDefaults returns o with empty modes replaced by their defaults, or an
// error naming the first invalid value.
func (o Options) withDefaults() (Options, error) {
	if o.Edition == "" {
		o.Edition = EditionEnterprise
	}
	if o.SecretRead == "" {
		o.SecretRead = SecretsPlain
	}
	if o.InstanceSSOShape == "" {
		o.InstanceSSOShape = ShapeArray
	}
	if o.SessionTTL == 0 {
		o.SessionTTL = defaultSessionTTL
	}

	switch o.Edition {
	case EditionEnterprise, EditionCommunity:
	default:
		return o, fmt.Errorf("invalid edition %q: use %q or %q",
			o.Edition, EditionEnterprise, EditionCommunity)
	}
	switch o.SecretRead {
	case SecretsPlain, SecretsMasked, SecretsOmitted, SecretsPlaceholder:
	default:
		return o, fmt.Errorf("invalid secret read mode %q: use %q, %q, %q or %q",
			o.SecretRead, SecretsPlain, SecretsMasked, SecretsOmitted, SecretsPlaceholder)
	}
	switch o.InstanceSSOShape {
	case ShapeArray, ShapeMap:
	default:
		return o, fmt.Errorf("invalid instance SSO shape %q: use %q or %q",
			o.InstanceSSOShape, ShapeArray, ShapeMap)
	}

	if o.Latency < 0 {
		return o, fmt.Errorf("invalid latency %s: must not be negative", o.Latency)
	}
	if o.SessionTTL < 0 {
		return o, fmt.Errorf("invalid session TTL %s: must not be negative", o.SessionTTL)
	}
	subPath, err := normalizeSubPath(o.SubPath)
	if err != nil {
		return o, err
	}
	o.SubPath = subPath
	return o, nil
}

// normalizeSubPath returns p with a leading and a trailing slash, so "" and
// "/" become "/" and "tooljet" becomes "/tooljet/".
func normalizeSubPath(p string) (string, error) {
	if strings.ContainsAny(p, "?#%\\ ") || strings.Contains(p, "//") {
		return "", fmt.Errorf("invalid sub-path %q: use a plain path such as /tooljet/", p)
	}
	p = strings.Trim(p, "/")
	if p == "" {
		return "/", nil
	}
	return "/" + p + "/", nil
}

// licensed reports whether the feature is licensed. The Community Edition
// has no paid features.
func (o Options) licensed(feature func(License) bool) bool {
	if o.Edition == EditionCommunity {
		return false
	}
	if o.License == nil {
		return true
	}
	return feature(*o.License)
}

func oidcFeature(l License) bool         { return l.OIDC }
func customGroupsFeature(l License) bool { return l.CustomGroups }
