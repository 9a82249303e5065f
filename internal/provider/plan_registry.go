package provider

import (
	"context"
	"errors"
	"maps"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
	"github.com/tooljet/terraform-provider-tooljet/internal/ssostate"
)

// planRegistry collects the planned values of this provider's resources
// during one Terraform plan, so that each resource can check rules that
// span several resources (the last enabled workspace, a mapping on a
// workspace whose mapping another resource owns) against the other planned
// values as well as against ToolJet's current state.
//
// Terraform plans independent resources in parallel and in no fixed order,
// so a resource sees only the values registered before its own check. Every
// resource registers before it checks, so of two resources that break a
// rule together, the one that checks second sees the other and reports it.
// The same rules are checked again at apply time against fresh state.
type planRegistry struct {
	mu       sync.Mutex
	instance *plannedInstance
	// instanceAdded is closed when tooljet_instance_oidc registers.
	instanceAdded chan struct{}
	// instanceStarted is closed when tooljet_instance_oidc starts its create
	// or update, and instanceWritten when it has finished it.
	instanceStarted     chan struct{}
	instanceStartedOnce sync.Once
	instanceWritten     chan struct{}
	instanceWrittenOnce sync.Once
	// instanceWaitTimedOut is set after a wait for the instance timed out:
	// the instance is then not part of this plan, and later checks do not wait.
	instanceWaitTimedOut bool
	workspaces           map[string][]*plannedWorkspaceSync
	// mappings are the tooljet_group_mapping entries per workspace, as
	// ToolJet holds them with this plan's changes laid over them. They are
	// kept up to date as resources register, so that each check costs the
	// same however many mappings the plan has.
	mappings map[string]*workspaceMappings
	// instanceIndex maps the key ToolJet returns for each name of the
	// instance mapping to the name; indexSource is what it was built from.
	instanceIndex map[string]string
	indexSource   any
	// oidcClients counts the planned tooljet_workspace_oidc resources per
	// workspace and client ID.
	oidcClients map[workspaceClient]int
	// licenseOnce guards license and licenseErr, the license access that
	// ToolJet reported when a plan first needed it.
	licenseOnce sync.Once
	license     *client.LicenseAccess
	licenseErr  error
	// updates counts the plans of existing resources by resource type and
	// configuration, so that the second plan of a replacement can be distinguished
	// from a new resource.
	updates map[string]int
}

// workspaceClient is a client ID within one workspace.
type workspaceClient struct {
	workspaceID string
	clientID    string
}

// workspaceMappings are one workspace's tooljet_group_mapping entries.
type workspaceMappings struct {
	entries map[string]string
	// byReadKey maps the key ToolJet returns for each entry to the entry's
	// IdP group name.
	byReadKey map[string]string
}

func newWorkspaceMappings(entries map[string]string) *workspaceMappings {
	m := &workspaceMappings{entries: map[string]string{}, byReadKey: map[string]string{}}
	for name, target := range entries {
		m.set(name, target)
	}
	return m
}

func (m *workspaceMappings) set(name, target string) {
	m.entries[name] = target
	m.byReadKey[mapping.ToolJetReadKey(name)] = name
}

func (m *workspaceMappings) remove(name string) {
	delete(m.entries, name)
	key := mapping.ToolJetReadKey(name)
	if m.byReadKey[key] == name {
		delete(m.byReadKey, key)
	}
}

// instancePlanWait bounds how long a check waits for tooljet_instance_oidc
// to register its plan.
const instancePlanWait = 3 * time.Second

// plannedInstance is the planned tooljet_instance_oidc.
type plannedInstance struct {
	destroy bool
	// setsSecret is true when the change writes a client secret.
	setsSecret bool
	// writes is true when the plan creates or updates the instance.
	writes          bool
	groupSyncOn     bool
	defaultInherits bool
	claimName       string
	// mapping is nil when it is unknown at plan time.
	mapping map[string]string
}

// plannedWorkspaceSync is one planned tooljet_workspace_group_sync.
type plannedWorkspaceSync struct {
	destroy bool
	enabled bool
	// ownsMapping is true when group_mapping is set (or unknown).
	ownsMapping bool
}

