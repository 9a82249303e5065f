package ssostate

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/tooljet/terraform-provider-tooljet/internal/client"
)

// DefaultMaxAttempts is how many times Modify tries a read-modify-write
// whose read-back shows that another writer changed the object meanwhile.
const DefaultMaxAttempts = 5

// writeLocks holds one lock per ToolJet instance, shared by every provider
// configuration in this process that talks to the same host.
var writeLocks = struct {
	sync.Mutex
	byHost map[string]*sync.Mutex
}{byHost: map[string]*sync.Mutex{}}

func writeLockFor(host string) *sync.Mutex {
	writeLocks.Lock()
	defer writeLocks.Unlock()
	lock, ok := writeLocks.byHost[host]
	if !ok {
		lock = &sync.Mutex{}
		writeLocks.byHost[host] = lock
	}
	return lock
}

// Options configure a Store.
type Options struct {
	// MaxAttempts bounds the retries of a conflicting read-modify-write.
	MaxAttempts int
	// DisableLock turns the write lock off. Only tests set it, to show that
	// concurrent writes lose updates without it.
	DisableLock bool
}

// Store reads and writes the instance OIDC configuration of one ToolJet
// instance for one provider configuration. Reads share one fetch until the
// next write, so a plan that refreshes many resources fetches the object
// once. Writes hold a lock shared by every Store of the same host, read
// fresh state, write, and read back to confirm.
type Store struct {
	client *client.Client
	lock   *sync.Mutex
	opts   Options

	mu         sync.Mutex
	listMu     sync.Mutex // held while fetching workspaces or groups, so callers share one fetch
	snapshot   *Snapshot
	loading    chan struct{}
	loadErr    error
	workspaces []client.Workspace
	groups     map[string][]client.Group
}

// NewStore returns a Store for c.
func NewStore(c *client.Client, opts Options) *Store {
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = DefaultMaxAttempts
	}
	return &Store{
		client: c,
		lock:   writeLockFor(c.Host()),
		opts:   opts,
		groups: map[string][]client.Group{},
	}
}

// Client returns the store's API client.
func (s *Store) Client() *client.Client { return s.client }

