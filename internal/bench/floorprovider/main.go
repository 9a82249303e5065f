// Command floorprovider is a Terraform provider whose one resource,
// floor_item, stores its input and does nothing else. scripts/bench.sh
// plans 1000 of them beside 1000 tooljet_group_mapping resources, to tell
// the cost that every plugin provider pays (process, gRPC, the framework)
// from the cost of this provider's own code.
package main

import (
	"context"
	"log"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"
)

type floorProvider struct{}

func (floorProvider) Metadata(_ context.Context, _ provider.MetadataRequest,
	resp *provider.MetadataResponse) {
	resp.TypeName = "floor"
}

// Schema is empty: the provider has no settings.
func (floorProvider) Schema(context.Context, provider.SchemaRequest, *provider.SchemaResponse) {}

// Configure has nothing to set up.
func (floorProvider) Configure(context.Context, provider.ConfigureRequest,
	*provider.ConfigureResponse) {
}

func (floorProvider) Resources(context.Context) []func() resource.Resource {
	return []func() resource.Resource{func() resource.Resource { return itemResource{} }}
}

func (floorProvider) DataSources(context.Context) []func() datasource.DataSource { return nil }

type itemResource struct{}

type itemModel struct {
	ID    types.String `tfsdk:"id"`
	Input types.String `tfsdk:"input"`
}

func (itemResource) Metadata(_ context.Context, req resource.MetadataRequest,
	resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_item"
}

func (itemResource) Schema(_ context.Context, _ resource.SchemaRequest,
	resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{Attributes: map[string]schema.Attribute{
		"id":    schema.StringAttribute{Computed: true},
		"input": schema.StringAttribute{Required: true},
	}}
}

func (itemResource) Create(ctx context.Context, req resource.CreateRequest,
	resp *resource.CreateResponse) {
	var item itemModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &item)...)
	item.ID = item.Input
	resp.Diagnostics.Append(resp.State.Set(ctx, &item)...)
}

func (itemResource) Read(ctx context.Context, req resource.ReadRequest,
	resp *resource.ReadResponse) {
	var item itemModel
	resp.Diagnostics.Append(req.State.Get(ctx, &item)...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &item)...)
}

// Update is never called: input changes are planned in place but nothing is
// stored outside the state.
func (itemResource) Update(context.Context, resource.UpdateRequest, *resource.UpdateResponse) {}

// Delete has nothing to remove.
func (itemResource) Delete(context.Context, resource.DeleteRequest, *resource.DeleteResponse) {}

func main() {
	// The same log setting as terraform-provider-tooljet's main, so that
	// the two are compared on equal terms.
	if os.Getenv("TF_LOG") == "" && os.Getenv("TF_LOG_PROVIDER") == "" {
		_ = os.Setenv("TF_LOG_SDK", "off")
	}
	err := providerserver.Serve(context.Background(),
		func() provider.Provider { return floorProvider{} },
		providerserver.ServeOpts{Address: "registry.terraform.io/tooljet/floor", ProtocolVersion: 6})
	if err != nil {
		log.Fatal(err)
	}
}