// plannedMapping is one planned tooljet_group_mapping.
type plannedMapping struct {
	destroy bool
	target  string
}

func newPlanRegistry() *planRegistry {
	return &planRegistry{
		instanceAdded:   make(chan struct{}),
		instanceStarted: make(chan struct{}),
		instanceWritten: make(chan struct{}),
		workspaces:      map[string][]*plannedWorkspaceSync{},
		mappings:        map[string]*workspaceMappings{},
		oidcClients:     map[workspaceClient]int{},
		updates:         map[string]int{},
	}
}

// replacement registers a plan of a resource and reports whether it is the
// create half of a replacement. To replace a resource, Terraform plans it
// twice: as an update of the existing object, then as a create from null.
// The create half has the same configuration as an update planned just
// before it. It must not be checked as a second resource, because the
// update half already registered and checked the planned values. key names
// the resource type and its configuration.
func (r *planRegistry) replacement(key string, creating bool) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !creating {
		r.updates[key]++
		return false
	}
	if r.updates[key] == 0 {
		return false
	}
	r.updates[key]--
	return true
}

// addWorkspaceOIDC registers a planned tooljet_workspace_oidc and returns
// how many registered before it with the same workspace and client ID.
func (r *planRegistry) addWorkspaceOIDC(workspaceID, clientID string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := workspaceClient{workspaceID: workspaceID, clientID: clientID}
	earlier := r.oidcClients[key]
	r.oidcClients[key] = earlier + 1
	return earlier
}

func (r *planRegistry) addInstance(p *plannedInstance) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.instance == nil {
		close(r.instanceAdded)
	}
	r.instance = p
}

// waitForInstance waits until tooljet_instance_oidc registers its plan, for
// at most timeout, and reports whether it did. A destroy plan may plan the
// workspaces before the instance, and whether the instance is destroyed too
// decides whether removing the last workspace is a mistake.
//
// Only the first wait of a plan can time out: when the instance is not part
// of the plan, later callers return at once.
func (r *planRegistry) waitForInstance(ctx context.Context, timeout time.Duration) bool {
	r.mu.Lock()
	timedOut := r.instanceWaitTimedOut
	r.mu.Unlock()
	if timedOut {
		select {
		case <-r.instanceAdded:
			return true
		default:
			return false
		}
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-r.instanceAdded:
		return true
	case <-timer.C:
		r.mu.Lock()
		r.instanceWaitTimedOut = true
		r.mu.Unlock()
		return false
	case <-ctx.Done():
		return false
	}
}

// licenseLacksOIDC reports whether ToolJet's license is known not to
// include OpenID Connect SSO. The license is read once per plan. A read that
// fails is logged and ignored, because the apply reports the same problem.
func (r *planRegistry) licenseLacksOIDC(ctx context.Context, c *client.Client) bool {
	r.licenseOnce.Do(func() {
		r.license, r.licenseErr = c.GetLicenseAccess(ctx)
	})
	if r.licenseErr != nil {
		tflog.Debug(ctx, "Unable to read ToolJet's license at plan time",
			map[string]any{"error": r.licenseErr.Error()})
		return false
	}
	return r.license.OIDC != nil && !*r.license.OIDC
}

// instanceSetsSecret reports whether the registered tooljet_instance_oidc
// stores a client secret in this run.
func (r *planRegistry) instanceSetsSecret() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.instance != nil && !r.instance.destroy && r.instance.setsSecret
}

// instanceWriteStarted records that tooljet_instance_oidc has started its
// create or update. It returns the function that records its end, whether
// or not it succeeded.
func (r *planRegistry) instanceWriteStarted() (done func()) {
	r.instanceStartedOnce.Do(func() { close(r.instanceStarted) })
	return func() { r.instanceWrittenOnce.Do(func() { close(r.instanceWritten) }) }
}

// maxInstanceWait bounds how long a write waits for tooljet_instance_oidc
// to finish its write.
const maxInstanceWait = 5 * time.Minute

