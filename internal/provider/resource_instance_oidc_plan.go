package provider

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

var _ resource.ResourceWithModifyPlan = (*instanceOIDCResource)(nil)

// groupSyncPath is the path of plan-time diagnostics about the group_sync
// arguments. Terraform shows the configuration lines of a top-level
// attribute, but not those of an attribute nested in it.
var groupSyncPath = path.Root("group_sync")

// ModifyPlan checks the planned group sync settings against the group sync
// table: at least one workspace stays enabled while group sync is on, and
// the instance mapping does not contradict tooljet_group_mapping entries of
// inheriting workspaces.
func (r *instanceOIDCResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest,
	resp *resource.ModifyPlanResponse) {
	if r.data == nil {
		return
	}
	if req.Plan.Raw.IsNull() {
		r.data.registry.addInstance(&plannedInstance{destroy: true})
		return
	}
	var plan instanceOIDCModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	if resp.Diagnostics.HasError() || plan.GroupSync.IsUnknown() {
		return
	}
	planned := &plannedInstance{setsSecret: setsSecret(ctx, req, plan, &resp.Diagnostics)}
	var sync groupSyncModel
	if !plan.GroupSync.IsNull() {
		resp.Diagnostics.Append(plan.GroupSync.As(ctx, &sync, basetypes.ObjectAsOptions{})...)
		if resp.Diagnostics.HasError() || sync.Enabled.IsUnknown() ||
			sync.DefaultWorkspaceInherits.IsUnknown() || sync.ClaimName.IsUnknown() {
			return
		}
		planned.groupSyncOn = sync.Enabled.ValueBool()
		planned.defaultInherits = sync.DefaultWorkspaceInherits.ValueBool()
		planned.claimName = sync.ClaimName.ValueString()
		if !sync.GroupMapping.IsUnknown() {
			planned.mapping = stringMapValue(sync.GroupMapping)
		}
	}

	pc := loadPlanContext(ctx, r.data, &resp.Diagnostics)
	if pc == nil {
		return
	}
	// After the read, so that a Community Edition gets its own error.
	checkLicenseForCreate(ctx, req, r.data, &resp.Diagnostics)
	// A plan without changes still updates the instance when ToolJet lost
	// what only this resource writes. The unknown id makes the plan show that
	// update. A plan with other changes writes both anyway.
	unchanged := !req.State.Raw.IsNull() && req.Plan.Raw.Equal(req.State.Raw) &&
		!plan.GroupSync.IsNull()
	var summary, rewrite string
	switch {
	case unchanged && pc.snap.Exists && !pc.snap.RecordFound:
		summary = "Provider record missing in ToolJet"
		rewrite = "ToolJet's instance OIDC settings do not contain the provider's record (the " +
			"configs key " + ssostate.RecordKey + "), which a save of those settings in " +
			"ToolJet's UI removes. This plan updates tooljet_instance_oidc to write the " +
			"instance values and the record again."
	case unchanged && planned.defaultInherits && defaultRowDrifted(pc):
		// No other resource writes the row of an inheriting default workspace.
		summary = "Default workspace's group sync row changed"
		rewrite = "The group sync row of the default workspace no longer contains the instance " +
			"claim name and mapping that it inherits, because it was changed or removed " +
			"outside Terraform. This plan updates tooljet_instance_oidc to write it again."
	}
	if rewrite != "" {
		resp.Diagnostics.Append(resp.Plan.SetAttribute(ctx, path.Root("id"),
			types.StringUnknown())...)
		planned.writes = true
		resp.Diagnostics.AddWarning(summary, rewrite)
	}
	if req.State.Raw.IsNull() || !req.Plan.Raw.Equal(req.State.Raw) {
		planned.writes = true
	}
	if plan.GroupSync.IsNull() {
		// Without the block the provider leaves the stored claim, mapping
		// and default workspace setting as they are.
		planned.claimName = pc.snap.InstanceClaimName()
		planned.mapping = pc.snap.InstanceMapping()
		planned.defaultInherits = pc.snap.Record.DefaultWorkspaceInherits
	}
	r.data.registry.addInstance(planned)
	warnNoSecret(ctx, req, plan, pc, &resp.Diagnostics)
	if !planned.groupSyncOn {
		return
	}
	view := r.data.registry.view(pc.snap, pc.defaultWorkspace)

	// tooljet_workspace_group_sync resources of this plan may be planned after
	// this resource, so an empty table is only a warning here. The workspace
	// resources check the rule again when they are planned, and the apply
	// fails before it writes anything if the rule still does not hold.
	if view.enabledRows() == 0 {
		detail := noEnabledWorkspaceDetail("This instance group sync setting")
		if !planned.defaultInherits {
			detail = "default_workspace_inherits = false removes the default workspace from " +
				"instance group sync, and no other enabled workspace is in the group sync table " +
				"or planned so far. Unless a tooljet_workspace_group_sync in this configuration " +
				"adds one, the apply fails before it changes anything. Add a workspace with a " +
				"tooljet_workspace_group_sync, or keep default_workspace_inherits = true."
		}
		resp.Diagnostics.AddAttributeWarning(groupSyncPath, "No enabled workspace in the "+
			"group sync table", detail)
	}
	if planned.mapping == nil {
		return
	}

	instanceReadKeys := make(map[string]string, len(planned.mapping))
	for name := range planned.mapping {
		instanceReadKeys[mapping.ToolJetReadKey(name)] = name
	}
	for workspaceID, entries := range r.data.registry.allMappings(pc.snap) {
		if view.ownsMapping[workspaceID] {
			continue
		}
		for idpGroup, target := range entries {
			if name, ok := instanceReadKeys[mapping.ToolJetReadKey(idpGroup)]; ok && name != idpGroup {
				resp.Diagnostics.AddAttributeError(groupSyncPath,
					"Instance mapping collides with a tooljet_group_mapping",
					(&readKeyCollisionError{workspace: workspaceLabel(ctx, r.data.store,
						workspaceID), a: name, b: idpGroup}).Error()+" The first name is in "+
						"this instance mapping, and the second is a tooljet_group_mapping entry of "+
						"that workspace, in this configuration or another one, which inherits the "+
						"instance mapping.")
				continue
			}
			inherited, ok := planned.mapping[idpGroup]
			if !ok || mapping.NormalizeTarget(inherited) == mapping.NormalizeTarget(target) {
				continue
			}
			resp.Diagnostics.AddAttributeError(groupSyncPath,
				"Instance mapping contradicts a tooljet_group_mapping",
				(&inheritedConflictError{workspace: workspaceLabel(ctx, r.data.store, workspaceID),
					idpGroup: idpGroup, inherited: inherited, target: target}).Error())
		}
	}
	if planned.defaultInherits && pc.defaultWorkspace != "" && !view.ownsMapping[pc.defaultWorkspace] {
		checkTargets(ctx, r.data, pc.defaultWorkspace, planned.mapping,
			func(string) path.Path { return groupSyncPath },
			&resp.Diagnostics)
	}
}

