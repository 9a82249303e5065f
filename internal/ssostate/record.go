package ssostate

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"

	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
)

// RecordKey is the key of the provider's record inside the instance OIDC
// configuration ("configs") that ToolJet stores as free-form JSON. ToolJet's
// read endpoints return it as RecordReadKey.
const (
	RecordKey     = "terraformGroupSync"
	RecordReadKey = "terraform_group_sync"
	recordVersion = 1
)

// Record is what the provider remembers about the instance group-sync table
// between runs, stored in ToolJet next to the data it describes:
//
//   - the exact spelling of every IdP group name it wrote. ToolJet's read
//     endpoints return mapping keys rewritten ("Marketing Team" comes back as
//     "marketing _team"), and the rewriting cannot be undone, so without the
//     record a read-modify-write would store the rewritten names;
//   - which workspaces inherit the instance claim name and mapping, and
//     which override them. ToolJet stores a copy of the values in each
//     workspace's row, so the rows alone cannot tell an override from an
//     inherited value;
//   - which mapping entries belong to tooljet_group_mapping resources, so
//     that they survive changes of the instance mapping.
//
// Names are kept in arrays of [IdP group, ToolJet group] pairs, because
// ToolJet rewrites object keys on read but leaves string values alone.
type Record struct {
	// InstanceMapping is the instance group mapping with exact spelling.
	InstanceMapping map[string]string
	// DefaultWorkspaceInherits is the instance setting of the same name.
	DefaultWorkspaceInherits bool
	Workspaces               map[string]*WorkspaceRecord
}

// WorkspaceRecord is the provider's record of one workspace's row.
type WorkspaceRecord struct {
	// Managed is true while a tooljet_workspace_group_sync resource manages
	// the workspace's row.
	Managed bool
	// Retired is true for a row that the provider stopped managing but
	// could not delete, because ToolJet's API cannot empty the table; the
	// provider switched it off instead. A retired row is deleted at the next
	// write that leaves other rows, and taken over like a new row when the
	// workspace joins again.
	Retired bool
	// ClaimName is the workspace's own claim name, or nil to inherit.
	ClaimName *string
	// GroupMapping is the workspace's own whole mapping, or nil to inherit
	// the instance mapping and add Mappings to it.
	GroupMapping map[string]string
	// Mappings are the entries of tooljet_group_mapping resources.
	Mappings map[string]string
}

// Clone returns a deep copy.
func (r Record) Clone() Record {
	out := Record{
		InstanceMapping:          maps.Clone(r.InstanceMapping),
		DefaultWorkspaceInherits: r.DefaultWorkspaceInherits,
		Workspaces:               make(map[string]*WorkspaceRecord, len(r.Workspaces)),
	}
	for id, ws := range r.Workspaces {
		copied := *ws
		if ws.ClaimName != nil {
			name := *ws.ClaimName
			copied.ClaimName = &name
		}
		copied.GroupMapping = maps.Clone(ws.GroupMapping)
		copied.Mappings = maps.Clone(ws.Mappings)
		out.Workspaces[id] = &copied
	}
	return out
}

// Workspace returns the record of a workspace, creating an empty one.
func (r *Record) Workspace(id string) *WorkspaceRecord {
	if r.Workspaces == nil {
		r.Workspaces = make(map[string]*WorkspaceRecord)
	}
	ws, ok := r.Workspaces[id]
	if !ok {
		ws = &WorkspaceRecord{}
		r.Workspaces[id] = ws
	}
	return ws
}

// Lookup returns the record of a workspace, or nil.
func (r Record) Lookup(id string) *WorkspaceRecord {
	return r.Workspaces[id]
}

// prune removes workspace records that no longer carry any setting.
func (r *Record) prune() {
	for id, ws := range r.Workspaces {
		if !ws.Managed && !ws.Retired && ws.ClaimName == nil && ws.GroupMapping == nil &&
			len(ws.Mappings) == 0 {
			delete(r.Workspaces, id)
		}
	}
}

// Equal reports whether two records hold the same information.
func (r Record) Equal(other Record) bool {
	a, errA := json.Marshal(r.encode())
	b, errB := json.Marshal(other.encode())
	return errA == nil && errB == nil && string(a) == string(b)
}

// encodedRecord is the JSON form written into configs.
type encodedRecord struct {
	Version                  int                `json:"version"`
	InstanceGroupMapping     [][2]string        `json:"instanceGroupMapping"`
	DefaultWorkspaceInherits bool               `json:"defaultWorkspaceInherits"`
	Workspaces               []encodedWorkspace `json:"workspaces"`
}

// encodedWorkspace is one workspace of encodedRecord. GroupMapping is null
// for a workspace that inherits the instance mapping, and a list, possibly
// empty, for a mapping of its own.
type encodedWorkspace struct {
	WorkspaceID  string      `json:"workspaceId"`
	Managed      bool        `json:"managed"`
	Retired      bool        `json:"retired,omitempty"`
	ClaimName    *string     `json:"claimName,omitempty"`
	GroupMapping [][2]string `json:"groupMapping"`
	Mappings     [][2]string `json:"mappings,omitempty"`
}

