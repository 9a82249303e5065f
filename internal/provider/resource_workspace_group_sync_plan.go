package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
)

// ModifyPlan checks the rules that involve ToolJet's current state and
// other resources of this plan: one resource per workspace, the last
// enabled workspace, ownership of the mapping, and mapping targets.
func (r *workspaceGroupSyncResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest,
	resp *resource.ModifyPlanResponse) {
	if r.data == nil {
		return
	}
	destroy := req.Plan.Raw.IsNull()
	var plan, state workspaceGroupSyncModel
	if !destroy {
		resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	}
	creating := req.State.Raw.IsNull()
	if !creating {
		resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	}
	if resp.Diagnostics.HasError() {
		return
	}
	model := plan
	if destroy {
		model = state
	}
	if model.WorkspaceID.IsUnknown() || model.Enabled.IsUnknown() {
		return
	}
	if !destroy && r.data.registry.replacement(
		"tooljet_workspace_group_sync "+req.Config.Raw.String(), creating) {
		return
	}
	workspaceID := model.WorkspaceID.ValueString()

	pc := loadPlanContext(ctx, r.data, &resp.Diagnostics)
	if pc == nil {
		return
	}
	r.data.registry.addWorkspaceSync(workspaceID, &plannedWorkspaceSync{
		destroy:     destroy,
		enabled:     model.Enabled.ValueBool(),
		ownsMapping: !model.GroupMapping.IsNull(),
	})
	view := r.data.registry.view(pc.snap, pc.defaultWorkspace)
	label := workspaceLabel(ctx, r.data.store, workspaceID)

	if view.groupSyncOn && view.enabledRows() == 0 && !view.instancePlanned &&
		pc.snap.ClientID != "" {
		// Removing or switching off the last workspace is fine when
		// tooljet_instance_oidc switches group sync off or is destroyed in
		// the same run, which Terraform may plan after this resource: give
		// it a moment to register.
		r.data.registry.waitForInstance(ctx, instancePlanWait)
		view = r.data.registry.view(pc.snap, pc.defaultWorkspace)
	}
	if view.groupSyncOn && view.enabledRows() == 0 {
		change := fmt.Sprintf("Switching off workspace %s", label)
		if destroy {
			change = fmt.Sprintf("Removing workspace %s from the group sync table", label)
			resp.Diagnostics.AddError("Last enabled workspace", noEnabledWorkspaceDetail(change))
			return
		}
		if !creating && state.Enabled.ValueBool() && !plan.Enabled.ValueBool() {
			resp.Diagnostics.AddAttributeError(path.Root("enabled"), "Last enabled workspace",
				noEnabledWorkspaceDetail(change))
		} else {
			// A new or unchanged row switches nothing off, and resources
			// that Terraform plans later may enable a workspace.
			resp.Diagnostics.AddAttributeWarning(path.Root("enabled"),
				"No enabled workspace in the group sync table", fmt.Sprintf("Instance group "+
					"sync is on, but no workspace in the group sync table, or planned so far, "+
					"has it enabled, and workspace %s does not either. Unless another resource "+
					"of this plan enables one, group sync has no effect: set enabled = true on "+
					"one tooljet_workspace_group_sync, or keep default_workspace_inherits = true "+
					"on tooljet_instance_oidc.", label))
		}
	}
	if destroy {
		return
	}

	if !checkWorkspaceID(ctx, r.data, workspaceID, &resp.Diagnostics) {
		return
	}
	if view.owners[workspaceID] > 1 {
		resp.Diagnostics.AddAttributeError(path.Root("workspace_id"),
			"Workspace managed twice", fmt.Sprintf("This configuration has more than one "+
				"tooljet_workspace_group_sync for workspace %s; a workspace can have only one. "+
				"Remove the others.", label))
	}
	// A new workspace_id replaces the resource, and the checks of a create
	// apply to the new workspace.
	newWorkspace := creating || !state.WorkspaceID.Equal(plan.WorkspaceID)
	if ws := pc.snap.Record.Lookup(workspaceID); newWorkspace && ws != nil && ws.Managed &&
		pc.snap.Rows[workspaceID] != nil {
		addStoredObjectDiag(&resp.Diagnostics, path.Root("workspace_id"),
			"Workspace already managed", (&workspaceManagedError{workspace: label}).Error(),
			creating)
	}
	if !plan.GroupMapping.IsNull() {
		if entries := r.data.registry.mappingsOf(pc.snap, workspaceID); len(entries) > 0 {
			resp.Diagnostics.AddAttributeError(path.Root("group_mapping"),
				"Group mapping owned twice", (&ownedMappingError{workspace: label,
					entries: entries}).Error())
		}
		checkTargets(ctx, r.data, workspaceID, stringMapValue(plan.GroupMapping),
			mapKeysPath(path.Root("group_mapping")), &resp.Diagnostics)
	}
	warnSecretUnreadable(req, r.data, pc, &resp.Diagnostics)
	warnGroupSyncOff(ctx, r.data, pc, view, &resp.Diagnostics,
		fmt.Sprintf("The group sync setting of workspace %s", label))
	warnOverrideEqualsInstance(plan, view, &resp.Diagnostics)
}

// warnOverrideEqualsInstance notes a claim name override equal to the
// instance claim name, which the user may have meant as inheritance.
func warnOverrideEqualsInstance(plan workspaceGroupSyncModel, view *tableView,
	diags interface {
		AddAttributeWarning(path.Path, string, string)
	}) {
	if plan.ClaimName.IsNull() || plan.ClaimName.IsUnknown() {
		return
	}
	if plan.ClaimName.ValueString() == view.instanceClaim {
		diags.AddAttributeWarning(path.Root("claim_name"), "Claim name override equals the "+
			"instance claim name", fmt.Sprintf("claim_name %q is the same as the instance "+
			"claim name, and as an override it stays %q when the instance claim name changes. "+
			"Remove claim_name to inherit instead.", plan.ClaimName.ValueString(),
			plan.ClaimName.ValueString()))
	}
}
