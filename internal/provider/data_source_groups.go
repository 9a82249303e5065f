package provider

import (
	"context"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
)

var _ datasource.DataSourceWithConfigure = (*groupsDataSource)(nil)

// NewGroupsDataSource returns the tooljet_groups data source.
func NewGroupsDataSource() datasource.DataSource { return &groupsDataSource{} }

type groupsDataSource struct {
	data *providerData
}

type groupsModel struct {
	WorkspaceID  types.String `tfsdk:"workspace_id"`
	Groups       types.List   `tfsdk:"groups"`
	RoleGroups   types.List   `tfsdk:"role_groups"`
	CustomGroups types.List   `tfsdk:"custom_groups"`
}

type groupModel struct {
	ID       types.String `tfsdk:"id"`
	Name     types.String `tfsdk:"name"`
	Type     types.String `tfsdk:"type"`
	Disabled types.Bool   `tfsdk:"disabled"`
}

var groupAttrTypes = map[string]attr.Type{
	"id":       types.StringType,
	"name":     types.StringType,
	"type":     types.StringType,
	"disabled": types.BoolType,
}

// Group types as this data source names them.
const (
	groupTypeRole   = "role"
	groupTypeCustom = "custom"
)

func (d *groupsDataSource) Metadata(_ context.Context, req datasource.MetadataRequest,
	resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_groups"
}

func (d *groupsDataSource) Schema(_ context.Context, _ datasource.SchemaRequest,
	resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Lists the groups of a ToolJet workspace: the role groups `admin`, " +
			"`builder` and `end-user`, and the custom groups, which are the targets a group " +
			"mapping can name.",
		Attributes: map[string]schema.Attribute{
			"workspace_id": schema.StringAttribute{
				Required:    true,
				Description: "The workspace ID (a slug or name is accepted too).",
			},
			"groups": schema.ListNestedAttribute{
				Computed:    true,
				Description: "Every group of the workspace, sorted by type and name.",
				NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"id":   schema.StringAttribute{Computed: true, Description: "The group ID."},
					"name": schema.StringAttribute{Computed: true, Description: "The group name."},
					"type": schema.StringAttribute{Computed: true,
						Description: "`role` for the role groups, `custom` for custom groups."},
					"disabled": schema.BoolAttribute{Computed: true,
						Description: "True for custom groups that ToolJet disabled because the " +
							"license lacks custom groups."},
				}},
			},
			"role_groups": schema.ListAttribute{
				ElementType: types.StringType, Computed: true,
				Description: "The names of the role groups.",
			},
			"custom_groups": schema.ListAttribute{
				ElementType: types.StringType, Computed: true,
				Description: "The names of the custom groups.",
			},
		},
	}
}

func (d *groupsDataSource) Configure(_ context.Context, req datasource.ConfigureRequest,
	resp *datasource.ConfigureResponse) {
	d.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (d *groupsDataSource) Read(ctx context.Context, req datasource.ReadRequest,
	resp *datasource.ReadResponse) {
	var config groupsModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	ws, err := findWorkspace(ctx, d.data.store, config.WorkspaceID.ValueString())
	if err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("workspace_id"), "Unknown workspace", err.Error())
		return
	}
	groups, err := d.data.store.Groups(ctx, ws.ID)
	if err != nil {
		addReadError(&resp.Diagnostics, "groups", err)
		return
	}
	groups = slices.Clone(groups)
	slices.SortFunc(groups, func(a, b client.Group) int {
		if a.Type != b.Type {
			return strings.Compare(groupTypeName(a), groupTypeName(b))
		}
		return strings.Compare(a.Name, b.Name)
	})

	var all []groupModel
	roles, custom := []string{}, []string{}
	for _, g := range groups {
		all = append(all, groupModel{
			ID: types.StringValue(g.ID), Name: types.StringValue(g.Name),
			Type: types.StringValue(groupTypeName(g)), Disabled: types.BoolValue(g.Disabled),
		})
		if g.Type == client.GroupTypeRole {
			roles = append(roles, g.Name)
		} else {
			custom = append(custom, g.Name)
		}
	}
	state := groupsModel{WorkspaceID: config.WorkspaceID}
	var diags = &resp.Diagnostics
	groupsValue, d2 := types.ListValueFrom(ctx, types.ObjectType{AttrTypes: groupAttrTypes}, all)
	diags.Append(d2...)
	state.Groups = groupsValue
	state.RoleGroups, d2 = types.ListValueFrom(ctx, types.StringType, roles)
	diags.Append(d2...)
	state.CustomGroups, d2 = types.ListValueFrom(ctx, types.StringType, custom)
	diags.Append(d2...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func groupTypeName(g client.Group) string {
	if g.Type == client.GroupTypeRole {
		return groupTypeRole
	}
	return groupTypeCustom
}
