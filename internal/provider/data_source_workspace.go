package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-validators/datasourcevalidator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

var (
	_ datasource.DataSourceWithConfigure        = (*workspaceDataSource)(nil)
	_ datasource.DataSourceWithConfigValidators = (*workspaceDataSource)(nil)
)

// NewWorkspaceDataSource returns the tooljet_workspace data source.
func NewWorkspaceDataSource() datasource.DataSource { return &workspaceDataSource{} }

type workspaceDataSource struct {
	data *providerData
}

type workspaceModel struct {
	ID        types.String `tfsdk:"id"`
	Slug      types.String `tfsdk:"slug"`
	Name      types.String `tfsdk:"name"`
	IsDefault types.Bool   `tfsdk:"is_default"`
}

func (d *workspaceDataSource) Metadata(_ context.Context, req datasource.MetadataRequest,
	resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace"
}

func (d *workspaceDataSource) Schema(_ context.Context, _ datasource.SchemaRequest,
	resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "Looks up an active ToolJet workspace by ID, slug or name. Set exactly one " +
			"of them.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Optional: true, Computed: true,
				Description: "The workspace ID (a UUID).",
			},
			"slug": schema.StringAttribute{
				Optional: true, Computed: true,
				Description: "The workspace slug, as in the workspace's URL.",
			},
			"name": schema.StringAttribute{
				Optional: true, Computed: true,
				Description: "The workspace name, matched exactly.",
			},
			"is_default": schema.BoolAttribute{
				Computed: true,
				Description: "Whether this is ToolJet's default workspace, which inherits " +
					"instance group sync unless `default_workspace_inherits` is `false`.",
			},
		},
	}
}

func (d *workspaceDataSource) ConfigValidators(context.Context) []datasource.ConfigValidator {
	return []datasource.ConfigValidator{
		datasourcevalidator.ExactlyOneOf(path.MatchRoot("id"), path.MatchRoot("slug"),
			path.MatchRoot("name")),
	}
}

func (d *workspaceDataSource) Configure(_ context.Context, req datasource.ConfigureRequest,
	resp *datasource.ConfigureResponse) {
	d.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (d *workspaceDataSource) Read(ctx context.Context, req datasource.ReadRequest,
	resp *datasource.ReadResponse) {
	var config workspaceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	attribute, key, field := "id", config.ID.ValueString(), workspaceID
	switch {
	case !config.Slug.IsNull():
		attribute, key, field = "slug", config.Slug.ValueString(), workspaceSlug
	case !config.Name.IsNull():
		attribute, key, field = "name", config.Name.ValueString(), workspaceName
	}
	ws, slugs, err := lookupWorkspace(ctx, d.data.store, key, field)
	if err != nil {
		addReadError(&resp.Diagnostics, "workspaces", err)
		return
	}
	if ws == nil {
		resp.Diagnostics.AddAttributeError(path.Root(attribute), "Workspace not found",
			fmt.Sprintf("ToolJet has no active workspace whose %s is %q. Active workspaces (by "+
				"slug): %s.", attribute, key, strings.Join(slugs, ", ")))
		return
	}
	state := workspaceModel{
		ID:        types.StringValue(ws.ID),
		Slug:      types.StringValue(ws.Slug),
		Name:      types.StringValue(ws.Name),
		IsDefault: types.BoolValue(ws.IsDefault),
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}
