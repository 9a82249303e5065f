package client

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
)

// sessionCookie is the cookie that carries ToolJet's session JWT. It is the
// only way ToolJet reads a session: there is no bearer-token header.
const sessionCookie = "tj_auth_token"

const (
	pathSuperAdminLogin = "/api/authenticate/super-admin"
	pathWorkspaceLogin  = "/api/authenticate/"
)

// loginPayload is the part of ToolJet's login response the client uses.
type loginPayload struct {
	CurrentOrganizationID string `json:"current_organization_id"`
	SuperAdmin            bool   `json:"super_admin"`
}

type credentials struct {
	Email    string `json:"email"`
	Password string `json:"password"`
}

// session returns the session to use for workspaceID (empty for the
// super-admin login's own workspace), logging in when there is none yet. It
// returns the workspace ID to send as tj-workspace-id and the cookie value.
//
// A ToolJet session is valid only for the workspaces listed in its token, so
// the client keeps one session per workspace: the super-admin login for its
// own workspace, and POST /api/authenticate/{id} for each other workspace.
// It never calls GET /api/switch/{id}, which would also change the user's
// default workspace.
func (c *Client) session(ctx context.Context, workspaceID string) (*session, string, string, error) {
	instance, instanceWorkspace, err := c.instanceSession(ctx)
	if err != nil {
		return nil, "", "", err
	}
	if workspaceID == "" || workspaceID == instanceWorkspace {
		instance.mu.Lock()
		defer instance.mu.Unlock()
		if instance.token == "" {
			if _, err := c.loginSuperAdmin(ctx, instance); err != nil {
				return nil, "", "", err
			}
		}
		return instance, instanceWorkspace, instance.token, nil
	}

	sess := c.sessions.entry(workspaceID)
	sess.mu.Lock()
	defer sess.mu.Unlock()
	if sess.token == "" {
		if err := c.loginWorkspace(ctx, sess, workspaceID); err != nil {
			return nil, "", "", err
		}
	}
	return sess, workspaceID, sess.token, nil
}

// instanceSession returns the super-admin session and its workspace, logging
// in the first time.
func (c *Client) instanceSession(ctx context.Context) (*session, string, error) {
	sess := c.sessions.entry("")
	c.sessions.mu.Lock()
	workspaceID := c.sessions.instanceWorkspaceID
	c.sessions.mu.Unlock()
	if workspaceID != "" {
		return sess, workspaceID, nil
	}

	sess.mu.Lock()
	defer sess.mu.Unlock()
	c.sessions.mu.Lock()
	workspaceID = c.sessions.instanceWorkspaceID
	c.sessions.mu.Unlock()
	if workspaceID != "" {
		return sess, workspaceID, nil
	}
	workspaceID, err := c.loginSuperAdmin(ctx, sess)
	if err != nil {
		return nil, "", err
	}
	return sess, workspaceID, nil
}

// loginSuperAdmin logs in through ToolJet's super-admin route, which works
// even where password login is switched off, and checks that the account is
// a super admin. The caller holds sess.mu.
func (c *Client) loginSuperAdmin(ctx context.Context, sess *session) (string, error) {
	var payload loginPayload
	token, err := c.login(ctx, pathSuperAdminLogin, &payload)
	if err != nil {
		return "", err
	}
	if !payload.SuperAdmin {
		return "", fmt.Errorf("the ToolJet account %s is not a super admin. Instance SSO and "+
			"group sync can only be managed by a super admin (user type \"instance\"): use "+
			"such an account in the provider configuration", c.cfg.Email)
	}
	if payload.CurrentOrganizationID == "" {
		return "", errors.New("ToolJet's login response has no current_organization_id, so " +
			"the provider cannot choose a workspace for instance-level calls; this ToolJet " +
			"version is not supported")
	}
	sess.token = token
	c.sessions.mu.Lock()
	c.sessions.instanceWorkspaceID = payload.CurrentOrganizationID
	c.sessions.mu.Unlock()
	return payload.CurrentOrganizationID, nil
}

// loginWorkspace logs in to one workspace. The caller holds sess.mu.
func (c *Client) loginWorkspace(ctx context.Context, sess *session, workspaceID string) error {
	var payload loginPayload
	token, err := c.login(ctx, pathWorkspaceLogin+url.PathEscape(workspaceID), &payload)
	if err != nil {
		return err
	}
	sess.token = token
	return nil
}

// login posts the credentials to path and returns the session cookie.
func (c *Client) login(ctx context.Context, path string, payload *loginPayload) (string, error) {
	c.loginFailureMu.Lock()
	failure := c.loginFailure
	c.loginFailureMu.Unlock()
	if failure != nil {
		return "", failure
	}
	req := request{
		method:     http.MethodPost,
		path:       path,
		body:       credentials{Email: strings.ToLower(c.cfg.Email), Password: c.cfg.Password},
		noAuth:     true,
		idempotent: true,
	}
	resp, err := c.do(ctx, req, payload)
	if err != nil {
		var apiErr *APIError
		if errors.As(err, &apiErr) && apiErr.StatusCode == http.StatusUnauthorized {
			apiErr.Hint = loginHint(c.cfg.Email, apiErr.Message)
			c.loginFailureMu.Lock()
			c.loginFailure = err
			c.loginFailureMu.Unlock()
		}
		return "", err
	}
	for _, cookie := range resp.cookies {
		if cookie.Name == sessionCookie && cookie.Value != "" {
			return cookie.Value, nil
		}
	}
	return "", fmt.Errorf("ToolJet accepted the login at %s but set no %s cookie; check that "+
		"host points at ToolJet's server and not at a proxy that drops cookies", path, sessionCookie)
}

func loginHint(email, message string) string {
	if strings.Contains(strings.ToLower(message), "retry limit") {
		return fmt.Sprintf("ToolJet locked the password login of %s after too many failed "+
			"attempts: reset its password in ToolJet, then update the provider's password "+
			"(or TOOLJET_PASSWORD).", email)
	}
	return fmt.Sprintf("ToolJet rejected the login of %s: check the provider's email and "+
		"password (or TOOLJET_EMAIL and TOOLJET_PASSWORD), and that the account is a super "+
		"admin, since the provider logs in through ToolJet's super-admin login.", email)
}

// invalidate clears a session that ToolJet rejected, unless another request
// has already replaced it.
func (c *Client) invalidate(sess *session, token string) {
	sess.mu.Lock()
	defer sess.mu.Unlock()
	if sess.token == token {
		sess.token = ""
	}
}

func (s *sessionStore) entry(workspaceID string) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.byWorkspace == nil {
		s.byWorkspace = make(map[string]*session)
	}
	sess, ok := s.byWorkspace[workspaceID]
	if !ok {
		sess = &session{}
		s.byWorkspace[workspaceID] = sess
	}
	return sess
}
