package provider

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/terraform-plugin-framework-timeouts/resource/timeouts"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// Keys of a workspace OIDC provider's configs object as ToolJet stores them.
// Its read endpoints return them in snake_case (see mapping.ToolJetReadKey).
const (
	oidcKeyName         = "name"
	oidcKeyClientID     = "clientId"
	oidcKeyClientSecret = "clientSecret"
	oidcKeyWellKnownURL = "wellKnownUrl"
	oidcKeyGrantType    = "grantType"
)

// workspaceOIDCModel is the tooljet_workspace_oidc resource data.
type workspaceOIDCModel struct {
	ID                    types.String   `tfsdk:"id"`
	WorkspaceID           types.String   `tfsdk:"workspace_id"`
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

// workspaceOIDCGroupSyncModel is the group_sync attribute of
// tooljet_workspace_oidc.
type workspaceOIDCGroupSyncModel struct {
	Enabled      types.Bool   `tfsdk:"enabled"`
	ClaimName    types.String `tfsdk:"claim_name"`
	GroupMapping types.Map    `tfsdk:"group_mapping"`
}

// oidcProviderSettings are the planned settings of a workspace OIDC provider.
type oidcProviderSettings struct {
	enabled      bool
	name         string
	clientID     string
	wellKnownURL string
	grantType    string
	// clientSecret is nil when the secret stored in ToolJet is kept.
	clientSecret *string
	// secretIfHidden is client_secret_wo when clientSecret is nil: it
	// replaces the stored secret only when ToolJet hides that one.
	secretIfHidden *string
	// groupSync is nil when the configuration has no group_sync block.
	groupSync *oidcGroupSyncSettings
}

type oidcGroupSyncSettings struct {
	enabled   bool
	claimName string
	mapping   map[string]string
}

// settings reads the planned values. The secret comes from client_secret,
// or from the write-only client_secret_wo when sendWriteOnly is set, which
// Create does and Update does when client_secret_wo_version changed.
// Otherwise the secret stored in ToolJet is kept.
func (m workspaceOIDCModel) settings(ctx context.Context, config workspaceOIDCModel,
	sendWriteOnly bool, diags *diag.Diagnostics) oidcProviderSettings {
	s := oidcProviderSettings{
		enabled:      m.Enabled.ValueBool(),
		name:         m.Name.ValueString(),
		clientID:     m.ClientID.ValueString(),
		wellKnownURL: m.WellKnownURL.ValueString(),
		grantType:    m.GrantType.ValueString(),
	}
	switch {
	case !m.ClientSecret.IsNull():
		secret := m.ClientSecret.ValueString()
		s.clientSecret = &secret
	case !config.ClientSecretWO.IsNull() && sendWriteOnly:
		secret := config.ClientSecretWO.ValueString()
		s.clientSecret = &secret
	case !config.ClientSecretWO.IsNull():
		secret := config.ClientSecretWO.ValueString()
		s.secretIfHidden = &secret
	}
	if m.GroupSync.IsNull() || m.GroupSync.IsUnknown() {
		return s
	}
	var sync workspaceOIDCGroupSyncModel
	diags.Append(m.GroupSync.As(ctx, &sync, basetypes.ObjectAsOptions{})...)
	mappingValue := stringMapValue(sync.GroupMapping)
	if mappingValue == nil {
		mappingValue = map[string]string{}
	}
	s.groupSync = &oidcGroupSyncSettings{
		enabled:   sync.Enabled.ValueBool(),
		claimName: sync.ClaimName.ValueString(),
		mapping:   mappingValue,
	}
	return s
}

// workspaceOIDCUpdate builds the PATCH body that writes s over row, or
// creates a provider when row is nil. ToolJet replaces the whole stored
// configs object, so the body carries every key that ToolJet returned for
// the row, including the stored client secret unless s sets a new one.
func workspaceOIDCUpdate(row *client.SSOConfig, s oidcProviderSettings) (client.SSOUpdate, error) {
	configs := map[string]any{}
	if row != nil {
		for key, value := range row.Configs {
			configs[camelCaseKey(key)] = value
		}
	}
	configs[oidcKeyName] = s.name
	configs[oidcKeyClientID] = s.clientID
	configs[oidcKeyWellKnownURL] = s.wellKnownURL
	configs[oidcKeyGrantType] = s.grantType

	switch stored := row.ConfigString(mapping.ToolJetReadKey(oidcKeyClientSecret)); {
	case s.clientSecret != nil:
		configs[oidcKeyClientSecret] = *s.clientSecret
	case row == nil || readableSecret(stored):
		// A create without a secret sends none, and an update writes back
		// the stored secret that it copied above.
	case secretMayBeHidden(row) && s.secretIfHidden != nil:
		configs[oidcKeyClientSecret] = *s.secretIfHidden
	case secretMayBeHidden(row):
		return client.SSOUpdate{}, &oidcSecretUnknownError{configID: row.ID}
	default:
		// A placeholder for a hidden secret must not be written back as
		// the secret. The row has no client ID or a grant type that needs
		// no secret, so there is nothing to lose.
		delete(configs, oidcKeyClientSecret)
	}

	enabled := s.enabled
	update := client.SSOUpdate{Type: client.SSOTypeOpenID, Enabled: &enabled, Configs: configs}
	switch {
	case s.groupSync != nil:
		// NOTE: ToolJet's public tests send enableGroupSync in the items,
		// but its public code does not show that a workspace-level save
		// stores it. The read-back check reports a ToolJet that ignores it.
		claim := s.groupSync.claimName
		mappingCopy := make(map[string]string, len(s.groupSync.mapping))
		for key, target := range s.groupSync.mapping {
			mappingCopy[key] = target
		}
		syncOn := s.groupSync.enabled
		update.GroupSyncs = []client.GroupSyncItem{{
			ClaimName: &claim, GroupMapping: &mappingCopy, EnableGroupSync: &syncOn,
		}}
	case row != nil && providerGroupSync(row) != nil:
		// Without the block, group sync is switched off and the stored
		// claim name and mapping are kept: ToolJet merges the item into
		// the stored row.
		off := false
		update.GroupSyncs = []client.GroupSyncItem{{EnableGroupSync: &off}}
	}
	return update, nil
}

// secretMayBeHidden reports whether a row that ToolJet returned without a
// readable client secret may still store one that a write would wipe: it
// has a client ID and a grant type that uses a secret.
func secretMayBeHidden(row *client.SSOConfig) bool {
	if row.ConfigString(mapping.ToolJetReadKey(oidcKeyClientID)) == "" {
		return false
	}
	grant := row.ConfigString(mapping.ToolJetReadKey(oidcKeyGrantType))
	return grant == "" || grant == ssostate.GrantTypeAuthorizationCode
}

// providerGroupSync returns the group-sync row of a workspace OIDC provider,
// or nil. A workspace-level provider has at most one.
func providerGroupSync(row *client.SSOConfig) *client.GroupSync {
	if row == nil || len(row.GroupSyncs) == 0 {
		return nil
	}
	return &row.GroupSyncs[0]
}

// groupSyncOn reads a group-sync row's nullable toggle. A null toggle counts
// as enabled, as ToolJet's UI shows it.
func groupSyncOn(sync *client.GroupSync) bool {
	return sync.EnableGroupSync == nil || *sync.EnableGroupSync
}

// checkWritten compares a provider as read back with the settings written,
// and describes the first difference.
func checkWritten(row *client.SSOConfig, s oidcProviderSettings) error {
	read := func(key string) string { return row.ConfigString(mapping.ToolJetReadKey(key)) }
	switch {
	case row.Enabled != s.enabled:
		return fmt.Errorf("enabled is %t, expected %t", row.Enabled, s.enabled)
	case read(oidcKeyName) != s.name:
		return fmt.Errorf("name is %q, expected %q", read(oidcKeyName), s.name)
	case read(oidcKeyClientID) != s.clientID:
		return fmt.Errorf("client ID is %q, expected %q", read(oidcKeyClientID), s.clientID)
	case read(oidcKeyWellKnownURL) != s.wellKnownURL:
		return fmt.Errorf("well-known URL is %q, expected %q", read(oidcKeyWellKnownURL),
			s.wellKnownURL)
	case read(oidcKeyGrantType) != s.grantType:
		return fmt.Errorf("grant type is %q, expected %q", read(oidcKeyGrantType), s.grantType)
	}
	// The secret is compared only when ToolJet returns it: a version that
	// hides secrets on read returns it empty or masked.
	secret := read(oidcKeyClientSecret)
	if s.clientSecret != nil && readableSecret(secret) && secret != *s.clientSecret {
		return fmt.Errorf("the client secret differs from what was written")
	}

	sync := providerGroupSync(row)
	if s.groupSync == nil {
		if sync != nil && groupSyncOn(sync) {
			return fmt.Errorf("group sync is still on, expected off")
		}
		return nil
	}
	want := s.groupSync
	switch {
	case sync == nil:
		return fmt.Errorf("the group sync settings are missing")
	case groupSyncOn(sync) != want.enabled:
		return fmt.Errorf("group sync enabled is %t, expected %t", groupSyncOn(sync), want.enabled)
	case sync.ClaimName != want.claimName:
		return fmt.Errorf("claim name is %q, expected %q", sync.ClaimName, want.claimName)
	case !ssostate.SameAsRead(want.mapping, sync.GroupMapping):
		return fmt.Errorf("the group mapping differs from what was written")
	}
	return nil
}

// workspaceOIDCFromRow builds the resource data from the provider as
// ToolJet returned it. prior supplies what ToolJet cannot return: the exact
// spelling of mapping keys, the secret when ToolJet hides it, and the
// write-only version. The client secret is read from ToolJet only when
// prior has one, so that an import never puts a secret into state.
func workspaceOIDCFromRow(ctx context.Context, row *client.SSOConfig, workspaceID string,
	prior workspaceOIDCModel, diags diagAppender) workspaceOIDCModel {
	read := func(key string) string { return row.ConfigString(mapping.ToolJetReadKey(key)) }
	m := workspaceOIDCModel{
		ID:                    types.StringValue(row.ID),
		WorkspaceID:           types.StringValue(workspaceID),
		Enabled:               types.BoolValue(row.Enabled),
		Name:                  types.StringValue(read(oidcKeyName)),
		ClientID:              types.StringValue(read(oidcKeyClientID)),
		ClientSecret:          prior.ClientSecret,
		ClientSecretWO:        types.StringNull(),
		ClientSecretWOVersion: prior.ClientSecretWOVersion,
		WellKnownURL:          types.StringValue(read(oidcKeyWellKnownURL)),
		GrantType:             types.StringValue(read(oidcKeyGrantType)),
		GroupSync:             types.ObjectNull(workspaceOIDCGroupSyncAttrTypes),
		Timeouts:              prior.Timeouts,
	}
	if read(oidcKeyGrantType) == "" {
		m.GrantType = types.StringValue(ssostate.GrantTypeAuthorizationCode)
	}
	secret := read(oidcKeyClientSecret)
	if !prior.ClientSecret.IsNull() && readableSecret(secret) {
		m.ClientSecret = types.StringValue(secret)
	}
	if m.Timeouts.IsNull() || m.Timeouts.IsUnknown() {
		m.Timeouts = timeouts.Value{Object: types.ObjectNull(timeoutAttrTypes())}
	}

	sync := providerGroupSync(row)
	syncEnabled := sync != nil && groupSyncOn(sync)
	if prior.GroupSync.IsNull() && !syncEnabled {
		return m
	}
	var priorSync workspaceOIDCGroupSyncModel
	if !prior.GroupSync.IsNull() && !prior.GroupSync.IsUnknown() {
		if d := prior.GroupSync.As(ctx, &priorSync, basetypes.ObjectAsOptions{}); d.HasError() {
			diags.Append(d...)
			return m
		}
	}
	// A provider whose group-sync row is missing reads as group sync off
	// with the default claim, so that the plan writes the row again.
	claim := ssostate.DefaultClaimName
	readMapping := map[string]string{}
	if sync != nil {
		claim = sync.ClaimName
		readMapping = sync.GroupMapping
	}
	object, d := types.ObjectValueFrom(ctx, workspaceOIDCGroupSyncAttrTypes,
		workspaceOIDCGroupSyncModel{
			Enabled:   types.BoolValue(syncEnabled),
			ClaimName: types.StringValue(claim),
			GroupMapping: mapValue(ctx, ssostate.Spell(readMapping,
				stringMapValue(priorSync.GroupMapping)), diags),
		})
	diags.Append(d...)
	m.GroupSync = object
	return m
}

// camelCaseKey returns the camelCase key that ToolJet stores for a configs
// key that its read endpoints returned in snake_case: "well_known_url"
// becomes "wellKnownUrl". Keys without "_" are returned unchanged.
func camelCaseKey(key string) string {
	parts := strings.Split(key, "_")
	var b strings.Builder
	b.Grow(len(key))
	for i, part := range parts {
		if i == 0 || part == "" {
			b.WriteString(part)
			continue
		}
		first, size := utf8.DecodeRuneInString(part)
		b.WriteRune(unicode.ToUpper(first))
		b.WriteString(part[size:])
	}
	return b.String()
}

// openIDProviders returns the workspace-level OIDC providers among a
// workspace's SSO configurations.
func openIDProviders(configs []client.SSOConfig) []client.SSOConfig {
	var out []client.SSOConfig
	for _, c := range configs {
		if c.SSO == client.SSOTypeOpenID && c.ConfigScope != client.ScopeInstance {
			out = append(out, c)
		}
	}
	return out
}

// findProvider returns the provider with that ID, or nil.
func findProvider(providers []client.SSOConfig, id string) *client.SSOConfig {
	for i := range providers {
		if providers[i].ID == id {
			return &providers[i]
		}
	}
	return nil
}

// newMatchingProviders returns the providers of after that are not in
// before and have the given client ID and name: the rows that a create with
// those settings stored.
func newMatchingProviders(before, after []client.SSOConfig,
	clientID, name string) []client.SSOConfig {
	var out []client.SSOConfig
	for _, p := range after {
		if findProvider(before, p.ID) != nil {
			continue
		}
		if p.ConfigString(mapping.ToolJetReadKey(oidcKeyClientID)) == clientID &&
			p.ConfigString(mapping.ToolJetReadKey(oidcKeyName)) == name {
			out = append(out, p)
		}
	}
	return out
}