// Snapshot returns the instance configuration, fetching it once and sharing
// the result with every caller until the next write.
func (s *Store) Snapshot(ctx context.Context) (*Snapshot, error) {
	for {
		s.mu.Lock()
		if s.snapshot != nil {
			snap := s.snapshot
			s.mu.Unlock()
			return snap, nil
		}
		if s.loading != nil {
			wait := s.loading
			s.mu.Unlock()
			select {
			case <-wait:
				s.mu.Lock()
				err := s.loadErr
				s.mu.Unlock()
				if err != nil {
					return nil, err
				}
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		done := make(chan struct{})
		s.loading = done
		s.mu.Unlock()

		snap, err := s.fetch(ctx)
		s.mu.Lock()
		s.loading = nil
		s.loadErr = err
		if err == nil {
			s.snapshot = snap
		}
		s.mu.Unlock()
		close(done)
		return snap, err
	}
}

// Invalidate drops the shared snapshot, so the next Snapshot fetches again.
func (s *Store) Invalidate() {
	s.mu.Lock()
	s.snapshot = nil
	s.mu.Unlock()
}

func (s *Store) fetch(ctx context.Context) (*Snapshot, error) {
	row, err := s.client.GetInstanceSSO(ctx)
	if err != nil {
		return nil, err
	}
	return NewSnapshot(row)
}

// Workspaces returns the instance's workspaces, fetched once per Store
// unless fresh is true.
func (s *Store) Workspaces(ctx context.Context, fresh bool) ([]client.Workspace, error) {
	s.listMu.Lock()
	defer s.listMu.Unlock()
	s.mu.Lock()
	cached := s.workspaces
	s.mu.Unlock()
	if cached != nil && !fresh {
		return cached, nil
	}
	list, err := s.client.ListWorkspaces(ctx)
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []client.Workspace{}
	}
	s.mu.Lock()
	s.workspaces = list
	s.mu.Unlock()
	return list, nil
}

// DefaultWorkspaceID returns the ID of ToolJet's default workspace, or ""
// when ToolJet marks none.
func (s *Store) DefaultWorkspaceID(ctx context.Context, fresh bool) (string, error) {
	list, err := s.Workspaces(ctx, fresh)
	if err != nil {
		return "", err
	}
	for _, ws := range list {
		if ws.IsDefault {
			return ws.ID, nil
		}
	}
	return "", nil
}

// activeWorkspaces returns the default workspace ID and the set of active
// workspace IDs.
func (s *Store) activeWorkspaces(ctx context.Context, fresh bool) (string, map[string]bool, error) {
	list, err := s.Workspaces(ctx, fresh)
	if err != nil {
		return "", nil, err
	}
	defaultWorkspace := ""
	active := make(map[string]bool, len(list))
	for _, ws := range list {
		active[ws.ID] = true
		if ws.IsDefault {
			defaultWorkspace = ws.ID
		}
	}
	return defaultWorkspace, active, nil
}

// Groups returns a workspace's groups, fetched once per Store.
func (s *Store) Groups(ctx context.Context, workspaceID string) ([]client.Group, error) {
	s.listMu.Lock()
	defer s.listMu.Unlock()
	s.mu.Lock()
	cached, ok := s.groups[workspaceID]
	s.mu.Unlock()
	if ok {
		return cached, nil
	}
	list, err := s.client.ListGroups(ctx, workspaceID)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.groups[workspaceID] = list
	s.mu.Unlock()
	return list, nil
}

// Lock takes the write lock of the ToolJet host: the in-process mutex and
// the lock file shared with the user's other Terraform processes. Writes
// that do not go through Modify, such as the creation of a workspace OIDC
// provider, hold it so that a check and the write that depends on it are not
// interleaved with another writer's. When the lock file cannot be used, it
// logs a warning and goes on with the mutex alone.
func (s *Store) Lock(ctx context.Context) (func(), error) {
	if s.opts.DisableLock {
		return func() {}, nil
	}
	s.lock.Lock()
	release, err := acquireFileLock(ctx, s.client.Host())
	switch {
	case release != nil:
		return func() {
			release()
			s.lock.Unlock()
		}, nil
	case ctx.Err() != nil:
		s.lock.Unlock()
		return nil, err
	default:
		tflog.Warn(ctx, "Writing without the cross-process lock file", map[string]any{
			"error": err.Error(),
		})
		return s.lock.Unlock, nil
	}
}

// Result is the outcome of Modify.
type Result struct {
	// Snapshot is the state read back after the write (or read before it,
	// when nothing needed writing).
	Snapshot *Snapshot
	Warnings []Warning
	// Attempts is how many read-modify-write rounds it took.
	Attempts int
}

// Modify applies op to fresh state and writes the result: under the
// instance's write lock it reads the object, lets op prepare a Draft,
// writes it, and reads it back. When the read-back shows that another
// writer changed the object in between, it starts again, up to MaxAttempts
// times. An error from op is returned as it is and nothing is written.
func (s *Store) Modify(ctx context.Context, op func(d *Draft) error) (*Result, error) {
	unlock, err := s.Lock(ctx)
	if err != nil {
		return nil, err
	}
	defer unlock()
	var lastMismatch error
	sameMismatch := true
	refreshedWorkspaces := false
	for attempt := 1; attempt <= s.opts.MaxAttempts; attempt++ {
		defaultWorkspace, active, err := s.activeWorkspaces(ctx, false)
		if err != nil {
			return nil, err
		}
		base, err := s.fetch(ctx)
		if err != nil {
			return nil, err
		}
		draft := newDraft(base, defaultWorkspace, active, attempt)
		if err := op(draft); err != nil {
			s.store(base)
			return nil, err
		}
		update, expect, err := draft.build()
		if err != nil {
			s.store(base)
			return nil, err
		}
		if update == nil {
			s.store(base)
			return &Result{Snapshot: base, Warnings: draft.warnings, Attempts: attempt}, nil
		}

		tflog.Debug(ctx, "Writing ToolJet instance SSO settings", map[string]any{
			"attempt": attempt, "configs": update.Configs != nil,
			"group_sync_rows": len(update.GroupSyncs),
		})
		writeErr := s.client.UpdateInstanceSSO(ctx, *update)
		after, err := s.fetch(ctx)
		if err != nil {
			s.Invalidate()
			return nil, errors.Join(writeErr, err)
		}
		s.store(after)
		if writeErr != nil {
			if client.IsAmbiguous(writeErr) || isTransient(writeErr) {
				// The write may have landed: the read-back decides.
				if mismatch := expect.check(after); mismatch == nil {
					return &Result{Snapshot: after, Warnings: draft.warnings, Attempts: attempt}, nil
				}
			}
			if client.StatusCode(writeErr) == 400 && !refreshedWorkspaces {
				// A workspace may have been deleted since the list was
				// fetched: fetch it again and recompute the change.
				refreshedWorkspaces = true
				if _, _, err := s.activeWorkspaces(ctx, true); err != nil {
					return nil, errors.Join(writeErr, err)
				}
				continue
			}
			return nil, writeErr
		}
		mismatch := expect.check(after)
		if mismatch == nil {
			return &Result{Snapshot: after, Warnings: draft.warnings, Attempts: attempt}, nil
		}
		if lastMismatch != nil && lastMismatch.Error() != mismatch.Error() {
			sameMismatch = false
		}
		lastMismatch = mismatch
		tflog.Warn(ctx, "ToolJet instance SSO settings changed while the provider wrote them; "+
			"trying again", map[string]any{"attempt": attempt, "mismatch": mismatch.Error()})
		if err := sleepJitter(ctx, attempt); err != nil {
			return nil, err
		}
	}
	return nil, &ConflictError{Attempts: s.opts.MaxAttempts, Last: lastMismatch,
		Repeated: sameMismatch && s.opts.MaxAttempts > 1}
}

func (s *Store) store(snap *Snapshot) {
	s.mu.Lock()
	s.snapshot = snap
	s.mu.Unlock()
}

func isTransient(err error) bool {
	switch client.StatusCode(err) {
	case 0, 502, 503, 504:
		return true
	}
	return false
}

func sleepJitter(ctx context.Context, attempt int) error {
	wait := time.Duration(attempt) * (50*time.Millisecond + rand.N(100*time.Millisecond))
	timer := time.NewTimer(wait)
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// ConflictError reports a read-modify-write that kept being overtaken by
// other writers.
type ConflictError struct {
	Attempts int
	Last     error
	// Repeated is true when every attempt read back the same difference,
	// which points at a ToolJet that does not store what it accepts rather
	// than at another writer.
	Repeated bool
}

func (e *ConflictError) Error() string {
	if e.Repeated {
		return fmt.Sprintf("ToolJet accepted the write of its instance SSO settings %d times "+
			"but read back the same difference each time, so it does not store part of what "+
			"the provider sends. Another writer would not give the same difference every "+
			"time. Check that this ToolJet version supports the settings in the "+
			"configuration, and report the difference to the provider's maintainers: %v",
			e.Attempts, e.Last)
	}
	return fmt.Sprintf("ToolJet's instance SSO settings changed every time the provider wrote "+
		"them (%d attempts): another Terraform run or an admin in ToolJet's UI is editing them "+
		"at the same time. Wait until the other change is done, then apply again. Last "+
		"difference: %v", e.Attempts, e.Last)
}

func (e *ConflictError) Unwrap() error { return e.Last }
