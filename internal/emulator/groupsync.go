package emulator

import (
	"fmt"
	"slices"
)

// ssoPatch is the parsed body of an SSO save. ToolJet validates nothing but
// the type, so a missing key means "keep", and the has* fields tell a
// missing key from a null one.
type ssoPatch struct {
	hasConfigs    bool
	configs       map[string]any // nil when sent as null
	hasEnabled    bool
	enabled       bool
	hasGroupSyncs bool // a JSON array was sent; null counts as missing
	groupSyncs    []groupSyncItem
}

// groupSyncItem is one element of oidcGroupSyncs.
type groupSyncItem struct {
	// organizationID is nil when the key is missing or null. TypeORM drops
	// such a condition from its lookup, so the item matches any row of the
	// SSO config.
	organizationID     *string
	hasOrganizationID  bool
	claimName          string
	hasClaimName       bool
	groupMapping       map[string]string
	hasGroupMapping    bool
	enableGroupSync    *bool
	hasEnableGroupSync bool
}

// parseSSOPatch reads configs, enabled and oidcGroupSyncs. It rejects only
// types that the emulator cannot store, where ToolJet would store them or
// fail later.
func parseSSOPatch(body map[string]any) (ssoPatch, []string) {
	var p ssoPatch
	var problems []string
	if raw, ok := body["configs"]; ok {
		p.hasConfigs = true
		switch v := raw.(type) {
		case nil:
		case map[string]any:
			p.configs = v
		default:
			problems = append(problems, "configs must be an object")
		}
	}
	if raw, ok := body["enabled"]; ok && raw != nil {
		enabled, isBool := raw.(bool)
		if !isBool {
			problems = append(problems, "enabled must be a boolean value")
		}
		p.hasEnabled, p.enabled = isBool, enabled
	}
	if raw, ok := body["oidcGroupSyncs"]; ok && raw != nil {
		items, isArray := raw.([]any)
		if !isArray {
			return p, append(problems, "oidcGroupSyncs must be an array")
		}
		p.hasGroupSyncs = true
		for i, rawItem := range items {
			item, itemProblems := parseGroupSyncItem(rawItem, i)
			problems = append(problems, itemProblems...)
			p.groupSyncs = append(p.groupSyncs, item)
		}
	}
	return p, problems
}

// parseGroupSyncItem reads one oidcGroupSyncs element.
// NOTE: how ToolJet treats an item's "id" (its own tests send "id": "1") is
// not public. The emulator ignores "id" and every other key it does not
// read, so rows keep their ids.
func parseGroupSyncItem(raw any, index int) (groupSyncItem, []string) {
	var item groupSyncItem
	object, ok := raw.(map[string]any)
	if !ok {
		return item, []string{fmt.Sprintf("oidcGroupSyncs[%d] must be an object", index)}
	}
	var problems []string
	invalid := func(key, rule string) {
		problems = append(problems, fmt.Sprintf("oidcGroupSyncs[%d].%s must be %s", index, key, rule))
	}

	if v, present := object["organizationId"]; present {
		item.hasOrganizationID = true
		switch id := v.(type) {
		case nil:
		case string:
			item.organizationID = &id
		default:
			invalid("organizationId", "a workspace id")
		}
	}
	if v, present := object["claimName"]; present {
		item.hasClaimName = true
		switch name := v.(type) {
		case nil:
		case string:
			item.claimName = name
		default:
			invalid("claimName", "a string")
		}
	}
	if v, present := object["groupMapping"]; present {
		item.hasGroupMapping = true
		switch m := v.(type) {
		case nil:
		case map[string]any:
			item.groupMapping = make(map[string]string, len(m))
			for key, value := range m {
				s, isString := value.(string)
				if !isString {
					invalid("groupMapping", "an object of strings")
					break
				}
				item.groupMapping[key] = s
			}
		default:
			invalid("groupMapping", "an object of strings")
		}
	}
	if v, present := object["enableGroupSync"]; present {
		item.hasEnableGroupSync = true
		switch enabled := v.(type) {
		case nil:
		case bool:
			item.enableGroupSync = &enabled
		default:
			invalid("enableGroupSync", "a boolean value")
		}
	}
	return item, problems
}

// unknownWorkspaces returns a message for each item whose organizationId
// names no workspace. Both SSO save routes reply 400 with these messages and
// store nothing.
// NOTE: ToolJet's reply to such an item (a foreign-key failure) is not
// public, so the status and messages are the emulator's own.
func (st *State) unknownWorkspaces(items []groupSyncItem) []string {
	var problems []string
	for i, item := range items {
		if item.organizationID != nil && st.WorkspaceByID(*item.organizationID) == nil {
			problems = append(problems, fmt.Sprintf(
				"oidcGroupSyncs[%d].organizationId %q is not an existing workspace",
				i, *item.organizationID))
		}
	}
	return problems
}

// applyGroupSyncs saves oidcGroupSyncs items for an SSO row the way ToolJet's
// repository does. Each item is shallow-merged into the row of this config
// with the same organizationId (an item without organizationId matches the
// first row of the config), or inserted. Then, for a non-empty list, the rows
// whose organizationId is not listed are deleted. SQL NOT IN deletes nothing
// when the list contains NULL, and never deletes a row whose organizationId
// is NULL.
func (st *State) applyGroupSyncs(configID string, items []groupSyncItem) {
	for _, item := range items {
		row := st.findGroupSync(configID, item.organizationID)
		if row == nil {
			row = &GroupSync{ID: newUUID(), SSOConfigID: configID}
			st.GroupSyncs = append(st.GroupSyncs, row)
		}
		item.mergeInto(row)
	}
	if len(items) == 0 {
		return
	}
	var listed []string
	for _, item := range items {
		if item.organizationID == nil {
			return
		}
		listed = append(listed, *item.organizationID)
	}
	st.GroupSyncs = slices.DeleteFunc(st.GroupSyncs, func(g *GroupSync) bool {
		return g.SSOConfigID == configID && g.OrganizationID != nil &&
			!slices.Contains(listed, *g.OrganizationID)
	})
}

func (st *State) findGroupSync(configID string, organizationID *string) *GroupSync {
	for _, g := range st.GroupSyncs {
		if g.SSOConfigID != configID {
			continue
		}
		if organizationID == nil {
			return g
		}
		if g.OrganizationID != nil && *g.OrganizationID == *organizationID {
			return g
		}
	}
	return nil
}

// mergeInto copies the keys present in the item over the row, like
// {...existing, ...item}.
func (item groupSyncItem) mergeInto(row *GroupSync) {
	if item.hasOrganizationID {
		row.OrganizationID = cloneStringPointer(item.organizationID)
	}
	if item.hasClaimName {
		row.ClaimName = item.claimName
	}
	if item.hasGroupMapping {
		row.GroupMapping = cloneStringMap(item.groupMapping)
	}
	if item.hasEnableGroupSync {
		row.EnableGroupSync = item.enableGroupSync
	}
}
