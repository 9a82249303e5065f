package emulator

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// defaultPageSize is the page size of GET /api/organizations without
// perPageCount.
// NOTE: ToolJet's default page size for this route is not in its public
// code; 10 is an assumption, so clients should always send perPageCount.
const defaultPageSize = 10

// handleListOrganizations serves GET /api/organizations: all workspaces for a
// super admin, the user's memberships for others, filtered by status and by
// a case-insensitive substring of the name, one page at a time.
func (s *Server) handleListOrganizations(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.authorize(w, r, accessMember)
	if !ok {
		return
	}
	query := r.URL.Query()
	page, problems := positiveQueryInt(query.Get("currentPage"), "currentPage", 1)
	size, sizeProblems := positiveQueryInt(query.Get("perPageCount"), "perPageCount",
		defaultPageSize)
	if problems = append(problems, sizeProblems...); len(problems) > 0 {
		writeError(w, r, http.StatusBadRequest, problems)
		return
	}

	status := query.Get("status")
	name := strings.ToLower(query.Get("name"))
	var matches []*Workspace
	for _, ws := range s.state.Workspaces {
		if _, member := c.user.Memberships[ws.ID]; !member && !c.user.SuperAdmin {
			continue
		}
		if !c.user.SuperAdmin && ws.Status != statusActive {
			continue
		}
		if status != "" && ws.Status != status {
			continue
		}
		if name != "" && !strings.Contains(strings.ToLower(ws.Name), name) {
			continue
		}
		matches = append(matches, ws)
	}
	slices.SortStableFunc(matches, func(a, b *Workspace) int {
		return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
	})

	organizations := []any{}
	start := (page - 1) * size
	for i := start; i < len(matches) && i < start+size; i++ {
		organizations = append(organizations, workspaceJSON(matches[i]))
	}
	writeJSON(w, r, http.StatusOK, jsonObject{
		{"organizations", organizations},
		{"totalCount", len(matches)},
	}, decamelizeKeys)
}

// positiveQueryInt parses an optional query parameter that must be a
// positive integer.
func positiveQueryInt(value, name string, fallback int) (int, []string) {
	if value == "" {
		return fallback, nil
	}
	n, err := strconv.Atoi(value)
	if err != nil || n < 1 {
		return 0, []string{name + " must be a positive integer"}
	}
	return n, nil
}

func workspaceJSON(ws *Workspace) jsonObject {
	return jsonObject{
		{"id", ws.ID},
		{"name", ws.Name},
		{"slug", ws.Slug},
		{"status", ws.Status},
		{"isDefault", ws.IsDefault},
		{"domain", nullableString(ws.Domain)},
		{"enableSignUp", ws.EnableSignUp},
		{"inheritSso", ws.InheritSSO},
		{"automaticSsoLogin", ws.AutomaticSSOLogin},
	}
}

func nullableString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// handleListGroups serves GET /api/v2/group-permissions for the workspace in
// the tj-workspace-id header. ToolJet does not decamelize this response.
func (s *Server) handleListGroups(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.authorize(w, r, accessAdmin)
	if !ok {
		return
	}
	customGroupsLicensed := exchangeOf(r).opts.licensed(customGroupsFeature)
	groups := []any{}
	for _, g := range s.state.GroupsOf(c.workspace.ID) {
		groups = append(groups, groupJSON(g, customGroupsLicensed))
	}
	writeJSON(w, r, http.StatusOK, jsonObject{
		{"groupPermissions", groups},
		{"length", len(groups)},
	}, keepKeys)
}

// groupJSON is a GroupPermissions entity. Role groups get their role's
// permissions; custom groups start without any, and are marked disabled
// when custom groups are not licensed.
func groupJSON(g *Group, customGroupsLicensed bool) jsonObject {
	builder := g.Type == groupTypeDefault && (g.Name == roleAdmin || g.Name == roleBuilder)
	admin := g.Type == groupTypeDefault && g.Name == roleAdmin
	object := jsonObject{
		{"id", g.ID},
		{"organizationId", g.OrganizationID},
		{"name", g.Name},
		{"type", g.Type},
		{"appCreate", builder},
		{"appDelete", builder},
		{"folderCRUD", builder},
		{"orgConstantCRUD", admin},
		{"dataSourceCreate", builder},
		{"dataSourceDelete", builder},
		{"workflowCreate", builder},
		{"workflowDelete", builder},
		{"appPromote", admin},
		{"appRelease", admin},
	}
	if g.Type == groupTypeCustom && !customGroupsLicensed {
		object = append(object, jsonField{"disabled", true})
	}
	return object
}

// handleLicenseAccess serves GET /api/license/access: the licensed features.
func (s *Server) handleLicenseAccess(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.authorize(w, r, accessMember); !ok {
		return
	}
	opts := exchangeOf(r).opts
	writeJSON(w, r, http.StatusOK, jsonObject{
		{"oidc", opts.licensed(oidcFeature)},
		{"customGroups", opts.licensed(customGroupsFeature)},
	}, keepKeys)
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, r, http.StatusOK, jsonObject{{"status", "ok"}}, keepKeys)
}
