package client

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
)

const (
	pathInstanceSSO     = "/api/login-configs/instance-sso"
	pathWorkspaceConfig = "/api/login-configs/organization"
	pathWorkspaceSSO    = "/api/login-configs/organization-sso"
)

// GetInstanceSSO returns the instance-level OpenID Connect configuration
// with its group-sync rows, or nil when the instance has none.
func (c *Client) GetInstanceSSO(ctx context.Context) (*SSOConfig, error) {
	resp, err := c.do(ctx, request{method: http.MethodGet, path: pathInstanceSSO,
		idempotent: true}, nil)
	if err != nil {
		return nil, err
	}
	config, err := DecodeInstanceSSO(resp.body)
	if err != nil {
		return nil, fmt.Errorf("ToolJet returned instance SSO settings that the provider "+
			"cannot read: %w", err)
	}
	if config == nil && isCommunityEditionResponse(resp.body) {
		return nil, ErrCommunityEdition
	}
	if config != nil {
		if err := config.checkComplete("GET " + pathInstanceSSO); err != nil {
			return nil, err
		}
	}
	return config, nil
}

// ErrCommunityEdition reports a ToolJet Community Edition server, which has
// no instance-level OIDC.
var ErrCommunityEdition = errors.New("ToolJet at this host is the Community Edition: its " +
	"instance SSO settings come from environment variables and have no OpenID Connect " +
	"provider. Instance OIDC and group sync need ToolJet Enterprise Edition; check that " +
	"host (or TOOLJET_HOST) points at the right ToolJet")

// isCommunityEditionResponse recognises the response of GET
// /api/login-configs/instance-sso in ToolJet Community Edition: an object
// of environment-derived settings with enable_sign_up at its top level,
// which the Enterprise responses do not have.
func isCommunityEditionResponse(body []byte) bool {
	var object map[string]json.RawMessage
	if json.Unmarshal(bytes.TrimSpace(body), &object) != nil {
		return false
	}
	_, signUp := object["enable_sign_up"]
	_, openid := object[SSOTypeOpenID]
	return signUp && !openid
}

// UpdateInstanceSSO sends PATCH /api/login-configs/instance-sso. The request
// is idempotent: the instance has one row per SSO type, which the request
// updates (or creates the first time), so repeating it gives the same result.
func (c *Client) UpdateInstanceSSO(ctx context.Context, update SSOUpdate) error {
	_, err := c.do(ctx, request{method: http.MethodPatch, path: pathInstanceSSO,
		body: update, idempotent: true}, nil)
	return err
}

// GetWorkspaceSSO returns a workspace's SSO configurations.
func (c *Client) GetWorkspaceSSO(ctx context.Context, workspaceID string) (*WorkspaceSSO, error) {
	var out struct {
		OrganizationDetails *WorkspaceSSO `json:"organization_details"`
	}
	_, err := c.do(ctx, request{method: http.MethodGet, path: pathWorkspaceConfig,
		workspaceID: workspaceID, idempotent: true}, &out)
	if err != nil {
		return nil, err
	}
	if out.OrganizationDetails == nil {
		return nil, fmt.Errorf("ToolJet's response to GET %s has no organization_details",
			pathWorkspaceConfig)
	}
	for i := range out.OrganizationDetails.SSOConfigs {
		row := &out.OrganizationDetails.SSOConfigs[i]
		row.markMissing()
		if row.SSO != SSOTypeOpenID {
			continue
		}
		if err := row.checkComplete("GET " + pathWorkspaceConfig); err != nil {
			return nil, err
		}
	}
	return out.OrganizationDetails, nil
}

// UpdateWorkspaceSSO sends PATCH /api/login-configs/organization-sso and
// returns the ID of the SSO configuration row it wrote. Without a ConfigID,
// ToolJet creates a new OIDC provider each time, so a failure that leaves
// open whether the row was stored returns an *AmbiguousError instead of
// being retried.
func (c *Client) UpdateWorkspaceSSO(ctx context.Context, workspaceID string,
	update SSOUpdate) (string, error) {
	var out struct {
		ID string `json:"id"`
	}
	_, err := c.do(ctx, request{method: http.MethodPatch, path: pathWorkspaceSSO,
		workspaceID: workspaceID, body: update, idempotent: update.ConfigID != ""}, &out)
	if err != nil {
		return "", err
	}
	return out.ID, nil
}

// DeleteWorkspaceSSO deletes one SSO configuration of a workspace with its
// group-sync rows.
func (c *Client) DeleteWorkspaceSSO(ctx context.Context, workspaceID, configID string) error {
	// NOTE: ToolJet's public code has the delete service but not its route;
	// DELETE /api/login-configs/organization-sso/{id} is the likely shape
	// and is what the emulator serves.
	_, err := c.do(ctx, request{method: http.MethodDelete,
		path:        pathWorkspaceSSO + "/" + url.PathEscape(configID),
		workspaceID: workspaceID, idempotent: true}, nil)
	return err
}

// DecodeInstanceSSO finds the instance-level OpenID Connect row in a response
// of GET /api/login-configs/instance-sso, or returns nil when there is none.
//
// NOTE: the shape of this response in ToolJet Enterprise Edition is not
// public. The decoder accepts every shape the public code suggests: an array
// of rows, an object keyed by SSO type, either one wrapped in
// "sso_configs", and a single row. Community Edition's shape, which has no
// openid key, decodes to nil.
func DecodeInstanceSSO(body []byte) (*SSOConfig, error) {
	body = bytes.TrimSpace(body)
	if len(body) == 0 || bytes.Equal(body, []byte("null")) {
		return nil, nil
	}
	switch body[0] {
	case '[':
		var rows []json.RawMessage
		if err := json.Unmarshal(body, &rows); err != nil {
			return nil, err
		}
		return pickInstanceRow(rows)
	case '{':
		var object map[string]json.RawMessage
		if err := json.Unmarshal(body, &object); err != nil {
			return nil, err
		}
		if wrapped, ok := object["sso_configs"]; ok {
			return DecodeInstanceSSO(wrapped)
		}
		if _, ok := object["sso"]; ok {
			return pickInstanceRow([]json.RawMessage{body})
		}
		openid, ok := object[SSOTypeOpenID]
		if !ok {
			return nil, nil
		}
		row, err := decodeRow(openid)
		if row != nil && row.SSO == "" {
			row.SSO = SSOTypeOpenID
		}
		return row, err
	default:
		return nil, errors.New("the response is neither a JSON object nor an array")
	}
}

func pickInstanceRow(rows []json.RawMessage) (*SSOConfig, error) {
	for _, raw := range rows {
		row, err := decodeRow(raw)
		if err != nil {
			return nil, err
		}
		if row == nil || row.SSO != SSOTypeOpenID {
			continue
		}
		if row.ConfigScope == ScopeInstance || (row.ConfigScope == "" && row.OrganizationID == "") {
			return row, nil
		}
	}
	return nil, nil
}

func decodeRow(raw json.RawMessage) (*SSOConfig, error) {
	var row *SSOConfig
	if err := json.Unmarshal(raw, &row); err != nil {
		return nil, err
	}
	if row == nil {
		return nil, nil
	}
	row.markMissing()
	return row, nil
}
