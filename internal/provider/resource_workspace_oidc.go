package provider

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
)

var (
	_ resource.Resource                = (*workspaceOIDCResource)(nil)
	_ resource.ResourceWithConfigure   = (*workspaceOIDCResource)(nil)
	_ resource.ResourceWithImportState = (*workspaceOIDCResource)(nil)
)

// maxCreateAttempts bounds how often Create sends its request. A create
// that fails ambiguously is sent again only after a read shows that ToolJet
// did not store it.
const maxCreateAttempts = 2

// NewWorkspaceOIDCResource returns the tooljet_workspace_oidc resource.
func NewWorkspaceOIDCResource() resource.Resource { return &workspaceOIDCResource{} }

type workspaceOIDCResource struct {
	data *providerData
}

func (r *workspaceOIDCResource) Metadata(_ context.Context, req resource.MetadataRequest,
	resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_workspace_oidc"
}

func (r *workspaceOIDCResource) Schema(ctx context.Context, _ resource.SchemaRequest,
	resp *resource.SchemaResponse) {
	resp.Schema = workspaceOIDCSchema(ctx)
}

func (r *workspaceOIDCResource) Configure(_ context.Context, req resource.ConfigureRequest,
	resp *resource.ConfigureResponse) {
	r.data = configureData(req.ProviderData, &resp.Diagnostics)
}

func (r *workspaceOIDCResource) Create(ctx context.Context, req resource.CreateRequest,
	resp *resource.CreateResponse) {
	var plan, config workspaceOIDCModel
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

	workspaceID := plan.WorkspaceID.ValueString()
	ctx = tflog.SetField(ctx, "workspace_id", workspaceID)
	if !r.checkWorkspaceID(ctx, workspaceID, &resp.Diagnostics) {
		return
	}
	settings := plan.settings(ctx, config, true, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	// ToolJet creates a new provider on every save without a config ID, so
	// the create is checked against the providers that exist before it,
	// under the host's write lock, so that two creates do not both pass the
	// check.
	unlock, err := r.data.store.Lock(ctx)
	if err != nil {
		addWorkspaceOIDCError(&resp.Diagnostics, "create", err)
		return
	}
	defer unlock()
	before, err := r.providers(ctx, workspaceID)
	if err != nil {
		addWorkspaceOIDCError(&resp.Diagnostics, "create", err)
		return
	}
	for _, p := range before {
		if p.ConfigString(mapping.ToolJetReadKey(oidcKeyClientID)) == settings.clientID {
			resp.Diagnostics.AddAttributeError(path.Root("client_id"),
				"Workspace OIDC provider already exists", (&providerExistsError{
					workspace: workspaceLabel(ctx, r.data.store, workspaceID),
					clientID:  settings.clientID, configID: p.ID, envManaged: p.UseEnvConfig,
				}).Error())
			return
		}
	}
	update, err := workspaceOIDCUpdate(nil, settings)
	if err != nil {
		addWorkspaceOIDCError(&resp.Diagnostics, "create", err)
		return
	}

	id, resent, err := r.createProvider(ctx, workspaceID, update, before, settings)
	if err != nil {
		addWorkspaceOIDCError(&resp.Diagnostics, "create", err)
		return
	}
	ctx = tflog.SetField(ctx, "config_id", id)
	after, err := r.providers(ctx, workspaceID)
	if err != nil {
		addWorkspaceOIDCError(&resp.Diagnostics, "read back the new", err)
		return
	}
	row := findProvider(after, id)
	if row == nil {
		addWorkspaceOIDCError(&resp.Diagnostics, "create", fmt.Errorf("ToolJet returned the "+
			"ID %s for the new OIDC provider, but workspace %s has no provider with that ID. "+
			"This is a bug in the provider or in ToolJet; please report it", id,
			workspaceLabel(ctx, r.data.store, workspaceID)))
		return
	}
	if resent {
		// The first request may have been stored after the read that
		// found nothing, so the second one made a duplicate.
		// NOTE: a first request that ToolJet stores only after this
		// read-back still leaves a duplicate that no check reports.
		created := newMatchingProviders(before, after, settings.clientID, settings.name)
		if len(created) > 1 {
			addWorkspaceOIDCError(&resp.Diagnostics, "create", r.duplicatesError(ctx,
				workspaceID, settings.clientID, created))
			return
		}
	}
	if findProvider(before, id) != nil {
		resp.Diagnostics.AddWarning("Existing workspace OIDC provider overwritten",
			fmt.Sprintf("ToolJet stored the settings in its existing OIDC provider %s of "+
				"workspace %s instead of creating a new one. This ToolJet version keeps one OIDC "+
				"provider per workspace, and the provider's previous settings are replaced. "+
				"Manage it with one tooljet_workspace_oidc resource only.", id,
				workspaceLabel(ctx, r.data.store, workspaceID)))
	}

	state := workspaceOIDCFromRow(ctx, row, workspaceID, plan, &resp.Diagnostics)
	if err := checkWritten(row, settings); err != nil {
		addReadBackError(&resp.Diagnostics, "create", id, err)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &state)...)
}

