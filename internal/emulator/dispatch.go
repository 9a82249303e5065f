package emulator

import (
	"context"
	"log/slog"
	"net/http"
	"strings"
	"time"
)

// dispatch is the emulator's root handler. For each request it finds the
// route, counts it, applies the latency and the first matching fault, then
// runs the route's handler and logs the outcome.
func (s *Server) dispatch(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	_, pattern := s.mux.Handler(r)
	route := s.routeKey(r, pattern)
	s.countRequest(route)

	x := &exchange{opts: s.options()}
	fault := s.takeFault(r.Method, route, r.URL.Path, s.relativePath(r.URL.Path))
	if fault != nil {
		x.nullKeys, x.omitKeys = fault.Null, fault.Omit
		x.discardChanges = fault.Discard
	}
	r = withExchange(r, x)
	sw := &statusWriter{ResponseWriter: w}

	defer func() {
		s.logRequest(r, route, sw, fault, time.Since(start))
	}()

	if s.isAPIPath(r.URL.Path) && !sleepContext(r.Context(), x.opts.Latency) {
		return
	}
	if fault != nil && !sleepContext(r.Context(), fault.Latency) {
		return
	}

	if fault != nil && !fault.CommitThenFail {
		switch {
		case fault.Drop:
			sw.dropped = true
			dropConnection(w)
			return
		case fault.Status != 0:
			writeFaultStatus(sw, r, fault)
			return
		}
	}

	if fault != nil && fault.CommitThenFail {
		// The handler runs and its change is committed, but its reply is
		// discarded in favour of the fault.
		s.serveRoute(&discardWriter{header: http.Header{}}, r, pattern)
		if fault.Drop {
			sw.dropped = true
			dropConnection(w)
			return
		}
		writeFaultStatus(sw, r, fault)
		return
	}
	s.serveRoute(sw, r, pattern)
}

func (s *Server) serveRoute(w http.ResponseWriter, r *http.Request, pattern string) {
	if pattern == "" {
		// Nest replies to unknown routes, and to known paths with another
		// method, with 404 "Cannot METHOD PATH".
		writeError(w, r, http.StatusNotFound, "Cannot "+r.Method+" "+r.URL.Path)
		return
	}
	s.mux.ServeHTTP(w, r)
}

// routeKey returns "METHOD /api/pattern" for a matched route, or
// "METHOD /literal/path" without the sub-path for an unmatched one.
func (s *Server) routeKey(r *http.Request, pattern string) string {
	if pattern == "" {
		return r.Method + " " + s.relativePath(r.URL.Path)
	}
	_, path, found := strings.Cut(pattern, " ")
	if !found {
		path = pattern
	}
	return r.Method + " " + s.relativePath(path)
}

// relativePath removes the sub-path from a path, so that
// "/tooljet/api/organizations" becomes "/api/organizations".
func (s *Server) relativePath(path string) string {
	if s.subPath == "/" {
		return path
	}
	prefix := strings.TrimSuffix(s.subPath, "/")
	if rest, ok := strings.CutPrefix(path, prefix); ok && strings.HasPrefix(rest, "/") {
		return rest
	}
	return path
}

func (s *Server) isAPIPath(path string) bool {
	return strings.HasPrefix(path, s.subPath+"api/") || strings.HasPrefix(path, "/api/")
}

// writeFaultStatus sends the fault's status in ToolJet's envelope, with its
// Retry-After header when set.
func writeFaultStatus(w http.ResponseWriter, r *http.Request, fault *Fault) {
	if fault.RetryAfter != "" {
		w.Header().Set("Retry-After", fault.RetryAfter)
	}
	writeError(w, r, fault.Status, http.StatusText(fault.Status))
}

// dropConnection closes the client connection without a reply. Over HTTP/2,
// where a handler cannot take over the connection, it resets the stream.
func dropConnection(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

// sleepContext waits for d and reports false when the request ended first.
func sleepContext(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	timer := time.NewTimer(d)
	defer timer.Stop()
	select {
	case <-timer.C:
		return true
	case <-ctx.Done():
		return false
	}
}

func (s *Server) logRequest(r *http.Request, route string, sw *statusWriter, fault *Fault,
	duration time.Duration) {
	attrs := []slog.Attr{
		slog.String("method", r.Method),
		slog.String("route", route),
		slog.Int("status", sw.statusCode()),
		slog.Duration("duration", duration),
	}
	if sw.dropped {
		attrs = append(attrs, slog.Bool("dropped", true))
	}
	if fault != nil {
		attrs = append(attrs, slog.String("fault", fault.String()))
	}
	s.logger.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
}

// statusWriter records the status a handler sends, for the request log.
type statusWriter struct {
	http.ResponseWriter
	status  int
	dropped bool
}

func (w *statusWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
	w.ResponseWriter.WriteHeader(status)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection for Hijack.
func (w *statusWriter) Unwrap() http.ResponseWriter {
	return w.ResponseWriter
}

func (w *statusWriter) statusCode() int {
	if w.dropped {
		return 0
	}
	if w.status == 0 {
		return http.StatusOK
	}
	return w.status
}

// discardWriter swallows a handler's reply for commit-then-fail faults.
type discardWriter struct {
	header http.Header
}

func (w *discardWriter) Header() http.Header         { return w.header }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(int)             {}
