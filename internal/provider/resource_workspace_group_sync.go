package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

var (
	_ resource.ResourceWithConfigure   = (*workspaceGroupSyncResource)(nil)
	_ resource.ResourceWithImportState = (*workspaceGroupSyncResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*workspaceGroupSyncResource)(nil)
)

// NewWorkspaceGroupSyncResource returns the tooljet_workspace_group_sync
// resource.
func NewWorkspaceGroupSyncResource() resource.Resource { return &workspaceGroupSyncResource{} }

type workspaceGroupSyncResource struct {
	data *providerData
}

type workspaceGroupSyncModel struct {
	ID                    types.String   `tfsdk:"id"`
	WorkspaceID           types.String   `tfsdk:"workspace_id"`
	Enabled               types.Bool     `tfsdk:"enabled"`
	ClaimName             types.String   `tfsdk:"claim_name"`
	GroupMapping          types.Map      `tfsdk:"group_mapping"`
	EffectiveClaimName    types.String   `tfsdk:"effective_claim_name"`
	EffectiveGroupMapping types.Map      `tfsdk:"effective_group_mapping"`
	Timeouts              timeouts.Value `tfsdk:"timeouts"`
}

func (r *workspaceGroupSyncResource) Metadata(_ context.Context, req resource.MetadataRequest,
	resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace_group_sync"
}

func (r *workspaceGroupSyncResource) Schema(ctx context.Context, _ resource.SchemaRequest,
	resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Version: 0,
		Description: "One workspace's row in ToolJet's instance group sync table. A workspace " +
			"in the table syncs groups at login with the instance settings of " +
			"`tooljet_instance_oidc`, and can switch group sync off or override the claim name " +
			"and the mapping. Without overrides the workspace inherits the instance values, also " +
			"when they change later. Destroying the resource removes the workspace from the " +
			"table; for the default workspace it returns the row to what " +
			"`group_sync.default_workspace_inherits` of `tooljet_instance_oidc` says.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:      true,
				Description:   "The workspace ID.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"workspace_id": schema.StringAttribute{
				Required: true,
				Description: "The ID of the workspace, for example from the `tooljet_workspace` " +
					"data source. Changing it replaces the resource.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{noSurroundingSpaceValidator()},
			},
			"enabled": schema.BoolAttribute{
				Optional: true,
				Computed: true,
				Default:  booldefault.StaticBool(true),
				Description: "The workspace's group sync toggle. Switched off, the workspace stays " +
					"in the table with its settings, and ToolJet does not sync its groups. While " +
					"instance group sync is on, at least one workspace must stay enabled. Defaults " +
					"to `true`.",
			},
			"claim_name": schema.StringAttribute{
				Optional: true,
				Description: "The workspace's own claim name. Leave it unset to inherit the " +
					"instance claim name.",
				Validators: []validator.String{claimNameValidator()},
			},
			"group_mapping": schema.MapAttribute{
				ElementType: types.StringType,
				Optional:    true,
				Description: "The workspace's own whole group mapping, from IdP group names to " +
					"ToolJet groups. Setting it makes this resource the owner of the workspace's " +
					"mapping, and `tooljet_group_mapping` resources for the workspace are then an " +
					"error. Leave it unset to inherit the instance mapping plus the workspace's " +
					"`tooljet_group_mapping` entries.",
				Validators: []validator.Map{groupMappingValidator()},
			},
			"effective_claim_name": schema.StringAttribute{
				Computed: true,
				Description: "The claim name that this workspace's group sync row holds, which " +
					"ToolJet applies while instance group sync is on.",
			},
			"effective_group_mapping": schema.MapAttribute{
				ElementType: types.StringType,
				Computed:    true,
				Description: "The mapping that this workspace's group sync row holds, which " +
					"ToolJet applies while instance group sync is on: the override, or the " +
					"inherited instance mapping plus `tooljet_group_mapping` entries.",
			},
			"timeouts": timeoutsAttribute(ctx),
		},
	}
}

