// Package ssostate manages ToolJet's instance-level OpenID Connect
// configuration and its group-sync table as one object: it decodes what
// ToolJet returns, keeps the provider's record of exact names and
// inheritance (see Record), computes the rows each workspace should have,
// and writes changes with a locked, verified read-modify-write (see Store).
package ssostate

import (
	"fmt"
	"maps"
	"strings"
	"sync"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
)

// DefaultClaimName is the claim ToolJet reads groups from when no claim
// name is configured.
const DefaultClaimName = "groups"

// GrantTypeAuthorizationCode is the only grant type whose API value is
// public; it needs a client secret.
const GrantTypeAuthorizationCode = "authorization_code"

// Keys of the instance OIDC configs object as ToolJet stores them
// (camelCase) and returns them (snake_case).
const (
	keyName             = "name"
	keyClientID         = "clientId"
	keyClientSecret     = "clientSecret"
	keyWellKnownURL     = "wellKnownUrl"
	keyGrantType        = "grantType"
	keyEnableGroupSync  = "enableGroupSync"
	keyClaimName        = "claimName"
	keyGroupMapping     = "groupMapping"
	readKeyClientSecret = "client_secret"
)

// Snapshot is the instance OIDC configuration and group-sync table as read
// at one moment.
type Snapshot struct {
	// Exists is true when ToolJet has an instance-level openid row.
	Exists bool
	// EnvManaged is true when ToolJet manages the row from environment
	// variables (use_env_config).
	EnvManaged bool
	Enabled    bool

	Name     string
	ClientID string
	// ClientSecret is the secret as read: "" when none is stored or ToolJet
	// hides it, also behind a placeholder of asterisks.
	ClientSecret string
	WellKnownURL string
	GrantType    string

	GroupSyncEnabled bool
	ClaimName        string
	// MappingRead is the instance mapping with keys as ToolJet returns them.
	MappingRead map[string]string

	// Rows are the group-sync rows by workspace ID.
	Rows map[string]*Row
	// Record is the provider's record; RecordFound is false when the
	// configuration has none (never written by this provider, or removed
	// by a save in ToolJet's UI).
	Record      Record
	RecordFound bool

	// configs is the configs object as read, used to write back keys the
	// provider does not manage.
	configs map[string]any

	instanceMappingOnce sync.Once
	instanceMapping     map[string]string
}

// Row is one workspace's row of the group-sync table.
type Row struct {
	WorkspaceID string
	ClaimName   string
	// MappingRead has the keys as ToolJet returns them.
	MappingRead map[string]string
	// Enabled is the workspace's group-sync toggle. ToolJet's column is
	// nullable; a null toggle is read as enabled, as ToolJet's UI shows it.
	Enabled bool
}

// StoredMappings returns the tooljet_group_mapping entries that the record
// lists for a workspace and that its row still holds. An entry removed in
// ToolJet's UI stays in the record until the next write, and is left out.
func (s *Snapshot) StoredMappings(workspaceID string) map[string]string {
	out := map[string]string{}
	ws := s.Record.Lookup(workspaceID)
	row := s.Rows[workspaceID]
	if ws == nil || row == nil {
		return out
	}
	for name, target := range ws.Mappings {
		if s.HasEntry(workspaceID, name) {
			out[name] = target
		}
	}
	return out
}

// HasEntry reports whether a workspace's row maps the IdP group name, under
// the key that ToolJet returns for it.
func (s *Snapshot) HasEntry(workspaceID, name string) bool {
	row := s.Rows[workspaceID]
	if row == nil {
		return false
	}
	_, ok := LookupRead(row.MappingRead, name)
	return ok
}

// LookupRead returns the target of an IdP group name in a mapping as
// ToolJet returned it. The keys are compared as ToolJet rewrites them, so
// the lookup also works for a ToolJet that returns keys as stored.
func LookupRead(read map[string]string, name string) (string, bool) {
	readKey := mapping.ToolJetReadKey(name)
	if target, ok := read[readKey]; ok {
		return target, true
	}
	for key, target := range read {
		if mapping.ToolJetReadKey(key) == readKey {
			return target, true
		}
	}
	return "", false
}