// waitForInstanceWrite waits until tooljet_instance_oidc has finished a
// create or update of this run, and reports whether it finished. It waits
// only when that write can fix err: a missing client secret when the write
// stores one, or instance mapping entries without a record when the write
// records them. Terraform may apply a group sync resource before the
// instance when neither refers to the other.
func (r *planRegistry) waitForInstanceWrite(ctx context.Context, err error) bool {
	var secretErr *ssostate.SecretUnknownError
	var foreign *ssostate.ForeignEntriesError
	secretMissing := errors.As(err, &secretErr)
	recordMissing := errors.As(err, &foreign) && foreign.WorkspaceID == "" && foreign.RecordMissing
	if !secretMissing && !recordMissing {
		return false
	}

	if !r.waitForInstance(ctx, instancePlanWait) {
		return false
	}
	r.mu.Lock()
	fixes := !r.instance.destroy &&
		((secretMissing && r.instance.setsSecret) || (recordMissing && r.instance.writes))
	r.mu.Unlock()
	if !fixes {
		return false
	}

	// Terraform may reject the instance's plan and then never applies it,
	// so the write must start soon before its end is awaited.
	if !waitClosed(ctx, r.instanceStarted, instancePlanWait) {
		return false
	}
	return waitClosed(ctx, r.instanceWritten, maxInstanceWait)
}

// waitClosed waits until ch is closed, for at most timeout, and reports
// whether it was.
func waitClosed(ctx context.Context, ch <-chan struct{}, timeout time.Duration) bool {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-ch:
		return true
	case <-timer.C:
		return false
	case <-ctx.Done():
		return false
	}
}

func (r *planRegistry) addWorkspaceSync(workspaceID string, p *plannedWorkspaceSync) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.workspaces[workspaceID] = append(r.workspaces[workspaceID], p)
}

// addMapping registers a planned tooljet_group_mapping. snap supplies the
// workspace's entries in ToolJet the first time the workspace is seen.
func (r *planRegistry) addMapping(snap *ssostate.Snapshot, workspaceID, idpGroup string,
	p *plannedMapping) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m := r.workspaceMappingsLocked(snap, workspaceID)
	if p.destroy {
		m.remove(idpGroup)
		return
	}
	m.set(idpGroup, p.target)
}

func (r *planRegistry) workspaceMappingsLocked(snap *ssostate.Snapshot,
	workspaceID string) *workspaceMappings {
	m, ok := r.mappings[workspaceID]
	if !ok {
		m = newWorkspaceMappings(snap.StoredMappings(workspaceID))
		r.mappings[workspaceID] = m
	}
	return m
}

// mappingsOf returns a copy of a workspace's tooljet_group_mapping entries
// as this plan leaves them.
func (r *planRegistry) mappingsOf(snap *ssostate.Snapshot, workspaceID string) map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return maps.Clone(r.workspaceMappingsLocked(snap, workspaceID).entries)
}

// allMappings returns the tooljet_group_mapping entries of every workspace
// as this plan leaves them.
func (r *planRegistry) allMappings(snap *ssostate.Snapshot) map[string]map[string]string {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id := range snap.Record.Workspaces {
		r.workspaceMappingsLocked(snap, id)
	}
	out := make(map[string]map[string]string, len(r.mappings))
	for id, m := range r.mappings {
		if len(m.entries) > 0 {
			out[id] = maps.Clone(m.entries)
		}
	}
	return out
}

// mappingEntry returns the target of a workspace's tooljet_group_mapping
// entry as this plan leaves it so far.
func (r *planRegistry) mappingEntry(snap *ssostate.Snapshot, workspaceID,
	idpGroup string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	target, ok := r.workspaceMappingsLocked(snap, workspaceID).entries[idpGroup]
	return target, ok
}

// collidingInstanceKey returns a name of the instance mapping, as this plan
// leaves it, that ToolJet returns as the same key as idpGroup.
func (r *planRegistry) collidingInstanceKey(snap *ssostate.Snapshot, idpGroup string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	var source any = snap
	instanceMapping := snap.InstanceMapping()
	if r.instance != nil && !r.instance.destroy && r.instance.mapping != nil {
		source, instanceMapping = r.instance, r.instance.mapping
	}
	if r.indexSource != source {
		r.instanceIndex = make(map[string]string, len(instanceMapping))
		for name := range instanceMapping {
			r.instanceIndex[mapping.ToolJetReadKey(name)] = name
		}
		r.indexSource = source
	}
	other, ok := r.instanceIndex[mapping.ToolJetReadKey(idpGroup)]
	return other, ok && other != idpGroup
}

