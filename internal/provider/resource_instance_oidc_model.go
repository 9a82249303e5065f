package provider

import (
	"context"
	"maps"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// instanceOIDCModel is the tooljet_instance_oidc resource data.
type instanceOIDCModel struct {
	ID                    types.String   `tfsdk:"id"`
	Enabled               types.Bool     `tfsdk:"enabled"`
	Name                  types.String   `tfsdk:"name"`
	ClientID              types.String   `tfsdk:"client_id"`
	ClientSecret          types.String   `tfsdk:"client_secret"`
	ClientSecretWO        types.String   `tfsdk:"client_secret_wo"`
	ClientSecretWOVersion types.Int64    `tfsdk:"client_secret_wo_version"`
	WellKnownURL          types.String   `tfsdk:"well_known_url"`
	GrantType             types.String   `tfsdk:"grant_type"`
	GroupSync             types.Object   `tfsdk:"group_sync"`
	Timeouts              timeouts.Value `tfsdk:"timeouts"`
}

// groupSyncModel is the group_sync attribute.
type groupSyncModel struct {
	Enabled                  types.Bool   `tfsdk:"enabled"`
	ClaimName                types.String `tfsdk:"claim_name"`
	GroupMapping             types.Map    `tfsdk:"group_mapping"`
	DefaultWorkspaceInherits types.Bool   `tfsdk:"default_workspace_inherits"`
}

var groupSyncAttrTypes = map[string]attr.Type{
	"enabled":                    types.BoolType,
	"claim_name":                 types.StringType,
	"group_mapping":              types.MapType{ElemType: types.StringType},
	"default_workspace_inherits": types.BoolType,
}

// instanceChange is the planned change to the instance OIDC configuration.
type instanceChange struct {
	enabled  bool
	settings ssostate.InstanceSettings
	// secretIfHidden is client_secret_wo when the change does not write
	// it: it replaces the stored secret only when ToolJet hides that one.
	secretIfHidden *string
	// groupSync is nil when the configuration has no group_sync block.
	groupSync *groupSyncChange
}

type groupSyncChange struct {
	mapping                  map[string]string
	defaultWorkspaceInherits bool
}

// change reads the planned values. The secret comes from client_secret, or
// from the write-only client_secret_wo when the resource is created or its
// version changed. Otherwise the stored secret is kept, and client_secret_wo
// is written only when ToolJet hides the stored secret.
func (m instanceOIDCModel) change(config instanceOIDCModel, creating, versionChanged bool) instanceChange {
	c := instanceChange{
		enabled: m.Enabled.ValueBool(),
		settings: ssostate.InstanceSettings{
			Name:         m.Name.ValueString(),
			ClientID:     m.ClientID.ValueString(),
			WellKnownURL: m.WellKnownURL.ValueString(),
			GrantType:    m.GrantType.ValueString(),
		},
	}
	switch {
	case !m.ClientSecret.IsNull():
		secret := m.ClientSecret.ValueString()
		c.settings.ClientSecret = &secret
	case !config.ClientSecretWO.IsNull() && (creating || versionChanged):
		secret := config.ClientSecretWO.ValueString()
		c.settings.ClientSecret = &secret
	case !config.ClientSecretWO.IsNull():
		secret := config.ClientSecretWO.ValueString()
		c.secretIfHidden = &secret
	}

	var sync groupSyncModel
	if m.GroupSync.IsNull() || m.GroupSync.IsUnknown() ||
		m.GroupSync.As(context.Background(), &sync, basetypes.ObjectAsOptions{}).HasError() {
		return c
	}
	c.settings.GroupSyncEnabled = sync.Enabled.ValueBool()
	c.settings.ClaimName = sync.ClaimName.ValueString()
	c.groupSync = &groupSyncChange{
		mapping:                  stringMapValue(sync.GroupMapping),
		defaultWorkspaceInherits: sync.DefaultWorkspaceInherits.ValueBool(),
	}
	return c
}

// apply writes the change into a draft. Without a group_sync block, group
// sync is switched off and its stored claim name and mapping are kept.
func (c instanceChange) apply(d *ssostate.Draft) {
	settings := c.settings
	enabled := c.enabled
	d.Enabled = &enabled
	d.SecretIfHidden = c.secretIfHidden
	if c.groupSync == nil {
		settings.ClaimName = d.Base.ClaimName
		settings.GroupSyncEnabled = false
		d.Instance = &settings
		if !d.Base.RecordFound {
			// NOTE: without the record the stored spelling of the instance
			// mapping is unknown, so it is kept as ToolJet returns it. Group
			// sync is off, and ToolJet's login reads the rows, which keep
			// their own mappings, so a rewritten key here is assumed to
			// change no sign-in.
			d.Record.InstanceMapping = maps.Clone(d.Base.MappingRead)
			d.ReplaceForeignInstanceMapping()
		}
		return
	}
	d.Instance = &settings
	d.Record.InstanceMapping = maps.Clone(c.groupSync.mapping)
	d.Record.DefaultWorkspaceInherits = c.groupSync.defaultWorkspaceInherits
	d.ReplaceForeignInstanceMapping()
}

// instanceOIDCFromSnapshot builds the resource data from what ToolJet
// returned. prior supplies what ToolJet cannot return: the exact spelling of
// mapping keys it does not have in its record, the secret when ToolJet hides
// it, and the write-only version. The client secret is read from ToolJet only
// when prior has one, so that an import never puts a secret into state.
//
// defaultRowPresent tells whether the default workspace has a group-sync
// row, which replaces default_workspace_inherits when ToolJet holds no
// record of the provider.
func instanceOIDCFromSnapshot(ctx context.Context, snap *ssostate.Snapshot, prior instanceOIDCModel,
	defaultRowPresent bool, diags *diag.Diagnostics) instanceOIDCModel {
	m := instanceOIDCModel{
		ID:                    types.StringValue(instanceOIDCID),
		Enabled:               types.BoolValue(snap.Enabled),
		Name:                  types.StringValue(snap.Name),
		ClientID:              types.StringValue(snap.ClientID),
		ClientSecret:          prior.ClientSecret,
		ClientSecretWO:        types.StringNull(),
		ClientSecretWOVersion: prior.ClientSecretWOVersion,
		WellKnownURL:          types.StringValue(snap.WellKnownURL),
		GrantType:             types.StringValue(snap.GrantType),
		Timeouts:              prior.Timeouts,
	}
	if snap.GrantType == "" {
		m.GrantType = types.StringValue(ssostate.GrantTypeAuthorizationCode)
	}
	if !prior.ClientSecret.IsNull() && readableSecret(snap.ClientSecret) {
		m.ClientSecret = types.StringValue(snap.ClientSecret)
	}
	if m.Timeouts.IsNull() || m.Timeouts.IsUnknown() {
		m.Timeouts = timeouts.Value{Object: types.ObjectNull(timeoutAttrTypes())}
	}

	if prior.GroupSync.IsNull() && !snap.GroupSyncEnabled {
		m.GroupSync = types.ObjectNull(groupSyncAttrTypes)
		return m
	}
	var priorSync groupSyncModel
	if !prior.GroupSync.IsNull() && !prior.GroupSync.IsUnknown() {
		diags.Append(prior.GroupSync.As(ctx, &priorSync, basetypes.ObjectAsOptions{})...)
	}
	inherits := snap.Record.DefaultWorkspaceInherits
	if !snap.RecordFound {
		inherits = defaultRowPresent
	}
	mappingValue, d := types.MapValueFrom(ctx, types.StringType, ssostate.Spell(
		snap.MappingRead, snap.Record.InstanceMapping, stringMapValue(priorSync.GroupMapping)))
	diags.Append(d...)
	sync, d := types.ObjectValueFrom(ctx, groupSyncAttrTypes, groupSyncModel{
		Enabled:                  types.BoolValue(snap.GroupSyncEnabled),
		ClaimName:                types.StringValue(snap.InstanceClaimName()),
		GroupMapping:             mappingValue,
		DefaultWorkspaceInherits: types.BoolValue(inherits),
	})
	diags.Append(d...)
	m.GroupSync = sync
	return m
}

// readableSecret reports whether a secret returned by ToolJet is its real
// value rather than a placeholder for a hidden one.
func readableSecret(secret string) bool {
	if secret == "" {
		return false
	}
	for _, r := range secret {
		if r != '*' {
			return true
		}
	}
	return false
}

// stringMapValue converts a known map(string) to a Go map; null and
// unknown give nil, and unknown elements are left out.
func stringMapValue(m types.Map) map[string]string {
	if m.IsNull() || m.IsUnknown() {
		return nil
	}
	out := make(map[string]string, len(m.Elements()))
	for key, value := range m.Elements() {
		s, ok := value.(types.String)
		if !ok || s.IsNull() || s.IsUnknown() {
			continue
		}
		out[key] = s.ValueString()
	}
	return out
}

func timeoutAttrTypes() map[string]attr.Type {
	return map[string]attr.Type{
		"create": types.StringType,
		"read":   types.StringType,
		"update": types.StringType,
		"delete": types.StringType,
	}
}
