package emulator

import "net/http"

// publicEntryJSON is an SSO row as the public login page receives it,
// without any configs key whose name contains "secret".
func (st *State) publicEntryJSON(c *SSOConfig) jsonObject {
	configs := st.readConfigs(c, SecretsOmitted)
	return jsonObject{
		{"configId", c.ID},
		{"sso", c.SSO},
		{"enabled", c.Enabled},
		{"configs", nilMapAsNull(configs)},
		{"configScope", c.Scope},
		{"oidcGroupSyncs", st.groupSyncsJSON(c.ID)},
	}
}

// handleGetWorkspacePublic serves GET
// /api/login-configs/{organizationIdOrSlug}/public without authentication.
// The workspace is looked up by slug, then by id. Disabled rows are left
// out. Workspace OIDC providers are an array. When the workspace inherits
// instance SSO, each enabled instance row fills a type that the workspace
// lacks, so an inherited OIDC provider is a single object.
func (s *Server) handleGetWorkspacePublic(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("organizationIdOrSlug")
	s.mu.Lock()
	defer s.mu.Unlock()
	ws := s.state.WorkspaceBySlug(key)
	if ws == nil {
		ws = s.state.WorkspaceByID(key)
	}
	if ws == nil {
		writeError(w, r, http.StatusNotFound, msgOrgNotFound)
		return
	}
	if ws.Status == statusArchived {
		writeError(w, r, http.StatusBadRequest, msgOrgArchived)
		return
	}

	configs := jsonObject{
		{"name", ws.Name},
		{"id", ws.ID},
		{"enableSignUp", ws.EnableSignUp},
		{"automaticSsoLogin", ws.AutomaticSSOLogin},
	}
	present := map[string]bool{}
	openIDProviders := []any{}
	for _, row := range s.state.WorkspaceConfigs(ws.ID) {
		if !row.Enabled {
			continue
		}
		if row.SSO == ssoOpenID {
			openIDProviders = append(openIDProviders, s.state.publicEntryJSON(row))
		} else if !present[row.SSO] {
			configs = append(configs, jsonField{row.SSO, s.state.publicEntryJSON(row)})
		}
		present[row.SSO] = true
	}
	if len(openIDProviders) > 0 {
		configs = append(configs, jsonField{ssoOpenID, openIDProviders})
	}
	if ws.InheritSSO {
		for _, row := range s.state.InstanceConfigs() {
			if row.Enabled && !present[row.SSO] {
				configs = append(configs, jsonField{row.SSO, s.state.publicEntryJSON(row)})
				present[row.SSO] = true
			}
		}
	}
	writeJSON(w, r, http.StatusOK, jsonObject{{"ssoConfigs", configs}}, decamelizeKeys)
}

// handleGetInstancePublic serves GET /api/login-configs/public without
// authentication: the enabled instance rows keyed by type, for the login
// page at the instance root.
func (s *Server) handleGetInstancePublic(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	configs := jsonObject{{"enableSignUp", false}}
	for _, row := range s.state.InstanceConfigs() {
		if row.Enabled {
			configs = append(configs, jsonField{row.SSO, s.state.publicEntryJSON(row)})
		}
	}
	writeJSON(w, r, http.StatusOK, jsonObject{{"ssoConfigs", configs}}, decamelizeKeys)
}
