package client

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"
)

// maxResponseBytes limits how much of a response body the client reads.
// The largest response it expects, the instance SSO configuration with a few
// thousand mappings, is well under 1 MiB.
const maxResponseBytes = 32 << 20

// response is the status, body, headers and cookies of one attempt.
type response struct {
	status  int
	body    []byte
	header  http.Header
	cookies []*http.Cookie
}

// do sends req and decodes a 2xx JSON body into out (when out is not nil).
// It logs in when needed, logs in again once after a 401, retries transient
// failures, and sends the same body bytes on every attempt.
func (c *Client) do(ctx context.Context, req request, out any) (*response, error) {
	var body []byte
	if req.body != nil {
		var err error
		body, err = json.Marshal(req.body)
		if err != nil {
			return nil, fmt.Errorf("encoding the request body of %s %s: %w", req.method, req.path, err)
		}
	}

	loggedInAgain := false
	for attempt := 1; ; attempt++ {
		var sess *session
		var workspaceID, token string
		if !req.noAuth {
			var err error
			sess, workspaceID, token, err = c.session(ctx, req.workspaceID)
			if err != nil {
				return nil, err
			}
		}

		resp, err := c.send(ctx, req, body, workspaceID, token, attempt)
		if err != nil {
			if ctx.Err() != nil {
				return nil, operationTimeout(req, ctx, err)
			}
			retry, wrapped := c.classifyTransportError(req, err)
			if !retry {
				return nil, wrapped
			}
			if attempt > c.cfg.MaxRetries {
				return nil, attemptsError(attempt, wrapped)
			}
			if waitErr := c.backoff(ctx, req, attempt, 0, ""); waitErr != nil {
				return nil, errors.Join(wrapped, waitErr)
			}
			continue
		}

		switch {
		case resp.status >= 200 && resp.status < 300:
			if out != nil && len(resp.body) > 0 {
				if err := json.Unmarshal(resp.body, out); err != nil {
					return resp, fmt.Errorf("ToolJet returned a response to %s %s that the "+
						"provider cannot read: %w", req.method, req.path, err)
				}
			}
			return resp, nil

		case resp.status == http.StatusUnauthorized && sess != nil && !loggedInAgain:
			// The session expired or was revoked: log in once more.
			tflog.Debug(ctx, "ToolJet session rejected, logging in again",
				map[string]any{"path": req.path})
			c.invalidate(sess, token)
			loggedInAgain = true
			attempt--
			continue
		}

		apiErr := newAPIError(req.method, req.path, resp.status, resp.body)
		if !isRetryableStatus(resp.status) {
			return resp, c.finalStatusError(req, apiErr)
		}
		if attempt > c.cfg.MaxRetries {
			return resp, attemptsError(attempt, c.finalStatusError(req, apiErr))
		}
		if !req.idempotent && resp.status != http.StatusTooManyRequests {
			// A gateway error after a create leaves open whether the row
			// was stored; repeating the request could store it twice.
			return resp, &AmbiguousError{Method: req.method, Path: req.path, Err: apiErr}
		}
		retryAfter := resp.header.Get("Retry-After")
		wait, hasWait, parseErr := ParseRetryAfter(retryAfter, time.Now())
		if parseErr != nil {
			tflog.Debug(ctx, "Ignoring an invalid Retry-After header",
				map[string]any{"path": req.path, "error": parseErr.Error()})
			hasWait = false
		}
		if !hasWait {
			wait = 0
		}
		if waitErr := c.backoff(ctx, req, attempt, wait, retryAfter); waitErr != nil {
			var tooLong *RetryAfterTooLongError
			if errors.As(waitErr, &tooLong) {
				tooLong.StatusCode = resp.status
				return resp, tooLong
			}
			return resp, errors.Join(apiErr, waitErr)
		}
	}
}

// send makes one attempt, limited by the request timeout.
func (c *Client) send(ctx context.Context, req request, body []byte, workspaceID, token string,
	attempt int) (*response, error) {
	attemptCtx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()

	r := c.rc.R().SetContext(attemptCtx)
	if body != nil {
		r.SetHeader("Content-Type", "application/json").SetBody(body)
	}
	if len(req.query) > 0 {
		r.SetQueryParamsFromValues(req.query)
	}
	if !req.noAuth {
		r.SetCookie(&http.Cookie{Name: sessionCookie, Value: token})
		r.SetHeader("tj-workspace-id", workspaceID)
	}

	fields := map[string]any{"method": req.method, "path": req.path, "attempt": attempt}
	tflog.Debug(ctx, "Sending ToolJet API request", fields)
	started := time.Now()
	resp, err := r.Execute(req.method, c.baseURL+req.path)
	if err != nil {
		fields["error"] = err.Error()
		tflog.Debug(ctx, "ToolJet API request failed", fields)
		return nil, err
	}
	fields["status"] = resp.StatusCode()
	fields["duration_ms"] = time.Since(started).Milliseconds()
	tflog.Debug(ctx, "Received ToolJet API response", fields)

	return &response{
		status:  resp.StatusCode(),
		body:    resp.Body(),
		header:  resp.Header(),
		cookies: resp.Cookies(),
	}, nil
}

// attemptsError marks err as the last of several attempts, when there
// were retries.
func attemptsError(attempts int, err error) error {
	if attempts <= 1 {
		return err
	}
	return fmt.Errorf("gave up after %d attempts (the provider setting max_retries allows %d "+
		"retries): %w", attempts, attempts-1, err)
}

