package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
)

// ModifyPlan checks the entry against the workspace's mapping as this plan
// leaves it: the workspace must be in the group sync table, its mapping must
// not be owned by a tooljet_workspace_group_sync, the entry must not
// contradict the inherited instance mapping, and its target should exist.
func (r *groupMappingResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest,
	resp *resource.ModifyPlanResponse) {
	if r.data == nil {
		return
	}
	destroy := req.Plan.Raw.IsNull()
	var model groupMappingModel
	if destroy {
		resp.Diagnostics.Append(req.State.Get(ctx, &model)...)
	} else {
		resp.Diagnostics.Append(req.Plan.Get(ctx, &model)...)
	}
	if resp.Diagnostics.HasError() || model.WorkspaceID.IsUnknown() || model.IdPGroup.IsUnknown() ||
		model.ToolJetGroup.IsUnknown() {
		return
	}
	if !destroy && r.data.registry.replacement("tooljet_group_mapping "+req.Config.Raw.String(),
		req.State.Raw.IsNull()) {
		return
	}
	workspaceID := model.WorkspaceID.ValueString()
	idpGroup := model.IdPGroup.ValueString()
	target := model.ToolJetGroup.ValueString()
	// A new workspace or IdP group replaces the resource: the entry is new,
	// and the checks of a create apply to it.
	newEntry := req.State.Raw.IsNull()
	if !newEntry && !destroy {
		var prior groupMappingModel
		resp.Diagnostics.Append(req.State.Get(ctx, &prior)...)
		newEntry = !prior.WorkspaceID.Equal(model.WorkspaceID) || !prior.IdPGroup.Equal(model.IdPGroup)
	}

	pc := loadPlanContext(ctx, r.data, &resp.Diagnostics)
	if pc == nil {
		return
	}
	if destroy {
		r.data.registry.addMapping(pc.snap, workspaceID, idpGroup,
			&plannedMapping{destroy: true, target: target})
		return
	}
	if !checkWorkspaceID(ctx, r.data, workspaceID, &resp.Diagnostics) {
		return
	}
	label := workspaceLabel(ctx, r.data.store, workspaceID)

	// The entries of other resources are checked before this one registers,
	// so that it does not find itself.
	if existing, ok := r.data.registry.mappingEntry(pc.snap, workspaceID, idpGroup); ok &&
		newEntry {
		_, stored := pc.snap.StoredMappings(workspaceID)[idpGroup]
		detail := (&duplicateMappingError{workspace: label, idpGroup: idpGroup, target: existing,
			plannedOnly: !stored}).Error()
		addStoredObjectDiag(&resp.Diagnostics, path.Root("idp_group"), "Duplicate group mapping",
			detail, stored && req.State.Raw.IsNull() && existing == target)
	}
	if other, ok := r.data.registry.collidingMapping(pc.snap, workspaceID, idpGroup); ok {
		resp.Diagnostics.AddAttributeError(path.Root("idp_group"), "IdP group names collide",
			(&readKeyCollisionError{workspace: label, a: other, b: idpGroup}).Error())
	}
	r.data.registry.addMapping(pc.snap, workspaceID, idpGroup,
		&plannedMapping{target: target})
	view := r.data.registry.view(pc.snap, pc.defaultWorkspace)

	if view.ownsMapping[workspaceID] {
		resp.Diagnostics.AddAttributeError(path.Root("workspace_id"), "Group mapping owned by "+
			"tooljet_workspace_group_sync", fmt.Sprintf("The tooljet_workspace_group_sync of "+
			"workspace %s sets group_mapping, so it owns the workspace's whole mapping, and this "+
			"tooljet_group_mapping for IdP group %q would conflict with it. Add %q = %q to that "+
			"group_mapping and remove this resource, or remove group_mapping from the "+
			"tooljet_workspace_group_sync so that the workspace inherits and takes "+
			"tooljet_group_mapping entries.", label, idpGroup, idpGroup, target))
	}
	if inherited, ok := view.instanceMapping[idpGroup]; ok {
		if mapping.NormalizeTarget(inherited) != mapping.NormalizeTarget(target) {
			resp.Diagnostics.AddAttributeError(path.Root("tooljet_group"),
				"Group mapping contradicts the instance mapping",
				(&inheritedConflictError{workspace: label, idpGroup: idpGroup,
					inherited: inherited, target: target}).Error())
		} else {
			resp.Diagnostics.AddAttributeWarning(path.Root("idp_group"), "Redundant group mapping",
				fmt.Sprintf("The instance mapping already maps IdP group %q to %q, which "+
					"workspace %s inherits. This entry keeps it mapped if the instance mapping "+
					"drops it.", idpGroup, inherited, label))
		}
	}
	if !view.ownsMapping[workspaceID] {
		if other, ok := r.data.registry.collidingInstanceKey(pc.snap, idpGroup); ok {
			resp.Diagnostics.AddAttributeError(path.Root("idp_group"), "IdP group names collide",
				(&readKeyCollisionError{workspace: label, a: other, b: idpGroup}).Error()+
					" The other name is in the instance mapping, which the workspace inherits.")
		}
	}
	if !view.inTable(workspaceID) {
		resp.Diagnostics.AddAttributeWarning(path.Root("workspace_id"),
			"Workspace not in the group sync table", (&notInTableError{workspace: label}).Error()+
				" If a tooljet_workspace_group_sync in this configuration adds it, set workspace_id "+
				"to its workspace_id attribute, so that Terraform creates it first.")
	}
	checkTargets(ctx, r.data, workspaceID, map[string]string{idpGroup: target},
		func(string) path.Path { return path.Root("tooljet_group") }, &resp.Diagnostics)
	warnSecretUnreadable(req, r.data, pc, &resp.Diagnostics)
	warnGroupSyncOff(ctx, r.data, pc, view, &resp.Diagnostics, fmt.Sprintf("The group mapping %q -> %q of "+
		"workspace %s", idpGroup, target, label))
}

