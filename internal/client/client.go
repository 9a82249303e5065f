// Package client is a typed client for the parts of ToolJet's admin HTTP API
// that manage single sign-on and group sync. Every request goes through
// Client.do, which adds the session cookie and the tj-workspace-id header,
// logs in again once when a session expires, retries transient failures, and
// turns error responses into *APIError values.
package client

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/go-resty/resty/v2"
)

// Defaults for Config fields left at zero.
const (
	DefaultMaxRetries     = 5
	DefaultMaxRetryWait   = 30 * time.Second
	DefaultMinRetryWait   = 500 * time.Millisecond
	DefaultRequestTimeout = 60 * time.Second
)

// Config configures a Client.
type Config struct {
	// Host is ToolJet's base URL, with an optional sub-path such as
	// "https://example.com/tooljet".
	Host     string
	Email    string
	Password string

	// HTTPClient supplies the transport (TLS settings, proxy). Its Timeout
	// is ignored in favour of RequestTimeout.
	HTTPClient *http.Client
	// RequestTimeout limits each attempt of a request.
	RequestTimeout time.Duration
	// MaxRetries is how many times a request is retried after a transient
	// failure; a negative value disables retries.
	MaxRetries int
	// MinRetryWait and MaxRetryWait bound the exponential backoff between
	// attempts. MaxRetryWait also caps the Retry-After that ToolJet sends.
	MinRetryWait time.Duration
	MaxRetryWait time.Duration
	UserAgent    string
}

// Client talks to one ToolJet instance. It is safe for concurrent use.
type Client struct {
	cfg     Config
	baseURL string
	rc      *resty.Client

	sessions sessionStore

	// loginFailure is the error of a login that ToolJet rejected. Every
	// later call returns it instead of trying the same credentials again,
	// because ToolJet locks an account after five failed logins.
	loginFailure   error
	loginFailureMu sync.Mutex
}

// New validates cfg and returns a Client. It makes no network call: the
// client logs in on first use.
func New(cfg Config) (*Client, error) {
	base, err := NormalizeHost(cfg.Host)
	if err != nil {
		return nil, err
	}
	if cfg.Email == "" {
		return nil, errors.New("the ToolJet email is empty")
	}
	if cfg.Password == "" {
		return nil, errors.New("the ToolJet password is empty")
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	if cfg.MaxRetries == 0 {
		cfg.MaxRetries = DefaultMaxRetries
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.MinRetryWait <= 0 {
		cfg.MinRetryWait = DefaultMinRetryWait
	}
	if cfg.MaxRetryWait <= 0 {
		cfg.MaxRetryWait = DefaultMaxRetryWait
	}
	if cfg.MinRetryWait > cfg.MaxRetryWait {
		cfg.MinRetryWait = cfg.MaxRetryWait
	}
	httpClient := cfg.HTTPClient
	if httpClient == nil {
		httpClient = &http.Client{}
		// A nil Transport means http.DefaultTransport, for a program that
		// replaced it with another type.
		if transport, ok := http.DefaultTransport.(*http.Transport); ok {
			httpClient.Transport = transport.Clone()
		}
	}

	rc := resty.NewWithClient(&http.Client{
		Transport: httpClient.Transport,
		// Redirects are not followed: ToolJet's API does not redirect, and a
		// redirect would carry the session cookie to another address.
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	})
	// Sessions are per workspace, so cookies are set on each request rather
	// than kept in a shared jar. Resty's own retries and logging are off:
	// retries are Client.do's job, and resty's debug log would print bodies.
	rc.SetCookieJar(nil)
	rc.SetRetryCount(0)
	rc.SetDebug(false)
	rc.SetLogger(discardLogger{})
	rc.SetDisableWarn(true)
	rc.SetResponseBodyLimit(maxResponseBytes)
	rc.SetHeader("Accept", "application/json")
	if cfg.UserAgent != "" {
		rc.SetHeader("User-Agent", cfg.UserAgent)
	}

	return &Client{cfg: cfg, baseURL: base, rc: rc}, nil
}

// NormalizeHost checks that host is an absolute http or https URL without a
// query or fragment, and returns it without a trailing slash.
func NormalizeHost(host string) (string, error) {
	if strings.TrimSpace(host) == "" {
		return "", errors.New("the ToolJet host is empty")
	}
	u, err := url.Parse(host)
	if err != nil {
		return "", fmt.Errorf("the ToolJet host %q is not a valid URL: %w", host, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return "", fmt.Errorf("the ToolJet host %q must start with http:// or https://", host)
	}
	if u.Host == "" {
		return "", fmt.Errorf("the ToolJet host %q has no host name", host)
	}
	if u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("the ToolJet host %q must not have a query or fragment", host)
	}
	if path := strings.TrimRight(u.Path, "/"); strings.HasSuffix(path, "/api") {
		return "", fmt.Errorf("the ToolJet host %q ends with /api: set it to ToolJet's base "+
			"URL without /api, such as %q; the provider adds the API path itself", host,
			strings.TrimSuffix(strings.TrimRight(host, "/"), "/api"))
	}
	if u.User != nil {
		return "", fmt.Errorf("the ToolJet host %q must not contain credentials; "+
			"use email and password", u.Redacted())
	}
	return strings.TrimRight(u.String(), "/"), nil
}

// Host returns the normalized base URL.
func (c *Client) Host() string { return c.baseURL }

// Email returns the login email.
func (c *Client) Email() string { return c.cfg.Email }

// request describes one API call.
type request struct {
	method string
	path   string // starting with /api/
	query  url.Values
	body   any
	// workspaceID is sent as tj-workspace-id and selects the session; empty
	// means the workspace of the super-admin login.
	workspaceID string
	// idempotent is false for writes that create a new object each time
	// they are applied. Those are never repeated after an ambiguous failure.
	idempotent bool
	// noAuth skips the session cookie and header (login and public routes).
	noAuth bool
}

type discardLogger struct{}

func (discardLogger) Errorf(string, ...any) {}
func (discardLogger) Warnf(string, ...any)  {}
func (discardLogger) Debugf(string, ...any) {}

var _ resty.Logger = discardLogger{}

// sessionStore holds one ToolJet session per workspace.
type sessionStore struct {
	mu sync.Mutex
	// byWorkspace maps a workspace ID to its session cookie; the entry of
	// instanceKey is the super-admin login.
	byWorkspace map[string]*session
	// instanceWorkspaceID is the workspace of the super-admin login, sent as
	// tj-workspace-id on instance-level calls.
	instanceWorkspaceID string
}

type session struct {
	mu    sync.Mutex // held while logging in, so one login runs at a time
	token string
}
