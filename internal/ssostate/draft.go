package ssostate

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
)

// InstanceSettings are the instance OIDC values that tooljet_instance_oidc
// manages. The instance mapping lives in Record.InstanceMapping.
type InstanceSettings struct {
	Name         string
	ClientID     string
	WellKnownURL string
	GrantType    string
	// ClientSecret is the secret to store, or nil to keep the stored one.
	ClientSecret *string

	GroupSyncEnabled bool
	ClaimName        string
}

// Draft is a change to the instance OIDC configuration and group-sync table,
// prepared by an operation from a fresh Snapshot.
type Draft struct {
	// Base is the state the change starts from. Operations must not modify
	// it.
	Base *Snapshot
	// DefaultWorkspaceID is the ID of ToolJet's default workspace.
	DefaultWorkspaceID string
	// Attempt counts the read-modify-write rounds, from 1. From the second
	// round on, Base may already hold this change's own earlier write,
	// which a create must not mistake for someone else's object.
	Attempt int

	// Record is the record to store; it starts as a copy of Base.Record.
	Record Record
	// Instance, when not nil, replaces the instance settings.
	Instance *InstanceSettings
	// Enabled, when not nil, sets the instance OIDC on/off switch.
	Enabled *bool
	// RowEnabled sets workspaces' group-sync toggles.
	RowEnabled map[string]bool
	// ReplaceForeign lists workspaces whose row may lose entries that the
	// provider did not write. Only the resource that showed the change in
	// its plan sets it.
	ReplaceForeign map[string]bool
	// Deleting marks a change made by a resource's Delete. When it leaves
	// instance group sync on with no enabled workspace it gives a warning
	// instead of an error, because a destroy removes the workspaces before
	// it switches group sync off.
	Deleting bool
	// SecretIfHidden, when not nil, is the client secret to write when
	// ToolJet returns a client ID without its secret and Instance keeps the
	// stored secret.
	SecretIfHidden *string
	// Label, when not nil, names a workspace in warnings in place of its ID.
	Label func(workspaceID string) string

	// initial is Record as the operation found it.
	initial Record

	// workspaces are the IDs of the active workspaces. Rows of other
	// workspaces are neither written nor kept.
	workspaces map[string]bool

	warnings []Warning
}

// label names a workspace for a warning.
func (d *Draft) label(workspaceID string) string {
	if d.Label == nil {
		return workspaceID
	}
	return d.Label(workspaceID)
}

// Warning is a warning about a change that was written.
type Warning struct {
	Summary string
	Detail  string
}

// Warn adds a warning to the result of the change.
func (d *Draft) Warn(summary, format string, args ...any) {
	d.warnings = append(d.warnings, Warning{Summary: summary, Detail: fmt.Sprintf(format, args...)})
}

func newDraft(base *Snapshot, defaultWorkspaceID string, workspaces map[string]bool,
	attempt int) *Draft {
	record := base.Record.Clone()
	// Entries that the rows no longer hold were removed in ToolJet's UI.
	// Writing the record back without them keeps a write of the row from
	// restoring them, so that their resources plan to create them again.
	for id, ws := range record.Workspaces {
		for name := range ws.Mappings {
			if !base.HasEntry(id, name) {
				delete(ws.Mappings, name)
			}
		}
	}
	return &Draft{
		Base:               base,
		DefaultWorkspaceID: defaultWorkspaceID,
		Attempt:            attempt,
		initial:            record.Clone(),
		Record:             record,
		RowEnabled:         map[string]bool{},
		ReplaceForeign:     map[string]bool{},
		workspaces:         workspaces,
	}
}

// instanceClaim is the instance claim name after the change.
func (d *Draft) instanceClaim() string {
	if d.Instance != nil {
		if d.Instance.ClaimName == "" {
			return DefaultClaimName
		}
		return d.Instance.ClaimName
	}
	return d.Base.InstanceClaimName()
}

// expectation is the state a read-back must show for the write to count as
// applied.
type expectation struct {
	configs *configsExpectation
	enabled *bool
	// rows maps a workspace ID to the row it must have; a nil value means
	// only that the row must exist.
	rows    map[string]*rowExpectation
	deleted []string
}

type configsExpectation struct {
	settings InstanceSettings
	mapping  map[string]string
	record   Record
}

type rowExpectation struct {
	claimName string
	mapping   map[string]string
	enabled   bool
}