// notInTableError reports a mapping for a workspace that is not in the
// instance group sync table.
type notInTableError struct{ workspace string }

func (e *notInTableError) Error() string {
	return fmt.Sprintf("Workspace %s is not in ToolJet's instance group sync table, so it has "+
		"no mapping to add an entry to. Add it with a tooljet_workspace_group_sync (or, for the "+
		"default workspace, keep default_workspace_inherits = true on tooljet_instance_oidc).",
		e.workspace)
}

// inheritedConflictError reports an entry that maps an IdP group the
// inherited instance mapping maps to another group.
type inheritedConflictError struct {
	workspace, idpGroup, inherited, target string
}

func (e *inheritedConflictError) Error() string {
	return fmt.Sprintf("The instance mapping (group_sync.group_mapping of tooljet_instance_oidc) "+
		"maps IdP group %q to %q, and workspace %s inherits it, but a tooljet_group_mapping of "+
		"that workspace, in this configuration or another one, maps the same IdP group to %q. "+
		"An IdP group maps to one ToolJet group. Change one of "+
		"them, or give the workspace its own group_mapping in its tooljet_workspace_group_sync.",
		e.idpGroup, e.inherited, e.workspace, e.target)
}

// duplicateMappingError reports a second entry for the same IdP group.
type duplicateMappingError struct {
	workspace, idpGroup, target string
	// plannedOnly is true when the other entry is only planned, not yet
	// stored in ToolJet.
	plannedOnly bool
}

func (e *duplicateMappingError) Error() string {
	if e.plannedOnly {
		return fmt.Sprintf("Another tooljet_group_mapping in this configuration also maps IdP "+
			"group %q in workspace %s (to %q). A workspace maps each IdP group once. Remove "+
			"one of the two resources.", e.idpGroup, e.workspace, e.target)
	}
	return fmt.Sprintf("Workspace %s already has a tooljet_group_mapping for IdP group %q "+
		"(to %q). If this configuration manages it under another address, because a "+
		"resource or a for_each key was renamed, add a moved block from the old address to "+
		"the new one. Otherwise import it (terraform import <address> \"<workspace>/%s\") "+
		"or remove the duplicate.", e.workspace, e.idpGroup, e.target, e.idpGroup)
}

// readKeyCollisionError reports two IdP group names that ToolJet returns as
// the same key.
type readKeyCollisionError struct {
	workspace, a, b string
}

func (e *readKeyCollisionError) Error() string {
	return fmt.Sprintf("IdP groups %q and %q of workspace %s both come back from ToolJet's API "+
		"as %q (it lower-cases names and puts \"_\" before capitals), so the provider cannot "+
		"tell them apart. Map only one of them.", e.a, e.b, e.workspace, mapping.ToolJetReadKey(e.a))
}
