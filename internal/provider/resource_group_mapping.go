package provider

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

var (
	_ resource.ResourceWithConfigure   = (*groupMappingResource)(nil)
	_ resource.ResourceWithImportState = (*groupMappingResource)(nil)
	_ resource.ResourceWithModifyPlan  = (*groupMappingResource)(nil)
)

// NewGroupMappingResource returns the tooljet_group_mapping resource.
func NewGroupMappingResource() resource.Resource { return &groupMappingResource{} }

type groupMappingResource struct {
	data *providerData
}

type groupMappingModel struct {
	ID           types.String   `tfsdk:"id"`
	WorkspaceID  types.String   `tfsdk:"workspace_id"`
	IdPGroup     types.String   `tfsdk:"idp_group"`
	ToolJetGroup types.String   `tfsdk:"tooljet_group"`
	Timeouts     timeouts.Value `tfsdk:"timeouts"`
}

func (r *groupMappingResource) Metadata(_ context.Context, req resource.MetadataRequest,
	resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_group_mapping"
}

func (r *groupMappingResource) Schema(ctx context.Context, _ resource.SchemaRequest,
	resp *resource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Version: 0,
		Description: "One entry of a workspace's group mapping: users whose IdP groups include " +
			"`idp_group` get `tooljet_group` in the workspace at login. The entry is added to " +
			"what the workspace inherits from the instance mapping, and stays when the instance " +
			"mapping changes. The workspace must be in the instance group sync table (a " +
			"`tooljet_workspace_group_sync`, or the default workspace while it inherits), and " +
			"its `tooljet_workspace_group_sync` must not set `group_mapping`.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{
				Computed:      true,
				Description:   "`<workspace ID>/<IdP group>`.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()},
			},
			"workspace_id": schema.StringAttribute{
				Required: true,
				Description: "The workspace ID. Reference the `workspace_id` of the workspace's " +
					"`tooljet_workspace_group_sync`, so that Terraform adds the workspace to the " +
					"table first. Changing it replaces the resource.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{noSurroundingSpaceValidator()},
			},
			"idp_group": schema.StringAttribute{
				Required: true,
				Description: "The IdP group name, spelled exactly as the identity provider " +
					"sends it in the groups claim. Changing it replaces the resource.",
				PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:    []validator.String{idpGroupValidator()},
			},
			"tooljet_group": schema.StringAttribute{
				Required: true,
				Description: "The ToolJet group: a role (`admin`, `builder`, `end-user`, in any " +
					"case) or the exact name of a custom group of the workspace.",
				Validators: []validator.String{targetGroupValidator()},
			},
			"timeouts": timeoutsAttribute(ctx),
		},
	}
}

func (r *groupMappingResource) Configure(_ context.Context, req resource.ConfigureRequest,
	resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (r *groupMappingResource) Create(ctx context.Context, req resource.CreateRequest,
	resp *resource.CreateResponse) {
	var plan groupMappingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, defaultWriteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	if modify(ctx, r.data, "create", "group mapping", r.write(ctx, plan, true), &resp.Diagnostics) == nil {
		return
	}

	plan.ID = types.StringValue(groupMappingID(plan.WorkspaceID.ValueString(),
		plan.IdPGroup.ValueString()))
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *groupMappingResource) Read(ctx context.Context, req resource.ReadRequest,
	resp *resource.ReadResponse) {
	var state groupMappingModel
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
	idpGroup := state.IdPGroup.ValueString()
	snap, err := r.data.store.Snapshot(ctx)
	if err != nil {
		addReadError(&resp.Diagnostics, "instance group sync settings", err)
		return
	}
	row := snap.Rows[workspaceID]
	if row == nil {
		removeMissingRow(ctx, r.data, workspaceID, "tooljet_group_mapping", resp)
		return
	}
	target, found := ssostate.LookupRead(row.MappingRead, idpGroup)
	if !found {
		tflog.Warn(ctx, "Group mapping entry not found, removing it from state",
			map[string]any{"workspace_id": workspaceID, "idp_group": idpGroup})
		resp.Diagnostics.AddWarning("Group mapping deleted outside Terraform",
			fmt.Sprintf("The group mapping of workspace %s no longer maps IdP group %q, so "+
				"Terraform removed this tooljet_group_mapping from its state and will plan to "+
				"create it again.", workspaceLabel(ctx, r.data.store, workspaceID), idpGroup))
		resp.State.RemoveResource(ctx)
		return
	}
	state.ID = types.StringValue(groupMappingID(workspaceID, idpGroup))
	state.ToolJetGroup = types.StringValue(target)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *groupMappingResource) Update(ctx context.Context, req resource.UpdateRequest,
	resp *resource.UpdateResponse) {
	var plan groupMappingModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Update, defaultWriteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	if modify(ctx, r.data, "update", "group mapping", r.write(ctx, plan, false), &resp.Diagnostics) == nil {
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *groupMappingResource) Delete(ctx context.Context, req resource.DeleteRequest,
	resp *resource.DeleteResponse) {
	var state groupMappingModel
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
	idpGroup := state.IdPGroup.ValueString()
	modify(ctx, r.data, "delete", "group mapping", func(d *ssostate.Draft) error {
		d.Deleting = true
		ws := d.Record.Lookup(workspaceID)
		if ws == nil {
			return nil
		}
		delete(ws.Mappings, idpGroup)
		return nil
	}, &resp.Diagnostics)
}

// ImportState takes `<workspace ID or slug>/<IdP group>`. The IdP group is
// everything after the first "/", so it may contain "/" itself.
func (r *groupMappingResource) ImportState(ctx context.Context, req resource.ImportStateRequest,
	resp *resource.ImportStateResponse) {
	workspaceKey, idpGroup, err := parseGroupMappingImportID(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", detailFromError(err))
		return
	}
	ws, err := findWorkspace(ctx, r.data.store, workspaceKey)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", err.Error())
		return
	}
	snap, err := r.data.store.Snapshot(ctx)
	if err != nil {
		addReadError(&resp.Diagnostics, "instance group sync settings", err)
		return
	}
	if recorded, ok := recordedSpelling(snap, ws.ID, idpGroup); ok {
		resp.Diagnostics.AddError("Invalid import ID", fmt.Sprintf("The IdP group %q is the "+
			"name as ToolJet returns it, and the provider wrote this entry as %q. Import it "+
			"with the ID %q.", idpGroup, recorded, workspaceKey+"/"+recorded))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"),
		groupMappingID(ws.ID, idpGroup))...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("workspace_id"), ws.ID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("idp_group"), idpGroup)...)
}

