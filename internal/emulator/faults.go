package emulator

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Fault changes how the emulator replies to matching requests. Faults apply in
// the order added: the first fault that matches a request and has uses left
// applies to it, and that request consumes one use.
type Fault struct {
	// Method is the HTTP method to match; "" or "*" matches any method.
	Method string
	// Path is a route pattern as in RequestCounts
	// ("/api/authenticate/{organizationId}") or a literal path; "" or "*"
	// matches any path.
	Path string
	// Count is how many matching requests the fault applies to; 0 means every
	// one until ClearFaults.
	Count int
	// Status replies with this status in ToolJet's error envelope instead of
	// handling the request.
	Status int
	// RetryAfter is the Retry-After header sent with Status: a number of
	// seconds or an HTTP date.
	RetryAfter string
	// Latency is a delay before handling, or before the fault's reply.
	Latency time.Duration
	// Drop closes the connection without a reply. It takes precedence over
	// Status unless CommitThenFail is set.
	Drop bool
	// CommitThenFail handles the request, so its change is committed, then
	// replies with Status, or drops the connection when Drop is also set.
	CommitThenFail bool
	// Discard handles the request and sends the handler's reply (200 for a
	// valid save), but stores none of its changes, like a server that
	// acknowledges a write and loses it. It excludes Status and Drop.
	Discard bool
	// Null lists response keys (decamelized names, at any depth) whose
	// values become JSON null.
	Null []string
	// Omit lists response keys (at any depth) that are removed.
	Omit []string
}

type activeFault struct {
	Fault
	used int
}

// AddFault adds f after the faults already added.
func (s *Server) AddFault(f Fault) {
	f.Method = strings.ToUpper(f.Method)
	f.Null = slices.Clone(f.Null)
	f.Omit = slices.Clone(f.Omit)
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	s.faults = append(s.faults, &activeFault{Fault: f})
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	s.faults = nil
}

// takeFault returns a copy of the first fault with uses left that matches
// the request, and consumes one of its uses, or returns nil.
func (s *Server) takeFault(method, route, path, relativePath string) *Fault {
	_, routePath, _ := strings.Cut(route, " ")
	s.faultsMu.Lock()
	defer s.faultsMu.Unlock()
	for _, f := range s.faults {
		if f.Count > 0 && f.used >= f.Count {
			continue
		}
		if f.Method != "" && f.Method != "*" && f.Method != method {
			continue
		}
		if f.Path != "" && f.Path != "*" && f.Path != routePath && f.Path != path &&
			f.Path != relativePath {
			continue
		}
		f.used++
		matched := f.Fault
		return &matched
	}
	return nil
}

// String returns f in the syntax that ParseFault reads.
func (f Fault) String() string {
	method, path := f.Method, f.Path
	if method == "" {
		method = "*"
	}
	if path == "" {
		path = "*"
	}
	parts := []string{method, path}

	if f.Status != 0 {
		parts = append(parts, "status="+strconv.Itoa(f.Status))
	}
	if f.Count != 0 {
		parts = append(parts, "count="+strconv.Itoa(f.Count))
	}
	if f.RetryAfter != "" {
		value := f.RetryAfter
		if strings.ContainsAny(value, " \t") {
			value = `"` + value + `"`
		}
		parts = append(parts, "retry-after="+value)
	}
	if f.Latency != 0 {
		parts = append(parts, "latency="+f.Latency.String())
	}

	if f.Drop {
		parts = append(parts, "drop")
	}
	if f.CommitThenFail {
		parts = append(parts, "commit")
	}
	if f.Discard {
		parts = append(parts, "discard")
	}
	if len(f.Null) > 0 {
		parts = append(parts, "null="+strings.Join(f.Null, ","))
	}
	if len(f.Omit) > 0 {
		parts = append(parts, "omit="+strings.Join(f.Omit, ","))
	}
	return strings.Join(parts, " ")
}

// FaultSyntax describes the text form of a fault, for help texts.
const FaultSyntax = `A fault rule is "METHOD PATH OPTION...", separated by spaces.
  METHOD   an HTTP method, or * for any method
  PATH     a route pattern such as /api/authenticate/{organizationId}, a literal
           path such as /api/organizations, or * for any path
Options:
  status=CODE        reply with CODE (400 to 599) in ToolJet's error envelope
  count=N            apply to the next N matching requests only (default: all)
  retry-after=VALUE  send Retry-After: VALUE with status: seconds, or an HTTP
                     date in double quotes ("Wed, 21 Oct 2026 07:28:00 GMT")
  latency=DURATION   wait DURATION (for example 500ms or 2s) before replying
  drop               close the connection without a reply
  commit             handle the request first, so its change is stored, then
                     reply with status (or drop the connection with drop)
  discard            handle the request and send its usual reply (200 for a
                     valid save), but store none of its changes
  null=KEY,...       replace these response keys, at any depth, with null
  omit=KEY,...       remove these response keys, at any depth
The first rule that matches a request and has uses left applies to it.
Quote each rule in the shell, as in -fault '* * drop count=1'.
Examples:
  PATCH /api/login-configs/instance-sso status=503 count=2 retry-after=1
  GET /api/login-configs/instance-sso null=oidc_group_syncs,configs
  * * drop count=1
  PATCH /api/login-configs/organization-sso status=504 commit
  PATCH /api/login-configs/instance-sso discard count=1
  GET /api/organizations latency=2s`

var (
	methodPattern = regexp.MustCompile(`^[A-Z]+$`)
	keyPattern    = regexp.MustCompile(`^[^\s,]+$`)
)

