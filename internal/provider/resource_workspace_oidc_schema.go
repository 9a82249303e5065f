package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
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

func workspaceOIDCSchema(ctx context.Context) schema.Schema {
	return schema.Schema{
		Version: 0,
		Description: "An OpenID Connect provider of one ToolJet workspace, besides the " +
			"instance-level provider of `tooljet_instance_oidc`. A workspace can have several " +
			"OIDC providers, and each resource manages one of them. Destroying the resource " +
			"deletes the provider; where ToolJet has no route to delete it, the provider is " +
			"disabled and its client ID and secret are cleared instead. ToolJet returns group " +
			"mapping keys lower-cased, with `_` before each capital letter after the first " +
			"character, so an import cannot restore the exact spelling of such keys: after an " +
			"import, the next plan rewrites them once.",
		Attributes: withAttributes(oidcClientAttributes("Each provider of a workspace needs its own client ID."), map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed: true,
				Description: "The ID of the provider's row in ToolJet's SSO configurations " +
					"(the `configId` of ToolJet's API).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"workspace_id": schema.StringAttribute{
				Required: true,
				Description: "The ID of the workspace, for example from the `tooljet_workspace` " +
					"data source. Changing it replaces the resource.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators: []validator.String{
					stringvalidator.LengthAtLeast(1),
					noSurroundingSpaceValidator(),
				},
			},
			"enabled": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
				Description: "Whether users can sign in to the workspace with this provider. " +
					"Defaults to `true`.",
			},
			"name": schema.StringAttribute{
				Optional: true,
				Computed: true,
				Default:  stringdefault.StaticString(""),
				Description: "The name on the workspace's sign-in button, such as `Okta`. " +
					"Defaults to an empty string, for which ToolJet shows its generic OpenID label.",
			},
			"group_sync": schema.SingleNestedAttribute{
				Optional: true,
				Description: "Group sync for this provider: at each login through it, ToolJet " +
					"reads the user's groups from the ID token claim `claim_name` and maps them " +
					"to ToolJet groups of the workspace. Without this block, group sync of the " +
					"provider is off and its settings in ToolJet are kept.",
				Attributes: workspaceOIDCGroupSyncAttributes(),
			},
			"timeouts": timeoutsAttribute(ctx),
		}),
	}
}

func workspaceOIDCGroupSyncAttributes() map[string]schema.Attribute {
	emptyMap := types.MapValueMust(types.StringType, map[string]attr.Value{})
	return map[string]schema.Attribute{
		"enabled": schema.BoolAttribute{
			Optional: true,
			Computed: true,
			Default:  booldefault.StaticBool(true),
			Description: "Whether ToolJet syncs groups at login. Switched off, ToolJet keeps " +
				"the settings but applies none of them. Defaults to `true`.",
		},
		"claim_name": schema.StringAttribute{
			Optional: true,
			Computed: true,
			Default:  stringdefault.StaticString(ssostate.DefaultClaimName),
			Description: "The ID token claim that lists the user's IdP groups. Defaults to " +
				"`groups`.",
			Validators: []validator.String{claimNameValidator()},
		},
		"group_mapping": schema.MapAttribute{
			ElementType: types.StringType,
			Optional:    true,
			Computed:    true,
			Default:     mapdefault.StaticValue(emptyMap),
			Description: "Maps IdP group names (keys, spelled exactly as the IdP sends them) " +
				"to ToolJet group names of the workspace: a role (`admin`, `builder`, " +
				"`end-user`) or a custom group. IdP groups without an entry match ToolJet " +
				"groups of the same name. Defaults to `{}`.",
			Validators: []validator.Map{groupMappingValidator()},
		},
	}
}

var workspaceOIDCGroupSyncAttrTypes = map[string]attr.Type{
	"enabled":       types.BoolType,
	"claim_name":    types.StringType,
	"group_mapping": types.MapType{ElemType: types.StringType},
}