// recordedSpelling returns the name under which the provider recorded a
// workspace's tooljet_group_mapping entry whose name ToolJet returns the
// same as idpGroup, when that name differs from idpGroup.
func recordedSpelling(snap *ssostate.Snapshot, workspaceID, idpGroup string) (string, bool) {
	ws := snap.Record.Lookup(workspaceID)
	if ws == nil {
		return "", false
	}
	if _, exact := ws.Mappings[idpGroup]; exact {
		return "", false
	}
	for name := range ws.Mappings {
		if mapping.ReadKeysCollide(name, idpGroup) {
			return name, true
		}
	}
	return "", false
}

// write returns the operation that stores the entry, after checking the
// rules against fresh state.
func (r *groupMappingResource) write(ctx context.Context, plan groupMappingModel,
	creating bool) func(d *ssostate.Draft) error {
	workspaceID := plan.WorkspaceID.ValueString()
	idpGroup := plan.IdPGroup.ValueString()
	target := plan.ToolJetGroup.ValueString()
	return func(d *ssostate.Draft) error {
		label := workspaceLabel(ctx, r.data.store, workspaceID)
		if !d.Base.WantsRow(d.Record, workspaceID, d.DefaultWorkspaceID) {
			if _, err := findWorkspace(ctx, r.data.store, workspaceID); err != nil {
				return err
			}
			if !d.Base.RecordFound && d.Base.Rows[workspaceID] != nil {
				return fmt.Errorf("workspace %s is in ToolJet's group sync table, but the "+
					"provider cannot tell whether Terraform manages it. %s", label,
					ssostate.RecordMissingHelp)
			}
			return &notInTableError{workspace: label}
		}
		ws := d.Record.Workspace(workspaceID)
		if ws.GroupMapping != nil {
			return &ownedMappingError{workspace: label, entries: map[string]string{idpGroup: target}}
		}
		if inherited, ok := d.Record.InstanceMapping[idpGroup]; ok &&
			mapping.NormalizeTarget(inherited) != mapping.NormalizeTarget(target) {
			return &inheritedConflictError{workspace: label, idpGroup: idpGroup,
				inherited: inherited, target: target}
		}
		// A recorded entry that the row no longer holds was removed in
		// ToolJet's UI, so the create takes it over.
		if existing, ok := ws.Mappings[idpGroup]; ok && creating &&
			d.Base.HasEntry(workspaceID, idpGroup) {
			// From the second round on, an identical entry is this create's
			// own earlier write.
			if d.Attempt == 1 || existing != target {
				return &duplicateMappingError{workspace: label, idpGroup: idpGroup, target: existing}
			}
		}
		for other := range ws.Mappings {
			if mapping.ReadKeysCollide(other, idpGroup) {
				return &readKeyCollisionError{workspace: label, a: other, b: idpGroup}
			}
		}
		if ws.Mappings == nil {
			ws.Mappings = map[string]string{}
		}
		ws.Mappings[idpGroup] = target
		return nil
	}
}

func groupMappingID(workspaceID, idpGroup string) string { return workspaceID + "/" + idpGroup }

// parseGroupMappingImportID splits `<workspace ID or slug>/<IdP group>` at
// its first "/". Workspace IDs and slugs never contain "/", IdP group names
// may. The IdP group must follow the name rules of idp_group.
func parseGroupMappingImportID(id string) (workspace, idpGroup string, err error) {
	workspace, idpGroup, ok := strings.Cut(id, "/")
	if !ok || workspace == "" || idpGroup == "" {
		return "", "", fmt.Errorf("the import ID %q is invalid. The import ID of "+
			"tooljet_group_mapping is <workspace ID or slug>/<IdP group>, for example "+
			"\"marketing/Marketing Team\"", id)
	}
	if err := mapping.ValidateIdPGroup(idpGroup); err != nil {
		return "", "", fmt.Errorf("the import ID %q has an invalid IdP group: %w", id, err)
	}
	return workspace, idpGroup, nil
}