// createProvider sends the create and returns the new provider's ID. When
// ToolJet's reply leaves open whether it stored the provider, it reads the
// workspace's providers and looks for new ones with the planned client ID
// and name. It adopts a single match, sends the create again when there is
// none, and fails when there are several. resent reports whether the
// request was sent more than once.
func (r *workspaceOIDCResource) createProvider(ctx context.Context, workspaceID string,
	update client.SSOUpdate, before []client.SSOConfig,
	settings oidcProviderSettings) (id string, resent bool, err error) {
	for attempt := 1; ; attempt++ {
		tflog.Debug(ctx, "Creating workspace OIDC provider", map[string]any{"attempt": attempt})
		id, err := r.data.client.UpdateWorkspaceSSO(ctx, workspaceID, update)
		if err == nil && id != "" {
			return id, attempt > 1, nil
		}
		if err == nil {
			// A success without an ID: the provider was stored, so it is
			// looked up rather than created again.
			tflog.Warn(ctx, "ToolJet returned no ID for the new workspace OIDC provider, "+
				"reading the workspace's providers")
			created, readErr := r.createdProviders(ctx, workspaceID, before, settings)
			if readErr != nil {
				return "", false, fmt.Errorf("ToolJet accepted the OIDC provider without "+
					"returning its ID, and reading the workspace's providers failed: %w", readErr)
			}
			switch len(created) {
			case 1:
				return created[0].ID, attempt > 1, nil
			case 0:
				return "", false, fmt.Errorf("ToolJet accepted the OIDC provider without "+
					"returning its ID, but workspace %s has no new provider with the client ID "+
					"%q and the name %q. Check the workspace's SSO settings in ToolJet, then "+
					"apply again", workspaceLabel(ctx, r.data.store, workspaceID),
					settings.clientID, settings.name)
			default:
				return "", false, r.duplicatesError(ctx, workspaceID, settings.clientID, created)
			}
		}
		if !client.IsAmbiguous(err) {
			return "", false, err
		}
		tflog.Warn(ctx, "Create of workspace OIDC provider may not have been stored, "+
			"reading the workspace's providers", map[string]any{"error": err.Error()})
		created, readErr := r.createdProviders(ctx, workspaceID, before, settings)
		if readErr != nil {
			return "", false, fmt.Errorf("%w\n\nReading the workspace's OIDC providers to "+
				"find out whether ToolJet stored it failed too: %w", err, readErr)
		}
		switch {
		case len(created) == 1:
			tflog.Info(ctx, "Found the stored workspace OIDC provider",
				map[string]any{"config_id": created[0].ID})
			return created[0].ID, attempt > 1, nil
		case len(created) > 1:
			return "", false, r.duplicatesError(ctx, workspaceID, settings.clientID, created)
		case attempt >= maxCreateAttempts:
			return "", false, fmt.Errorf("ToolJet did not store the OIDC provider after %d "+
				"attempts. Apply again later. Last error: %w", attempt, err)
		}
		tflog.Info(ctx, "ToolJet did not store the workspace OIDC provider, sending the "+
			"create again")
	}
}

