package ssostate

import "fmt"

// check compares a read-back with what the write set, and describes the
// first difference.
func (e *expectation) check(after *Snapshot) error {
	if e.enabled != nil && after.Enabled != *e.enabled {
		return fmt.Errorf("instance OIDC enabled is %t, expected %t", after.Enabled, *e.enabled)
	}
	if c := e.configs; c != nil {
		if err := c.check(after); err != nil {
			return err
		}
	}
	for id, want := range e.rows {
		row, ok := after.Rows[id]
		if !ok {
			return fmt.Errorf("the group sync row of workspace %s is missing", id)
		}
		if want == nil {
			continue
		}
		if row.ClaimName != want.claimName {
			return fmt.Errorf("workspace %s has claim name %q, expected %q", id, row.ClaimName,
				want.claimName)
		}
		if row.Enabled != want.enabled {
			return fmt.Errorf("workspace %s has group sync enabled %t, expected %t", id,
				row.Enabled, want.enabled)
		}
		if want.mapping != nil && !SameAsRead(want.mapping, row.MappingRead) {
			return fmt.Errorf("the group mapping of workspace %s differs from what was written", id)
		}
	}
	for _, id := range e.deleted {
		if _, ok := after.Rows[id]; ok {
			return fmt.Errorf("the group sync row of workspace %s is still there", id)
		}
	}
	return nil
}

func (c *configsExpectation) check(after *Snapshot) error {
	s := c.settings
	switch {
	case !after.Exists:
		return fmt.Errorf("the instance OIDC configuration is missing")
	case after.Name != s.Name:
		return fmt.Errorf("name is %q, expected %q", after.Name, s.Name)
	case after.ClientID != s.ClientID:
		return fmt.Errorf("client ID is %q, expected %q", after.ClientID, s.ClientID)
	case after.WellKnownURL != s.WellKnownURL:
		return fmt.Errorf("well-known URL is %q, expected %q", after.WellKnownURL, s.WellKnownURL)
	case after.GrantType != s.GrantType:
		return fmt.Errorf("grant type is %q, expected %q", after.GrantType, s.GrantType)
	case after.GroupSyncEnabled != s.GroupSyncEnabled:
		return fmt.Errorf("group sync enabled is %t, expected %t", after.GroupSyncEnabled,
			s.GroupSyncEnabled)
	case after.ClaimName != s.ClaimName:
		return fmt.Errorf("claim name is %q, expected %q", after.ClaimName, s.ClaimName)
	case !SameAsRead(c.mapping, after.MappingRead):
		return fmt.Errorf("the instance group mapping differs from what was written")
	case !after.RecordFound:
		return fmt.Errorf("the provider record %q is missing from the instance OIDC "+
			"configuration; ToolJet may have dropped the unknown key", RecordKey)
	case !after.Record.Equal(c.record):
		return fmt.Errorf("the provider record differs from what was written")
	}
	// The secret is compared only when ToolJet returns it: a version that
	// hides secrets on read returns it empty.
	if s.ClientSecret != nil && after.ClientSecret != "" && after.ClientSecret != *s.ClientSecret {
		return fmt.Errorf("the client secret differs from what was written")
	}
	return nil
}
