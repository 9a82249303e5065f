package emulator

import (
	"net/http"
	"slices"
	"time"
)

// timeLayout is JavaScript's Date.prototype.toJSON format.
const timeLayout = "2006-01-02T15:04:05.000Z"

// readConfigs returns a row's configs as a read endpoint sends them, with
// secrets decrypted, masked, omitted or replaced by a placeholder according
// to mode.
func (st *State) readConfigs(c *SSOConfig, mode SecretReadMode) map[string]any {
	configs := st.DecryptedConfigs(c)
	for key := range configs {
		if !isSecretKey(key) {
			continue
		}
		switch mode {
		case SecretsMasked:
			configs[key] = ""
		case SecretsOmitted:
			delete(configs, key)
		case SecretsPlaceholder:
			if stored, ok := configs[key].(string); ok && stored != "" {
				configs[key] = SecretPlaceholder
			}
		}
	}
	return configs
}

// ssoConfigJSON is an SSO row with its group-sync rows, in camelCase before
// decamelizing.
func (st *State) ssoConfigJSON(c *SSOConfig, mode SecretReadMode) jsonObject {
	return jsonObject{
		{"id", c.ID},
		{"organizationId", stringOrNull(c.OrganizationID)},
		{"sso", c.SSO},
		{"configScope", c.Scope},
		{"enabled", c.Enabled},
		{"useEnvConfig", c.UseEnvConfig},
		{"configs", nilMapAsNull(st.readConfigs(c, mode))},
		{"oidcGroupSyncs", st.groupSyncsJSON(c.ID)},
		{"createdAt", c.CreatedAt.UTC().Format(timeLayout)},
		{"updatedAt", c.UpdatedAt.UTC().Format(timeLayout)},
	}
}

func (st *State) groupSyncsJSON(configID string) []any {
	rows := []any{}
	for _, g := range st.GroupSyncsFor(configID) {
		var enabled any
		if g.EnableGroupSync != nil {
			enabled = *g.EnableGroupSync
		}
		var groupMapping any
		if g.GroupMapping != nil {
			groupMapping = g.GroupMapping
		}
		rows = append(rows, jsonObject{
			{"id", g.ID},
			{"ssoConfigId", g.SSOConfigID},
			{"organizationId", stringOrNull(g.OrganizationID)},
			{"claimName", g.ClaimName},
			{"groupMapping", groupMapping},
			{"enableGroupSync", enabled},
		})
	}
	return rows
}

func stringOrNull(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func nilMapAsNull(m map[string]any) any {
	if m == nil {
		return nil
	}
	return m
}

// handleGetOrganizationConfigs serves GET /api/login-configs/organization:
// the workspace's login settings and SSO rows, and the environment-only
// instance settings.
func (s *Server) handleGetOrganizationConfigs(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.authorize(w, r, accessAdmin)
	if !ok {
		return
	}
	mode := exchangeOf(r).opts.SecretRead
	rows := []any{}
	for _, row := range s.state.WorkspaceConfigs(c.workspace.ID) {
		rows = append(rows, s.state.ssoConfigJSON(row, mode))
	}
	ws := c.workspace
	details := jsonObject{
		{"id", ws.ID},
		{"name", ws.Name},
		{"slug", ws.Slug},
		{"domain", nullableString(ws.Domain)},
		{"enableSignUp", ws.EnableSignUp},
		{"inheritSso", ws.InheritSSO},
		{"automaticSsoLogin", ws.AutomaticSSOLogin},
		{"ssoConfigs", rows},
	}
	writeJSON(w, r, http.StatusOK, jsonObject{
		{"organizationDetails", details},
		{"instanceConfigs", environmentInstanceConfigs()},
	}, decamelizeKeys)
}

// environmentInstanceConfigs is the instance SSO that the Community Edition
// derives from environment variables, none of which the emulator sets.
func environmentInstanceConfigs() jsonObject {
	return jsonObject{
		{"google", jsonObject{{"enabled", false}, {"configs", jsonObject{{"clientId", ""}}}}},
		{"git", jsonObject{{"enabled", false},
			{"configs", jsonObject{{"clientId", ""}, {"hostName", ""}}}}},
		{"form", jsonObject{{"enableSignUp", false}, {"enabled", true}}},
		{"enableSignUp", false},
	}
}

// validSSOType returns the body's type when it is one of ToolJet's SSO types.
func validSSOType(body map[string]any) (string, bool) {
	ssoType, ok := body["type"].(string)
	return ssoType, ok && slices.Contains(ssoTypes, ssoType)
}

// handlePatchOrganizationSSO serves PATCH /api/login-configs/organization-sso.
// An openid save updates the row named by configId when it is an openid row
// of this workspace and creates a new row otherwise, because a workspace may
// have several OIDC providers. Other types have one row per workspace.
func (s *Server) handlePatchOrganizationSSO(w http.ResponseWriter, r *http.Request) {
	body, ok := readBodyOrFail(w, r)
	if !ok {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.authorize(w, r, accessAdmin)
	if !ok {
		return
	}
	ssoType, ok := validSSOType(body)
	if !ok {
		writeError(w, r, http.StatusBadRequest, msgInvalidSSOType)
		return
	}
	// NOTE: ToolJet's public code has no license guard on this route. The
	// emulator assumes that the Enterprise Edition requires the OIDC license
	// for an openid save, as it does on the instance route.
	opts := exchangeOf(r).opts
	if ssoType == ssoOpenID && opts.Edition == EditionEnterprise &&
		!requireLicense(w, r, oidcFeature) {
		return
	}
	patch, problems := parseSSOPatch(body)
	problems = append(problems, s.state.unknownWorkspaces(patch.groupSyncs)...)
	if len(problems) > 0 {
		writeError(w, r, http.StatusBadRequest, problems)
		return
	}
	if ssoType == ssoOpenID && opts.DropUnknownConfigKeys {
		patch.configs = openIDConfigsOnly(patch.configs)
	}

	configID, _ := body["configId"].(string)
	var savedID string
	err := s.commit(r, func(st *State) error {
		row := st.workspaceRowToUpdate(c.workspace.ID, ssoType, configID)
		if row == nil {
			row = st.addSSOConfig(&c.workspace.ID, ssoType, s.now())
		}
		patch.applyTo(row, s.now())
		if patch.hasGroupSyncs {
			st.applyGroupSyncs(row.ID, patch.groupSyncs)
		}
		savedID = row.ID
		return nil
	})
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, "Failed to save state: "+err.Error())
		return
	}
	writeJSON(w, r, http.StatusOK, jsonObject{{"id", savedID}}, decamelizeKeys)
}