// build turns a draft into the PATCH body and the expectation for its
// read-back. It returns a nil update when nothing would change.
func (d *Draft) build() (*client.SSOUpdate, *expectation, error) {
	update := &client.SSOUpdate{Type: client.SSOTypeOpenID}
	expect := &expectation{rows: map[string]*rowExpectation{}}
	changed := false

	if d.Enabled != nil && (*d.Enabled != d.Base.Enabled || !d.Base.Exists) {
		update.Enabled = d.Enabled
		expect.enabled = d.Enabled
		changed = true
	}

	items, rowsChanged, err := d.buildRows(expect)
	if err != nil {
		return nil, nil, err
	}
	if err := d.checkEnabledWorkspace(expect); err != nil {
		return nil, nil, err
	}
	if rowsChanged {
		update.GroupSyncs = items
		changed = true
	}

	if d.configsChanged() {
		configs, settings, err := d.buildConfigs()
		if err != nil {
			return nil, nil, err
		}
		update.Configs = configs
		expect.configs = &configsExpectation{
			settings: settings,
			mapping:  maps.Clone(d.Record.InstanceMapping),
			record:   d.Record.Clone(),
		}
		changed = true
	}
	if !changed {
		return nil, expect, nil
	}
	return update, expect, nil
}

func (d *Draft) configsChanged() bool {
	if d.Instance != nil {
		return true
	}
	if !d.Base.RecordFound {
		clean := d.Record.Clone()
		clean.prune()
		return len(clean.Workspaces) > 0 || len(clean.InstanceMapping) > 0 ||
			clean.DefaultWorkspaceInherits
	}
	return !d.Record.Equal(d.Base.Record)
}

// buildRows computes the group-sync items. A workspace whose row does not
// change is sent with its ID only, which ToolJet's merge leaves as it is. A
// row that the provider stops managing is left out, which deletes it. Rows
// that the provider never managed are kept.
func (d *Draft) buildRows(expect *expectation) ([]client.GroupSyncItem, bool, error) {
	base := d.Base
	workspaceIDs := map[string]bool{}
	for id := range base.Rows {
		workspaceIDs[id] = true
	}
	for id := range d.Record.Workspaces {
		if d.workspaces[id] {
			workspaceIDs[id] = true
			continue
		}
		// The workspace was deleted or archived: forget it.
		delete(d.Record.Workspaces, id)
	}
	if d.DefaultWorkspaceID != "" {
		workspaceIDs[d.DefaultWorkspaceID] = true
	}

	var items []client.GroupSyncItem
	var removed []string
	changed := false
	claim := d.instanceClaim()
	for _, id := range slices.Sorted(maps.Keys(workspaceIDs)) {
		current := base.Rows[id]
		if !d.workspaces[id] {
			continue
		}
		if !base.WantsRow(d.Record, id, d.DefaultWorkspaceID) {
			if current == nil {
				continue
			}
			if base.WantsRow(base.Record, id, d.DefaultWorkspaceID) || base.Record.Retired(id) {
				removed = append(removed, id)
				changed = true
				continue
			}
			items = append(items, client.GroupSyncItem{OrganizationID: id})
			expect.rows[id] = nil
			continue
		}

		desired := Desired(d.Record, id, claim)
		retired := base.Record.Retired(id)
		if ws := d.Record.Lookup(id); ws != nil {
			ws.Retired = false
		}
		enabled, toggled := d.RowEnabled[id]
		if !toggled {
			// A row the provider switched off instead of deleting it joins
			// again like a new row.
			enabled = current == nil || current.Enabled || retired
		}
		if !toggled && !retired && !d.touches(id, desired) {
			// A row that this change leaves alone is kept as it is, also when
			// it was changed or removed in ToolJet's UI. Only the resource that
			// manages it repairs it, so other writes neither fail on it nor
			// revert it.
			if current != nil {
				items = append(items, client.GroupSyncItem{OrganizationID: id})
				expect.rows[id] = nil
			}
			continue
		}
		// ToolJet returns two spellings of a name alike, so a respelled
		// name is found in the record, not in the row.
		respelled := d.Base.RecordFound &&
			!maps.Equal(Desired(d.initial, id, d.Base.InstanceClaimName()).Mapping, desired.Mapping)
		if current != nil && current.ClaimName == desired.ClaimName && current.Enabled == enabled &&
			SameAsRead(desired.Mapping, current.MappingRead) && !respelled {
			items = append(items, client.GroupSyncItem{OrganizationID: id})
			expect.rows[id] = &rowExpectation{desired.ClaimName, desired.Mapping, enabled}
			continue
		}
		// Entries the provider did not write may be dropped only from a row
		// whose record lists what the provider wrote there. Without it (the
		// record was lost in a save in ToolJet's UI) the drift that the plan
		// showed is not known to be real.
		replaceForeign := d.ReplaceForeign[id] && base.RecordFound &&
			(base.Record.Lookup(id) != nil || base.WantsRow(base.Record, id, d.DefaultWorkspaceID))
		if current != nil && !replaceForeign && !retired {
			before := Desired(base.Record, id, base.InstanceClaimName())
			explained := maps.Clone(before.Mapping)
			maps.Copy(explained, desired.Mapping)
			if foreign := ForeignKeys(current.MappingRead, explained); len(foreign) > 0 {
				return nil, false, &ForeignEntriesError{WorkspaceID: id, Keys: foreign,
					RecordMissing: !base.RecordFound}
			}
		}
		names := slices.Collect(maps.Keys(desired.Mapping))
		if collisions := mapping.ReadKeyCollisions(names); len(collisions) > 0 {
			return nil, false, &CollidingNamesError{WorkspaceID: id, Collision: collisions[0]}
		}
		claimName, groupMapping := desired.ClaimName, maps.Clone(desired.Mapping)
		items = append(items, client.GroupSyncItem{
			OrganizationID:  id,
			ClaimName:       &claimName,
			GroupMapping:    &groupMapping,
			EnableGroupSync: &enabled,
		})
		expect.rows[id] = &rowExpectation{desired.ClaimName, desired.Mapping, enabled}
		changed = true
	}

	if len(items) == 0 && len(removed) > 0 {
		// ToolJet deletes rows only when the list is not empty, so the last
		// row cannot be removed. Switch it off instead, and record it as
		// retired so that a later write can delete or reuse it.
		for _, id := range removed {
			off := false
			items = append(items, client.GroupSyncItem{OrganizationID: id, EnableGroupSync: &off})
			current := base.Rows[id]
			expect.rows[id] = &rowExpectation{current.ClaimName, nil, false}
			d.Record.Workspace(id).Retired = true
			if !base.Record.Retired(id) {
				d.Warn("Last group sync row switched off",
					"ToolJet's API cannot remove the last workspace from the group sync "+
						"table, so the provider switched group sync off for workspace %s instead of "+
						"removing it.", d.label(id))
			}
		}
		removed = nil
	}
	for _, id := range removed {
		if ws := d.Record.Lookup(id); ws != nil {
			ws.Retired = false
		}
	}
	expect.deleted = removed
	return items, changed, nil
}