func (r Record) encode() encodedRecord {
	clean := r.Clone()
	clean.prune()
	out := encodedRecord{
		Version:                  recordVersion,
		InstanceGroupMapping:     toPairs(clean.InstanceMapping),
		DefaultWorkspaceInherits: clean.DefaultWorkspaceInherits,
		Workspaces:               []encodedWorkspace{},
	}
	for _, id := range slices.Sorted(maps.Keys(clean.Workspaces)) {
		ws := clean.Workspaces[id]
		encoded := encodedWorkspace{
			WorkspaceID: id,
			Managed:     ws.Managed,
			Retired:     ws.Retired,
			ClaimName:   ws.ClaimName,
			Mappings:    toPairs(ws.Mappings),
		}
		if ws.GroupMapping != nil {
			encoded.GroupMapping = toPairs(ws.GroupMapping)
			if encoded.GroupMapping == nil {
				encoded.GroupMapping = [][2]string{}
			}
		}
		out.Workspaces = append(out.Workspaces, encoded)
	}
	return out
}

// configValue returns the record as a value for the configs object, built
// from plain maps and slices so that it survives a JSON round trip
// unchanged.
func (r Record) configValue() (any, error) {
	data, err := json.Marshal(r.encode())
	if err != nil {
		return nil, err
	}
	var value any
	err = json.Unmarshal(data, &value)
	return value, err
}

// decodeRecord reads the record from a configs value as ToolJet returns it.
// ToolJet rewrites the record's own keys to snake_case on read, so both
// spellings of each key are accepted. A missing record is not an error.
func decodeRecord(value any) (Record, bool, error) {
	if value == nil {
		return Record{}, false, nil
	}
	object, ok := value.(map[string]any)
	if !ok {
		return Record{}, false, fmt.Errorf("the provider record %q in the instance OIDC "+
			"configuration is not a JSON object", RecordReadKey)
	}
	version, _ := field(object, "version").(float64)
	if int(version) > recordVersion {
		return Record{}, false, fmt.Errorf("the provider record in the instance OIDC "+
			"configuration has version %d, written by a newer version of this provider; "+
			"upgrade the provider", int(version))
	}
	record := Record{Workspaces: map[string]*WorkspaceRecord{}}
	var err error
	if record.InstanceMapping, err = fromPairs(field(object, "instanceGroupMapping")); err != nil {
		return Record{}, false, err
	}
	record.DefaultWorkspaceInherits, _ = field(object, "defaultWorkspaceInherits").(bool)
	list, _ := field(object, "workspaces").([]any)
	for _, item := range list {
		entry, ok := item.(map[string]any)
		if !ok {
			continue
		}
		id, _ := field(entry, "workspaceId").(string)
		if id == "" {
			continue
		}
		ws := record.Workspace(id)
		ws.Managed, _ = field(entry, "managed").(bool)
		ws.Retired, _ = field(entry, "retired").(bool)
		if claim, ok := field(entry, "claimName").(string); ok {
			ws.ClaimName = &claim
		}
		if raw := field(entry, "groupMapping"); raw != nil {
			if ws.GroupMapping, err = fromPairs(raw); err != nil {
				return Record{}, false, err
			}
			if ws.GroupMapping == nil {
				ws.GroupMapping = map[string]string{}
			}
		}
		if ws.Mappings, err = fromPairs(field(entry, "mappings")); err != nil {
			return Record{}, false, err
		}
	}
	return record, true, nil
}

// field returns object[camel], or object[snake] where snake is the key as
// ToolJet rewrites it on read.
func field(object map[string]any, camel string) any {
	if value, ok := object[camel]; ok {
		return value
	}
	return object[mapping.ToolJetReadKey(camel)]
}

func toPairs(m map[string]string) [][2]string {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for key := range m {
		keys = append(keys, key)
	}
	sort.Strings(keys)
	pairs := make([][2]string, 0, len(keys))
	for _, key := range keys {
		pairs = append(pairs, [2]string{key, m[key]})
	}
	return pairs
}

func fromPairs(value any) (map[string]string, error) {
	if value == nil {
		return nil, nil
	}
	list, ok := value.([]any)
	if !ok {
		return nil, fmt.Errorf("the provider record in the instance OIDC configuration has " +
			"a mapping that is not a list of pairs")
	}
	out := make(map[string]string, len(list))
	for _, item := range list {
		pair, ok := item.([]any)
		if !ok || len(pair) != 2 {
			return nil, fmt.Errorf("the provider record in the instance OIDC configuration " +
				"has a mapping entry that is not an [IdP group, ToolJet group] pair")
		}
		key, okKey := pair[0].(string)
		target, okTarget := pair[1].(string)
		if !okKey || !okTarget {
			return nil, fmt.Errorf("the provider record in the instance OIDC configuration " +
				"has a mapping entry that is not a pair of strings")
		}
		out[key] = target
	}
	return out, nil
}