// createdProviders reads the workspace's providers and returns those that
// are not in before and have the planned client ID and name.
func (r *workspaceOIDCResource) createdProviders(ctx context.Context, workspaceID string,
	before []client.SSOConfig, settings oidcProviderSettings) ([]client.SSOConfig, error) {
	after, err := r.providers(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	return newMatchingProviders(before, after, settings.clientID, settings.name), nil
}

func (r *workspaceOIDCResource) duplicatesError(ctx context.Context, workspaceID,
	clientID string, created []client.SSOConfig) error {
	ids := make([]string, len(created))
	for i, p := range created {
		ids[i] = p.ID
	}
	slices.Sort(ids)
	return &duplicateProvidersError{
		workspace:    workspaceLabel(ctx, r.data.store, workspaceID),
		workspaceKey: workspaceImportKey(ctx, r.data, workspaceID),
		clientID:     clientID,
		configIDs:    ids,
	}
}

func (r *workspaceOIDCResource) Read(ctx context.Context, req resource.ReadRequest,
	resp *resource.ReadResponse) {
	var state workspaceOIDCModel
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
	id := state.ID.ValueString()
	ctx = tflog.SetField(ctx, "workspace_id", workspaceID)
	ctx = tflog.SetField(ctx, "config_id", id)
	providers, found, err := r.providersIfWorkspaceExists(ctx, workspaceID)
	if err != nil {
		addReadError(&resp.Diagnostics, "workspace OIDC provider", err)
		return
	}
	if !found {
		tflog.Warn(ctx, "Workspace not found, removing the OIDC provider from state")
		resp.Diagnostics.AddWarning("Workspace deleted outside Terraform",
			fmt.Sprintf("ToolJet has no active workspace %s any more, so Terraform removed its "+
				"OIDC provider %s from the state. Creating it again fails until the workspace "+
				"exists; remove the resource from the configuration or point workspace_id at "+
				"another workspace.", workspaceID, id))
		resp.State.RemoveResource(ctx)
		return
	}
	row := findProvider(providers, id)
	if row == nil {
		tflog.Warn(ctx, "Workspace OIDC provider not found, removing it from state")
		resp.Diagnostics.AddWarning("Workspace OIDC provider deleted outside Terraform",
			fmt.Sprintf("Workspace %s has no OIDC provider %s any more, so Terraform removed "+
				"it from the state and will plan to create it again.",
				workspaceLabel(ctx, r.data.store, workspaceID), id))
		resp.State.RemoveResource(ctx)
		return
	}

	newState := workspaceOIDCFromRow(ctx, row, workspaceID, state, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &newState)...)
}

func (r *workspaceOIDCResource) Update(ctx context.Context, req resource.UpdateRequest,
	resp *resource.UpdateResponse) {
	var plan, state, config workspaceOIDCModel
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

	workspaceID := state.WorkspaceID.ValueString()
	id := state.ID.ValueString()
	ctx = tflog.SetField(ctx, "workspace_id", workspaceID)
	ctx = tflog.SetField(ctx, "config_id", id)
	versionChanged := !plan.ClientSecretWOVersion.Equal(state.ClientSecretWOVersion)
	settings := plan.settings(ctx, config, versionChanged, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	// The host's write lock keeps a create of the same client ID from
	// passing its check while this update changes the client ID.
	unlock, err := r.data.store.Lock(ctx)
	if err != nil {
		addWorkspaceOIDCError(&resp.Diagnostics, "update", err)
		return
	}
	defer unlock()
	update, err := r.updateFor(ctx, workspaceID, id, settings)
	if err != nil {
		addWorkspaceOIDCError(&resp.Diagnostics, "update", err)
		return
	}
	tflog.Debug(ctx, "Updating workspace OIDC provider")
	savedID, err := r.data.client.UpdateWorkspaceSSO(ctx, workspaceID, update)
	if err != nil {
		addWorkspaceOIDCError(&resp.Diagnostics, "update", err)
		return
	}
	if savedID != "" && savedID != id {
		addWorkspaceOIDCError(&resp.Diagnostics, "update", fmt.Errorf("ToolJet stored the "+
			"settings as a new OIDC provider %s instead of updating %s, which was deleted "+
			"meanwhile. Remove %s from the state (terraform state rm), then import %s",
			savedID, id, id, savedID))
		return
	}

	providers, err := r.providers(ctx, workspaceID)
	if err != nil {
		addWorkspaceOIDCError(&resp.Diagnostics, "read back the updated", err)
		return
	}
	row := findProvider(providers, id)
	if row == nil {
		addWorkspaceOIDCError(&resp.Diagnostics, "update", providerGoneError(id))
		return
	}
	newState := workspaceOIDCFromRow(ctx, row, workspaceID, plan, &resp.Diagnostics)
	if err := checkWritten(row, settings); err != nil {
		addReadBackError(&resp.Diagnostics, "update", id, err)
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &newState)...)
}