// buildConfigs computes the whole configs object to send. ToolJet replaces
// the stored object with it, so it carries every key ToolJet returned,
// including the stored client secret, unless the change sets them.
func (d *Draft) buildConfigs() (map[string]any, InstanceSettings, error) {
	base := d.Base
	if base.EnvManaged {
		return nil, InstanceSettings{}, &EnvManagedError{}
	}
	configs := make(map[string]any, len(base.configs)+2)
	for key, value := range base.configs {
		if key == RecordReadKey || key == RecordKey {
			continue
		}
		configs[camelize(key)] = value
	}

	settings := InstanceSettings{
		Name:             base.Name,
		ClientID:         base.ClientID,
		WellKnownURL:     base.WellKnownURL,
		GrantType:        base.GrantType,
		GroupSyncEnabled: base.GroupSyncEnabled,
		ClaimName:        base.ClaimName,
	}
	if d.Instance != nil {
		settings = *d.Instance
	}
	if settings.ClientSecret == nil {
		stored := base.ClientSecret
		settings.ClientSecret = &stored
		if err := secretKnown(base); err != nil {
			if d.SecretIfHidden == nil {
				return nil, InstanceSettings{}, err
			}
			settings.ClientSecret = d.SecretIfHidden
		}
	}
	if foreign := ForeignKeys(base.MappingRead, mergeMaps(base.Record.InstanceMapping,
		d.Record.InstanceMapping)); len(foreign) > 0 && !d.ReplaceForeign[instanceKey] {
		return nil, InstanceSettings{}, &ForeignEntriesError{Keys: foreign,
			RecordMissing: !base.RecordFound}
	}

	configs[keyName] = settings.Name
	configs[keyClientID] = settings.ClientID
	configs[keyClientSecret] = *settings.ClientSecret
	configs[keyWellKnownURL] = settings.WellKnownURL
	configs[keyGrantType] = settings.GrantType
	configs[keyEnableGroupSync] = settings.GroupSyncEnabled
	configs[keyClaimName] = settings.ClaimName
	instanceMapping := map[string]any{}
	for key, target := range d.Record.InstanceMapping {
		instanceMapping[key] = target
	}
	configs[keyGroupMapping] = instanceMapping
	record, err := d.Record.configValue()
	if err != nil {
		return nil, InstanceSettings{}, err
	}
	configs[RecordKey] = record
	return configs, settings, nil
}

