package emulator

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Server is a running or ready emulator. Its methods are safe for concurrent
// use.
type Server struct {
	subPath   string // "/" or "/prefix/"
	statePath string
	logger    *slog.Logger
	mux       *http.ServeMux

	optsMu sync.RWMutex
	opts   Options

	// mu guards state and sessions.
	mu       sync.Mutex
	state    *State
	sessions map[string]*session
	now      func() time.Time // replaced by tests that move time

	countsMu sync.Mutex
	counts   map[string]int

	faultsMu sync.Mutex
	faults   []*activeFault

	httpMu   sync.Mutex
	http     *http.Server
	baseURL  string
	serveErr chan error
}

// New returns a Server with the state from opts.StatePath when that file
// exists, else from opts.Seed. It does not listen until Start.
func New(opts Options) (*Server, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	opts.License = cloneLicense(opts.License)
	s := &Server{
		subPath:   opts.SubPath,
		statePath: opts.StatePath,
		logger:    opts.Logger,
		opts:      opts,
		sessions:  map[string]*session{},
		now:       time.Now,
		counts:    map[string]int{},
	}
	if s.logger == nil {
		s.logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}

	if s.statePath != "" {
		if s.state, err = loadStateFile(s.statePath); err != nil {
			return nil, err
		}
	}
	if s.state == nil {
		seed := opts.Seed
		if seed == nil {
			seed = DefaultSeed()
		}
		if s.state, err = seed.build(); err != nil {
			return nil, fmt.Errorf("invalid seed: %w", err)
		}
		if s.statePath != "" {
			if err := saveStateFile(s.statePath, s.state); err != nil {
				return nil, err
			}
		}
	}

	s.mux = http.NewServeMux()
	s.registerRoutes()
	return s, nil
}

// route is one API route. pattern is relative to the sub-path, starts with
// "/api/" and uses ServeMux wildcards.
type route struct {
	method  string
	pattern string
	handler http.HandlerFunc
}

func (s *Server) routes() []route {
	return []route{
		{"POST", "/api/authenticate", s.handleLogin},
		{"POST", "/api/authenticate/super-admin", s.handleSuperAdminLogin},
		{"POST", "/api/authenticate/{organizationId}", s.handleWorkspaceLogin},
		{"GET", "/api/switch/{organizationId}", s.handleSwitch},
		{"GET", "/api/session/logout", s.handleLogout},
		{"GET", "/api/organizations", s.handleListOrganizations},
		{"GET", "/api/v2/group-permissions", s.handleListGroups},
		{"GET", "/api/license/access", s.handleLicenseAccess},
		{"GET", "/api/login-configs/organization", s.handleGetOrganizationConfigs},
		{"PATCH", "/api/login-configs/organization-sso", s.handlePatchOrganizationSSO},
		{"DELETE", "/api/login-configs/organization-sso/{configId}", s.handleDeleteOrganizationSSO},
		{"PATCH", "/api/login-configs/organization-general", s.handlePatchOrganizationGeneral},
		{"PATCH", "/api/login-configs/organization-general/inherit-sso", s.handlePatchInheritSSO},
		{"GET", "/api/login-configs/instance-sso", s.handleGetInstanceSSO},
		{"PATCH", "/api/login-configs/instance-sso", s.handlePatchInstanceSSO},
		{"GET", "/api/login-configs/public", s.handleGetInstancePublic},
		{"GET", "/api/login-configs/{organizationIdOrSlug}/public", s.handleGetWorkspacePublic},
		{"GET", "/api/health", s.handleHealth},
	}
}

func (s *Server) registerRoutes() {
	prefix := strings.TrimSuffix(s.subPath, "/")
	for _, rt := range s.routes() {
		s.mux.HandleFunc(rt.method+" "+prefix+rt.pattern, rt.handler)
	}
	// ToolJet excludes the health routes from the global prefix, so they are
	// also served at the root when a sub-path is set.
	if prefix != "" {
		s.mux.HandleFunc("GET /api/health", s.handleHealth)
		s.mux.HandleFunc("GET /health", s.handleHealth)
	}
	s.mux.HandleFunc("GET "+prefix+"/health", s.handleHealth)
}

// Handler returns the HTTP handler of the emulator, for use with
// httptest.Server or a server of the caller's own.
func (s *Server) Handler() http.Handler {
	return http.HandlerFunc(s.dispatch)
}

// Start listens on addr ("127.0.0.1:0" picks a free port) and serves until
// Close. It returns the base URL including the sub-path, without a trailing
// slash, such as "http://127.0.0.1:40123".
func (s *Server) Start(addr string) (string, error) {
	return s.start(addr, nil)
}

// StartTLS is Start with HTTPS, serving cert.
func (s *Server) StartTLS(addr string, cert tls.Certificate) (string, error) {
	return s.start(addr, &tls.Config{
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
	})
}

