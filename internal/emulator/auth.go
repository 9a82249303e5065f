package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// authCookie is the name of ToolJet's session cookie.
const authCookie = "tj_auth_token"

// workspaceHeader names the workspace a request acts in. Its value must be
// one of the session's authorised workspace ids.
const workspaceHeader = "tj-workspace-id"

// Login limits of ToolJet: PASSWORD_RETRY_LIMIT (default 5) and the
// @MaxLength(100) of the password field.
const (
	passwordRetryLimit = 5
	maxPasswordLength  = 100
)

// msgPasswordLoginDisabled is returned when a workspace's form login row is
// disabled and the user is not a super admin.
const msgPasswordLoginDisabled = "Password login is disabled for this workspace"

// session is a logged-in cookie. Each token remembers the workspaces it was
// authorised for.
type session struct {
	userID       string
	workspaceIDs []string
	expires      time.Time
}

// newToken returns an opaque, unguessable cookie value.
func newToken() string {
	var b [32]byte
	// crypto/rand.Read never returns an error since Go 1.24.
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// currentSession returns the valid session of the request's cookie and its
// token, or nil. Expired sessions are removed. The caller holds s.mu.
func (s *Server) currentSession(r *http.Request) (*session, string) {
	cookie, err := r.Cookie(authCookie)
	if err != nil || cookie.Value == "" {
		return nil, ""
	}
	sess := s.sessions[cookie.Value]
	if sess == nil {
		return nil, ""
	}
	if !s.now().Before(sess.expires) {
		delete(s.sessions, cookie.Value)
		return nil, ""
	}
	return sess, cookie.Value
}

// issueSession stores a new session and sets its cookie on w. The caller
// holds s.mu.
func (s *Server) issueSession(w http.ResponseWriter, r *http.Request, userID string,
	workspaceIDs []string) {
	for token, sess := range s.sessions {
		if !s.now().Before(sess.expires) {
			delete(s.sessions, token)
		}
	}
	token := newToken()
	s.sessions[token] = &session{
		userID:       userID,
		workspaceIDs: workspaceIDs,
		expires:      s.now().Add(exchangeOf(r).opts.SessionTTL),
	}
	http.SetCookie(w, &http.Cookie{
		Name:     authCookie,
		Value:    token,
		Path:     "/",
		HttpOnly: true,
		Secure:   r.TLS != nil,
		SameSite: http.SameSiteStrictMode,
	})
}

// loginRequest is ToolJet's AppAuthenticationDto after validation.
type loginRequest struct {
	email    string
	password string
}

// parseLoginRequest applies the DTO's rules: email lower-cased and an email
// address, password a non-empty string of at most 100 characters. It returns
// class-validator's messages on failure.
func parseLoginRequest(body map[string]any) (loginRequest, []string) {
	var req loginRequest
	var problems []string
	email, ok := body["email"].(string)
	req.email = strings.ToLower(email)
	if !ok || !isEmail(req.email) {
		problems = append(problems, "email must be an email")
	}
	password, ok := body["password"].(string)
	switch {
	case !ok:
		problems = append(problems, "password should not be empty", "password must be a string")
	case password == "":
		problems = append(problems, "password should not be empty")
	case utf8.RuneCountInString(password) > maxPasswordLength:
		problems = append(problems, "Password should be Max 100 characters")
	}
	req.password = password
	if redirect, present := body["redirectTo"]; present && redirect != nil {
		if _, ok := redirect.(string); !ok {
			problems = append(problems, "redirectTo must be a string")
		}
	}
	return req, problems
}

// isEmail accepts a bare address with a dotted domain, close to the
// validator.js rule behind class-validator's @IsEmail.
func isEmail(s string) bool {
	addr, err := mail.ParseAddress(s)
	if err != nil || addr.Address != s || addr.Name != "" {
		return false
	}
	_, domain, _ := strings.Cut(s, "@")
	return strings.Contains(domain, ".") && !strings.ContainsAny(s, " \t")
}

// loginTarget chooses the workspace of a login.
type loginTarget int

const (
	loginDefaultWorkspace loginTarget = iota // POST /api/authenticate
	loginSuperAdmin                          // POST /api/authenticate/super-admin
	loginWorkspace                           // POST /api/authenticate/{organizationId}
)

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	s.login(w, r, loginDefaultWorkspace, "")
}

func (s *Server) handleSuperAdminLogin(w http.ResponseWriter, r *http.Request) {
	s.login(w, r, loginSuperAdmin, "")
}

func (s *Server) handleWorkspaceLogin(w http.ResponseWriter, r *http.Request) {
	s.login(w, r, loginWorkspace, r.PathValue("organizationId"))
}