// workspaceRowToUpdate returns the workspace row that a save of ssoType
// updates, or nil when the save creates a row.
func (st *State) workspaceRowToUpdate(workspaceID, ssoType, configID string) *SSOConfig {
	for _, row := range st.WorkspaceConfigs(workspaceID) {
		if row.SSO != ssoType {
			continue
		}
		if ssoType != ssoOpenID || row.ID == configID {
			return row
		}
	}
	return nil
}

// addSSOConfig adds a row with configs {} and enabled false, the values a
// save that leaves them out gets. organizationID nil adds an instance row.
func (st *State) addSSOConfig(organizationID *string, ssoType string, now time.Time) *SSOConfig {
	scope := scopeInstance
	if organizationID != nil {
		scope = scopeOrganization
	}
	row := &SSOConfig{
		ID:             newUUID(),
		OrganizationID: cloneStringPointer(organizationID),
		SSO:            ssoType,
		Scope:          scope,
		Configs:        map[string]any{},
		CreatedAt:      now.UTC(),
	}
	st.SSOConfigs = append(st.SSOConfigs, row)
	return row
}

// openIDConfigKeys are the configs keys of ToolJet's OpenId type and those
// that ToolJet's UI and its environment-variable import send with it.
// NOTE: ToolJet stores configs as free-form JSON and no public ToolJet
// version is known to drop other keys; Options.DropUnknownConfigKeys
// emulates one that does.
var openIDConfigKeys = []string{
	"name", "clientId", "clientSecret", "wellKnownUrl", "grantType", "codeVerifier",
	"claimName", "groupMapping", "enableGroupSync", "enableShortSession", "isAutoEnabled",
	"envConfigIndex",
}

// openIDConfigsOnly returns configs without the keys that openIDConfigKeys
// does not list, or nil for nil configs.
func openIDConfigsOnly(configs map[string]any) map[string]any {
	if configs == nil {
		return nil
	}
	out := make(map[string]any, len(configs))
	for key, value := range configs {
		if slices.Contains(openIDConfigKeys, key) {
			out[key] = value
		}
	}
	return out
}

// applyTo replaces the row's configs when they were sent, encrypting
// secrets, and sets enabled when it was sent. ToolJet does not merge
// configs, so a save without a secret wipes the stored one.
func (p ssoPatch) applyTo(row *SSOConfig, now time.Time) {
	if p.hasConfigs {
		row.Configs = encryptConfigs(p.configs)
	}
	if p.hasEnabled {
		row.Enabled = p.enabled
	}
	row.UpdatedAt = now.UTC()
}

// handleDeleteOrganizationSSO serves DELETE
// /api/login-configs/organization-sso/{configId}: it deletes an SSO row of
// the workspace and its group-sync rows, and replies 200 with an empty body.
// NOTE: ToolJet's delete service is public but its route is not. The path,
// the empty 200 reply and the admin requirement are assumptions.
func (s *Server) handleDeleteOrganizationSSO(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.authorize(w, r, accessAdmin)
	if !ok {
		return
	}
	configID := r.PathValue("configId")
	row := s.state.SSOConfigByID(configID)
	if row == nil || row.OrganizationID == nil || *row.OrganizationID != c.workspace.ID {
		writeError(w, r, http.StatusNotFound, msgSSONotFound)
		return
	}
	err := s.commit(r, func(st *State) error {
		st.deleteSSOConfig(configID)
		return nil
	})
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, "Failed to save state: "+err.Error())
		return
	}
	writeEmpty(w)
}
