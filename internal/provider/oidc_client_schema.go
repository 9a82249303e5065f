package provider

import (
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// oidcClientAttributes are the attributes of an OpenID Connect client that
// the instance and workspace OIDC resources share: the client ID and secret,
// the discovery URL and the grant type. clientIDNote is appended to the
// client ID's description. The returned map is a new one, so callers can add
// their own attributes to it.
func oidcClientAttributes(clientIDNote string) map[string]schema.Attribute {
	clientIDDescription := "The client ID that the identity provider issued for ToolJet."
	if clientIDNote != "" {
		clientIDDescription += " " + clientIDNote
	}
	return maps.Clone(map[string]schema.Attribute{
		"client_id": schema.StringAttribute{
			Required:    true,
			Description: clientIDDescription,
			Validators: []validator.String{
				stringvalidator.LengthAtLeast(1),
				noSurroundingSpaceValidator(),
			},
		},
		"client_secret": schema.StringAttribute{
			Optional:  true,
			Sensitive: true,
			Description: "The client secret, stored in Terraform state. Prefer " +
				"`client_secret_wo`, which is never stored in state. When neither is set, " +
				"the secret stored in ToolJet is kept; if ToolJet hides stored secrets when " +
				"read, updates then fail instead of risking the secret.",
			Validators: []validator.String{
				stringvalidator.LengthAtLeast(1),
				stringvalidator.ConflictsWith(path.MatchRoot("client_secret_wo")),
				stringvalidator.PreferWriteOnlyAttribute(path.MatchRoot("client_secret_wo")),
			},
		},
		"client_secret_wo": schema.StringAttribute{
			Optional:  true,
			Sensitive: true,
			WriteOnly: true,
			Description: "The client secret as a write-only value (Terraform 1.11 and " +
				"later), never stored in state or plans. It is sent when the resource is " +
				"created and whenever `client_secret_wo_version` changes.",
			Validators: []validator.String{
				stringvalidator.LengthAtLeast(1),
				stringvalidator.AlsoRequires(path.MatchRoot("client_secret_wo_version")),
			},
		},
		"client_secret_wo_version": schema.Int64Attribute{
			Optional: true,
			Description: "A number to change whenever `client_secret_wo` changes, so that " +
				"Terraform sends the new secret.",
			Validators: []validator.Int64{
				int64validator.AlsoRequires(path.MatchRoot("client_secret_wo")),
			},
		},
		"well_known_url": schema.StringAttribute{
			Required: true,
			Description: "The identity provider's OpenID discovery document, such as " +
				"`https://idp.example.com/.well-known/openid-configuration`.",
			Validators: []validator.String{httpURLValidator()},
		},
		"grant_type": schema.StringAttribute{
			Optional: true,
			Computed: true,
			Default:  stringdefault.StaticString(ssostate.GrantTypeAuthorizationCode),
			Description: "The OAuth grant type: " + backtickList(grantTypes) + ". Defaults " +
				"to `authorization_code`, which needs a client secret.",
			Validators: []validator.String{stringvalidator.OneOf(grantTypes...)},
		},
	})
}

// withAttributes adds extra to attributes and returns attributes.
func withAttributes(attributes, extra map[string]schema.Attribute) map[string]schema.Attribute {
	maps.Copy(attributes, extra)
	return attributes
}