func (s *Server) login(w http.ResponseWriter, r *http.Request, target loginTarget,
	workspaceID string) {
	body, ok := readBodyOrFail(w, r)
	if !ok {
		return
	}
	req, problems := parseLoginRequest(body)
	if len(problems) > 0 {
		writeError(w, r, http.StatusBadRequest, problems)
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	user := s.state.UserByEmail(req.email)
	if user == nil {
		writeError(w, r, http.StatusUnauthorized, msgInvalidCredentials)
		return
	}
	if user.FailedLogins >= passwordRetryLimit {
		writeError(w, r, http.StatusUnauthorized, msgRetryLimit)
		return
	}
	if user.Password != req.password {
		s.recordFailedLogin(w, r, user.ID)
		return
	}
	if target == loginSuperAdmin && !user.SuperAdmin {
		writeError(w, r, http.StatusUnauthorized, msgInvalidCredentials)
		return
	}

	var workspace *Workspace
	var message string
	if target == loginWorkspace {
		workspace, message = s.state.workspaceForLogin(user, workspaceID)
	} else {
		workspace, message = s.state.defaultWorkspaceForLogin(user)
	}
	if workspace == nil {
		writeError(w, r, http.StatusUnauthorized, message)
		return
	}

	if user.FailedLogins != 0 {
		err := s.commit(r, func(st *State) error {
			st.UserByID(user.ID).FailedLogins = 0
			return nil
		})
		if err != nil {
			writeError(w, r, http.StatusInternalServerError, "Failed to save state: "+err.Error())
			return
		}
	}
	ids := []string{workspace.ID}
	if previous, _ := s.currentSession(r); previous != nil && previous.userID == user.ID {
		ids = mergeIDs(previous.workspaceIDs, workspace.ID)
	}
	s.issueSession(w, r, user.ID, ids)
	user = s.state.UserByID(user.ID)
	writeJSON(w, r, http.StatusCreated, s.state.loginPayload(user, workspace), decamelizeKeys)
}

// recordFailedLogin counts a wrong password and sends 401. The caller holds
// s.mu.
func (s *Server) recordFailedLogin(w http.ResponseWriter, r *http.Request, userID string) {
	err := s.commit(r, func(st *State) error {
		st.UserByID(userID).FailedLogins++
		return nil
	})
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, "Failed to save state: "+err.Error())
		return
	}
	writeError(w, r, http.StatusUnauthorized, msgInvalidCredentials)
}

// workspaceForLogin returns the workspace a user may log in to by id, or nil
// and the 401 message. Super admins may log in to any active workspace.
func (st *State) workspaceForLogin(user *User, workspaceID string) (*Workspace, string) {
	workspace := st.WorkspaceByID(workspaceID)
	if workspace == nil || workspace.Status != statusActive {
		return nil, msgInvalidCredentials
	}
	if user.SuperAdmin {
		return workspace, ""
	}
	if _, member := user.Memberships[workspace.ID]; !member {
		return nil, msgInvalidCredentials
	}
	if !st.passwordLoginEnabled(workspace.ID) {
		return nil, msgPasswordLoginDisabled
	}
	return workspace, ""
}

// defaultWorkspaceForLogin picks the workspace of a login without a
// workspace id: the user's default workspace, else the first membership that
// allows password login, else, for a super admin, the default workspace.
func (st *State) defaultWorkspaceForLogin(user *User) (*Workspace, string) {
	if w, _ := st.workspaceForLogin(user, user.DefaultWorkspaceID); w != nil {
		return w, ""
	}
	for _, w := range st.Workspaces {
		if _, member := user.Memberships[w.ID]; !member {
			continue
		}
		if found, _ := st.workspaceForLogin(user, w.ID); found != nil {
			return found, ""
		}
	}
	if user.SuperAdmin {
		for _, w := range st.Workspaces {
			if w.IsDefault && w.Status == statusActive {
				return w, ""
			}
		}
		for _, w := range st.Workspaces {
			if w.Status == statusActive {
				return w, ""
			}
		}
	}
	return nil, msgInvalidCredentials
}

func (st *State) passwordLoginEnabled(workspaceID string) bool {
	for _, c := range st.WorkspaceConfigs(workspaceID) {
		if c.SSO == ssoForm {
			return c.Enabled
		}
	}
	return false
}

// roleIn returns the user's role in a workspace. A super admin who is not a
// member acts as an admin.
func roleIn(user *User, workspaceID string) string {
	if role, ok := user.Memberships[workspaceID]; ok {
		return role
	}
	if user.SuperAdmin {
		return roleAdmin
	}
	return ""
}