// NewSnapshot decodes an instance OIDC row (nil when the instance has none).
func NewSnapshot(row *client.SSOConfig) (*Snapshot, error) {
	snap := &Snapshot{
		Rows:        map[string]*Row{},
		MappingRead: map[string]string{},
		configs:     map[string]any{},
		Record:      Record{Workspaces: map[string]*WorkspaceRecord{}},
	}
	if row == nil {
		return snap, nil
	}
	snap.Exists = true
	snap.EnvManaged = row.UseEnvConfig
	snap.Enabled = row.Enabled
	snap.configs = row.Configs
	snap.Name = row.ConfigString(mapping.ToolJetReadKey(keyName))
	snap.ClientID = row.ConfigString(mapping.ToolJetReadKey(keyClientID))
	snap.ClientSecret = row.ConfigString(readKeyClientSecret)
	if strings.Trim(snap.ClientSecret, "*") == "" {
		// A run of asterisks is a placeholder for a hidden secret.
		snap.ClientSecret = ""
	}
	snap.WellKnownURL = row.ConfigString(mapping.ToolJetReadKey(keyWellKnownURL))
	snap.GrantType = row.ConfigString(mapping.ToolJetReadKey(keyGrantType))
	snap.GroupSyncEnabled = row.ConfigBool(mapping.ToolJetReadKey(keyEnableGroupSync))
	snap.ClaimName = row.ConfigString(mapping.ToolJetReadKey(keyClaimName))

	var err error
	if snap.MappingRead, err = stringMap(row.Configs[mapping.ToolJetReadKey(keyGroupMapping)]); err != nil {
		return nil, fmt.Errorf("the instance group mapping: %w", err)
	}
	recordValue, ok := row.Configs[RecordKey]
	if !ok {
		recordValue = row.Configs[RecordReadKey]
	}
	if snap.Record, snap.RecordFound, err = decodeRecord(recordValue); err != nil {
		return nil, err
	}

	for _, sync := range row.GroupSyncs {
		if sync.OrganizationID == "" {
			continue
		}
		snap.Rows[sync.OrganizationID] = &Row{
			WorkspaceID: sync.OrganizationID,
			ClaimName:   sync.ClaimName,
			MappingRead: maps.Clone(map[string]string(sync.GroupMapping)),
			Enabled:     sync.EnableGroupSync == nil || *sync.EnableGroupSync,
		}
	}
	return snap, nil
}

func stringMap(value any) (map[string]string, error) {
	out := map[string]string{}
	if value == nil {
		return out, nil
	}
	object, ok := value.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("expected a JSON object, got %T", value)
	}
	for key, raw := range object {
		target, ok := raw.(string)
		if !ok {
			return nil, fmt.Errorf("the entry %q has a value that is not a string", key)
		}
		out[key] = target
	}
	return out, nil
}

// InstanceClaimName is the claim name that inheriting workspaces get.
func (s *Snapshot) InstanceClaimName() string {
	if s.ClaimName == "" {
		return DefaultClaimName
	}
	return s.ClaimName
}

// InstanceMapping is the instance mapping with exact spelling: the record's
// entries that ToolJet still holds, and, for entries added outside the
// provider, the keys as ToolJet returns them.
//
// It is computed once per snapshot; callers must not modify the result.
func (s *Snapshot) InstanceMapping() map[string]string {
	s.instanceMappingOnce.Do(func() {
		s.instanceMapping = Spell(s.MappingRead, s.Record.InstanceMapping)
	})
	return s.instanceMapping
}

// Spell returns read (a mapping as ToolJet returns it) with each key
// replaced by the entry of known whose rewritten key it is. Keys that no
// entry of known explains are kept as read.
func Spell(read map[string]string, known ...map[string]string) map[string]string {
	byReadKey := map[string]string{}
	for _, names := range known {
		for name := range names {
			byReadKey[mapping.ToolJetReadKey(name)] = name
		}
	}
	out := make(map[string]string, len(read))
	for key, target := range read {
		if name, ok := byReadKey[mapping.ToolJetReadKey(key)]; ok {
			out[name] = target
			continue
		}
		out[key] = target
	}
	return out
}

