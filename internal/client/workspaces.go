package client

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
)

const pathOrganizations = "/api/organizations"

// workspacePageSize is how many workspaces the client asks for per page.
const workspacePageSize = 100

type organizationsPage struct {
	Organizations []Workspace `json:"organizations"`
	TotalCount    int         `json:"total_count"`
}

// ListWorkspaces returns every active workspace. A super admin sees all
// workspaces of the instance.
func (c *Client) ListWorkspaces(ctx context.Context) ([]Workspace, error) {
	var all []Workspace
	for page := 1; ; page++ {
		query := url.Values{
			"status":       {"active"},
			"currentPage":  {strconv.Itoa(page)},
			"perPageCount": {strconv.Itoa(workspacePageSize)},
		}
		var out organizationsPage
		_, err := c.do(ctx, request{method: http.MethodGet, path: pathOrganizations,
			query: query, idempotent: true}, &out)
		if err != nil {
			return nil, err
		}
		if out.Organizations == nil {
			// A super admin is a member of at least the default workspace,
			// so a list that is null or left out is an incomplete response.
			return nil, fmt.Errorf("ToolJet's response to GET %s has no organizations list, "+
				"or sends null. Without it the provider cannot check workspace IDs. Try again; "+
				"if the response stays incomplete, check ToolJet's server logs", pathOrganizations)
		}
		all = append(all, out.Organizations...)
		if lastWorkspacePage(len(out.Organizations), len(all), out.TotalCount) {
			return all, nil
		}
		if page > 10000 {
			return nil, fmt.Errorf("ToolJet kept returning pages of workspaces past page %d; "+
				"stopping", page)
		}
	}
}

// lastWorkspacePage reports whether the page just read was the last one: it
// was empty, the total count is reached, or, when ToolJet sent no total,
// the page was short.
func lastWorkspacePage(pageLen, seen, total int) bool {
	switch {
	case pageLen == 0:
		return true
	case total > 0:
		return seen >= total
	default:
		return pageLen < workspacePageSize
	}
}
