package provider

import (
	"context"
	"fmt"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

var (
	_ resource.Resource                = (*instanceOIDCResource)(nil)
	_ resource.ResourceWithConfigure   = (*instanceOIDCResource)(nil)
	_ resource.ResourceWithImportState = (*instanceOIDCResource)(nil)
)

// Default timeouts of the resources; each can be changed with the
// resource's timeouts attribute.
const (
	defaultWriteTimeout = 10 * time.Minute
	defaultReadTimeout  = 5 * time.Minute
)

// NewInstanceOIDCResource returns the tooljet_instance_oidc resource.
func NewInstanceOIDCResource() resource.Resource { return &instanceOIDCResource{} }

type instanceOIDCResource struct {
	data *providerData
}

func (r *instanceOIDCResource) Metadata(_ context.Context, req resource.MetadataRequest,
	resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance_oidc"
}

func (r *instanceOIDCResource) Schema(ctx context.Context, _ resource.SchemaRequest,
	resp *resource.SchemaResponse) {
	resp.Schema = instanceOIDCSchema(ctx)
}

func (r *instanceOIDCResource) Configure(_ context.Context, req resource.ConfigureRequest,
	resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (r *instanceOIDCResource) Create(ctx context.Context, req resource.CreateRequest,
	resp *resource.CreateResponse) {
	// Group sync writes of this run may wait for the secret or the record
	// that this writes.
	defer r.data.registry.instanceWriteStarted()()
	var plan, config instanceOIDCModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Create, defaultWriteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	change := plan.change(config, true, false)
	result := modify(ctx, r.data, "create", instanceWhat, func(d *ssostate.Draft) error {
		ownEarlierWrite := d.Attempt > 1 && d.Base.ClientID == change.settings.ClientID
		if d.Base.ClientID != "" && !ownEarlierWrite {
			return &alreadyConfiguredError{clientID: d.Base.ClientID}
		}
		change.apply(d)
		return nil
	}, &resp.Diagnostics)
	if result == nil {
		return
	}

	state := instanceOIDCFromSnapshot(ctx, result.Snapshot, plan, true, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

func (r *instanceOIDCResource) Read(ctx context.Context, req resource.ReadRequest,
	resp *resource.ReadResponse) {
	var state instanceOIDCModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Read, defaultReadTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	snap, err := r.data.store.Snapshot(ctx)
	if err != nil {
		addReadError(&resp.Diagnostics, "instance OIDC settings", err)
		return
	}
	if !snap.Exists || snap.ClientID == "" {
		tflog.Warn(ctx, "Instance OIDC configuration not found, removing it from state")
		resp.Diagnostics.AddWarning("Instance OIDC configuration deleted outside Terraform",
			"ToolJet has no instance OIDC client ID any more, so Terraform removed "+
				"tooljet_instance_oidc from its state and will plan to create it again.")
		resp.State.RemoveResource(ctx)
		return
	}

	defaultRowPresent := false
	if !snap.RecordFound {
		defaultWorkspace, err := r.data.store.DefaultWorkspaceID(ctx, false)
		if err != nil {
			addReadError(&resp.Diagnostics, "workspaces", err)
			return
		}
		_, defaultRowPresent = snap.Rows[defaultWorkspace]
	}
	if (state.Enabled.ValueBool() && !snap.Enabled) ||
		(!state.GroupSync.IsNull() && !snap.GroupSyncEnabled) {
		r.warnIfUnlicensed(ctx, &resp.Diagnostics)
	}
	newState := instanceOIDCFromSnapshot(ctx, snap, state, defaultRowPresent, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &newState)...)
}

// warnIfUnlicensed explains why ToolJet reports instance OIDC or group sync
// off when the license no longer includes OIDC, so that the plan's diff is
// not mistaken for an edit in the UI.
func (r *instanceOIDCResource) warnIfUnlicensed(ctx context.Context, diags *diag.Diagnostics) {
	access, err := r.data.client.GetLicenseAccess(ctx)
	if err != nil {
		tflog.Debug(ctx, "Unable to read ToolJet's license", map[string]any{"error": err.Error()})
		return
	}
	if access.OIDC == nil || *access.OIDC {
		return
	}
	diags.AddWarning("ToolJet's license no longer includes OIDC",
		"ToolJet reports instance OIDC or group sync switched off because its license does not "+
			"include OpenID Connect SSO any more (it expired or was downgraded). Terraform "+
			"plans to switch them on again, and the apply fails with HTTP 451 until a license "+
			"with OIDC is installed.")
}

func (r *instanceOIDCResource) Update(ctx context.Context, req resource.UpdateRequest,
	resp *resource.UpdateResponse) {
	// Group sync writes of this run may wait for the secret or the record
	// that this writes.
	defer r.data.registry.instanceWriteStarted()()
	var plan, state, config instanceOIDCModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, plan.Timeouts.Update, defaultWriteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	versionChanged := !plan.ClientSecretWOVersion.Equal(state.ClientSecretWOVersion)
	change := plan.change(config, false, versionChanged)
	result := modify(ctx, r.data, "update", instanceWhat, func(d *ssostate.Draft) error {
		if !d.Base.Exists || d.Base.ClientID == "" {
			return errInstanceOIDCGone
		}
		change.apply(d)
		return nil
	}, &resp.Diagnostics)
	if result == nil {
		return
	}

	newState := instanceOIDCFromSnapshot(ctx, result.Snapshot, plan, true, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &newState)...)
}

// Delete switches instance OIDC and group sync off and clears the client ID
// and secret. The other settings, the instance mapping and the rows that
// tooljet_workspace_group_sync resources manage stay; the default
// workspace's inherited row goes with default_workspace_inherits.
func (r *instanceOIDCResource) Delete(ctx context.Context, req resource.DeleteRequest,
	resp *resource.DeleteResponse) {
	var state instanceOIDCModel
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	ctx, cancel, ok := withTimeout(ctx, state.Timeouts.Delete, defaultWriteTimeout, &resp.Diagnostics)
	if !ok {
		return
	}
	defer cancel()

	modify(ctx, r.data, "delete", instanceWhat, func(d *ssostate.Draft) error {
		d.Deleting = true
		if !d.Base.Exists {
			return nil
		}
		cleared := ""
		off := false
		d.Enabled = &off
		d.Instance = &ssostate.InstanceSettings{
			Name:         d.Base.Name,
			WellKnownURL: d.Base.WellKnownURL,
			GrantType:    d.Base.GrantType,
			ClientSecret: &cleared,
			ClaimName:    d.Base.ClaimName,
		}
		d.Record.DefaultWorkspaceInherits = false
		return nil
	}, &resp.Diagnostics)
}

func (r *instanceOIDCResource) ImportState(ctx context.Context, req resource.ImportStateRequest,
	resp *resource.ImportStateResponse) {
	if req.ID != instanceOIDCID {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("The import ID of tooljet_instance_oidc must be %q, because a ToolJet "+
				"instance has one OIDC configuration; got %q.", instanceOIDCID, req.ID))
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), instanceOIDCID)...)
}

// withTimeout applies a resource timeout to ctx. get is one of the methods
// of timeouts.Value, such as plan.Timeouts.Create.
func withTimeout(ctx context.Context,
	get func(context.Context, time.Duration) (time.Duration, diag.Diagnostics),
	fallback time.Duration, diags *diag.Diagnostics) (context.Context, context.CancelFunc, bool) {
	timeout, d := get(ctx, fallback)
	diags.Append(d...)
	if d.HasError() {
		return ctx, func() {}, false
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	return ctx, cancel, true
}
