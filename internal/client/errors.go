package client

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// APIError is an error response from ToolJet's API. ToolJet wraps every
// error in one JSON envelope: statusCode, timestamp, path, message (a string,
// or a list of strings for validation errors) and an optional code.
type APIError struct {
	StatusCode int
	Method     string
	Path       string
	// Message is ToolJet's own message; several validation messages are
	// joined with "; ".
	Message string
	Code    string
	// Hint is the action that fixes the error, when the client can name one.
	Hint string
}

func (e *APIError) Error() string {
	var b strings.Builder
	if e.Hint != "" {
		b.WriteString(e.Hint)
		b.WriteString(" ")
	}
	fmt.Fprintf(&b, "ToolJet returned HTTP %d for %s %s", e.StatusCode, e.Method, e.Path)
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	return b.String()
}

// errorEnvelope is ToolJet's JSON error body.
type errorEnvelope struct {
	StatusCode int             `json:"statusCode"`
	Message    json.RawMessage `json:"message"`
	Code       string          `json:"code"`
	Error      string          `json:"error"`
}

// newAPIError builds an APIError from a response status and body. Bodies that
// are not ToolJet's envelope (a proxy's HTML page, say) give the HTTP status
// text as the message; the body itself is never copied into the error.
func newAPIError(method, path string, status int, body []byte) *APIError {
	apiErr := &APIError{StatusCode: status, Method: method, Path: path}
	var envelope errorEnvelope
	if json.Unmarshal(body, &envelope) == nil {
		apiErr.Message = decodeMessage(envelope.Message)
		apiErr.Code = envelope.Code
		if apiErr.Message == "" {
			apiErr.Message = envelope.Error
		}
	}
	if apiErr.Message == "" {
		apiErr.Message = http.StatusText(status)
	}
	apiErr.Hint = defaultHint(status)
	return apiErr
}

func decodeMessage(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var single string
	if json.Unmarshal(raw, &single) == nil {
		return single
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, "; ")
	}
	return ""
}

// Status codes that ToolJet gives a fixed meaning.
const (
	// StatusLicenseRequired is ToolJet's reply when the license lacks a
	// feature (HTTP 451 Unavailable For Legal Reasons).
	StatusLicenseRequired = http.StatusUnavailableForLegalReasons
)

func defaultHint(status int) string {
	switch status {
	case http.StatusForbidden:
		return "The ToolJet account of the provider configuration lacks a permission: " +
			"use a super admin account (user type \"instance\"), because SSO and group " +
			"sync settings can only be changed by a super admin."
	case StatusLicenseRequired:
		return "The ToolJet license does not include this feature: install a license " +
			"whose plan includes OpenID Connect SSO (license field oidcEnabled)."
	}
	return ""
}

// StatusCode returns the HTTP status of an APIError anywhere in err's chain,
// or 0.
func StatusCode(err error) int {
	var apiErr *APIError
	if errors.As(err, &apiErr) {
		return apiErr.StatusCode
	}
	return 0
}

// IsNotFound reports whether err is a 404 from ToolJet.
func IsNotFound(err error) bool { return StatusCode(err) == http.StatusNotFound }

// IsForbidden reports whether err is a 403 from ToolJet.
func IsForbidden(err error) bool { return StatusCode(err) == http.StatusForbidden }

// IsUnauthorized reports whether err is a 401 from ToolJet.
func IsUnauthorized(err error) bool { return StatusCode(err) == http.StatusUnauthorized }

// IsLicenseRequired reports whether err is ToolJet's 451 for a feature the
// license lacks.
func IsLicenseRequired(err error) bool { return StatusCode(err) == StatusLicenseRequired }

// AmbiguousError reports a write that failed in a way that leaves open
// whether ToolJet applied it: a timeout, a dropped connection or a gateway
// error after the request was sent. The caller must read the object back
// before it tries again, because the request is not idempotent.
type AmbiguousError struct {
	Method string
	Path   string
	Err    error
}

func (e *AmbiguousError) Error() string {
	return fmt.Sprintf("%s %s may or may not have been applied by ToolJet: %v",
		e.Method, e.Path, e.Err)
}

func (e *AmbiguousError) Unwrap() error { return e.Err }

// IsAmbiguous reports whether err is an AmbiguousError.
func IsAmbiguous(err error) bool {
	var ambiguous *AmbiguousError
	return errors.As(err, &ambiguous)
}

// RetryAfterTooLongError reports that ToolJet asked the client to wait longer
// than the operation has left or than the provider's maximum retry wait.
type RetryAfterTooLongError struct {
	Method, Path string
	StatusCode   int
	Wait         string // the wait ToolJet asked for, as a duration
	Limit        string // what the client was allowed to wait
	Reason       string // "the operation's remaining time" or "max_retry_wait"
}

func (e *RetryAfterTooLongError) Error() string {
	return fmt.Sprintf("ToolJet returned HTTP %d for %s %s and asked the provider to retry "+
		"after %s, which is longer than %s (%s). Try again later, or raise the resource's "+
		"timeouts or the provider's max_retry_wait.",
		e.StatusCode, e.Method, e.Path, e.Wait, e.Reason, e.Limit)
}
