package emulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// exchange is the per-request data that the dispatcher hands to handlers.
type exchange struct {
	opts     Options  // options at the start of the request
	nullKeys []string // response keys that a fault replaces with null
	omitKeys []string // response keys that a fault removes
	// discardChanges is set by a Discard fault: the handler's changes are
	// not stored.
	discardChanges bool
}

type exchangeKey struct{}

func exchangeOf(r *http.Request) *exchange {
	if x, ok := r.Context().Value(exchangeKey{}).(*exchange); ok {
		return x
	}
	return &exchange{}
}

func withExchange(r *http.Request, x *exchange) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), exchangeKey{}, x))
}

// Messages that ToolJet returns verbatim.
const (
	msgUnauthorized = "Unauthorized"
	msgForbidden    = "You do not have permission to access this resource"
	msgLicense      = "Oops! Your current plan doesn't have access to this feature. " +
		"Please upgrade your plan now to use this."
	msgInvalidCredentials = "Invalid credentials"
	msgRetryLimit         = "Maximum password retry limit reached, please reset your " +
		"password using forgot password option"
	msgInvalidSSOType = "Invalid SSO type"
	msgOrgNotFound    = "Organization not found"
	msgOrgArchived    = "Organization is Archived"
	msgSSONotFound    = "SSO configuration not found"
	msgNotFound       = "Not Found"
)

// writeJSON sends body with status. mode selects the key rewriting, and the
// exchange's null and omit faults are applied after it.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, body any, mode keyRewrite) {
	x := exchangeOf(r)
	if mode == decamelizeKeys && x.opts.KeepMappingKeys {
		mode = decamelizeKeepingMappingKeys
	}
	value := applyKeyFaults(normalizeJSON(body, mode), x.nullKeys, x.omitKeys)
	var buf bytes.Buffer
	if err := encodeJSON(&buf, value); err != nil {
		// Every value comes from decoded JSON or from handlers, so this is a bug.
		http.Error(w, "encode response: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// writeError sends ToolJet's error envelope. message is a string, or a
// []string for validation failures.
func writeError(w http.ResponseWriter, r *http.Request, status int, message any) {
	writeJSON(w, r, status, errorEnvelope(r, status, message), keepKeys)
}

func errorEnvelope(r *http.Request, status int, message any) jsonObject {
	return jsonObject{
		{"statusCode", status},
		{"timestamp", time.Now().UTC().Format("2006-01-02T15:04:05.000Z")},
		{"path", r.URL.RequestURI()},
		{"message", message},
	}
}

// writeEmpty sends 200 OK with an empty body, as a Nest handler that returns
// nothing does.
func writeEmpty(w http.ResponseWriter) {
	w.Header().Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// maxBodyBytes is the JSON body limit that ToolJet's server/src/main.ts sets
// with json({ limit: '50mb' }).
const maxBodyBytes = 50 << 20

// errBodyTooLarge and errBodyInvalid tell readBody's callers which status
// to send.
var (
	errBodyTooLarge = errors.New("request entity too large")
	errBodyInvalid  = errors.New("invalid JSON body")
)

// readBody decodes a JSON request body into an object, the way Express's
// JSON parser feeds a Nest handler: a body without a JSON content type, or
// an empty one, is an empty object. Numbers are kept as json.Number.
func readBody(r *http.Request) (map[string]any, error) {
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mediaType != "application/json" && !strings.HasSuffix(mediaType, "+json") {
		return map[string]any{}, nil
	}

	data, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errBodyInvalid, err)
	}
	if len(data) > maxBodyBytes {
		return nil, errBodyTooLarge
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return map[string]any{}, nil
	}

	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var body any
	if err := dec.Decode(&body); err != nil {
		return nil, fmt.Errorf("%w: %w", errBodyInvalid, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: unexpected data after the JSON value", errBodyInvalid)
	}
	object, ok := body.(map[string]any)
	if !ok {
		// Nest hands a JSON array or scalar to the handler, where property
		// lookups find nothing, so it behaves like an empty object.
		return map[string]any{}, nil
	}
	return object, nil
}

// readBodyOrFail reads the body and sends 413 or 400 when it cannot be read.
func readBodyOrFail(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	body, err := readBody(r)
	switch {
	case errors.Is(err, errBodyTooLarge):
		writeError(w, r, http.StatusRequestEntityTooLarge, "request entity too large")
		return nil, false
	case err != nil:
		writeError(w, r, http.StatusBadRequest, err.Error())
		return nil, false
	}
	return body, true
}
