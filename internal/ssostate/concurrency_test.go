package ssostate

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
)

const (
	concurrentWriters = 30
	// writerLatency delays every emulator request, so that the writers'
	// reads and writes interleave.
	writerLatency = 3 * time.Millisecond
)

// writerGroup is the IdP group that writer i adds. The capitals make
// ToolJet rewrite it on read ("IdP Group 07" comes back as "id_p _group 07").
func writerGroup(i int) string { return fmt.Sprintf("IdP Group %02d", i) }

// concurrentRun is the outcome of concurrentWriters Modify calls that each
// add one entry to the default workspace's mapping.
type concurrentRun struct {
	env *testEnv
	// succeeded lists the writers whose Modify returned no error.
	succeeded []int
	// failed maps a writer to its Modify error.
	failed map[int]error
	// final is the state read after all writers returned.
	final *Snapshot
}

func runConcurrentWriters(t *testing.T, storeOpts Options) concurrentRun {
	t.Helper()
	env := newTestEnv(t, emulator.Options{Latency: writerLatency}, storeOpts)
	env.modify(t, configureInstance)
	ctx := testContext(t)

	start := make(chan struct{})
	errs := make([]error, concurrentWriters)
	var wg sync.WaitGroup
	for i := range concurrentWriters {
		wg.Go(func() {
			<-start
			_, errs[i] = env.store.Modify(ctx, addMapping(env.defaultWorkspace, writerGroup(i),
				"developers"))
		})
	}
	close(start)
	wg.Wait()

	run := concurrentRun{env: env, failed: map[int]error{}}
	for i, err := range errs {
		if err != nil {
			run.failed[i] = err
			continue
		}
		run.succeeded = append(run.succeeded, i)
	}
	var err error
	run.final, err = NewStore(env.store.Client(), Options{}).Snapshot(ctx)
	if err != nil {
		t.Fatalf("reading the final state: %v", err)
	}
	return run
}

// lost returns the writers whose Modify reported success but whose entry
// is missing from the final record.
func (r concurrentRun) lost() []int {
	var entries map[string]string
	if ws := r.final.Record.Lookup(r.env.defaultWorkspace); ws != nil {
		entries = ws.Mappings
	}
	var lost []int
	for _, i := range r.succeeded {
		if _, ok := entries[writerGroup(i)]; !ok {
			lost = append(lost, i)
		}
	}
	return lost
}

func TestModify_concurrentWriters(t *testing.T) {
	run := runConcurrentWriters(t, Options{})

	for i, err := range run.failed {
		t.Errorf("writer %d: %v", i, err)
	}
	if lost := run.lost(); len(lost) > 0 {
		t.Errorf("the entries of writers %v are missing from the record", lost)
	}
	ws := run.final.Record.Lookup(run.env.defaultWorkspace)
	if ws == nil || len(ws.Mappings) != concurrentWriters {
		t.Fatalf("the record has %+v for the default workspace, want %d entries", ws,
			concurrentWriters)
	}
	row := run.final.Rows[run.env.defaultWorkspace]
	if row == nil {
		t.Fatal("the default workspace has no group-sync row")
	}
	want := Desired(run.final.Record, run.env.defaultWorkspace, run.final.InstanceClaimName())
	if len(want.Mapping) != concurrentWriters+1 {
		t.Errorf("the desired mapping has %d entries, want the instance entry and %d more",
			len(want.Mapping), concurrentWriters)
	}
	if !SameAsRead(want.Mapping, row.MappingRead) {
		t.Errorf("the row's mapping %v differs from the record's %v", row.MappingRead,
			want.Mapping)
	}
}

// TestModify_concurrentWritersWithoutLock proves that the write lock is what
// keeps the entries of TestModify_concurrentWriters. It runs the same
// writers with the lock turned off and nothing else changed. Without the
// lock, writer B can read the state before writer A writes, and write after
// A has read back and confirmed its own write. A's Modify then returns
// success, and B's write removes A's entry, which no read-back can notice.
// The interleaving depends on scheduling, so the test asks for a loss in at
// least one of five runs.
func TestModify_concurrentWritersWithoutLock(t *testing.T) {
	const runs = 5
	for attempt := 1; attempt <= runs; attempt++ {
		run := runConcurrentWriters(t, Options{DisableLock: true})
		lost := run.lost()
		t.Logf("run %d: %d writers succeeded, %d failed, %d succeeded but lost their entry",
			attempt, len(run.succeeded), len(run.failed), len(lost))
		if len(lost) > 0 {
			return
		}
	}
	t.Errorf("no run of %d lost an entry without the lock, so this test shows nothing about "+
		"the lock", runs)
}