// SameAsRead reports whether ToolJet would return want as read: the same
// entries after ToolJet's key rewriting.
func SameAsRead(want, read map[string]string) bool {
	if len(want) != len(read) {
		return false
	}
	rewritten := make(map[string]string, len(read))
	for key, target := range read {
		rewritten[mapping.ToolJetReadKey(key)] = target
	}
	for key, target := range want {
		got, ok := rewritten[mapping.ToolJetReadKey(key)]
		if !ok || got != target {
			return false
		}
	}
	return len(rewritten) == len(want)
}

// DesiredRow is the content of a workspace's row according to the record.
type DesiredRow struct {
	ClaimName string
	// Mapping has exact spelling.
	Mapping map[string]string
}

// WantsRow reports whether the record puts the workspace in the table: a
// tooljet_workspace_group_sync manages it, or it is the default workspace
// and inherits by the instance setting.
func (s *Snapshot) WantsRow(record Record, workspaceID, defaultWorkspaceID string) bool {
	if ws := record.Lookup(workspaceID); ws != nil && ws.Retired && !ws.Managed &&
		(workspaceID != defaultWorkspaceID || !record.DefaultWorkspaceInherits) {
		return false
	}
	if ws := record.Lookup(workspaceID); ws != nil && ws.Managed {
		return true
	}
	return workspaceID == defaultWorkspaceID && record.DefaultWorkspaceInherits
}

// Desired computes a workspace's row from a record and instance values.
func Desired(record Record, workspaceID, instanceClaim string) DesiredRow {
	row := DesiredRow{ClaimName: instanceClaim, Mapping: maps.Clone(record.InstanceMapping)}
	if row.Mapping == nil {
		row.Mapping = map[string]string{}
	}
	ws := record.Lookup(workspaceID)
	if ws == nil {
		return row
	}
	if ws.ClaimName != nil {
		row.ClaimName = *ws.ClaimName
	}
	if ws.GroupMapping != nil {
		row.Mapping = maps.Clone(ws.GroupMapping)
		return row
	}
	maps.Copy(row.Mapping, ws.Mappings)
	return row
}

// ForeignKeys returns the keys of a row, as read, that the desired mapping
// does not explain: entries added outside the provider, whose exact spelling
// is unknown.
func ForeignKeys(read, desired map[string]string) []string {
	known := make(map[string]bool, len(desired))
	for key := range desired {
		known[mapping.ToolJetReadKey(key)] = true
	}
	var foreign []string
	for key := range read {
		if !known[mapping.ToolJetReadKey(key)] {
			foreign = append(foreign, key)
		}
	}
	return foreign
}

// camelize converts a configs key as ToolJet returns it back to the
// camelCase key ToolJet stores: "client_id" becomes "clientId". It undoes
// humps' decamelize, which puts "_" before each ASCII capital letter after
// the first character and lower-cases the key, so it turns each "_" that
// follows another character and precedes an ASCII lower-case letter into
// that letter's capital. Other characters, including a leading "_", stay.
func camelize(key string) string {
	var b strings.Builder
	b.Grow(len(key))
	for i := 0; i < len(key); i++ {
		c := key[i]
		if c == '_' && i > 0 && i+1 < len(key) && key[i+1] >= 'a' && key[i+1] <= 'z' {
			b.WriteByte(key[i+1] - 'a' + 'A')
			i++
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// Expected is the row a workspace should have according to ToolJet's
// current instance values and the record: unlike Desired, it takes the
// instance mapping from ToolJet, so an edit of the instance mapping in the
// UI does not make every inheriting row look changed.
func (s *Snapshot) Expected(workspaceID string) DesiredRow {
	record := s.Record
	record.InstanceMapping = s.InstanceMapping()
	return Desired(record, workspaceID, s.InstanceClaimName())
}

// Retired reports whether the record marks that the provider switched the
// workspace's row off instead of deleting it.
func (r Record) Retired(workspaceID string) bool {
	ws := r.Lookup(workspaceID)
	return ws != nil && ws.Retired
}