func (s *Server) start(addr string, tlsConfig *tls.Config) (string, error) {
	s.httpMu.Lock()
	defer s.httpMu.Unlock()
	if s.http != nil {
		return "", errors.New("emulator already started: call Close first")
	}
	var listenConfig net.ListenConfig
	listener, err := listenConfig.Listen(context.Background(), "tcp", addr)
	if err != nil {
		return "", fmt.Errorf("listen on %s: %w", addr, err)
	}

	scheme := "http"
	if tlsConfig != nil {
		scheme = "https"
		listener = tls.NewListener(listener, tlsConfig)
	}
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		TLSConfig:         tlsConfig,
		ErrorLog:          slog.NewLogLogger(s.logger.Handler(), slog.LevelWarn),
	}
	s.http = srv
	s.baseURL = scheme + "://" + listener.Addr().String() + strings.TrimSuffix(s.subPath, "/")
	s.serveErr = make(chan error, 1)

	go func() {
		err := srv.Serve(listener)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.serveErr <- err
	}()
	s.logger.Info("emulator started", "url", s.baseURL, "edition", s.options().Edition)
	return s.baseURL, nil
}

// URL returns the base URL of a started emulator, or "" before Start.
func (s *Server) URL() string {
	s.httpMu.Lock()
	defer s.httpMu.Unlock()
	return s.baseURL
}

// Close stops serving, waiting up to five seconds for requests in flight,
// and saves the state file when one is set.
func (s *Server) Close() error {
	s.httpMu.Lock()
	srv, serveErr := s.http, s.serveErr
	s.http = nil
	s.httpMu.Unlock()

	var errs []error
	if srv != nil {
		// Shutdown waits for requests in flight. A client may keep a
		// connection open that it has not sent a request on yet, which
		// Shutdown only treats as idle after five seconds; such a
		// connection is closed after a short wait instead, which is not an
		// error.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			if closeErr := srv.Close(); closeErr != nil {
				errs = append(errs, fmt.Errorf("shut down HTTP server: %w", closeErr))
			}
		}
		if err := <-serveErr; err != nil {
			errs = append(errs, fmt.Errorf("serve: %w", err))
		}
		s.logger.Info("emulator stopped", "url", s.URL())
	}
	if s.statePath != "" {
		s.mu.Lock()
		err := saveStateFile(s.statePath, s.state)
		s.mu.Unlock()
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// View calls fn with the state under the state lock. fn must not keep st or
// change it; use Update to change it.
func (s *Server) View(fn func(st *State)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(s.state)
}

// Update calls fn with a copy of the state under the state lock. When fn
// returns nil, the copy is saved to the state file and replaces the state.
// When fn or the save fails, Update returns the error and the state stays
// unchanged.
func (s *Server) Update(fn func(st *State) error) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commitState(fn)
}

// commit is Update for the handler of r, which holds s.mu. Under a Discard
// fault it runs fn on a copy of the state and drops the copy, so the handler
// replies as usual but stores nothing.
func (s *Server) commit(r *http.Request, fn func(st *State) error) error {
	if exchangeOf(r).discardChanges {
		return fn(s.state.clone())
	}
	return s.commitState(fn)
}

// commitState is Update for a caller that holds s.mu.
func (s *Server) commitState(fn func(st *State) error) error {
	next := s.state.clone()
	if err := fn(next); err != nil {
		return err
	}
	if s.statePath != "" {
		if err := saveStateFile(s.statePath, next); err != nil {
			s.logger.Error("save state file failed", "path", s.statePath, "error", err)
			return err
		}
	}
	s.state = next
	return nil
}

// SetOptions changes the switches at run time: edition, license, secret
// read mode, instance SSO shape, mapping keys, the workspace rule, dropping
// unknown configs keys, latency and session TTL. Changes to SubPath,
// StatePath, Seed and Logger are ignored because New has used them.
// SetOptions panics when fn sets an invalid mode, because that is a bug in
// the calling test.
func (s *Server) SetOptions(fn func(o *Options)) {
	s.optsMu.Lock()
	defer s.optsMu.Unlock()
	next := s.opts
	fn(&next)
	next.License = cloneLicense(next.License)
	next.SubPath, next.StatePath = s.opts.SubPath, s.opts.StatePath
	next.Seed, next.Logger = s.opts.Seed, s.opts.Logger
	next, err := next.withDefaults()
	if err != nil {
		panic("emulator: SetOptions: " + err.Error())
	}
	s.opts = next
}

// options returns a copy of the current options.
func (s *Server) options() Options {
	s.optsMu.RLock()
	defer s.optsMu.RUnlock()
	o := s.opts
	o.License = cloneLicense(o.License)
	return o
}

// cloneLicense copies a license so that the caller's struct can change
// without a data race.
func cloneLicense(l *License) *License {
	if l == nil {
		return nil
	}
	c := *l
	return &c
}

// RequestCounts returns how many requests each route received, keyed
// "METHOD /api/route/pattern" with path wildcards as in the route table, for
// example "POST /api/authenticate/{organizationId}". Requests that match no
// route are keyed by method and literal path.
func (s *Server) RequestCounts() map[string]int {
	s.countsMu.Lock()
	defer s.countsMu.Unlock()
	return maps.Clone(s.counts)
}

// ResetRequestCounts sets every request count to zero.
func (s *Server) ResetRequestCounts() {
	s.countsMu.Lock()
	defer s.countsMu.Unlock()
	clear(s.counts)
}

func (s *Server) countRequest(route string) {
	s.countsMu.Lock()
	defer s.countsMu.Unlock()
	s.counts[route]++
}
