package emulator

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// State is everything the emulator stores. Handlers and the out-of-band
// accessors View and Update share it under one lock.
type State struct {
	Workspaces []*Workspace `json:"workspaces"` // ToolJet's organizations
	Users      []*User      `json:"users"`
	SSOConfigs []*SSOConfig `json:"ssoConfigs"`
	GroupSyncs []*GroupSync `json:"groupSyncs"`
	Groups     []*Group     `json:"groups"`
}

// Workspace is a ToolJet organization.
type Workspace struct {
	ID                string `json:"id"`
	Name              string `json:"name"`
	Slug              string `json:"slug"`
	Status            string `json:"status"` // "active" or "archived"
	IsDefault         bool   `json:"isDefault"`
	InheritSSO        bool   `json:"inheritSSO"`
	EnableSignUp      bool   `json:"enableSignUp"`
	AutomaticSSOLogin bool   `json:"automaticSsoLogin"`
	Domain            string `json:"domain"`
}

// User is a ToolJet account. Password is kept in plain text because the
// emulator only serves well-known test accounts.
type User struct {
	ID         string `json:"id"`
	Email      string `json:"email"`
	Password   string `json:"password"`
	SuperAdmin bool   `json:"superAdmin"`
	// Memberships maps a workspace id to the role "admin", "builder" or "end-user".
	Memberships map[string]string `json:"memberships"`
	// FailedLogins counts wrong passwords since the last successful login.
	FailedLogins int `json:"failedLogins"`
	// DefaultWorkspaceID is the workspace of a login without a workspace id.
	// GET /api/switch/{organizationId} rewrites it, as ToolJet does.
	DefaultWorkspaceID string `json:"defaultWorkspaceId,omitempty"`
}

// SSOConfig is a row of ToolJet's sso_configs table.
type SSOConfig struct {
	ID string `json:"id"`
	// OrganizationID is nil for instance rows.
	OrganizationID *string `json:"organizationId"`
	// SSO is the type: google, git, form, openid, ldap or saml.
	SSO string `json:"sso"`
	// Scope is "organization" or "instance".
	Scope string `json:"configScope"`
	// Configs contains the camelCase keys as sent. Secret values are stored
	// encrypted; DecryptedConfigs returns them in plain text.
	Configs      map[string]any `json:"configs"`
	Enabled      bool           `json:"enabled"`
	UseEnvConfig bool           `json:"useEnvConfig"`
	CreatedAt    time.Time      `json:"createdAt"`
	UpdatedAt    time.Time      `json:"updatedAt"`
}

// GroupSync is a row of ToolJet's sso_config_oidc_group_sync table.
type GroupSync struct {
	ID          string `json:"id"`
	SSOConfigID string `json:"ssoConfigId"`
	// OrganizationID is nil for most workspace-level rows, and the target
	// workspace for instance-level rows.
	OrganizationID *string `json:"organizationId"`
	ClaimName      string  `json:"claimName"`
	// GroupMapping maps an IdP group name to a ToolJet group name.
	GroupMapping    map[string]string `json:"groupMapping"`
	EnableGroupSync *bool             `json:"enableGroupSync"`
}

// Group is a ToolJet permission group.
type Group struct {
	ID             string `json:"id"`
	OrganizationID string `json:"organizationId"`
	Name           string `json:"name"`
	Type           string `json:"type"` // "default" for role groups, "custom" otherwise
}

// Values of the stored enums.
const (
	statusActive   = "active"
	statusArchived = "archived"

	scopeOrganization = "organization"
	scopeInstance     = "instance"

	groupTypeDefault = "default"
	groupTypeCustom  = "custom"

	roleAdmin   = "admin"
	roleBuilder = "builder"
	roleEndUser = "end-user"

	ssoForm   = "form"
	ssoOpenID = "openid"
)

// roleNames are ToolJet's role groups, highest privilege first.
var roleNames = []string{roleAdmin, roleBuilder, roleEndUser}

// ssoTypes are the values of ToolJet's sso_type_enum.
var ssoTypes = []string{"google", "git", ssoForm, ssoOpenID, "ldap", "saml"}

// WorkspaceBySlug returns the workspace with that slug, or nil.
func (st *State) WorkspaceBySlug(slug string) *Workspace {
	for _, w := range st.Workspaces {
		if w.Slug == slug {
			return w
		}
	}
	return nil
}

// WorkspaceByID returns the workspace with that id, or nil.
func (st *State) WorkspaceByID(id string) *Workspace {
	for _, w := range st.Workspaces {
		if w.ID == id {
			return w
		}
	}
	return nil
}

// UserByEmail returns the user with that email, compared without case, or nil.
func (st *State) UserByEmail(email string) *User {
	for _, u := range st.Users {
		if strings.EqualFold(u.Email, email) {
			return u
		}
	}
	return nil
}

