package provider

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// diagAppender is what model builders need of a diagnostics collection.
type diagAppender interface {
	Append(...diag.Diagnostic)
}

// mapValue converts a Go map to a map(string) value.
func mapValue(ctx context.Context, m map[string]string, diags diagAppender) types.Map {
	if m == nil {
		m = map[string]string{}
	}
	value, d := types.MapValueFrom(ctx, types.StringType, m)
	diags.Append(d...)
	return value
}

// planContext is the remote state that plan-time checks compare with.
type planContext struct {
	snap             *ssostate.Snapshot
	defaultWorkspace string
}

// loadPlanContext reads ToolJet's current instance SSO state and default
// workspace, shared with every other read of this plan.
func loadPlanContext(ctx context.Context, data *providerData, diags *diag.Diagnostics) *planContext {
	snap, err := data.store.Snapshot(ctx)
	if err != nil {
		diags.AddError("Unable to read ToolJet instance SSO settings", errorDetail(err))
		return nil
	}
	defaultWorkspace, err := data.store.DefaultWorkspaceID(ctx, false)
	if err != nil {
		diags.AddError("Unable to read ToolJet workspaces", errorDetail(err))
		return nil
	}
	return &planContext{snap: snap, defaultWorkspace: defaultWorkspace}
}

// checkTargets warns about, or with strict_group_targets rejects, mapping
// targets that are not groups of the workspace: ToolJet ignores them at
// login. Role names always exist.
func checkTargets(ctx context.Context, data *providerData, workspaceID string,
	targets map[string]string, at func(idpGroup string) path.Path, diags *diag.Diagnostics) {
	var missing []string
	for idpGroup, target := range targets {
		if !mapping.IsRole(target) {
			missing = append(missing, idpGroup)
		}
	}
	if len(missing) == 0 {
		return
	}
	groups, err := data.store.Groups(ctx, workspaceID)
	if err != nil {
		diags.AddWarning("Unable to check group mapping targets",
			"The provider could not list the groups of workspace "+workspaceID+
				", so it did not check that the mapping targets exist: "+err.Error())
		return
	}
	custom := map[string]client.Group{}
	for _, g := range groups {
		if g.Type == client.GroupTypeCustom {
			custom[g.Name] = g
		}
	}
	slices.Sort(missing)
	label := workspaceLabel(ctx, data.store, workspaceID)
	for _, idpGroup := range missing {
		target := targets[idpGroup]
		group, ok := custom[target]
		var detail string
		switch {
		case !ok:
			detail = fmt.Sprintf("IdP group %q maps to %q, but workspace %s has no custom group "+
				"with that name (names are case-sensitive). ToolJet ignores a target that does not "+
				"exist at login and does not create it. Create the group in ToolJet, or map the "+
				"IdP group to an existing group: %s.", idpGroup, target, label,
				groupList(groups))
		case group.Disabled:
			detail = fmt.Sprintf("IdP group %q maps to custom group %q in workspace %s, which "+
				"ToolJet has disabled because the license does not include custom groups.",
				idpGroup, target, label)
		default:
			continue
		}
		if data.strictGroupTargets {
			diags.AddAttributeError(at(idpGroup), "Group mapping target not found", detail)
		} else {
			diags.AddAttributeWarning(at(idpGroup), "Group mapping target not found", detail+
				" Set strict_group_targets = true in the provider to make this an error.")
		}
	}
}

func groupList(groups []client.Group) string {
	names := make([]string, 0, len(groups))
	for _, g := range groups {
		names = append(names, fmt.Sprintf("%q", g.Name))
	}
	slices.Sort(names)
	if len(names) == 0 {
		return "none found"
	}
	return strings.Join(names, ", ")
}

// warnGroupSyncOff warns that a workspace setting has no effect while
// instance group sync is off. When tooljet_instance_oidc has not been planned
// yet, it may switch group sync on in this very plan, so the check waits for
// it briefly first.
func warnGroupSyncOff(ctx context.Context, data *providerData, pc *planContext, view *tableView,
	diags *diag.Diagnostics, what string) {
	if view.groupSyncOn {
		return
	}
	if !view.instancePlanned && data.registry.waitForInstance(ctx, instancePlanWait) {
		view = data.registry.view(pc.snap, pc.defaultWorkspace)
		if view.groupSyncOn {
			return
		}
	}
	view = data.registry.view(pc.snap, pc.defaultWorkspace)
	fix := "set group_sync.enabled = true on tooljet_instance_oidc"
	switch {
	case view.instancePlanned && view.instanceDestroyed:
		fix = "this plan destroys tooljet_instance_oidc, which switches instance OIDC and " +
			"group sync off. Keep a tooljet_instance_oidc with group_sync.enabled = true in the " +
			"configuration"
	case !view.instancePlanned:
		fix = "set group_sync.enabled = true on the tooljet_instance_oidc that manages this " +
			"ToolJet instance, in this configuration or another one"
	}
	diags.AddWarning("Instance group sync is off",
		what+" has no effect until instance group sync is on: "+fix+". ToolJet keeps the "+
			"setting meanwhile.")
}