// checkEnabledWorkspace enforces ToolJet's rule that instance group sync
// needs at least one enabled workspace. Switching the last enabled workspace
// off is an error. Other ways to get there only warn, because they are steps
// of a larger apply that Terraform orders by dependencies, not by this rule:
// a destroy removes the workspaces before it switches group sync off, and an
// instance that stops the default workspace's inheritance may be written
// before the workspace resource that adds another workspace. The plan-time
// checks see the whole plan and catch the real mistakes.
func (d *Draft) checkEnabledWorkspace(expect *expectation) error {
	on := d.Base.GroupSyncEnabled
	if d.Instance != nil {
		on = d.Instance.GroupSyncEnabled
	}
	if !on {
		return nil
	}
	for id, want := range expect.rows {
		if want != nil && want.enabled {
			return nil
		}
		if want == nil && d.Base.Rows[id] != nil && d.Base.Rows[id].Enabled {
			return nil
		}
	}
	switchedOff := false
	for id, enabled := range d.RowEnabled {
		if row := d.Base.Rows[id]; !enabled && row != nil && row.Enabled {
			switchedOff = true
		}
	}
	if switchedOff && !d.Deleting {
		return &NoEnabledWorkspaceError{}
	}
	d.Warn("No enabled workspace in the group sync table",
		"Instance group sync is on, but no workspace in the group sync table has it "+
			"enabled yet, so it has no effect. Unless another resource of this apply adds an "+
			"enabled workspace, enable it for one workspace or switch instance group sync off.")
	return nil
}

// NoEnabledWorkspaceError reports a change that would leave instance group
// sync on with no workspace that has it enabled.
type NoEnabledWorkspaceError struct{}

func (e *NoEnabledWorkspaceError) Error() string {
	return "This change would leave instance group sync on with no enabled workspace in the " +
		"group sync table, and ToolJet requires at least one. Keep one workspace enabled " +
		"(default_workspace_inherits = true on tooljet_instance_oidc, or a " +
		"tooljet_workspace_group_sync with enabled = true), or switch instance group sync off " +
		"with group_sync.enabled = false."
}

// instanceKey marks the instance mapping in Draft.ReplaceForeign.
const instanceKey = ""

// ReplaceForeignInstanceMapping lets the change drop entries of the instance
// mapping that the provider did not write.
func (d *Draft) ReplaceForeignInstanceMapping() { d.ReplaceForeign[instanceKey] = true }

// secretKnown checks that writing the configs object back cannot wipe a
// stored client secret the provider was not given. ToolJet replaces the
// whole object, so a secret that ToolJet stores but does not return would
// be lost.
func secretKnown(base *Snapshot) error {
	if base.ClientSecret != "" || base.ClientID == "" {
		return nil
	}
	if base.GrantType != "" && base.GrantType != GrantTypeAuthorizationCode {
		return nil
	}
	return &SecretUnknownError{}
}

func mergeMaps(maps ...map[string]string) map[string]string {
	out := map[string]string{}
	for _, m := range maps {
		for key, value := range m {
			out[key] = value
		}
	}
	return out
}

// touches reports whether the change writes a workspace's row. The resource
// that manages the row writes it, and so does a change of what the row
// should contain. A write of the instance settings also writes the row of
// an inheriting default workspace.
func (d *Draft) touches(id string, desired DesiredRow) bool {
	if d.ReplaceForeign[id] {
		return true
	}
	if !d.Base.WantsRow(d.initial, id, d.DefaultWorkspaceID) {
		return true
	}
	if d.Instance != nil && id == d.DefaultWorkspaceID {
		if ws := d.Record.Lookup(id); ws == nil || !ws.Managed {
			return true
		}
	}
	before := Desired(d.initial, id, d.Base.InstanceClaimName())
	return before.ClaimName != desired.ClaimName || !maps.Equal(before.Mapping, desired.Mapping)
}

// CollidingNamesError stops a write of a row whose mapping would have two
// IdP group names that ToolJet returns as the same key, such as an
// inherited instance entry and a tooljet_group_mapping entry. ToolJet would
// store both and return one of them, so one group would silently get the
// other's ToolJet group.
type CollidingNamesError struct {
	WorkspaceID string
	// WorkspaceLabel names the workspace in the message in place of its ID.
	WorkspaceLabel string
	Collision      *mapping.ReadKeyCollisionError
}