// collidingMapping returns another tooljet_group_mapping entry of the
// workspace that ToolJet returns as the same key as idpGroup.
func (r *planRegistry) collidingMapping(snap *ssostate.Snapshot, workspaceID,
	idpGroup string) (string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	other, ok := r.workspaceMappingsLocked(snap, workspaceID).byReadKey[mapping.ToolJetReadKey(idpGroup)]
	return other, ok && other != idpGroup
}

// tableView is the group-sync table as this plan would leave it, as far as
// the plan is known: ToolJet's current state with the registered planned
// values laid over it.
type tableView struct {
	// instancePlanned is true when tooljet_instance_oidc registered its plan.
	instancePlanned bool
	// instanceDestroyed is true when that plan destroys it.
	instanceDestroyed bool
	groupSyncOn       bool
	defaultWorkspace  string
	defaultInherits   bool
	instanceClaim     string
	// instanceMapping is nil when the planned instance mapping is unknown.
	instanceMapping map[string]string
	// rows maps each workspace in the table to its group-sync toggle.
	rows map[string]bool
	// owners counts the tooljet_workspace_group_sync resources per workspace
	// planned in this run.
	owners map[string]int
	// ownsMapping is true for workspaces whose whole mapping a
	// tooljet_workspace_group_sync owns.
	ownsMapping map[string]bool
}

// view builds the tableView from a snapshot and the registry.
func (r *planRegistry) view(snap *ssostate.Snapshot, defaultWorkspace string) *tableView {
	r.mu.Lock()
	defer r.mu.Unlock()

	v := &tableView{
		groupSyncOn:      snap.GroupSyncEnabled,
		defaultWorkspace: defaultWorkspace,
		defaultInherits:  snap.Record.DefaultWorkspaceInherits,
		instanceClaim:    snap.InstanceClaimName(),
		instanceMapping:  snap.InstanceMapping(),
		rows:             map[string]bool{},
		owners:           map[string]int{},
		ownsMapping:      map[string]bool{},
	}
	if !snap.RecordFound {
		_, v.defaultInherits = snap.Rows[defaultWorkspace]
	}
	for id, row := range snap.Rows {
		v.rows[id] = row.Enabled
	}
	managed := map[string]bool{}
	for id, ws := range snap.Record.Workspaces {
		managed[id] = ws.Managed
		v.ownsMapping[id] = ws.GroupMapping != nil
	}

	if p := r.instance; p != nil {
		v.instancePlanned = true
		v.instanceDestroyed = p.destroy
		v.groupSyncOn = p.groupSyncOn && !p.destroy
		v.instanceClaim = p.claimName
		v.instanceMapping = p.mapping
		if p.destroy {
			v.defaultInherits = false
		} else {
			v.defaultInherits = p.defaultInherits
		}
		if enabled, present := v.rows[defaultWorkspace]; v.defaultInherits &&
			(!present || (!enabled && snap.Record.Retired(defaultWorkspace))) {
			// A default workspace that joins, or whose row the provider
			// switched off instead of deleting it, is enabled by the write.
			v.rows[defaultWorkspace] = true
		}
		if !v.defaultInherits && !managed[defaultWorkspace] {
			delete(v.rows, defaultWorkspace)
		}
	}

	for id, planned := range r.workspaces {
		for _, p := range planned {
			if p.destroy {
				managed[id] = false
				v.ownsMapping[id] = false
				if id != defaultWorkspace || !v.defaultInherits {
					delete(v.rows, id)
				}
				continue
			}
			v.owners[id]++
			managed[id] = true
			v.rows[id] = p.enabled
			v.ownsMapping[id] = p.ownsMapping
		}
	}

	return v
}

// enabledRows counts the workspaces with group sync enabled.
func (v *tableView) enabledRows() int {
	count := 0
	for _, enabled := range v.rows {
		if enabled {
			count++
		}
	}
	return count
}

// inTable reports whether a workspace has (or will have) a row.
func (v *tableView) inTable(workspaceID string) bool {
	_, ok := v.rows[workspaceID]
	return ok
}