// checkLicenseForCreate reports a plan that creates an OIDC provider on a
// ToolJet whose license does not include OpenID Connect SSO, which ToolJet
// would reject with HTTP 451 at apply time.
func checkLicenseForCreate(ctx context.Context, req resource.ModifyPlanRequest, data *providerData,
	diags *diag.Diagnostics) {
	if !req.State.Raw.IsNull() || req.Plan.Raw.IsNull() ||
		!data.registry.licenseLacksOIDC(ctx, data.client) {
		return
	}
	diags.AddError("ToolJet's license does not include OIDC",
		"ToolJet's license does not include OpenID Connect SSO (license field oidcEnabled), or "+
			"it expired and ToolJet fell back to the basic plan, so ToolJet would reject this "+
			"OIDC provider. Install a license whose plan includes OIDC, then plan again.")
}

// addStoredObjectDiag reports, at plan time, an object that ToolJet already
// stores where the resource would create one. Terraform plans the
// replacement of a tainted resource as a create, so when mayBeOwn is true
// the object may be the resource's own. That is a warning, and the apply,
// which deletes the tainted object first, decides. Otherwise it is an error.
func addStoredObjectDiag(diags *diag.Diagnostics, at path.Path, summary, detail string,
	mayBeOwn bool) {
	if !mayBeOwn {
		diags.AddAttributeError(at, summary, detail)
		return
	}
	diags.AddAttributeWarning(at, summary, detail+" If this is the resource's own object, "+
		"which Terraform replaces because it is tainted, the apply deletes it first and this "+
		"is no problem. Otherwise the apply fails.")
}

// warnSecretUnreadable warns, for a resource that plans a write of the
// instance SSO settings, when ToolJet returns its client ID without a secret
// and tooljet_instance_oidc does not store one in this run. Every write
// carries the whole configs object, so the apply would fail rather than
// wipe a secret that ToolJet may hide.
func warnSecretUnreadable(req resource.ModifyPlanRequest, data *providerData, pc *planContext,
	diags *diag.Diagnostics) {
	if req.Plan.Raw.IsNull() || req.Plan.Raw.Equal(req.State.Raw) ||
		pc.snap.ClientID == "" || pc.snap.ClientSecret != "" || data.registry.instanceSetsSecret() {
		return
	}
	diags.AddWarning("Instance client secret not readable",
		"ToolJet returns the instance OIDC configuration with a client ID but without a client "+
			"secret: either none is stored, or ToolJet hides stored secrets. Every write of the "+
			"group sync settings rewrites that configuration, so applying this change fails, "+
			"rather than risk wiping the secret, unless tooljet_instance_oidc stores a secret in "+
			"the same apply and ToolJet returns it. If no secret is stored, set client_secret_wo "+
			"and client_secret_wo_version on tooljet_instance_oidc.")
}

// noEnabledWorkspaceDetail explains the "last enabled workspace" rule.
func noEnabledWorkspaceDetail(change string) string {
	return change + " would leave instance group sync on with no enabled workspace in the " +
		"group sync table, and ToolJet requires at least one. Keep another workspace enabled " +
		"(a tooljet_workspace_group_sync with enabled = true, or default_workspace_inherits = " +
		"true on tooljet_instance_oidc), or switch instance group sync off with " +
		"group_sync.enabled = false."
}

// mapKeysPath returns a function giving the path of a map attribute's
// element.
func mapKeysPath(attribute path.Path) func(string) path.Path {
	return func(key string) path.Path { return attribute.AtMapKey(key) }
}

// workspaceManagedError stops a second tooljet_workspace_group_sync for
// one workspace.
type workspaceManagedError struct{ workspace string }

func (e *workspaceManagedError) Error() string {
	return fmt.Sprintf("Workspace %s is already managed by a tooljet_workspace_group_sync "+
		"(in this configuration or another one). A workspace can have only one. If this "+
		"configuration manages it under another address, because a resource or a for_each "+
		"key was renamed, add a moved block from the old address to the new one; importing "+
		"it instead would let Terraform destroy the old address and remove the workspace "+
		"from group sync. Otherwise remove one of them.", e.workspace)
}

// workspaceInTableError stops a create for a workspace that was added to
// the group sync table outside Terraform.
type workspaceInTableError struct{ workspace string }

func (e *workspaceInTableError) Error() string {
	return fmt.Sprintf("Workspace %s is already in ToolJet's instance group sync table (added "+
		"outside Terraform), and creating the resource would overwrite its settings. Import it "+
		"instead: terraform import <address> <workspace ID or slug>.", e.workspace)
}

// ownedMappingError reports tooljet_group_mapping entries on a workspace
// whose whole mapping a tooljet_workspace_group_sync owns.
type ownedMappingError struct {
	workspace string
	entries   map[string]string
}

func (e *ownedMappingError) Error() string {
	return fmt.Sprintf("Workspace %s has tooljet_group_mapping entries (%s), so its "+
		"tooljet_workspace_group_sync cannot set group_mapping, which would own the whole "+
		"mapping. Move the entries into group_mapping and remove those resources, or leave "+
		"group_mapping unset.", e.workspace, quotedKeys(e.entries))
}

func quotedKeys(m map[string]string) string {
	keys := slices.Sorted(maps.Keys(m))
	for i, key := range keys {
		keys[i] = fmt.Sprintf("%q", key)
	}
	return strings.Join(keys, ", ")
}