func (r *workspaceGroupSyncResource) Configure(_ context.Context, req resource.ConfigureRequest,
	resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (r *workspaceGroupSyncResource) Create(ctx context.Context, req resource.CreateRequest,
	resp *resource.CreateResponse) {
	var plan workspaceGroupSyncModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, defaultWriteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	workspaceID := plan.WorkspaceID.ValueString()
	if !checkWorkspaceID(ctx, r.data, workspaceID, &resp.Diagnostics) {
		return
	}
	result := modify(ctx, r.data, "create", "workspace group sync setting", func(d *ssostate.Draft) error {
		// A record entry without a row is left from a row removed outside
		// Terraform, so the create takes it over.
		existing := d.Record.Lookup(workspaceID)
		if existing != nil && existing.Managed && d.Base.Rows[workspaceID] != nil {
			if d.Attempt > 1 {
				// This create's own earlier write landed.
				return plan.apply(d)
			}
			return &workspaceManagedError{workspace: workspaceLabel(ctx, r.data.store, workspaceID)}
		}
		if d.Base.Rows[workspaceID] != nil && !d.Base.Record.Retired(workspaceID) &&
			!d.Base.WantsRow(d.Base.Record, workspaceID, d.DefaultWorkspaceID) {
			return &workspaceInTableError{workspace: workspaceLabel(ctx, r.data.store, workspaceID)}
		}
		return plan.apply(d)
	}, &resp.Diagnostics)
	if result == nil {
		return
	}

	state := workspaceGroupSyncFromSnapshot(ctx, result.Snapshot, workspaceID, plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// privateKeyImported marks state that ImportState created, so that the
// first Read takes claim_name and group_mapping from ToolJet's row.
const privateKeyImported = "imported"

func (r *workspaceGroupSyncResource) Read(ctx context.Context, req resource.ReadRequest,
	resp *resource.ReadResponse) {
	var state workspaceGroupSyncModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	workspaceID := state.WorkspaceID.ValueString()
	snap, err := r.data.store.Snapshot(ctx)
	if err != nil {
		addReadError(&resp.Diagnostics, "instance group sync settings", err)
		return
	}
	if snap.Rows[workspaceID] == nil {
		removeMissingRow(ctx, r.data, workspaceID, "tooljet_workspace_group_sync", resp)
		return
	}
	newState := workspaceGroupSyncFromSnapshot(ctx, snap, workspaceID, state, &resp.Diagnostics)
	imported, diags := req.Private.GetKey(ctx, privateKeyImported)
	resp.Diagnostics.Append(diags...)
	if len(imported) == 0 && snap.Record.Lookup(workspaceID) == nil {
		// ToolJet holds no record of this workspace (a save of the instance
		// settings in ToolJet's UI can drop it), so the row cannot tell an
		// override from inheritance. Keep the configured values rather than
		// report a change that applying would make by dropping entries.
		newState.ClaimName = state.ClaimName
		newState.GroupMapping = state.GroupMapping
		resp.Diagnostics.AddWarning("Provider record missing in ToolJet",
			fmt.Sprintf("ToolJet no longer holds the provider's record of workspace %s (a save "+
				"of the instance OIDC settings in ToolJet's UI replaces it). Terraform keeps the "+
				"configured claim_name and group_mapping, and the provider refuses writes that "+
				"would drop mapping entries it cannot spell. See the reliability guide for how "+
				"to recover.", workspaceLabel(ctx, r.data.store, workspaceID)))
	} else if len(imported) > 0 {
		resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyImported, nil)...)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &newState)...)
}

func (r *workspaceGroupSyncResource) Update(ctx context.Context, req resource.UpdateRequest,
	resp *resource.UpdateResponse) {
	var plan workspaceGroupSyncModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Update, defaultWriteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	workspaceID := plan.WorkspaceID.ValueString()
	result := modify(ctx, r.data, "update", "workspace group sync setting", plan.apply, &resp.Diagnostics)
	if result == nil {
		return
	}

	state := workspaceGroupSyncFromSnapshot(ctx, result.Snapshot, workspaceID, plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *workspaceGroupSyncResource) Delete(ctx context.Context, req resource.DeleteRequest,
	resp *resource.DeleteResponse) {
	var state workspaceGroupSyncModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Delete, defaultWriteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	workspaceID := state.WorkspaceID.ValueString()
	modify(ctx, r.data, "delete", "workspace group sync setting", func(d *ssostate.Draft) error {
		d.Deleting = true
		ws := d.Record.Lookup(workspaceID)
		if ws == nil {
			return nil
		}
		ws.Managed = false
		ws.ClaimName = nil
		ws.GroupMapping = nil
		// A default workspace that stays in the table goes back to the
		// instance settings, enabled.
		d.RowEnabled[workspaceID] = true
		d.ReplaceForeign[workspaceID] = true
		return nil
	}, &resp.Diagnostics)
}

func (r *workspaceGroupSyncResource) ImportState(ctx context.Context,
	req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	ws, err := findWorkspace(ctx, r.data.store, req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", "The import ID of "+
			"tooljet_workspace_group_sync is a workspace ID or slug. "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), ws.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("workspace_id"), ws.ID)...)
	resp.Diagnostics.Append(resp.Private.SetKey(ctx, privateKeyImported, []byte("true"))...)
}