// ParseFault parses the text form of a fault described by FaultSyntax, for
// example "PATCH /api/login-configs/instance-sso status=503 count=2".
func ParseFault(spec string) (Fault, error) {
	fields, err := splitFaultFields(spec)
	if err != nil {
		return Fault{}, fmt.Errorf("invalid fault %q: %w", spec, err)
	}
	if len(fields) < 3 {
		return Fault{}, fmt.Errorf("invalid fault %q: expected METHOD PATH and at least one "+
			"option, for example \"GET /api/organizations status=500\"", spec)
	}
	f := Fault{Method: strings.ToUpper(fields[0]), Path: fields[1]}
	if f.Method != "*" && !methodPattern.MatchString(f.Method) {
		return Fault{}, fmt.Errorf("invalid fault %q: method %q must be an HTTP method or *",
			spec, fields[0])
	}
	if f.Path != "*" && !strings.HasPrefix(f.Path, "/") {
		return Fault{}, fmt.Errorf("invalid fault %q: path %q must start with / or be *",
			spec, f.Path)
	}

	seen := map[string]bool{}
	for _, option := range fields[2:] {
		name, value, hasValue := strings.Cut(option, "=")
		if seen[name] {
			return Fault{}, fmt.Errorf("invalid fault %q: option %q is given twice", spec, name)
		}
		seen[name] = true
		if err := f.setOption(name, value, hasValue); err != nil {
			return Fault{}, fmt.Errorf("invalid fault %q: %w", spec, err)
		}
	}
	if err := f.validate(); err != nil {
		return Fault{}, fmt.Errorf("invalid fault %q: %w", spec, err)
	}
	return f, nil
}

// faultOptions are the option names of a fault rule.
var faultOptions = []string{
	"status", "count", "retry-after", "latency", "drop", "commit", "discard", "null", "omit",
}

func (f *Fault) setOption(name, value string, hasValue bool) error {
	if !slices.Contains(faultOptions, name) {
		return fmt.Errorf("unknown option %q, use %s", name, strings.Join(faultOptions, ", "))
	}
	flag := name == "drop" || name == "commit" || name == "discard"
	if flag && hasValue {
		return fmt.Errorf("option %q takes no value", name)
	}
	if !flag && (!hasValue || value == "") {
		return fmt.Errorf("option %q needs a value, as in %s=VALUE", name, name)
	}
	var err error
	switch name {
	case "drop":
		f.Drop = true
	case "commit":
		f.CommitThenFail = true
	case "discard":
		f.Discard = true
	case "status":
		f.Status, err = strconv.Atoi(value)
		if err != nil || f.Status < 400 || f.Status > 599 {
			return fmt.Errorf("status %q must be a number from 400 to 599", value)
		}
	case "count":
		f.Count, err = strconv.Atoi(value)
		if err != nil || f.Count < 1 {
			return fmt.Errorf("count %q must be a positive number", value)
		}
	case "retry-after":
		if !validRetryAfter(value) {
			return fmt.Errorf("retry-after %q must be a number of seconds or an HTTP date "+
				"in double quotes", value)
		}
		f.RetryAfter = value
	case "latency":
		f.Latency, err = time.ParseDuration(value)
		if err != nil || f.Latency < 0 {
			return fmt.Errorf("latency %q must be a duration such as 500ms or 2s", value)
		}
	case "null", "omit":
		keys := strings.Split(value, ",")
		for _, k := range keys {
			if !keyPattern.MatchString(k) {
				return fmt.Errorf("%s keys %q must be a comma-separated list of names", name, value)
			}
		}
		if name == "null" {
			f.Null = keys
		} else {
			f.Omit = keys
		}
	}
	return nil
}

// splitFaultFields splits a fault rule at spaces outside double quotes and
// removes the quotes.
func splitFaultFields(spec string) ([]string, error) {
	var fields []string
	var field strings.Builder
	inField, quoted := false, false
	for _, r := range spec {
		switch {
		case r == '"':
			quoted = !quoted
			inField = true
		case !quoted && (r == ' ' || r == '\t' || r == '\n' || r == '\r'):
			if inField {
				fields = append(fields, field.String())
				field.Reset()
				inField = false
			}
		default:
			field.WriteRune(r)
			inField = true
		}
	}
	if quoted {
		return nil, errors.New("a double quote is not closed")
	}
	if inField {
		fields = append(fields, field.String())
	}
	return fields, nil
}

// validate rejects combinations of options that have no clear meaning.
func (f *Fault) validate() error {
	switch {
	case f.Status == 0 && !f.Drop && !f.Discard && f.Latency == 0 && len(f.Null) == 0 &&
		len(f.Omit) == 0:
		return errors.New("the fault has no effect: add status, drop, discard, latency, null " +
			"or omit")
	case f.Discard && (f.Status != 0 || f.Drop):
		return errors.New("discard excludes status and drop: discard stores nothing and " +
			"replies as usual, commit stores the change and then fails")
	case f.RetryAfter != "" && f.Status == 0:
		return errors.New("retry-after needs status")
	case f.CommitThenFail && f.Status == 0 && !f.Drop:
		return errors.New("commit needs status or drop")
	case f.Drop && f.Status != 0 && !f.CommitThenFail:
		return errors.New("drop and status exclude each other unless commit is set")
	case f.Drop && f.RetryAfter != "":
		return errors.New("retry-after has no effect with drop")
	}
	return nil
}

// validRetryAfter reports whether v is a Retry-After value: a number of
// seconds or an HTTP date.
func validRetryAfter(v string) bool {
	if n, err := strconv.Atoi(v); err == nil {
		return n >= 0
	}
	_, err := http.ParseTime(v)
	return err == nil
}
