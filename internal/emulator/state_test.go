package emulator

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

func TestStateFile_roundTrip(t *testing.T) {
	statePath := filepath.Join(t.TempDir(), "state.json")
	srv, baseURL := startServer(t, Options{StatePath: statePath})
	c := superAdmin(t, srv, baseURL)
	body := oidcBody("s3cret")
	body["oidcGroupSyncs"] = []any{groupSyncBody("", "groups",
		map[string]any{"Marketing Team": "marketing"})}
	id := savedID(t, c.mustDo("PATCH", orgSSOPath, body, http.StatusOK))

	data, err := os.ReadFile(statePath)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "s3cret") {
		t.Errorf("state file contains the plain secret")
	}
	if !strings.Contains(string(data), id) {
		t.Errorf("state file lacks the saved row %s", id)
	}

	reloaded, err := New(Options{StatePath: statePath})
	if err != nil {
		t.Fatalf("New from state file: %v", err)
	}
	var original, loaded []byte
	srv.View(func(st *State) { original, _ = marshalState(st) })
	reloaded.View(func(st *State) { loaded, _ = marshalState(st) })
	if string(original) != string(loaded) {
		t.Errorf("reloaded state differs:\n%s\nwant\n%s", loaded, original)
	}
	reloaded.View(func(st *State) {
		configs := st.DecryptedConfigs(st.SSOConfigByID(id))
		if configs["clientSecret"] != "s3cret" {
			t.Errorf("reloaded secret = %v, want s3cret", configs["clientSecret"])
		}
		if got := st.GroupSyncsFor(id)[0].GroupMapping["Marketing Team"]; got != "marketing" {
			t.Errorf("reloaded mapping value = %q, want marketing", got)
		}
	})
}

func TestStateFile_atomicWrites(t *testing.T) {
	dir := t.TempDir()
	statePath := filepath.Join(dir, "state.json")
	srv, err := New(Options{StatePath: statePath})
	if err != nil {
		t.Fatal(err)
	}

	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			data, err := os.ReadFile(statePath)
			if err != nil {
				t.Errorf("read state file: %v", err)
				return
			}
			var file stateFile
			if err := json.Unmarshal(data, &file); err != nil {
				t.Errorf("state file read mid-write is invalid: %v", err)
				return
			}
		}
	}()
	for i := 0; i < 40; i++ {
		err := srv.Update(func(st *State) error {
			st.Workspaces[0].Domain = strings.Repeat("x", i*200)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()

	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 {
		t.Errorf("directory has %d entries, want only the state file", len(entries))
	}
}

func TestUpdate_failureKeepsState(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "sub")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Options{StatePath: filepath.Join(dir, "state.json")})
	if err != nil {
		t.Fatal(err)
	}

	rejected := errors.New("rejected")
	err = srv.Update(func(st *State) error {
		st.Workspaces[0].Name = "Changed"
		return rejected
	})
	if !errors.Is(err, rejected) {
		t.Errorf("Update error = %v, want the callback's error", err)
	}
	srv.View(func(st *State) {
		if st.Workspaces[0].Name == "Changed" {
			t.Errorf("a failed Update changed the state")
		}
	})

	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	err = srv.Update(func(st *State) error {
		st.Workspaces[0].Name = "Unsaved"
		return nil
	})
	if err == nil {
		t.Fatalf("Update succeeded without a state directory, want a save error")
	}
	srv.View(func(st *State) {
		if st.Workspaces[0].Name == "Unsaved" {
			t.Errorf("an unsaved Update changed the state")
		}
	})
}

