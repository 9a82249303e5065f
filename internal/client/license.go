package client

import (
	"context"
	"net/http"
)

const pathLicenseAccess = "/api/license/access"

// LicenseAccess is the part of GET /api/license/access the provider uses:
// which licensed features ToolJet grants.
type LicenseAccess struct {
	// OIDC is ToolJet's "oidc" feature flag (license field oidcEnabled).
	OIDC *bool `json:"oidc"`
}

// GetLicenseAccess returns the features the instance's license grants.
func (c *Client) GetLicenseAccess(ctx context.Context) (*LicenseAccess, error) {
	var out LicenseAccess
	_, err := c.do(ctx, request{method: http.MethodGet, path: pathLicenseAccess,
		idempotent: true}, &out)
	if err != nil {
		return nil, err
	}
	return &out, nil
}