// defaultRowDrifted reports whether the default workspace, inheriting the
// instance values and managed by no tooljet_workspace_group_sync, has a row
// that differs from them or has none.
func defaultRowDrifted(pc *planContext) bool {
	snap := pc.snap
	if !snap.RecordFound || pc.defaultWorkspace == "" {
		return false
	}
	if ws := snap.Record.Lookup(pc.defaultWorkspace); ws != nil && (ws.Managed || ws.Retired) {
		return false
	}
	row := snap.Rows[pc.defaultWorkspace]
	if row == nil {
		return true
	}
	desired := ssostate.Desired(snap.Record, pc.defaultWorkspace, snap.InstanceClaimName())
	return row.ClaimName != desired.ClaimName || !ssostate.SameAsRead(desired.Mapping, row.MappingRead)
}

// setsSecret reports whether applying the plan writes a client secret:
// client_secret, or client_secret_wo on a create or with a new version.
func setsSecret(ctx context.Context, req resource.ModifyPlanRequest, plan instanceOIDCModel,
	diags *diag.Diagnostics) bool {
	if !plan.ClientSecret.IsNull() {
		return true
	}
	var configWO types.String
	diags.Append(req.Config.GetAttribute(ctx, path.Root("client_secret_wo"), &configWO)...)
	if configWO.IsNull() {
		return false
	}
	if req.State.Raw.IsNull() {
		return true
	}
	var priorVersion types.Int64
	diags.Append(req.State.GetAttribute(ctx, path.Root("client_secret_wo_version"),
		&priorVersion)...)
	return !priorVersion.Equal(plan.ClientSecretWOVersion)
}

// warnNoSecret warns when the configuration gives no client secret and
// ToolJet holds none: the Authorization Code grant needs one, and the group
// sync resources refuse to rewrite a configuration whose secret they cannot
// see.
func warnNoSecret(ctx context.Context, req resource.ModifyPlanRequest, plan instanceOIDCModel,
	pc *planContext, diags *diag.Diagnostics) {
	var configWO types.String
	diags.Append(req.Config.GetAttribute(ctx, path.Root("client_secret_wo"), &configWO)...)
	if !plan.ClientSecret.IsNull() || !configWO.IsNull() || pc.snap.ClientSecret != "" ||
		plan.GrantType.ValueString() != ssostate.GrantTypeAuthorizationCode {
		return
	}
	diags.AddAttributeWarning(path.Root("client_secret_wo"), "No client secret",
		"Neither client_secret nor client_secret_wo is set, and ToolJet holds no client secret "+
			"for instance OIDC. The Authorization Code grant needs one to sign users in, and "+
			"tooljet_workspace_group_sync and tooljet_group_mapping cannot write while a client "+
			"ID has no secret. Set client_secret_wo and client_secret_wo_version.")
}