func TestStateFile_invalid(t *testing.T) {
	statePath := filepath.Join(t.TempDir(), "state.json")
	if err := os.WriteFile(statePath, []byte(`{"version":99,"state":{}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{StatePath: statePath}); err == nil ||
		!strings.Contains(err.Error(), "version 99") {
		t.Errorf("New error = %v, want a version error", err)
	}
}

func TestDefaultSeed(t *testing.T) {
	srv, err := New(Options{})
	if err != nil {
		t.Fatal(err)
	}
	srv.View(func(st *State) {
		wantWorkspaces := map[string]string{
			"my-workspace": "My workspace", "marketing": "Marketing",
			"sales": "Sales", "engineering": "Engineering",
		}
		if len(st.Workspaces) != len(wantWorkspaces) {
			t.Errorf("workspaces = %d, want %d", len(st.Workspaces), len(wantWorkspaces))
		}
		for slug, name := range wantWorkspaces {
			ws := st.WorkspaceBySlug(slug)
			if ws == nil || ws.Name != name {
				t.Errorf("workspace %s = %+v, want name %q", slug, ws, name)
				continue
			}
			if ws.IsDefault != (slug == "my-workspace") {
				t.Errorf("workspace %s IsDefault = %v", slug, ws.IsDefault)
			}
			if !st.passwordLoginEnabled(ws.ID) {
				t.Errorf("workspace %s has no enabled form row", slug)
			}
		}
		engineering := st.WorkspaceBySlug("engineering")
		var names []string
		for _, g := range st.GroupsOf(engineering.ID) {
			names = append(names, g.Name+":"+g.Type)
		}
		want := "admin:default,builder:default,end-user:default,developers:custom,engineers:custom"
		if got := strings.Join(names, ","); got != want {
			t.Errorf("engineering groups = %s, want %s", got, want)
		}

		admin := st.UserByEmail(workspaceAdminEmail)
		myWorkspace := st.WorkspaceBySlug("my-workspace").ID
		if admin.SuperAdmin || len(admin.Memberships) != 1 ||
			admin.Memberships[myWorkspace] != roleAdmin {
			t.Errorf("workspace admin = %+v, want admin of my-workspace only", admin)
		}
		if !st.UserByEmail(superAdminEmail).SuperAdmin {
			t.Errorf("dev@tooljet.io is not a super admin")
		}
		if st.UserByEmail(endUserEmail).Memberships[myWorkspace] != roleEndUser {
			t.Errorf("user@example.com is not an end user of my-workspace")
		}
	})
}

func TestSeed_freshIDsUnlessGiven(t *testing.T) {
	first, _ := DefaultSeed().build()
	second, _ := DefaultSeed().build()
	if first.Workspaces[0].ID == second.Workspaces[0].ID {
		t.Errorf("two emulators share workspace id %s", first.Workspaces[0].ID)
	}

	seed := &Seed{
		Workspaces: []SeedWorkspace{{ID: "ws-1", Name: "One", Slug: "one",
			CustomGroups: []SeedGroup{{ID: "group-1", Name: "ops"}}}},
		Users: []SeedUser{{ID: "user-1", Email: "a@example.com", Password: "pw",
			Memberships: map[string]string{"one": "builder"}}},
	}
	st, err := seed.build()
	if err != nil {
		t.Fatal(err)
	}
	if st.Workspaces[0].ID != "ws-1" || !st.Workspaces[0].IsDefault {
		t.Errorf("workspace = %+v, want id ws-1 and the default", st.Workspaces[0])
	}
	if st.Users[0].ID != "user-1" || st.Users[0].Memberships["ws-1"] != roleBuilder {
		t.Errorf("user = %+v, want id user-1, builder of ws-1", st.Users[0])
	}
	if g := st.GroupsOf("ws-1"); g[len(g)-1].ID != "group-1" {
		t.Errorf("custom group id = %s, want group-1", g[len(g)-1].ID)
	}
}

func TestSeed_invalid(t *testing.T) {
	tests := []struct {
		name string
		seed Seed
		want string
	}{
		{"bad slug", Seed{Workspaces: []SeedWorkspace{{Name: "A", Slug: "Bad Slug"}}},
			"invalid slug"},
		{"duplicate slug", Seed{Workspaces: []SeedWorkspace{{Name: "A", Slug: "a"},
			{Name: "B", Slug: "a"}}}, "duplicate slug"},
		{"two defaults", Seed{Workspaces: []SeedWorkspace{{Name: "A", Slug: "a", Default: true},
			{Name: "B", Slug: "b", Default: true}}}, "only one workspace"},
		{"reserved group", Seed{Workspaces: []SeedWorkspace{{Name: "A", Slug: "a",
			CustomGroups: []SeedGroup{{Name: "Admin"}}}}}, "reserved"},
		{"unknown membership", Seed{Users: []SeedUser{{Email: "a@example.com", Password: "p",
			Memberships: map[string]string{"nowhere": "admin"}}}}, "unknown workspace"},
		{"bad role", Seed{Workspaces: []SeedWorkspace{{Name: "A", Slug: "a"}},
			Users: []SeedUser{{Email: "a@example.com", Password: "p",
				Memberships: map[string]string{"a": "owner"}}}}, "invalid role"},
		{"bad email", Seed{Users: []SeedUser{{Email: "nope", Password: "p"}}}, "invalid email"},
		{"duplicate id", Seed{Workspaces: []SeedWorkspace{{ID: "x", Name: "A", Slug: "a"},
			{ID: "x", Name: "B", Slug: "b"}}}, "duplicate id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.seed.build()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func TestLoadSeed_rejectsUnknownField(t *testing.T) {
	seedPath := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(seedPath, []byte(`{"workspace":[]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := LoadSeed(seedPath); err == nil || !strings.Contains(err.Error(), "workspace") {
		t.Errorf("LoadSeed error = %v, want one naming the unknown field", err)
	}
}

func TestDeleteWorkspace_removesRelatedRows(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	sales := workspaceID(t, srv, "sales")
	instanceID := savedID(t, c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(sales),
		http.StatusOK))
	c.loginTo(srv, superAdminEmail, "sales")
	c.mustDo("PATCH", orgSSOPath, oidcBody("a"), http.StatusOK)

	if err := srv.Update(func(st *State) error { st.DeleteWorkspace(sales); return nil }); err != nil {
		t.Fatal(err)
	}
	srv.View(func(st *State) {
		if st.WorkspaceByID(sales) != nil {
			t.Errorf("workspace still present")
		}
		if len(st.GroupsOf(sales)) != 0 {
			t.Errorf("groups of the workspace still present")
		}
		if len(st.WorkspaceConfigs(sales)) != 0 {
			t.Errorf("SSO rows of the workspace still present")
		}
		if len(st.GroupSyncsFor(instanceID)) != 0 {
			t.Errorf("instance group-sync row for the workspace still present")
		}
		if st.InstanceOIDC() == nil {
			t.Errorf("instance row deleted with a workspace")
		}
	})
}