func isRetryableStatus(status int) bool {
	switch status {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable,
		http.StatusGatewayTimeout:
		return true
	}
	return false
}

// classifyTransportError decides whether a failed attempt may be repeated and
// wraps the error for the user. A request that certainly never reached the
// server, because the connection was refused, may always be repeated. Any
// other failure may have been applied, so only idempotent requests are
// repeated.
func (c *Client) classifyTransportError(req request, err error) (bool, error) {
	if isCertificateError(err) {
		// A certificate problem does not go away by trying again.
		return false, fmt.Errorf("%s %s to ToolJet at %s failed: ToolJet's HTTPS certificate "+
			"cannot be verified. If ToolJet uses a private CA or a self-signed certificate, "+
			"set ca_cert_pem or ca_cert_file in the provider configuration: %w",
			req.method, req.path, c.baseURL, err)
	}
	wrapped := fmt.Errorf("%s %s to ToolJet at %s failed: %w", req.method, req.path, c.baseURL,
		describeTransportError(err, c.cfg.RequestTimeout))
	if neverSent(err) || req.idempotent {
		return true, wrapped
	}
	return false, &AmbiguousError{Method: req.method, Path: req.path, Err: wrapped}
}

func isCertificateError(err error) bool {
	var verification *tls.CertificateVerificationError
	var unknownAuthority x509.UnknownAuthorityError
	var hostname x509.HostnameError
	var invalid x509.CertificateInvalidError
	return errors.As(err, &verification) || errors.As(err, &unknownAuthority) ||
		errors.As(err, &hostname) || errors.As(err, &invalid)
}

func neverSent(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) || errors.Is(err, syscall.ECONNREFUSED)
}

func describeTransportError(err error, timeout time.Duration) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("no response within the request timeout of %s (provider setting "+
			"request_timeout)", timeout)
	}
	return err
}

func operationTimeout(req request, ctx context.Context, err error) error {
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%s %s timed out: the operation reached its deadline (the "+
			"resource's timeouts) before ToolJet answered: %w", req.method, req.path, err)
	}
	return fmt.Errorf("%s %s was cancelled: %w", req.method, req.path, err)
}

// finalStatusError adds context-specific advice to errors that are not
// retried.
func (c *Client) finalStatusError(req request, apiErr *APIError) error {
	if apiErr.StatusCode == http.StatusBadRequest && req.path == pathInstanceSSO &&
		strings.Contains(apiErr.Message, "At least one workspace") {
		apiErr.Hint = "ToolJet requires an enabled workspace in the group sync table while " +
			"instance group sync is on. When tooljet_instance_oidc sets " +
			"default_workspace_inherits = false, add depends_on with the " +
			"tooljet_workspace_group_sync that adds another workspace, so that Terraform " +
			"adds it first."
	}
	if apiErr.StatusCode == http.StatusNotFound && req.path == pathInstanceSSO &&
		req.method == http.MethodPatch {
		apiErr.Hint = "ToolJet has no route for instance-level SSO settings: this is ToolJet " +
			"Community Edition, which does not support them. Instance OIDC and group sync need " +
			"ToolJet Enterprise Edition."
	}
	return apiErr
}

// backoff waits before the next attempt. A positive retryAfter is waited
// exactly; otherwise the wait grows exponentially from MinRetryWait, with
// jitter, up to MaxRetryWait. It fails at once, without waiting, when the
// wait would pass the context's deadline or when ToolJet asks for more than
// MaxRetryWait.
func (c *Client) backoff(ctx context.Context, req request, attempt int, retryAfter time.Duration,
	header string) error {
	wait := retryAfter
	if wait <= 0 {
		wait = c.backoffDelay(attempt)
	}
	if retryAfter > c.cfg.MaxRetryWait {
		return &RetryAfterTooLongError{Method: req.method, Path: req.path,
			Wait: retryAfter.String(), Limit: c.cfg.MaxRetryWait.String(),
			Reason: "the provider's max_retry_wait"}
	}
	if deadline, ok := ctx.Deadline(); ok {
		remaining := time.Until(deadline)
		if wait > remaining {
			if retryAfter > 0 {
				return &RetryAfterTooLongError{Method: req.method, Path: req.path,
					Wait: retryAfter.String(), Limit: remaining.Round(time.Millisecond).String(),
					Reason: "the operation's remaining time"}
			}
			return fmt.Errorf("gave up after %d attempts: the next retry would pass the "+
				"operation's deadline (the resource's timeouts)", attempt)
		}
	}
	tflog.Debug(ctx, "Retrying ToolJet API request", map[string]any{
		"method": req.method, "path": req.path, "attempt": attempt,
		"wait_ms": wait.Milliseconds(), "retry_after": header,
	})
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return fmt.Errorf("the operation ended while waiting to retry: %w", ctx.Err())
	case <-timer.C:
		return nil
	}
}

// backoffDelay is MinRetryWait * 2^(attempt-1), capped at MaxRetryWait, with
// "equal jitter": a random value between half the delay and the delay.
func (c *Client) backoffDelay(attempt int) time.Duration {
	delay := c.cfg.MinRetryWait
	for i := 1; i < attempt && delay < c.cfg.MaxRetryWait; i++ {
		delay *= 2
	}
	delay = min(delay, c.cfg.MaxRetryWait)
	half := delay / 2
	return half + rand.N(half+1)
}
