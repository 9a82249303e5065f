package client

import (
	"encoding/json"
	"fmt"
	"strings"
)

// Workspace is a ToolJet organization, which ToolJet's UI calls a workspace.
type Workspace struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Slug      string `json:"slug"`
	Status    string `json:"status"`
	IsDefault bool   `json:"is_default"`
}

// Group is a ToolJet group permission: a role group (type "default") or a
// custom group (type "custom"). ToolJet returns these fields in camelCase.
type Group struct {
	ID             string `json:"id"`
	OrganizationID string `json:"organizationId"`
	Name           string `json:"name"`
	Type           string `json:"type"`
	// Disabled is true for custom groups when the license lacks custom groups.
	Disabled bool `json:"disabled"`
}

// Group types.
const (
	GroupTypeRole   = "default"
	GroupTypeCustom = "custom"
)

// SSO types and scopes.
const (
	SSOTypeOpenID = "openid"

	ScopeInstance     = "instance"
	ScopeOrganization = "organization"
)

// SSOConfig is one row of ToolJet's sso_configs table as its read endpoints
// return it: keys in snake_case, including the keys inside Configs, and the
// keys of every group mapping rewritten (see mapping.ToolJetReadKey).
type SSOConfig struct {
	ID             string         `json:"id"`
	OrganizationID string         `json:"organization_id"`
	SSO            string         `json:"sso"`
	ConfigScope    string         `json:"config_scope"`
	Enabled        bool           `json:"enabled"`
	UseEnvConfig   bool           `json:"use_env_config"`
	Configs        map[string]any `json:"configs"`
	GroupSyncs     []GroupSync    `json:"oidc_group_syncs"`
	// missing lists the nested objects that the response left out or sent
	// as null.
	missing []string
}

// markMissing records which nested objects the response left out, and
// replaces them with empty ones.
func (c *SSOConfig) markMissing() {
	if c.Configs == nil {
		c.missing = append(c.missing, "configs")
		c.Configs = map[string]any{}
	}
	if c.GroupSyncs == nil {
		c.missing = append(c.missing, "oidc_group_syncs")
	}
	for i, sync := range c.GroupSyncs {
		// ToolJet stores a row saved without a mapping with a null one,
		// which is an empty mapping.
		if sync.GroupMapping == nil {
			c.GroupSyncs[i].GroupMapping = Mapping{}
		}
	}
}

// checkComplete returns an error when the response left out a nested object
// of an OIDC configuration. Without its configs the provider could wipe the
// stored ones, and without its group sync rows it could delete rows that it
// does not see, so such a response is not used.
//
// NOTE: ToolJet's public code always loads the group sync rows with the
// OIDC configuration. If an Enterprise version leaves them out when there are
// none, every read fails with this error; the emulator's Omit fault shows it.
func (c *SSOConfig) checkComplete(route string) error {
	if len(c.missing) == 0 {
		return nil
	}
	return fmt.Errorf("ToolJet's response to %s has no %s for the OIDC configuration %s, or "+
		"sends null. Without it the provider cannot tell what ToolJet stores, so it neither "+
		"reads nor writes the configuration. Try again; if the response stays incomplete, "+
		"check ToolJet's server logs", route, strings.Join(c.missing, " and "), c.ID)
}

// GroupSync is one row of ToolJet's sso_config_oidc_group_sync table. For an
// instance-level OIDC configuration there is one row per workspace that takes
// part in group sync; OrganizationID is that workspace.
type GroupSync struct {
	ID              string  `json:"id"`
	SSOConfigID     string  `json:"sso_config_id"`
	OrganizationID  string  `json:"organization_id"`
	ClaimName       string  `json:"claim_name"`
	GroupMapping    Mapping `json:"group_mapping"`
	EnableGroupSync *bool   `json:"enable_group_sync"`
}

// Mapping is a group mapping from IdP group name to ToolJet group name.
type Mapping map[string]string

// UnmarshalJSON accepts a JSON object of strings or null, and rejects other
// value types with an error that names the key.
func (m *Mapping) UnmarshalJSON(data []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return fmt.Errorf("group mapping is not a JSON object: %w", err)
	}
	if raw == nil {
		*m = nil
		return nil
	}
	out := make(Mapping, len(raw))
	for key, value := range raw {
		var target string
		if err := json.Unmarshal(value, &target); err != nil {
			return fmt.Errorf("group mapping entry %q has a value that is not a string: %s",
				key, truncate(string(value), 40))
		}
		out[key] = target
	}
	*m = out
	return nil
}

// ConfigString returns a string value of Configs, or "" when the key is
// absent, null or not a string.
func (c *SSOConfig) ConfigString(key string) string {
	if c == nil {
		return ""
	}
	s, _ := c.Configs[key].(string)
	return s
}

// ConfigBool returns a boolean value of Configs, or false when the key is
// absent, null or not a boolean.
func (c *SSOConfig) ConfigBool(key string) bool {
	if c == nil {
		return false
	}
	b, _ := c.Configs[key].(bool)
	return b
}

// SSOUpdate is the body of PATCH /api/login-configs/instance-sso and
// PATCH /api/login-configs/organization-sso. ToolJet takes camelCase keys.
// A nil Configs leaves the stored configs unchanged, but a non-nil Configs
// replaces the whole stored object, secrets included. A nil Enabled leaves
// the stored flag unchanged.
type SSOUpdate struct {
	Type       string          `json:"type"`
	ConfigID   string          `json:"configId,omitempty"`
	Enabled    *bool           `json:"enabled,omitempty"`
	Configs    map[string]any  `json:"configs,omitempty"`
	GroupSyncs []GroupSyncItem `json:"oidcGroupSyncs,omitempty"`
}

// GroupSyncItem is one element of SSOUpdate.GroupSyncs. ToolJet merges the
// fields of an item into the stored row of the same workspace (fields left
// out keep their stored values) and deletes every row whose workspace no
// item names, when the list is not empty.
type GroupSyncItem struct {
	OrganizationID  string             `json:"organizationId,omitempty"`
	ClaimName       *string            `json:"claimName,omitempty"`
	GroupMapping    *map[string]string `json:"groupMapping,omitempty"`
	EnableGroupSync *bool              `json:"enableGroupSync,omitempty"`
}

// WorkspaceSSO is the response of GET /api/login-configs/organization.
type WorkspaceSSO struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Slug       string      `json:"slug"`
	InheritSSO bool        `json:"inherit_sso"`
	SSOConfigs []SSOConfig `json:"sso_configs"`
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