// updateFor reads the provider and builds the update that writes settings
// over it.
func (r *workspaceOIDCResource) updateFor(ctx context.Context, workspaceID, id string,
	settings oidcProviderSettings) (client.SSOUpdate, error) {
	providers, err := r.providers(ctx, workspaceID)
	if err != nil {
		return client.SSOUpdate{}, err
	}
	row := findProvider(providers, id)
	if row == nil {
		return client.SSOUpdate{}, providerGoneError(id)
	}
	if row.UseEnvConfig {
		return client.SSOUpdate{}, &envManagedProviderError{configID: id}
	}
	for _, p := range providers {
		if p.ID != id && p.ConfigString(mapping.ToolJetReadKey(oidcKeyClientID)) == settings.clientID {
			return client.SSOUpdate{}, &providerExistsError{
				workspace: workspaceLabel(ctx, r.data.store, workspaceID),
				clientID:  settings.clientID, configID: p.ID, envManaged: p.UseEnvConfig,
			}
		}
	}
	update, err := workspaceOIDCUpdate(row, settings)
	if err != nil {
		return client.SSOUpdate{}, err
	}
	update.ConfigID = id
	return update, nil
}

// Delete deletes the provider with its group sync settings. When ToolJet
// has no delete route, it disables the provider and clears its client ID
// and secret instead.
func (r *workspaceOIDCResource) Delete(ctx context.Context, req resource.DeleteRequest,
	resp *resource.DeleteResponse) {
	var state workspaceOIDCModel
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
	id := state.ID.ValueString()
	ctx = tflog.SetField(ctx, "workspace_id", workspaceID)
	ctx = tflog.SetField(ctx, "config_id", id)
	ws, err := activeWorkspace(ctx, r.data, workspaceID)
	if err != nil {
		addWorkspaceOIDCError(&resp.Diagnostics, "delete", err)
		return
	}
	if ws == nil {
		tflog.Info(ctx, "Workspace not found, so its OIDC provider is already gone")
		return
	}

	tflog.Debug(ctx, "Deleting workspace OIDC provider")
	err = r.data.client.DeleteWorkspaceSSO(ctx, workspaceID, id)
	switch classifyDelete(err) {
	case deleteDone:
		return
	case deleteFailed:
		addWorkspaceOIDCError(&resp.Diagnostics, "delete", err)
		return
	case deleteUnclear:
		// A 404 that names neither a missing route nor a missing provider
		// may come from a proxy. Whether the provider is still there shows
		// which one it was.
		providers, readErr := r.providers(ctx, workspaceID)
		if readErr != nil {
			addWorkspaceOIDCError(&resp.Diagnostics, "delete", errors.Join(err, readErr))
			return
		}
		if findProvider(providers, id) == nil {
			return
		}
	}

	tflog.Warn(ctx, "ToolJet has no route to delete an OIDC provider, disabling it instead",
		map[string]any{"error": err.Error()})
	if err := r.disableProvider(ctx, workspaceID, id); err != nil {
		addWorkspaceOIDCError(&resp.Diagnostics, "delete", err)
		return
	}
	resp.Diagnostics.AddWarning("Workspace OIDC provider disabled, not deleted",
		fmt.Sprintf("This ToolJet version has no API route to delete an OIDC provider (%v), "+
			"so Terraform disabled provider %s of workspace %s and cleared its client ID and "+
			"client secret. The disabled provider stays in ToolJet; delete it in the "+
			"workspace's SSO settings if it is no longer needed.", err, id,
			workspaceLabel(ctx, r.data.store, workspaceID)))
}

// disableProvider switches a provider off and clears its client ID and
// secret, keeping its other settings.
func (r *workspaceOIDCResource) disableProvider(ctx context.Context, workspaceID, id string) error {
	providers, err := r.providers(ctx, workspaceID)
	if err != nil {
		return err
	}
	row := findProvider(providers, id)
	if row == nil {
		return nil
	}
	configs := map[string]any{}
	for key, value := range row.Configs {
		configs[camelCaseKey(key)] = value
	}
	configs[oidcKeyClientID] = ""
	configs[oidcKeyClientSecret] = ""
	off := false
	_, err = r.data.client.UpdateWorkspaceSSO(ctx, workspaceID, client.SSOUpdate{
		Type: client.SSOTypeOpenID, ConfigID: id, Enabled: &off, Configs: configs,
	})
	return err
}

