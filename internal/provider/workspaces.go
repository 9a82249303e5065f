package provider

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// workspaceNotFoundError reports a workspace ID, slug or name that matches
// no active workspace.
type workspaceNotFoundError struct {
	key   string
	slugs []string
}

func (e *workspaceNotFoundError) Error() string {
	return fmt.Sprintf("ToolJet has no active workspace with the ID, slug or name %q. Active "+
		"workspaces (by slug): %s. Look workspaces up with the tooljet_workspace data source "+
		"rather than writing IDs by hand.", e.key, strings.Join(e.slugs, ", "))
}

// findWorkspace finds an active workspace by ID, slug or name. It uses the
// store's cached list first and fetches the list again before it reports
// that nothing matches, so a workspace created since the list was fetched
// is still found.
func findWorkspace(ctx context.Context, store *ssostate.Store, key string) (*client.Workspace, error) {
	for _, fresh := range []bool{false, true} {
		list, err := store.Workspaces(ctx, fresh)
		if err != nil {
			return nil, err
		}
		if ws := matchWorkspace(list, key); ws != nil {
			return ws, nil
		}
		if fresh {
			slugs := make([]string, 0, len(list))
			for _, ws := range list {
				slugs = append(slugs, ws.Slug)
			}
			slices.Sort(slugs)
			return nil, &workspaceNotFoundError{key: key, slugs: slugs}
		}
	}
	return nil, nil
}

func matchWorkspace(list []client.Workspace, key string) *client.Workspace {
	for _, match := range []func(client.Workspace) bool{
		func(ws client.Workspace) bool { return ws.ID == key },
		func(ws client.Workspace) bool { return ws.Slug == key },
		func(ws client.Workspace) bool { return ws.Name == key },
	} {
		for i := range list {
			if match(list[i]) {
				return &list[i]
			}
		}
	}
	return nil
}

// workspaceLabel names a workspace in messages: its slug and ID when the
// cached list knows it, else the ID.
func workspaceLabel(ctx context.Context, store *ssostate.Store, id string) string {
	list, err := store.Workspaces(ctx, false)
	if err == nil {
		if ws := matchWorkspace(list, id); ws != nil {
			return fmt.Sprintf("%q (%s)", ws.Slug, ws.ID)
		}
	}
	return id
}

// Workspace fields that lookupWorkspace can match.
var (
	workspaceID   = func(ws client.Workspace) string { return ws.ID }
	workspaceSlug = func(ws client.Workspace) string { return ws.Slug }
	workspaceName = func(ws client.Workspace) string { return ws.Name }
)

// lookupWorkspace finds the workspace whose field equals key, fetching the
// list again before it gives up. When nothing matches it returns the slugs of
// the active workspaces for the error message.
func lookupWorkspace(ctx context.Context, store *ssostate.Store, key string,
	field func(client.Workspace) string) (*client.Workspace, []string, error) {
	var list []client.Workspace
	for _, fresh := range []bool{false, true} {
		var err error
		if list, err = store.Workspaces(ctx, fresh); err != nil {
			return nil, nil, err
		}
		for i := range list {
			if field(list[i]) == key {
				return &list[i], nil, nil
			}
		}
	}
	slugs := make([]string, 0, len(list))
	for _, ws := range list {
		slugs = append(slugs, ws.Slug)
	}
	slices.Sort(slugs)
	return nil, slugs, nil
}

// checkWorkspaceID reports on the workspace_id attribute when it names no
// active workspace, or names one by slug or name rather than by ID: the
// resources store the ID, and a slug in the configuration would never match
// it.
func checkWorkspaceID(ctx context.Context, data *providerData, workspaceID string,
	diags *diag.Diagnostics) bool {
	ws, err := findWorkspace(ctx, data.store, workspaceID)
	if err != nil {
		diags.AddAttributeError(path.Root("workspace_id"), "Unknown workspace", err.Error())
		return false
	}
	if ws.ID != workspaceID {
		diags.AddAttributeError(path.Root("workspace_id"), "Invalid workspace ID",
			fmt.Sprintf("workspace_id must be a workspace ID, but %q is the slug or name of "+
				"workspace %s. Set workspace_id = %q, or take the ID from the tooljet_workspace "+
				"data source.", workspaceID, ws.ID, ws.ID))
		return false
	}
	return true
}
