package provider

import (
	"context"
	"maps"
	"sync"
	"time"

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
	// instanceWaitTimedOut is set after a wait for the instance timed out:
	// the instance is then not part of this plan, and nobody waits again.
	instanceWaitTimedOut bool
	workspaces           map[string][]*plannedWorkspaceSync
	mappings             map[string]map[string][]*plannedMapping
}

// instancePlanWait bounds how long a check waits for tooljet_instance_oidc
// to register its plan.
const instancePlanWait = 3 * time.Second

// plannedInstance is the planned tooljet_instance_oidc.
type plannedInstance struct {
	destroy         bool
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
		instanceAdded: make(chan struct{}),
		workspaces:    map[string][]*plannedWorkspaceSync{},
		mappings:      map[string]map[string][]*plannedMapping{},
	}
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

func (r *planRegistry) addWorkspaceSync(workspaceID string, p *plannedWorkspaceSync) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.workspaces[workspaceID] = append(r.workspaces[workspaceID], p)
}

func (r *planRegistry) addMapping(workspaceID, idpGroup string, p *plannedMapping) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.mappings[workspaceID] == nil {
		r.mappings[workspaceID] = map[string][]*plannedMapping{}
	}
	r.mappings[workspaceID][idpGroup] = append(r.mappings[workspaceID][idpGroup], p)
}

// tableView is the group-sync table as this plan would leave it, as far as
// the plan is known: ToolJet's current state with the registered planned
// values laid over it.
type tableView struct {
	// instancePlanned is true when tooljet_instance_oidc registered its plan.
	instancePlanned  bool
	groupSyncOn      bool
	defaultWorkspace string
	defaultInherits  bool
	instanceClaim    string
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
	// mappings are the tooljet_group_mapping entries per workspace.
	mappings map[string]map[string]string
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
		mappings:         map[string]map[string]string{},
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
		if len(ws.Mappings) > 0 {
			v.mappings[id] = maps.Clone(ws.Mappings)
		}
	}

	if p := r.instance; p != nil {
		v.instancePlanned = true
		v.groupSyncOn = p.groupSyncOn && !p.destroy
		v.instanceClaim = p.claimName
		v.instanceMapping = p.mapping
		if p.destroy {
			v.defaultInherits = false
		} else {
			v.defaultInherits = p.defaultInherits
		}
		if _, present := v.rows[defaultWorkspace]; !present && v.defaultInherits {
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

	for id, byGroup := range r.mappings {
		for idpGroup, planned := range byGroup {
			for _, p := range planned {
				if v.mappings[id] == nil {
					v.mappings[id] = map[string]string{}
				}
				if p.destroy {
					delete(v.mappings[id], idpGroup)
					continue
				}
				v.mappings[id][idpGroup] = p.target
			}
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