// UserByID returns the user with that id, or nil.
func (st *State) UserByID(id string) *User {
	for _, u := range st.Users {
		if u.ID == id {
			return u
		}
	}
	return nil
}

// SSOConfigByID returns the SSO row with that id, or nil.
func (st *State) SSOConfigByID(id string) *SSOConfig {
	for _, c := range st.SSOConfigs {
		if c.ID == id {
			return c
		}
	}
	return nil
}

// InstanceOIDC returns the instance openid row, or nil.
func (st *State) InstanceOIDC() *SSOConfig {
	return st.instanceConfig(ssoOpenID)
}

func (st *State) instanceConfig(ssoType string) *SSOConfig {
	for _, c := range st.SSOConfigs {
		if c.Scope == scopeInstance && c.SSO == ssoType {
			return c
		}
	}
	return nil
}

// WorkspaceConfigs returns the SSO rows of a workspace in stored order.
func (st *State) WorkspaceConfigs(workspaceID string) []*SSOConfig {
	var rows []*SSOConfig
	for _, c := range st.SSOConfigs {
		if c.Scope == scopeOrganization && c.OrganizationID != nil &&
			*c.OrganizationID == workspaceID {
			rows = append(rows, c)
		}
	}
	return rows
}

// InstanceConfigs returns the instance SSO rows in stored order.
func (st *State) InstanceConfigs() []*SSOConfig {
	var rows []*SSOConfig
	for _, c := range st.SSOConfigs {
		if c.Scope == scopeInstance {
			rows = append(rows, c)
		}
	}
	return rows
}

// GroupSyncsFor returns the group-sync rows of an SSO row in stored order.
func (st *State) GroupSyncsFor(ssoConfigID string) []*GroupSync {
	var rows []*GroupSync
	for _, g := range st.GroupSyncs {
		if g.SSOConfigID == ssoConfigID {
			rows = append(rows, g)
		}
	}
	return rows
}

// GroupsOf returns the groups of a workspace, role groups first in the order
// admin, builder, end-user, then custom groups in stored order.
func (st *State) GroupsOf(workspaceID string) []*Group {
	var roles, custom []*Group
	for _, g := range st.Groups {
		if g.OrganizationID != workspaceID {
			continue
		}
		if g.Type == groupTypeDefault {
			roles = append(roles, g)
		} else {
			custom = append(custom, g)
		}
	}
	slices.SortStableFunc(roles, func(a, b *Group) int {
		return slices.Index(roleNames, a.Name) - slices.Index(roleNames, b.Name)
	})
	return append(roles, custom...)
}

// AddWorkspace adds an active workspace with the three role groups and an
// enabled form (password) login row, and returns it. The first workspace
// becomes the default workspace.
func (st *State) AddWorkspace(name, slug string) *Workspace {
	w := &Workspace{
		ID:        newUUID(),
		Name:      name,
		Slug:      slug,
		Status:    statusActive,
		IsDefault: len(st.Workspaces) == 0,
	}
	st.Workspaces = append(st.Workspaces, w)
	for _, role := range roleNames {
		st.AddGroup(w.ID, role, groupTypeDefault)
	}
	now := time.Now().UTC()
	st.SSOConfigs = append(st.SSOConfigs, &SSOConfig{
		ID:             newUUID(),
		OrganizationID: &w.ID,
		SSO:            ssoForm,
		Scope:          scopeOrganization,
		Configs:        map[string]any{},
		Enabled:        true,
		CreatedAt:      now,
		UpdatedAt:      now,
	})
	return w
}

// AddGroup adds a group of type groupType ("default" or "custom") to a
// workspace and returns it.
func (st *State) AddGroup(workspaceID, name, groupType string) *Group {
	g := &Group{ID: newUUID(), OrganizationID: workspaceID, Name: name, Type: groupType}
	st.Groups = append(st.Groups, g)
	return g
}

// DeleteWorkspace removes a workspace with its groups, its SSO rows, the
// group-sync rows of those SSO rows, the instance group-sync rows that target
// it, and every membership in it.
func (st *State) DeleteWorkspace(id string) {
	st.Workspaces = slices.DeleteFunc(st.Workspaces, func(w *Workspace) bool {
		return w.ID == id
	})
	st.Groups = slices.DeleteFunc(st.Groups, func(g *Group) bool {
		return g.OrganizationID == id
	})
	removed := map[string]bool{}
	st.SSOConfigs = slices.DeleteFunc(st.SSOConfigs, func(c *SSOConfig) bool {
		inWorkspace := c.OrganizationID != nil && *c.OrganizationID == id
		if inWorkspace {
			removed[c.ID] = true
		}
		return inWorkspace
	})
	st.GroupSyncs = slices.DeleteFunc(st.GroupSyncs, func(g *GroupSync) bool {
		return removed[g.SSOConfigID] || (g.OrganizationID != nil && *g.OrganizationID == id)
	})
	for _, u := range st.Users {
		delete(u.Memberships, id)
		if u.DefaultWorkspaceID == id {
			u.DefaultWorkspaceID = ""
		}
	}
}