// ImportState reads an import ID of the form <workspace ID or slug>/<config ID>.
func (r *workspaceOIDCResource) ImportState(ctx context.Context, req resource.ImportStateRequest,
	resp *resource.ImportStateResponse) {
	// A config ID is a UUID, so the last "/" separates it from the
	// workspace.
	separator := strings.LastIndex(req.ID, "/")
	if separator <= 0 || separator == len(req.ID)-1 {
		resp.Diagnostics.AddError("Invalid import ID",
			fmt.Sprintf("The import ID of tooljet_workspace_oidc must have the form "+
				"<workspace ID or slug>/<config ID>, such as "+
				"\"marketing/0b5d7e4c-1f3a-4c9e-8a62-2f7d9c1e5b40\"; got %q.", req.ID))
		return
	}
	workspaceKey, configID := req.ID[:separator], req.ID[separator+1:]
	ws, err := findWorkspace(ctx, r.data.store, workspaceKey)
	if err != nil {
		resp.Diagnostics.AddError("Invalid import ID", "The import ID of tooljet_workspace_oidc "+
			"starts with a workspace ID or slug. "+err.Error())
		return
	}
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), configID)...)
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("workspace_id"), ws.ID)...)
}

// providers returns the workspace's OIDC providers.
func (r *workspaceOIDCResource) providers(ctx context.Context,
	workspaceID string) ([]client.SSOConfig, error) {
	sso, err := r.data.client.GetWorkspaceSSO(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	return openIDProviders(sso.SSOConfigs), nil
}

// providersIfWorkspaceExists returns the workspace's OIDC providers, or
// found false when the workspace no longer exists. A failed read is checked
// against a fresh workspace list, because ToolJet rejects the login to a
// deleted workspace with 401 rather than reporting it as missing.
func (r *workspaceOIDCResource) providersIfWorkspaceExists(ctx context.Context,
	workspaceID string) (providers []client.SSOConfig, found bool, err error) {
	ws, err := activeWorkspace(ctx, r.data, workspaceID)
	if err != nil {
		return nil, false, err
	}
	if ws == nil {
		return nil, false, nil
	}
	providers, err = r.providers(ctx, workspaceID)
	if err == nil {
		return providers, true, nil
	}
	list, listErr := r.data.store.Workspaces(ctx, true)
	if listErr != nil {
		return nil, false, err
	}
	if slices.ContainsFunc(list, func(ws client.Workspace) bool { return ws.ID == workspaceID }) {
		return nil, false, err
	}
	return nil, false, nil
}

// checkWorkspaceID reports on the workspace_id attribute when it names no
// active workspace, or names one by slug or name rather than by ID.
func (r *workspaceOIDCResource) checkWorkspaceID(ctx context.Context, workspaceID string,
	diags *diag.Diagnostics) bool {
	return checkWorkspaceID(ctx, r.data, workspaceID, diags)
}

// activeWorkspace finds an active workspace by ID, fetching the workspace
// list again before it returns nil.
func activeWorkspace(ctx context.Context, data *providerData,
	id string) (*client.Workspace, error) {
	ws, _, err := lookupWorkspace(ctx, data.store, id, workspaceID)
	return ws, err
}

// workspaceImportKey returns a workspace's slug for import commands, or its
// ID when the cached list does not have it.
func workspaceImportKey(ctx context.Context, data *providerData, workspaceID string) string {
	list, err := data.store.Workspaces(ctx, false)
	if err == nil {
		for _, ws := range list {
			if ws.ID == workspaceID && ws.Slug != "" {
				return ws.Slug
			}
		}
	}
	return workspaceID
}

// deleteOutcome is the result of a DELETE request for a provider.
type deleteOutcome int

const (
	// deleteDone: the provider is deleted, or was already gone.
	deleteDone deleteOutcome = iota
	// deleteRouteMissing: ToolJet has no delete route.
	deleteRouteMissing
	// deleteUnclear: a 404 that names neither the route nor the provider.
	deleteUnclear
	// deleteFailed: any other error.
	deleteFailed
)

// Messages of ToolJet's 404 replies. NestJS replies to a request for a
// route it does not have with "Cannot <METHOD> <path>", and ToolJet's delete
// service replies to a missing provider with msgProviderNotFound.
//
// NOTE: ToolJet's public code has the delete service but not its route, so
// the reply of a ToolJet without the route is assumed to be NestJS's
// default. Any other 404 is resolved by reading the provider back.
const (
	msgRouteMissingPrefix = "Cannot " + http.MethodDelete + " "
	msgProviderNotFound   = "SSO configuration not found"
)

// classifyDelete reads the result of a DELETE request for a provider.
func classifyDelete(err error) deleteOutcome {
	if err == nil {
		return deleteDone
	}
	var apiErr *client.APIError
	if !errors.As(err, &apiErr) || apiErr.StatusCode != http.StatusNotFound {
		return deleteFailed
	}
	switch {
	case strings.HasPrefix(apiErr.Message, msgRouteMissingPrefix):
		return deleteRouteMissing
	case strings.Contains(apiErr.Message, msgProviderNotFound):
		return deleteDone
	}
	return deleteUnclear
}

// addWorkspaceOIDCError reports a failed write of a workspace OIDC provider.
func addWorkspaceOIDCError(diags *diag.Diagnostics, operation string, err error) {
	diags.AddError(fmt.Sprintf("Unable to %s workspace OIDC provider", operation),
		errorDetail(err))
}

// addReadBackError reports a write whose read-back differs from what was
// written.
func addReadBackError(diags *diag.Diagnostics, operation, id string, err error) {
	diags.AddError(fmt.Sprintf("Unable to %s workspace OIDC provider", operation),
		fmt.Sprintf("ToolJet accepted the write, but reading OIDC provider %s back shows "+
			"different settings: %v. Another tool may have changed the provider at the same "+
			"time, or this ToolJet version stores the settings differently. Run terraform "+
			"plan to see the difference, then apply again.", id, err))
}

func providerGoneError(id string) error {
	return fmt.Errorf("the OIDC provider %s was deleted in ToolJet while Terraform was "+
		"updating it; run terraform apply again to create it", id)
}

// providerExistsError stops a create of a provider whose client ID the
// workspace already uses.
type providerExistsError struct {
	workspace  string
	clientID   string
	configID   string
	envManaged bool
}

func (e *providerExistsError) Error() string {
	if e.envManaged {
		return fmt.Sprintf("Workspace %s already has an OIDC provider with the client ID %q "+
			"(config ID %s), and ToolJet manages it from environment variables "+
			"(WORKSPACE_OIDC_CONFIG, use_env_config is true). Remove it from ToolJet's "+
			"environment to manage it with Terraform, or use another client ID.",
			e.workspace, e.clientID, e.configID)
	}
	return fmt.Sprintf("Workspace %s already has an OIDC provider with the client ID %q "+
		"(config ID %s). To manage it with Terraform, import it: terraform import "+
		"tooljet_workspace_oidc.<name> <workspace ID or slug>/%s (or an import block with "+
		"that ID), then apply.", e.workspace, e.clientID, e.configID, e.configID)
}

// duplicateProvidersError reports a create that ToolJet stored more than
// once.
type duplicateProvidersError struct {
	workspace    string
	workspaceKey string
	clientID     string
	configIDs    []string
}

func (e *duplicateProvidersError) Error() string {
	return fmt.Sprintf("ToolJet stored the new OIDC provider of workspace %s more than once "+
		"after a failed request: providers %s all have the client ID %q. Terraform manages "+
		"none of them yet. Import one, for example: terraform import "+
		"tooljet_workspace_oidc.<name> %s/%s, and delete the others in the workspace's SSO "+
		"settings in ToolJet.", e.workspace, strings.Join(e.configIDs, ", "), e.clientID,
		e.workspaceKey, e.configIDs[0])
}

// envManagedProviderError reports a provider that ToolJet manages from
// environment variables.
type envManagedProviderError struct{ configID string }

func (e *envManagedProviderError) Error() string {
	return fmt.Sprintf("ToolJet manages the OIDC provider %s from environment variables "+
		"(WORKSPACE_OIDC_CONFIG, use_env_config is true), so changes made through the API "+
		"would conflict with them. Remove the provider from ToolJet's environment to manage "+
		"it with Terraform, or remove the resource from the configuration with a removed "+
		"block.", e.configID)
}

// oidcSecretUnknownError reports a provider whose settings cannot be written
// back without the client secret, which ToolJet did not return.
type oidcSecretUnknownError struct{ configID string }

func (e *oidcSecretUnknownError) Error() string {
	return fmt.Sprintf("ToolJet returned the OIDC provider %s with a client ID but an empty "+
		"client secret. Either no secret is stored, or this ToolJet version hides it when "+
		"read. ToolJet replaces the provider's settings as a whole on every save, so writing "+
		"them now could wipe a stored secret. Set client_secret, or client_secret_wo with its "+
		"client_secret_wo_version, and apply again.", e.configID)
}

var _ resource.ResourceWithModifyPlan = (*workspaceOIDCResource)(nil)

// ModifyPlan checks at plan time that workspace_id names an active
// workspace by its ID, so that a slug or a deleted workspace fails before
// anything is applied. It also rejects a client ID that another provider
// of the workspace uses, in this plan or in ToolJet, because a second
// provider with one client ID is a duplicate that ToolJet would keep.
func (r *workspaceOIDCResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest,
	resp *resource.ModifyPlanResponse) {
	if r.data == nil || req.Plan.Raw.IsNull() {
		return
	}
	var workspaceID, clientID types.String
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("workspace_id"), &workspaceID)...)
	resp.Diagnostics.Append(req.Plan.GetAttribute(ctx, path.Root("client_id"), &clientID)...)
	if resp.Diagnostics.HasError() || workspaceID.IsUnknown() || workspaceID.IsNull() {
		return
	}
	if !r.checkWorkspaceID(ctx, workspaceID.ValueString(), &resp.Diagnostics) {
		return
	}
	checkLicenseForCreate(ctx, req, r.data, &resp.Diagnostics)
	if clientID.IsUnknown() || clientID.IsNull() {
		return
	}
	if r.data.registry.replacement("tooljet_workspace_oidc "+req.Config.Raw.String(),
		req.State.Raw.IsNull()) {
		return
	}

	if r.data.registry.addWorkspaceOIDC(workspaceID.ValueString(), clientID.ValueString()) > 0 {
		resp.Diagnostics.AddAttributeError(path.Root("client_id"),
			"Duplicate workspace OIDC provider",
			fmt.Sprintf("Another tooljet_workspace_oidc resource in this configuration also "+
				"sets the client ID %q in workspace %s. ToolJet would keep two providers with "+
				"one client ID. Give each provider its own client_id, or remove one of the "+
				"resources.", clientID.ValueString(),
				workspaceLabel(ctx, r.data.store, workspaceID.ValueString())))
		return
	}
	r.checkClientIDFree(ctx, req, workspaceID.ValueString(), clientID.ValueString(),
		&resp.Diagnostics)
}

