package client_test

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

func TestListWorkspaces_pages(t *testing.T) {
	srv, host := startEmulator(t, emulator.Options{})
	err := srv.Update(func(st *emulator.State) error {
		for i := range 150 {
			st.AddWorkspace(fmt.Sprintf("Team %03d", i), fmt.Sprintf("team-%03d", i))
		}
		st.AddWorkspace("Archived", "archived").Status = "archived"
		return nil
	})
	if err != nil {
		t.Fatalf("adding workspaces: %v", err)
	}
	c := newClient(t, host)

	workspaces, err := c.ListWorkspaces(testContext(t))

	if err != nil {
		t.Fatalf("ListWorkspaces: %v", err)
	}
	if len(workspaces) != 154 {
		t.Errorf("ListWorkspaces returned %d workspaces, want 154 (4 seeded, 150 added)",
			len(workspaces))
	}
	seen := map[string]bool{}
	for _, ws := range workspaces {
		if seen[ws.ID] {
			t.Errorf("workspace %s (%s) is listed twice", ws.ID, ws.Slug)
		}
		seen[ws.ID] = true
		if ws.Slug == "archived" {
			t.Error("ListWorkspaces returned an archived workspace")
		}
	}
	if !seen[workspaceID(t, srv, "team-149")] {
		t.Error("the last added workspace is missing")
	}
	if got := srv.RequestCounts()[routeOrganizations]; got != 2 {
		t.Errorf("GET /api/organizations requests = %d, want 2 pages", got)
	}
}

// fakeOrganizations serves total workspaces in pages of perPageCount,
// with total_count when withTotal is set.
func fakeOrganizations(total int, withTotal bool) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		page, _ := strconv.Atoi(r.URL.Query().Get("currentPage"))
		size, _ := strconv.Atoi(r.URL.Query().Get("perPageCount"))
		organizations := []map[string]any{}
		for i := (page - 1) * size; i < total && i < page*size; i++ {
			organizations = append(organizations, map[string]any{
				"id": fmt.Sprintf("ws-%d", i), "name": fmt.Sprintf("Workspace %d", i),
				"status": "active",
			})
		}
		body := map[string]any{"organizations": organizations}
		if withTotal {
			body["total_count"] = total
		}
		writeJSONReply(w, http.StatusOK, body)
	}
}

func TestListWorkspaces_lastPage(t *testing.T) {
	tests := []struct {
		name      string
		total     int
		withTotal bool
		requests  int
	}{
		{"total on a full page", 200, true, 2},
		{"total on a short page", 130, true, 2},
		{"short page without total", 130, false, 2},
		{"full page without total", 200, false, 3},
		{"none", 0, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fake := newFakeServer(t, fakeOrganizations(tt.total, tt.withTotal))
			c := newClient(t, fake.URL)

			workspaces, err := c.ListWorkspaces(testContext(t))

			if err != nil {
				t.Fatalf("ListWorkspaces: %v", err)
			}
			if len(workspaces) != tt.total {
				t.Errorf("ListWorkspaces returned %d workspaces, want %d", len(workspaces),
					tt.total)
			}
			if got := len(fake.requestsTo(http.MethodGet, "/api/organizations")); got != tt.requests {
				t.Errorf("requests = %d, want %d", got, tt.requests)
			}
		})
	}
}

func TestListWorkspaces_incompleteResponse(t *testing.T) {
	bodies := map[string]map[string]any{
		"null list":    {"organizations": nil, "total_count": 1},
		"missing list": {"total_count": 1},
	}
	for name, body := range bodies {
		t.Run(name, func(t *testing.T) {
			fake := newFakeServer(t, func(w http.ResponseWriter, _ *http.Request) {
				writeJSONReply(w, http.StatusOK, body)
			})
			c := newClient(t, fake.URL)

			workspaces, err := c.ListWorkspaces(testContext(t))

			if err == nil {
				t.Fatalf("ListWorkspaces returned %d workspaces and no error, want an error",
					len(workspaces))
			}
			if !strings.Contains(err.Error(), "has no organizations list") {
				t.Errorf("error = %q, want it to name the missing list", err)
			}
		})
	}
}
