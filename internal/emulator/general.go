package emulator

import (
	"net/http"
	"strings"
	"unicode/utf8"
)

// maxDomainLength is the @MaxLength of OrganizationConfigsUpdateDto.domain.
const maxDomainLength = 250

// msgAutomaticSSOLogin is the plain Error that ToolJet throws, so it is sent
// with status 500.
const msgAutomaticSSOLogin = "Automatic SSO login can only be enabled if password login " +
	"is disabled and there is one SSO enabled"

// generalSettings is the validated OrganizationConfigsUpdateDto. Nil fields
// were missing or null and are left unchanged.
type generalSettings struct {
	domain            *string
	enableSignUp      *bool
	automaticSSOLogin *bool
	inheritSSO        *bool
}

// parseGeneralSettings applies the DTO rules and returns class-validator's
// messages on failure. The DTO whitelist drops unknown keys.
func parseGeneralSettings(body map[string]any) (generalSettings, []string) {
	var settings generalSettings
	var problems []string
	if v, ok := body["domain"]; ok && v != nil {
		domain, isString := v.(string)
		switch {
		case !isString:
			problems = append(problems, "domain must be a string")
		case utf8.RuneCountInString(domain) > maxDomainLength:
			problems = append(problems, "Domain cannot be longer than 250 characters")
		default:
			domain = strings.TrimSpace(domain)
			settings.domain = &domain
		}
	}
	readBool := func(key string) *bool {
		v, ok := body[key]
		if !ok || v == nil {
			return nil
		}
		b, isBool := v.(bool)
		if !isBool {
			problems = append(problems, key+" must be a boolean value")
			return nil
		}
		return &b
	}
	settings.enableSignUp = readBool("enableSignUp")
	settings.automaticSSOLogin = readBool("automaticSsoLogin")
	settings.inheritSSO = readBool("inheritSSO")
	// The newer password domain lists are validated but not stored, because
	// no emulated route reads them back.
	for _, key := range []string{"passwordAllowedDomains", "passwordRestrictedDomains"} {
		if v, ok := body[key]; ok && v != nil {
			if _, isString := v.(string); !isString {
				problems = append(problems, key+" must be a string")
			}
		}
	}
	return settings, problems
}

// handlePatchOrganizationGeneral serves PATCH
// /api/login-configs/organization-general: the workspace's login settings.
func (s *Server) handlePatchOrganizationGeneral(w http.ResponseWriter, r *http.Request) {
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

	settings, problems := parseGeneralSettings(body)
	if len(problems) > 0 {
		writeError(w, r, http.StatusBadRequest, problems)
		return
	}
	if settings.automaticSSOLogin != nil && *settings.automaticSSOLogin &&
		!s.state.allowsAutomaticSSOLogin(c.workspace.ID) {
		writeError(w, r, http.StatusInternalServerError, msgAutomaticSSOLogin)
		return
	}

	err := s.commit(r, func(st *State) error {
		ws := st.WorkspaceByID(c.workspace.ID)
		if settings.domain != nil {
			ws.Domain = *settings.domain
		}
		if settings.enableSignUp != nil {
			ws.EnableSignUp = *settings.enableSignUp
		}
		if settings.automaticSSOLogin != nil {
			ws.AutomaticSSOLogin = *settings.automaticSSOLogin
		}
		if settings.inheritSSO != nil {
			ws.InheritSSO = *settings.inheritSSO
		}
		return nil
	})
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, "Failed to save state: "+err.Error())
		return
	}
	writeEmpty(w)
}

// allowsAutomaticSSOLogin reports ToolJet's rule for automatic SSO login:
// password (form) login is disabled and exactly one other SSO row is
// enabled, counting each OIDC provider.
func (st *State) allowsAutomaticSSOLogin(workspaceID string) bool {
	enabled := 0
	for _, row := range st.WorkspaceConfigs(workspaceID) {
		if !row.Enabled {
			continue
		}
		if row.SSO == ssoForm {
			return false
		}
		enabled++
	}
	return enabled == 1
}

// handlePatchInheritSSO serves PATCH
// /api/login-configs/organization-general/inherit-sso: the workspace's
// "Instance SSO" toggle, which shows instance SSO on its login page.
func (s *Server) handlePatchInheritSSO(w http.ResponseWriter, r *http.Request) {
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
	inherit, isBool := body["inheritSSO"].(bool)
	if !isBool {
		writeError(w, r, http.StatusBadRequest, []string{"inheritSSO must be a boolean value"})
		return
	}
	err := s.commit(r, func(st *State) error {
		st.WorkspaceByID(c.workspace.ID).InheritSSO = inherit
		return nil
	})
	if err != nil {
		writeError(w, r, http.StatusInternalServerError, "Failed to save state: "+err.Error())
		return
	}
	writeEmpty(w)
}