// loginPayload is ToolJet's login result in camelCase, before decamelizing.
func (st *State) loginPayload(user *User, workspace *Workspace) jsonObject {
	role := roleIn(user, workspace.ID)
	groups := []any{}
	for _, g := range st.GroupsOf(workspace.ID) {
		if g.Type == groupTypeDefault && g.Name == role {
			groups = append(groups, jsonObject{{"id", g.ID}, {"name", g.Name}, {"type", g.Type}})
		}
	}
	firstName, _, _ := strings.Cut(user.Email, "@")
	return jsonObject{
		{"id", user.ID},
		{"email", user.Email},
		{"firstName", firstName},
		{"lastName", ""},
		{"avatarId", nil},
		{"organizationId", workspace.ID},
		{"organization", workspace.Name},
		{"superAdmin", user.SuperAdmin},
		{"admin", role == roleAdmin},
		{"role", role},
		{"groupPermissions", groups},
		{"userPermissions", jsonObject{}},
		{"currentOrganizationId", workspace.ID},
		{"currentOrganizationSlug", workspace.Slug},
		{"noActiveWorkspaces", false},
	}
}

// handleSwitch serves GET /api/switch/{organizationId}: it re-issues the
// cookie with the workspace added and makes it the user's default
// workspace, as ToolJet does.
func (s *Server) handleSwitch(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, _ := s.currentSession(r)
	if sess == nil {
		writeError(w, r, http.StatusUnauthorized, msgUnauthorized)
		return
	}
	user := s.state.UserByID(sess.userID)
	if user == nil {
		writeError(w, r, http.StatusUnauthorized, msgUnauthorized)
		return
	}
	workspace, message := s.state.workspaceForLogin(user, r.PathValue("organizationId"))
	if workspace == nil {
		writeError(w, r, http.StatusUnauthorized, message)
		return
	}
	err := s.commit(r, func(st *State) error {
		st.UserByID(user.ID).DefaultWorkspaceID = workspace.ID
		return nil
	})
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, "Failed to save state: "+err.Error())
		return
	}
	s.issueSession(w, r, user.ID, mergeIDs(sess.workspaceIDs, workspace.ID))
	user = s.state.UserByID(user.ID)
	writeJSON(w, r, http.StatusOK, s.state.loginPayload(user, workspace), decamelizeKeys)
}

// handleLogout serves GET /api/session/logout: it ends the cookie's session
// and clears the cookie.
func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, token := s.currentSession(r)
	if sess == nil {
		writeError(w, r, http.StatusUnauthorized, msgUnauthorized)
		return
	}
	delete(s.sessions, token)
	http.SetCookie(w, &http.Cookie{
		Name: authCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode,
	})
	writeEmpty(w)
}

// access is the role a route requires.
type access int

const (
	accessMember     access = iota // any user of the workspace
	accessAdmin                    // workspace admin or super admin
	accessSuperAdmin               // super admin
)

// caller is the authenticated user of a request and the workspace it acts in.
type caller struct {
	user      *User
	workspace *Workspace
	role      string
}

// authorize applies ToolJet's checks in order: a valid session cookie and a
// tj-workspace-id header that the session is authorised for (else 401), then
// the role (else 403). On failure it sends the error and returns false. The
// caller holds s.mu and checks the license afterwards.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request, need access) (caller, bool) {
	sess, _ := s.currentSession(r)
	if sess == nil {
		writeError(w, r, http.StatusUnauthorized, msgUnauthorized)
		return caller{}, false
	}
	workspaceID := r.Header.Get(workspaceHeader)
	if workspaceID == "" || !slices.Contains(sess.workspaceIDs, workspaceID) {
		writeError(w, r, http.StatusUnauthorized, msgUnauthorized)
		return caller{}, false
	}
	user := s.state.UserByID(sess.userID)
	workspace := s.state.WorkspaceByID(workspaceID)
	if user == nil || workspace == nil {
		writeError(w, r, http.StatusUnauthorized, msgUnauthorized)
		return caller{}, false
	}
	role := roleIn(user, workspace.ID)
	if role == "" {
		writeError(w, r, http.StatusUnauthorized, msgUnauthorized)
		return caller{}, false
	}

	allowed := false
	switch need {
	case accessMember:
		allowed = true
	case accessAdmin:
		allowed = user.SuperAdmin || role == roleAdmin
	case accessSuperAdmin:
		allowed = user.SuperAdmin
	}
	if !allowed {
		writeError(w, r, http.StatusForbidden, msgForbidden)
		return caller{}, false
	}
	return caller{user: user, workspace: workspace, role: role}, true
}

// requireLicense sends 451 and returns false when the feature is not licensed.
func requireLicense(w http.ResponseWriter, r *http.Request, feature func(License) bool) bool {
	if exchangeOf(r).opts.licensed(feature) {
		return true
	}
	writeError(w, r, http.StatusUnavailableForLegalReasons, msgLicense)
	return false
}

func mergeIDs(ids []string, id string) []string {
	out := slices.Clone(ids)
	if !slices.Contains(out, id) {
		out = append(out, id)
	}
	return out
}
