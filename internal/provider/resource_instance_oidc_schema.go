package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// instanceOIDCID is the fixed ID of the single instance OIDC configuration.
const instanceOIDCID = "instance"

// grantTypes are the OIDC grant types whose API values are known. ToolJet's
// UI also offers "Authorization Code with PKCE", but its API value is not
// public, so the provider does not accept it yet.
var grantTypes = []string{ssostate.GrantTypeAuthorizationCode}

func instanceOIDCSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		Version: 0,
		Description: "ToolJet's instance-level OpenID Connect provider and its group sync " +
			"settings. There is one per ToolJet instance, managed by a super admin. Destroying " +
			"this resource switches instance OIDC and group sync off and clears the stored " +
			"client ID and client secret. The other settings stay in ToolJet, and so do the " +
			"group sync rows of workspaces that `tooljet_workspace_group_sync` resources manage; " +
			"the default workspace's inherited row is removed (or switched off, when it is the " +
			"last row, because ToolJet's API cannot empty the table).",
		Attributes: withAttributes(oidcClientAttributes(""), map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:      true,
				Description:   "Always `instance`: an instance has one OIDC configuration.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"enabled": schema.BoolAttribute{
				Optional:    true,
				Computed:    true,
				Default:     booldefault.StaticBool(true),
				Description: "Whether users can sign in with this provider. Defaults to `true`.",
			},
			"name": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(""),
				Description: "The name on ToolJet's sign-in button, such as `Okta`. Defaults to " +
					"an empty string, for which ToolJet shows its generic OpenID label.",
			},
			"group_sync": schema.SingleNestedAttribute{
				Optional: true,
				Description: "Instance-level group sync: at each login, ToolJet reads the " +
					"user's groups from the ID token claim `claim_name` and maps them to " +
					"ToolJet groups in every workspace of the group sync table. Without this " +
					"block, instance group sync is off and its settings in ToolJet are kept.",
				Attributes: groupSyncAttributes(),
			},
			"timeouts": timeoutsAttribute(ctx),
		}),
	}
}

func groupSyncAttributes() map[string]schema.Attribute {
	emptyMap := types.MapValueMust(types.StringType, map[string]attr.Value{})
	return map[string]schema.Attribute{
		"enabled": schema.BoolAttribute{
			Optional: true,
			Computed: true,
			Default:  booldefault.StaticBool(true),
			Description: "The master switch of instance group sync. Switched off, ToolJet " +
				"keeps the settings but applies none of them. Defaults to `true`.",
		},
		"claim_name": schema.StringAttribute{
			Optional: true,
			Computed: true,
			Default:  stringdefault.StaticString(ssostate.DefaultClaimName),
			Description: "The ID token claim that lists the user's IdP groups. Workspaces " +
				"inherit it unless they override it. Defaults to `groups`.",
			Validators: []validator.String{claimNameValidator()},
		},
		"group_mapping": schema.MapAttribute{
			ElementType: types.StringType,
			Optional:    true,
			Computed:    true,
			Default:     mapdefault.StaticValue(emptyMap),
			Description: "Maps IdP group names (keys, spelled exactly as the IdP sends them) " +
				"to ToolJet group names: a role (`admin`, `builder`, `end-user`) or a custom " +
				"group. IdP groups without an entry match ToolJet groups of the same name. " +
				"Workspaces inherit this mapping unless they override it. Defaults to `{}`.",
			Validators: []validator.Map{groupMappingValidator()},
		},
		"default_workspace_inherits": schema.BoolAttribute{
			Optional: true,
			Computed: true,
			Default:  booldefault.StaticBool(true),
			Description: "Whether ToolJet's default workspace takes part in group sync with " +
				"the instance settings. Set it to `false` only when another workspace is in the " +
				"group sync table. Defaults to `true`.",
		},
	}
}