// deleteSSOConfig removes an SSO row and its group-sync rows, as the foreign
// key's ON DELETE CASCADE does.
func (st *State) deleteSSOConfig(id string) {
	st.SSOConfigs = slices.DeleteFunc(st.SSOConfigs, func(c *SSOConfig) bool {
		return c.ID == id
	})
	st.GroupSyncs = slices.DeleteFunc(st.GroupSyncs, func(g *GroupSync) bool {
		return g.SSOConfigID == id
	})
}

// DecryptedConfigs returns a copy of c.Configs with secret values decrypted.
func (st *State) DecryptedConfigs(c *SSOConfig) map[string]any {
	if c.Configs == nil {
		return nil
	}
	out := make(map[string]any, len(c.Configs))
	for k, v := range c.Configs {
		if s, ok := v.(string); ok && isSecretKey(k) {
			out[k] = decryptSecret(s)
			continue
		}
		out[k] = deepCopyValue(v)
	}
	return out
}

// clone returns a deep copy of st, so that a failed change can be dropped.
func (st *State) clone() *State {
	out := &State{}
	for _, w := range st.Workspaces {
		c := *w
		out.Workspaces = append(out.Workspaces, &c)
	}
	for _, u := range st.Users {
		c := *u
		c.Memberships = cloneStringMap(u.Memberships)
		out.Users = append(out.Users, &c)
	}
	for _, s := range st.SSOConfigs {
		c := *s
		c.OrganizationID = cloneStringPointer(s.OrganizationID)
		if s.Configs != nil {
			c.Configs, _ = deepCopyValue(s.Configs).(map[string]any)
		}
		out.SSOConfigs = append(out.SSOConfigs, &c)
	}
	for _, g := range st.GroupSyncs {
		c := *g
		c.OrganizationID = cloneStringPointer(g.OrganizationID)
		c.GroupMapping = cloneStringMap(g.GroupMapping)
		if g.EnableGroupSync != nil {
			v := *g.EnableGroupSync
			c.EnableGroupSync = &v
		}
		out.GroupSyncs = append(out.GroupSyncs, &c)
	}
	for _, g := range st.Groups {
		c := *g
		out.Groups = append(out.Groups, &c)
	}
	return out
}

// validate checks the invariants that handlers rely on, for a state loaded
// from a file.
func (st *State) validate() error {
	ids := map[string]bool{}
	slugs := map[string]bool{}
	for _, w := range st.Workspaces {
		if w == nil || w.ID == "" || w.Slug == "" {
			return fmt.Errorf("invalid workspace: id and slug are required")
		}
		if ids[w.ID] || slugs[w.Slug] {
			return fmt.Errorf("duplicate workspace id %q or slug %q", w.ID, w.Slug)
		}
		ids[w.ID] = true
		slugs[w.Slug] = true
	}
	emails := map[string]bool{}
	for _, u := range st.Users {
		if u == nil || u.ID == "" || u.Email == "" {
			return fmt.Errorf("invalid user: id and email are required")
		}
		key := strings.ToLower(u.Email)
		if emails[key] {
			return fmt.Errorf("duplicate user email %q", u.Email)
		}
		emails[key] = true
	}
	for _, c := range st.SSOConfigs {
		if c == nil || c.ID == "" || !slices.Contains(ssoTypes, c.SSO) {
			return fmt.Errorf("invalid SSO config: id and a valid sso type are required")
		}
	}
	for _, g := range st.GroupSyncs {
		if g == nil || g.ID == "" || g.SSOConfigID == "" {
			return fmt.Errorf("invalid group sync: id and ssoConfigId are required")
		}
	}
	for _, g := range st.Groups {
		if g == nil || g.ID == "" || g.OrganizationID == "" {
			return fmt.Errorf("invalid group: id and organizationId are required")
		}
	}
	return nil
}

func cloneStringMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

func cloneStringPointer(p *string) *string {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// deepCopyValue copies a decoded JSON value (maps, slices and scalars).
func deepCopyValue(v any) any {
	switch t := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(t))
		for k, e := range t {
			out[k] = deepCopyValue(e)
		}
		return out
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = deepCopyValue(e)
		}
		return out
	case map[string]string:
		return cloneStringMap(t)
	default:
		return v
	}
}

// newUUID returns a random (version 4) UUID.
func newUUID() string {
	var b [16]byte
	// crypto/rand.Read never returns an error since Go 1.24.
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// marshalState encodes st for the state file.
func marshalState(st *State) ([]byte, error) {
	return json.MarshalIndent(stateFile{Version: stateFileVersion, State: st}, "", "  ")
}
