package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"
	"time"
)

// Seed is the initial content of a new emulator, and the format of the
// command's -seed file. Empty ids are filled with fresh UUIDv4 values.
type Seed struct {
	Workspaces []SeedWorkspace `json:"workspaces"`
	Users      []SeedUser      `json:"users"`
}

// SeedWorkspace is a workspace of a Seed. Each one gets the role groups
// admin, builder and end-user and an enabled form (password) login row.
type SeedWorkspace struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
	Slug string `json:"slug"`
	// Default marks the default workspace. When no workspace has it, the
	// first one is the default.
	Default      bool        `json:"default,omitempty"`
	CustomGroups []SeedGroup `json:"customGroups,omitempty"`
}

// SeedGroup is a custom group of a SeedWorkspace.
type SeedGroup struct {
	ID   string `json:"id,omitempty"`
	Name string `json:"name"`
}

// SeedUser is a user of a Seed.
type SeedUser struct {
	ID         string `json:"id,omitempty"`
	Email      string `json:"email"`
	Password   string `json:"password"`
	SuperAdmin bool   `json:"superAdmin,omitempty"`
	// Memberships maps a workspace slug to the role "admin", "builder" or
	// "end-user".
	Memberships map[string]string `json:"memberships,omitempty"`
}

// DefaultSeed returns the default content. Its users, all with the password
// "password", are the super admin dev@tooljet.io of ToolJet's development
// seed, admin@example.com (admin of my-workspace only) and the end user
// user@example.com. Its workspaces are my-workspace (the default), marketing,
// sales and engineering, with the custom groups marketing, sales, developers
// and engineers.
func DefaultSeed() *Seed {
	return &Seed{
		Workspaces: []SeedWorkspace{
			{Name: "My workspace", Slug: "my-workspace", Default: true},
			{Name: "Marketing", Slug: "marketing",
				CustomGroups: []SeedGroup{{Name: "marketing"}}},
			{Name: "Sales", Slug: "sales",
				CustomGroups: []SeedGroup{{Name: "sales"}}},
			{Name: "Engineering", Slug: "engineering",
				CustomGroups: []SeedGroup{{Name: "developers"}, {Name: "engineers"}}},
		},
		Users: []SeedUser{
			{Email: "dev@tooljet.io", Password: "password", SuperAdmin: true,
				Memberships: map[string]string{"my-workspace": roleAdmin}},
			{Email: "admin@example.com", Password: "password",
				Memberships: map[string]string{"my-workspace": roleAdmin}},
			{Email: "user@example.com", Password: "password",
				Memberships: map[string]string{"my-workspace": roleEndUser}},
		},
	}
}

// LoadSeed reads a seed JSON file. Unknown fields are rejected so that a
// misspelt key does not pass silently.
func LoadSeed(path string) (*Seed, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read seed file: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var seed Seed
	if err := dec.Decode(&seed); err != nil {
		return nil, fmt.Errorf("parse seed file %s: %w", path, err)
	}
	if _, err := seed.build(); err != nil {
		return nil, fmt.Errorf("invalid seed file %s: %w", path, err)
	}
	return &seed, nil
}

// slugPattern is ToolJet's slug rule for organizations, without spaces.
var slugPattern = regexp.MustCompile(`^[a-z0-9-]+$`)

// maxNameLength is ToolJet's limit for workspace names, slugs and group names.
const maxNameLength = 50

