package emulator

import (
	"errors"
	"net/http"
	"slices"
)

// msgEnabledWorkspaceRequired is the 400 message of the RequireEnabledWorkspace
// option.
const msgEnabledWorkspaceRequired = "At least one workspace must be enabled for group sync"

// requestError is a change rejected with a status and message. commit
// callbacks return it so that the change is dropped.
type requestError struct {
	status  int
	message any
}

func (e *requestError) Error() string {
	if s, ok := e.message.(string); ok {
		return s
	}
	return http.StatusText(e.status)
}

// writeCommitError sends a requestError as it is, and any other commit error
// (a failed state file save) as 500.
func writeCommitError(w http.ResponseWriter, r *http.Request, err error) {
	var rejected *requestError
	if errors.As(err, &rejected) {
		writeError(w, r, rejected.status, rejected.message)
		return
	}
	writeError(w, r, http.StatusInternalServerError, "Failed to save state: "+err.Error())
}

// handleGetInstanceSSO serves GET /api/login-configs/instance-sso. The
// Enterprise Edition returns the instance rows in the InstanceSSOShape
// option's shape; the Community Edition returns environment-only settings.
//
// NOTE: ToolJet's Enterprise permission for this route is not public. The
// emulator allows only super admins because the response contains secrets;
// the Community Edition allows every user, as its public code does.
func (s *Server) handleGetInstanceSSO(w http.ResponseWriter, r *http.Request) {
	opts := exchangeOf(r).opts
	need := accessSuperAdmin
	if opts.Edition == EditionCommunity {
		need = accessMember
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.authorize(w, r, need); !ok {
		return
	}
	if opts.Edition == EditionCommunity {
		writeJSON(w, r, http.StatusOK, environmentInstanceConfigs(), decamelizeKeys)
		return
	}

	rows := s.state.InstanceConfigs()
	rowJSON := func(row *SSOConfig) jsonObject {
		out := s.state.ssoConfigJSON(row, opts.SecretRead)
		if row.SSO == ssoOpenID && !opts.licensed(oidcFeature) {
			out = unlicensedView(out)
		}
		return out
	}
	if opts.InstanceSSOShape == ShapeMap {
		byType := jsonObject{}
		for _, row := range rows {
			byType = append(byType, jsonField{row.SSO, rowJSON(row)})
		}
		writeJSON(w, r, http.StatusOK, byType, decamelizeKeys)
		return
	}
	list := []any{}
	for _, row := range rows {
		list = append(list, rowJSON(row))
	}
	writeJSON(w, r, http.StatusOK, list, decamelizeKeys)
}

// handlePatchInstanceSSO serves PATCH /api/login-configs/instance-sso: an
// upsert of the single instance row of the body's type, with the same
// configs, enabled, secret and group-sync rules as the workspace route. Its
// group-sync items name their target workspace in organizationId.
//
// NOTE: ToolJet's Enterprise reply body is not public. The emulator replies
// 200 {"id": "<row id>"} like the workspace route.
func (s *Server) handlePatchInstanceSSO(w http.ResponseWriter, r *http.Request) {
	body, ok := readBodyOrFail(w, r)
	if !ok {
		return
	}
	opts := exchangeOf(r).opts
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.authorize(w, r, accessSuperAdmin); !ok {
		return
	}
	if opts.Edition == EditionCommunity {
		writeError(w, r, http.StatusNotFound, msgNotFound)
		return
	}
	ssoType, ok := validSSOType(body)
	if !ok {
		writeError(w, r, http.StatusBadRequest, msgInvalidSSOType)
		return
	}
	if ssoType == ssoOpenID && !requireLicense(w, r, oidcFeature) {
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

	var savedID string
	err := s.commit(r, func(st *State) error {
		row := st.instanceConfig(ssoType)
		if row == nil {
			row = st.addSSOConfig(nil, ssoType, s.now())
		}
		patch.applyTo(row, s.now())
		if patch.hasGroupSyncs {
			st.applyGroupSyncs(row.ID, patch.groupSyncs)
		}
		if opts.RequireEnabledWorkspace && !st.hasEnabledWorkspace(row) {
			return &requestError{http.StatusBadRequest, msgEnabledWorkspaceRequired}
		}
		savedID = row.ID
		return nil
	})
	if err != nil {
		writeCommitError(w, r, err)
		return
	}
	writeJSON(w, r, http.StatusOK, jsonObject{{"id", savedID}}, decamelizeKeys)
}

// hasEnabledWorkspace reports whether the documented rule "at least one
// workspace must stay enabled for group sync" holds for an instance row: its
// configs.enableGroupSync is not true, or a group-sync row is enabled.
// NOTE: whether ToolJet's server enforces this rule is not known, so the
// emulator checks it only with Options.RequireEnabledWorkspace.
func (st *State) hasEnabledWorkspace(row *SSOConfig) bool {
	if enabled, _ := row.Configs["enableGroupSync"].(bool); !enabled {
		return true
	}
	return slices.ContainsFunc(st.GroupSyncsFor(row.ID), func(g *GroupSync) bool {
		return g.EnableGroupSync != nil && *g.EnableGroupSync
	})
}

// unlicensedView shows an openid row the way ToolJet treats it after the
// license loses OIDC: switched off, with group sync off.
//
// NOTE: ToolJet's documentation says that a license without OIDC disables
// SSO and group sync; whether it rewrites the stored flags or only reports
// them off is not public. The emulator reports them off and keeps the
// stored values, so that a renewed license brings them back.
func unlicensedView(row jsonObject) jsonObject {
	out := make(jsonObject, 0, len(row))
	for _, field := range row {
		switch field.Key {
		case "enabled":
			field.Value = false
		case "configs":
			if configs, ok := field.Value.(map[string]any); ok {
				copied := make(map[string]any, len(configs))
				for key, value := range configs {
					copied[key] = value
				}
				copied["enableGroupSync"] = false
				field.Value = copied
			}
		}
		out = append(out, field)
	}
	return out
}
