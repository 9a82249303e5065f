package client

import (
	"context"
	"net/http"
)

const pathGroupPermissions = "/api/v2/group-permissions"

type groupPermissionsResponse struct {
	GroupPermissions []Group `json:"groupPermissions"`
}

// ListGroups returns the role groups and custom groups of a workspace.
func (c *Client) ListGroups(ctx context.Context, workspaceID string) ([]Group, error) {
	var out groupPermissionsResponse
	_, err := c.do(ctx, request{method: http.MethodGet, path: pathGroupPermissions,
		workspaceID: workspaceID, idempotent: true}, &out)
	if err != nil {
		return nil, err
	}
	return out.GroupPermissions, nil
}