func (e *CollidingNamesError) Error() string {
	label := e.WorkspaceLabel
	if label == "" {
		label = e.WorkspaceID
	}
	return fmt.Sprintf("The group mapping of workspace %s would hold both %q and %q, which "+
		"ToolJet returns as the same key %q, so one of them would take the other's ToolJet "+
		"group at login. The names come from the instance mapping and the workspace's own "+
		"entries. Rename or remove one of them", label, e.Collision.Name, e.Collision.Other,
		e.Collision.ReadKey)
}

// ForeignEntriesError reports mapping entries that the provider did not
// write and cannot write back unchanged.
type ForeignEntriesError struct {
	// WorkspaceID is the workspace of the row, or "" for the instance
	// mapping.
	WorkspaceID string
	// WorkspaceLabel names the workspace in the message in place of its ID.
	WorkspaceLabel string
	// Keys are the IdP group names as ToolJet returns them.
	Keys []string
	// RecordMissing is true when ToolJet holds no provider record at all,
	// so entries that Terraform wrote are among Keys too.
	RecordMissing bool
}

func (e *ForeignEntriesError) Error() string {
	keys := slices.Clone(e.Keys)
	sort.Strings(keys)
	quoted := make([]string, len(keys))
	for i, key := range keys {
		quoted[i] = fmt.Sprintf("%q", key)
	}
	where := "The instance group mapping"
	if e.WorkspaceID != "" {
		label := e.WorkspaceLabel
		if label == "" {
			label = e.WorkspaceID
		}
		where = fmt.Sprintf("The group mapping of workspace %s", label)
	}
	if e.RecordMissing {
		return fmt.Sprintf("%s has entries whose exact spelling the provider does not know: %s. "+
			"%s", where, strings.Join(quoted, ", "), RecordMissingHelp)
	}
	return fmt.Sprintf("%s has entries that this provider did not write: %s. ToolJet returns "+
		"IdP group names rewritten (lower-cased, with \"_\" before each capital letter), so the "+
		"provider cannot write these entries back with their exact spelling and would break "+
		"them. Manage each of them in Terraform (a tooljet_group_mapping resource, or the "+
		"group_mapping of the resource that owns this mapping, spelled as the IdP sends it) or "+
		"remove them in ToolJet's UI, then apply again. If another Terraform run that does not "+
		"share this machine's lock file wrote at the same time, its entries appear here too: "+
		"apply again once it has finished.", where, strings.Join(quoted, ", "))
}

// RecordMissingHelp explains a missing provider record and how to recover.
const RecordMissingHelp = "ToolJet's instance OIDC settings no longer contain the provider's " +
	"record (the configs key " + RecordKey + "), which a save of those settings in ToolJet's " +
	"UI removes. The record lists the entries that Terraform wrote, with the exact spelling " +
	"of each IdP group name, because ToolJet returns the names rewritten. Without it the " +
	"provider does not write over these entries, so that it cannot break a name. To " +
	"recover, remove the workspaces that Terraform manages from the group sync table in " +
	"ToolJet's UI and save, then run terraform apply: it updates tooljet_instance_oidc, " +
	"which writes the record again, and creates the workspace rows and mapping entries with " +
	"their configured spelling. Run the apply in the configuration that manages " +
	"tooljet_instance_oidc first, and apply again if a group sync resource ran before it."

// SecretUnknownError reports that the configs object cannot be written back
// without the client secret, which ToolJet did not return.
type SecretUnknownError struct{}

func (e *SecretUnknownError) Error() string {
	return "ToolJet returned the instance OIDC configuration with a client ID but an empty " +
		"client secret. Either no secret is stored, or this ToolJet version hides it when " +
		"read. ToolJet replaces the configuration as a whole on every save, so writing it " +
		"now could wipe a stored secret. Set client_secret, or client_secret_wo with its " +
		"client_secret_wo_version, on tooljet_instance_oidc. If no secret is stored yet, " +
		"apply tooljet_instance_oidc first (terraform apply -target), or make the group sync " +
		"resources depend on it. If ToolJet hides stored secrets, only tooljet_instance_oidc, " +
		"which has the secret in its configuration, can write these settings, and the group " +
		"sync resources cannot (see the provider's reliability guide)."
}

// EnvManagedError reports an instance OIDC configuration that ToolJet
// manages from environment variables.
type EnvManagedError struct{}

func (e *EnvManagedError) Error() string {
	return "ToolJet manages the instance OIDC configuration from environment variables " +
		"(OIDC_CLIENT_ID and related settings, use_env_config is true), so changes made " +
		"through the API would conflict with them. Remove those variables from ToolJet's " +
		"environment to manage instance OIDC with Terraform."
}