// build returns the State that the seed describes, or an error naming the
// first invalid entry.
func (seed *Seed) build() (*State, error) {
	st := &State{}
	now := time.Now().UTC()
	bySlug := map[string]*Workspace{}
	ids := map[string]bool{}
	useID := func(id string) (string, error) {
		if id == "" {
			return newUUID(), nil
		}
		if ids[id] {
			return "", fmt.Errorf("duplicate id %q", id)
		}
		ids[id] = true
		return id, nil
	}

	hasDefault := slices.ContainsFunc(seed.Workspaces, func(w SeedWorkspace) bool {
		return w.Default
	})
	for i, sw := range seed.Workspaces {
		if err := validateSeedWorkspace(sw, bySlug); err != nil {
			return nil, err
		}
		id, err := useID(sw.ID)
		if err != nil {
			return nil, err
		}
		w := &Workspace{
			ID:        id,
			Name:      sw.Name,
			Slug:      sw.Slug,
			Status:    statusActive,
			IsDefault: sw.Default || (!hasDefault && i == 0),
		}
		if w.IsDefault && slices.ContainsFunc(st.Workspaces, func(o *Workspace) bool {
			return o.IsDefault
		}) {
			return nil, fmt.Errorf("workspace %q: only one workspace can be the default", sw.Slug)
		}
		bySlug[w.Slug] = w
		st.Workspaces = append(st.Workspaces, w)
		for _, role := range roleNames {
			st.AddGroup(w.ID, role, groupTypeDefault)
		}
		for _, g := range sw.CustomGroups {
			if err := validateSeedGroup(st, w, g); err != nil {
				return nil, err
			}
			group := st.AddGroup(w.ID, g.Name, groupTypeCustom)
			if group.ID, err = useID(g.ID); err != nil {
				return nil, err
			}
		}
		st.SSOConfigs = append(st.SSOConfigs, &SSOConfig{
			ID: newUUID(), OrganizationID: &w.ID, SSO: ssoForm, Scope: scopeOrganization,
			Configs: map[string]any{}, Enabled: true, CreatedAt: now, UpdatedAt: now,
		})
	}

	for _, su := range seed.Users {
		u, err := buildSeedUser(st, su, bySlug)
		if err != nil {
			return nil, err
		}
		if u.ID, err = useID(su.ID); err != nil {
			return nil, err
		}
		st.Users = append(st.Users, u)
	}
	return st, nil
}

func validateSeedWorkspace(sw SeedWorkspace, bySlug map[string]*Workspace) error {
	if strings.TrimSpace(sw.Name) == "" || len(sw.Name) > maxNameLength {
		return fmt.Errorf("workspace %q: the name must be 1 to %d characters", sw.Slug,
			maxNameLength)
	}
	if !slugPattern.MatchString(sw.Slug) || len(sw.Slug) > maxNameLength {
		return fmt.Errorf("workspace %q: invalid slug, use at most %d characters a-z, 0-9 and -",
			sw.Slug, maxNameLength)
	}
	if bySlug[sw.Slug] != nil {
		return fmt.Errorf("workspace %q: duplicate slug", sw.Slug)
	}
	for _, w := range bySlug {
		if w.Name == sw.Name {
			return fmt.Errorf("workspace %q: duplicate name %q", sw.Slug, sw.Name)
		}
	}
	return nil
}

func validateSeedGroup(st *State, w *Workspace, g SeedGroup) error {
	if strings.TrimSpace(g.Name) == "" || len(g.Name) > maxNameLength {
		return fmt.Errorf("workspace %q: group name %q must be 1 to %d characters",
			w.Slug, g.Name, maxNameLength)
	}
	if slices.Contains(roleNames, strings.ToLower(g.Name)) {
		return fmt.Errorf("workspace %q: group name %q is a reserved role name", w.Slug, g.Name)
	}
	for _, existing := range st.GroupsOf(w.ID) {
		if existing.Name == g.Name {
			return fmt.Errorf("workspace %q: duplicate group name %q", w.Slug, g.Name)
		}
	}
	return nil
}

func buildSeedUser(st *State, su SeedUser, bySlug map[string]*Workspace) (*User, error) {
	email := strings.ToLower(strings.TrimSpace(su.Email))
	if !isEmail(email) {
		return nil, fmt.Errorf("user %q: invalid email", su.Email)
	}
	if st.UserByEmail(email) != nil {
		return nil, fmt.Errorf("user %q: duplicate email", su.Email)
	}
	if su.Password == "" || len(su.Password) > maxPasswordLength {
		return nil, fmt.Errorf("user %q: the password must be 1 to %d characters", su.Email,
			maxPasswordLength)
	}
	u := &User{
		Email:       email,
		Password:    su.Password,
		SuperAdmin:  su.SuperAdmin,
		Memberships: map[string]string{},
	}
	slugs := make([]string, 0, len(su.Memberships))
	for slug := range su.Memberships {
		slugs = append(slugs, slug)
	}
	slices.Sort(slugs)
	for _, slug := range slugs {
		role := su.Memberships[slug]
		w := bySlug[slug]
		if w == nil {
			return nil, fmt.Errorf("user %q: membership in unknown workspace %q", su.Email, slug)
		}
		if !slices.Contains(roleNames, role) {
			return nil, fmt.Errorf("user %q: invalid role %q in workspace %q, use admin, "+
				"builder or end-user", su.Email, role, slug)
		}
		u.Memberships[w.ID] = role
		if u.DefaultWorkspaceID == "" || w.IsDefault {
			u.DefaultWorkspaceID = w.ID
		}
	}
	return u, nil
}