// apply records the planned workspace settings in a draft.
func (m workspaceGroupSyncModel) apply(d *ssostate.Draft) error {
	workspaceID := m.WorkspaceID.ValueString()
	ws := d.Record.Workspace(workspaceID)
	ws.Managed = true
	ws.ClaimName = nil
	if !m.ClaimName.IsNull() {
		claim := m.ClaimName.ValueString()
		ws.ClaimName = &claim
	}
	ws.GroupMapping = nil
	if !m.GroupMapping.IsNull() {
		ws.GroupMapping = stringMapValue(m.GroupMapping)
		if len(ws.Mappings) > 0 {
			return &ownedMappingError{workspace: workspaceID, entries: ws.Mappings}
		}
	}
	d.RowEnabled[workspaceID] = m.Enabled.ValueBool()
	d.ReplaceForeign[workspaceID] = true
	return nil
}

// workspaceGroupSyncFromSnapshot builds the resource data from the row
// ToolJet holds. A workspace that inherits but whose row differs from the
// inherited values (edited in ToolJet's UI) gets the row's values in
// claim_name or group_mapping, so that the plan shows the difference and
// applying restores the inheritance.
func workspaceGroupSyncFromSnapshot(ctx context.Context, snap *ssostate.Snapshot, workspaceID string,
	prior workspaceGroupSyncModel, diags diagAppender) workspaceGroupSyncModel {
	row := snap.Rows[workspaceID]
	if row == nil {
		// The caller checks for the row; an empty one keeps this total.
		row = &ssostate.Row{WorkspaceID: workspaceID, MappingRead: map[string]string{}}
	}
	ws := snap.Record.Lookup(workspaceID)
	expected := snap.Expected(workspaceID)
	priorMapping := stringMapValue(prior.GroupMapping)

	m := workspaceGroupSyncModel{
		ID:                 types.StringValue(workspaceID),
		WorkspaceID:        types.StringValue(workspaceID),
		Enabled:            types.BoolValue(row.Enabled),
		ClaimName:          types.StringNull(),
		GroupMapping:       types.MapNull(types.StringType),
		EffectiveClaimName: types.StringValue(row.ClaimName),
		Timeouts:           prior.Timeouts,
	}
	if (ws != nil && ws.ClaimName != nil) || row.ClaimName != expected.ClaimName {
		m.ClaimName = types.StringValue(row.ClaimName)
	}
	known := []map[string]string{expected.Mapping, priorMapping}
	if (ws != nil && ws.GroupMapping != nil) || !ssostate.SameAsRead(expected.Mapping, row.MappingRead) {
		m.GroupMapping = mapValue(ctx, ssostate.Spell(row.MappingRead, known...), diags)
	}
	m.EffectiveGroupMapping = mapValue(ctx, ssostate.Spell(row.MappingRead, known...), diags)
	return m
}

// removeMissingRow handles a workspace that has no row in the group sync
// table any more: the resource is removed from state with a warning, so
// that the next plan creates it again, and the warning states whether the
// workspace itself was deleted.
func removeMissingRow(ctx context.Context, data *providerData, workspaceID, resourceType string,
	resp *resource.ReadResponse) {
	if _, err := findWorkspace(ctx, data.store, workspaceID); err != nil {
		tflog.Warn(ctx, "Workspace not found, removing the resource from state",
			map[string]any{"workspace_id": workspaceID})
		resp.Diagnostics.AddWarning("Workspace deleted outside Terraform",
			fmt.Sprintf("ToolJet has no active workspace %s any more, so Terraform removed "+
				"this %s from its state. Creating it again fails until the workspace exists; "+
				"remove the resource from the configuration or point workspace_id at another "+
				"workspace.", workspaceID, resourceType))
		resp.State.RemoveResource(ctx)
		return
	}
	tflog.Warn(ctx, "Group sync row not found, removing the resource from state",
		map[string]any{"workspace_id": workspaceID})
	resp.Diagnostics.AddWarning("Group sync setting deleted outside Terraform",
		fmt.Sprintf("Workspace %s is no longer in ToolJet's instance group sync table, so "+
			"Terraform removed this %s from its state and will plan to create it again.",
			workspaceLabel(ctx, data.store, workspaceID), resourceType))
	resp.State.RemoveResource(ctx)
}