// checkClientIDFree reports on client_id when a create, a move to another
// workspace, or a change of the client ID would give the workspace a second
// provider with the same client ID. It reads the workspace's providers only
// in those cases. A
// failed read skips the check, because the apply checks again under the lock.
func (r *workspaceOIDCResource) checkClientIDFree(ctx context.Context,
	req resource.ModifyPlanRequest, workspaceID, clientID string, diags *diag.Diagnostics) {
	var ownID, priorClientID, priorWorkspaceID types.String
	if !req.State.Raw.IsNull() {
		diags.Append(req.State.GetAttribute(ctx, path.Root("id"), &ownID)...)
		diags.Append(req.State.GetAttribute(ctx, path.Root("client_id"), &priorClientID)...)
		diags.Append(req.State.GetAttribute(ctx, path.Root("workspace_id"), &priorWorkspaceID)...)
		if diags.HasError() {
			return
		}
		if priorWorkspaceID.ValueString() != workspaceID {
			// A new workspace replaces the provider, which is then new there.
			ownID = types.StringNull()
		} else if priorClientID.ValueString() == clientID {
			return
		}
	}
	providers, err := r.providers(ctx, workspaceID)
	if err != nil {
		tflog.Debug(ctx, "Skipping the plan-time client ID check", map[string]any{
			"workspace_id": workspaceID, "error": err.Error(),
		})
		return
	}
	for _, p := range providers {
		if p.ID == ownID.ValueString() ||
			p.ConfigString(mapping.ToolJetReadKey(oidcKeyClientID)) != clientID {
			continue
		}
		detail := (&providerExistsError{
			workspace: workspaceLabel(ctx, r.data.store, workspaceID),
			clientID:  clientID, configID: p.ID, envManaged: p.UseEnvConfig,
		}).Error()
		addStoredObjectDiag(diags, path.Root("client_id"), "Workspace OIDC provider already exists",
			detail, req.State.Raw.IsNull())
		return
	}
}
