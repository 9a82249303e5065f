package blackbox

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"os"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tooljet/terraform-provider-tooljet/internal/emulator"
	"github.com/tooljet/terraform-provider-tooljet/internal/mapping"
)

// conflictText is part of the error that the provider returns when other
// writers kept changing the instance SSO settings during its writes.
const conflictText = "changed every time the provider wrote them"

// retryText is part of the provider's warning log when a read-back shows
// that another writer changed the settings, before it tries again.
const retryText = "changed while the provider wrote them; trying again"

// Settings of the concurrency scenarios.
const (
	mappingsPerRoot   = 20
	concurrentRounds  = 5
	outOfBandRounds   = 3
	emulatorLatency   = 3 * time.Millisecond
	outOfBandInterval = 10 * time.Millisecond
	instanceSSORoute  = "/api/login-configs/instance-sso"
	mappedToolJetRole = "end-user"
)

// syncedSlugs are the seed workspaces that the setup root adds to the group
// sync table and that the mapping roots write to.
var syncedSlugs = []string{"marketing", "sales", "engineering"}

// setupConfig turns instance group sync on and adds the synced workspaces to
// the table.
var setupConfig = fmt.Sprintf(`
provider "tooljet" {}

resource "tooljet_instance_oidc" "this" {
  client_id                = "tooljet-client"
  client_secret_wo         = "not-a-real-secret"
  client_secret_wo_version = 1
  well_known_url           = "https://idp.test/.well-known/openid-configuration"

  group_sync = {}
}

data "tooljet_workspace" "synced" {
  for_each = toset(%s)
  slug     = each.key
}

resource "tooljet_workspace_group_sync" "synced" {
  for_each     = data.tooljet_workspace.synced
  workspace_id = each.value.id

  depends_on = [tooljet_instance_oidc.this]
}
`, hclStringList(syncedSlugs))

// hclStringList returns values as an HCL list of strings.
func hclStringList(values []string) string {
	quoted := make([]string, len(values))
	for i, value := range values {
		quoted[i] = fmt.Sprintf("%q", value)
	}
	return "[" + strings.Join(quoted, ", ") + "]"
}

// mappingRoot is a Terraform root with mappingsPerRoot group mappings,
// spread over the synced workspaces.
type mappingRoot struct {
	name string
	dir  *terraformDir
	// entries maps each IdP group to its workspace ID.
	entries map[string]string
}

// newMappingRoot writes a root whose IdP groups are "<prefix>-00" and up.
func newMappingRoot(t *testing.T, tj *toolJet, name, prefix string,
	workspaceIDs []string) *mappingRoot {
	t.Helper()
	root := &mappingRoot{name: name, entries: map[string]string{}}
	var lines []string
	for i := range mappingsPerRoot {
		idpGroup := fmt.Sprintf("%s-%02d", prefix, i)
		workspaceID := workspaceIDs[i%len(workspaceIDs)]
		root.entries[idpGroup] = workspaceID
		lines = append(lines, fmt.Sprintf("    %q = %q", idpGroup, workspaceID))
	}
	config := fmt.Sprintf(`
provider "tooljet" {}

locals {
  mappings = {
%s
  }
}

resource "tooljet_group_mapping" "m" {
  for_each      = local.mappings
  workspace_id  = each.value
  idp_group     = each.key
  tooljet_group = %q
}
`, strings.Join(lines, "\n"), mappedToolJetRole)
	root.dir = newTerraformDir(t, tj.host, config)
	root.dir.env["TF_LOG_PROVIDER"] = "WARN"
	root.dir.env["TF_LOG_PATH"] = root.dir.path("provider.log")
	return root
}

// address returns the resource address of an IdP group's mapping.
func (root *mappingRoot) address(idpGroup string) string {
	return fmt.Sprintf("tooljet_group_mapping.m[%q]", idpGroup)
}

// missing returns the IdP groups of the root that ToolJet does not map, in
// order.
func (root *mappingRoot) missing(t *testing.T, tj *toolJet) []string {
	t.Helper()
	snap := tj.snapshot(t)
	var missing []string
	for idpGroup, workspaceID := range root.entries {
		row := snap.Rows[workspaceID]
		if row == nil || row.MappingRead[mapping.ToolJetReadKey(idpGroup)] != mappedToolJetRole {
			missing = append(missing, idpGroup)
		}
	}
	slices.Sort(missing)
	return missing
}

// retries counts the provider's "trying again" warnings in the root's log.
func (root *mappingRoot) retries(t *testing.T) int {
	t.Helper()
	data, err := os.ReadFile(root.dir.path("provider.log"))
	if os.IsNotExist(err) {
		return 0
	}
	if err != nil {
		t.Fatalf("reading the provider log of %s: %v", root.name, err)
	}
	return strings.Count(string(data), retryText)
}

// Outcomes of one apply in the concurrency scenarios.
const (
	outcomeStored      = "stored"
	outcomeConflict    = "conflict error"
	outcomeOtherError  = "other error"
	outcomeSilentLoss  = "silent loss"
	maxReportedErrors  = 5
	maxErrorDetailSize = 300
)

// checkOutcome checks the outcome of one apply of root: either it
// succeeded and ToolJet maps every entry, or it failed with the conflict
// error only and a plan creates every entry that ToolJet lacks. It returns
// the outcome for the tally.
func checkOutcome(t *testing.T, tj *toolJet, root *mappingRoot, result commandResult,
	journal *writeJournal) string {
	t.Helper()
	missing := root.missing(t, tj)
	if !result.failed() {
		if len(missing) > 0 {
			t.Errorf("%s: the apply succeeded, but ToolJet lacks %d of its %d mappings: %v "+
				"(silent loss). Instance SSO requests in order:\n%s", root.name, len(missing),
				len(root.entries), missing, journal)
			return outcomeSilentLoss
		}
		return outcomeStored
	}

	outcome := outcomeConflict
	diagnostics := errorDiagnostics(result.stderr)
	if len(diagnostics) == 0 {
		t.Errorf("%s: the apply failed without an error diagnostic: %s", root.name, result)
	}
	others := map[string]int{}
	for _, diagnostic := range diagnostics {
		if !conflictPattern.MatchString(diagnostic) {
			others[diagnostic]++
		}
	}
	for i, diagnostic := range sortedKeys(others) {
		if i == maxReportedErrors {
			t.Errorf("%s: and %d more kinds of errors", root.name, len(others)-i)
			break
		}
		t.Errorf("%s: the apply failed with an error other than the conflict error, in %d "+
			"diagnostics: %s", root.name, others[diagnostic], diagnostic)
	}
	if len(others) > 0 {
		outcome = outcomeOtherError
	}

	planned := root.dir.mustRun("plan", "-input=false", "-no-color", "-out=tfplan")
	show := root.dir.mustRun("show", "-json", "-no-color", "tfplan")
	actions := plannedActions(t, show.stdout)
	for _, idpGroup := range missing {
		if got := actions[root.address(idpGroup)]; got != "create" {
			t.Errorf("%s: ToolJet lacks %q after the failed apply, but the plan has action "+
				"%q for it instead of \"create\":\n%s", root.name, idpGroup, got, planned.stdout)
		}
	}
	return outcome
}

// conflictPattern matches the conflict error across the line breaks that
// Terraform puts into wrapped diagnostics.
var conflictPattern = regexp.MustCompile(strings.Join(strings.Fields(conflictText), `\s+`))

// errorDiagnostics returns each error diagnostic in Terraform's human
// output as its summary and detail on one line, without the configuration
// excerpt, with the detail cut to maxErrorDetailSize bytes.
func errorDiagnostics(output string) []string {
	var diagnostics []string
	blocks := strings.Split(output, "Error: ")
	for _, block := range blocks[1:] {
		lines := strings.Split(block, "\n")
		var detail []string
		for _, line := range lines[1:] {
			if strings.HasPrefix(line, " ") {
				continue // the configuration excerpt, indented
			}
			if strings.TrimSpace(line) == "" {
				if len(detail) > 0 {
					break
				}
				continue
			}
			detail = append(detail, strings.TrimSpace(line))
		}
		text := strings.Join(detail, " ")
		if len(text) > maxErrorDetailSize {
			text = text[:maxErrorDetailSize] + "..."
		}
		diagnostics = append(diagnostics, strings.TrimSpace(lines[0])+": "+text)
	}
	return diagnostics
}

// TestCrossProcessApplies applies two roots with 20 group mappings each at
// the same time from two terraform processes, whose providers hold separate
// in-process write locks. Each apply must either store all of its mappings
// or fail with the conflict error, never succeed while ToolJet lacks an
// entry.
func TestCrossProcessApplies(t *testing.T) {
	requireAcceptance(t)
	tally := map[string]int{}
	for round := 1; round <= concurrentRounds; round++ {
		t.Run(fmt.Sprintf("round %d", round), func(t *testing.T) {
			tj := startToolJet(t, emulator.Options{Latency: emulatorLatency}, false)
			workspaceIDs := applySetup(t, tj)
			journal := newWriteJournal(tj)
			rootA := newMappingRoot(t, tj, "root A", "team-a", workspaceIDs)
			rootB := newMappingRoot(t, tj, "root B", "team-b", workspaceIDs)

			runA := rootA.dir.start("apply", "-auto-approve", "-input=false", "-no-color")
			runB := rootB.dir.start("apply", "-auto-approve", "-input=false", "-no-color")
			resultA, resultB := runA.wait(), runB.wait()

			outcomeA := checkOutcome(t, tj, rootA, resultA, journal)
			outcomeB := checkOutcome(t, tj, rootB, resultB, journal)
			tally["A "+outcomeA+", B "+outcomeB]++
			t.Logf("root A: %s after %d retries in %s; root B: %s after %d retries in %s; "+
				"%d instance SSO writes", outcomeA, rootA.retries(t),
				resultA.duration.Round(time.Millisecond), outcomeB, rootB.retries(t),
				resultB.duration.Round(time.Millisecond), journal.writes())
		})
	}
	t.Logf("outcomes of %d rounds: %v", concurrentRounds, tally)
}

// TestOutOfBandWritesDuringApply applies a root with 20 group mappings while
// another writer, like an admin saving in ToolJet's UI, keeps adding and
// removing the group sync row of a workspace that Terraform does not manage.
// The apply must store all of its mappings or fail with the conflict error.
func TestOutOfBandWritesDuringApply(t *testing.T) {
	requireAcceptance(t)
	tally := map[string]int{}
	for round := 1; round <= outOfBandRounds; round++ {
		t.Run(fmt.Sprintf("round %d", round), func(t *testing.T) {
			tj := startToolJet(t, emulator.Options{Latency: emulatorLatency}, false)
			err := tj.server.Update(func(st *emulator.State) error {
				st.AddWorkspace("Support", "support")
				return nil
			})
			if err != nil {
				t.Fatalf("adding the support workspace: %v", err)
			}
			workspaceIDs := applySetup(t, tj)
			supportID := tj.workspaceIDs(t)["support"]
			journal := newWriteJournal(tj)
			root := newMappingRoot(t, tj, "root A", "team-a", workspaceIDs)

			run := root.dir.start("apply", "-auto-approve", "-input=false", "-no-color")
			stop := make(chan struct{})
			toggles := make(chan int)
			go func() { toggles <- toggleForeignRow(t, tj, supportID, stop) }()
			result := run.wait()
			close(stop)
			toggled := <-toggles

			outcome := checkOutcome(t, tj, root, result, journal)
			tally[outcome]++
			t.Logf("%s after %d retries in %s, while the support row changed %d times",
				outcome, root.retries(t), result.duration.Round(time.Millisecond), toggled)
		})
	}
	t.Logf("outcomes of %d rounds: %v", outOfBandRounds, tally)
}

// applySetup applies the setup root and returns the IDs of the synced
// workspaces.
func applySetup(t *testing.T, tj *toolJet) []string {
	t.Helper()
	setup := newTerraformDir(t, tj.host, setupConfig)
	if result := setup.apply(); result.failed() {
		t.Fatalf("the setup apply failed: %s", result)
	}
	bySlug := tj.workspaceIDs(t)
	ids := make([]string, len(syncedSlugs))
	for i, slug := range syncedSlugs {
		ids[i] = bySlug[slug]
	}
	return ids
}

// toggleForeignRow adds and removes the group sync row of a workspace, out
// of band, every outOfBandInterval until stop is closed, and returns how
// many changes it made. The loop is bounded by commandTimeout.
func toggleForeignRow(t *testing.T, tj *toolJet, workspaceID string, stop <-chan struct{}) int {
	changes := 0
	deadline := time.After(commandTimeout)
	ticker := time.NewTicker(outOfBandInterval)
	defer ticker.Stop()
	for {
		select {
		case <-stop:
			return changes
		case <-deadline:
			return changes
		case <-ticker.C:
		}
		err := tj.server.Update(func(st *emulator.State) error {
			instance := st.InstanceOIDC()
			if instance == nil {
				return nil
			}
			before := len(st.GroupSyncs)
			st.GroupSyncs = slices.DeleteFunc(st.GroupSyncs, func(g *emulator.GroupSync) bool {
				return g.OrganizationID != nil && *g.OrganizationID == workspaceID
			})
			if len(st.GroupSyncs) == before {
				enabled := true
				id := workspaceID
				st.GroupSyncs = append(st.GroupSyncs, &emulator.GroupSync{
					ID: randomID(), SSOConfigID: instance.ID, OrganizationID: &id,
					ClaimName: "groups", GroupMapping: map[string]string{"ops": "end-user"},
					EnableGroupSync: &enabled,
				})
			}
			return nil
		})
		if err != nil {
			t.Errorf("changing the support row out of band: %v", err)
			return changes
		}
		changes++
	}
}

// randomID returns a random version 4 UUID.
func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// writeJournal records the reads and writes of the instance SSO settings,
// with the session that sent them and, after each write, how many mappings
// of each root ToolJet stores, so that a lost write can be traced.
type writeJournal struct {
	tj      *toolJet
	started time.Time

	mu      sync.Mutex
	entries []string
	patches int
}

// newWriteJournal starts recording the instance SSO requests of tj.
func newWriteJournal(tj *toolJet) *writeJournal {
	j := &writeJournal{tj: tj, started: time.Now()}
	tj.mu.Lock()
	tj.afterRequest = j.record
	tj.mu.Unlock()
	return j
}

func (j *writeJournal) record(r *http.Request, session string) {
	if !strings.HasSuffix(r.URL.Path, instanceSSORoute) {
		return
	}
	line := fmt.Sprintf("%8.1fms %-10s %s", float64(time.Since(j.started).Microseconds())/1000,
		session, r.Method)
	if r.Method == http.MethodPatch {
		a, b := j.storedCounts()
		line += fmt.Sprintf(", then ToolJet maps %d team-a and %d team-b groups", a, b)
	}
	j.mu.Lock()
	defer j.mu.Unlock()
	j.entries = append(j.entries, line)
	if r.Method == http.MethodPatch {
		j.patches++
	}
}

// storedCounts counts the stored mappings of the team-a and team-b groups
// over all rows of the instance OIDC configuration.
func (j *writeJournal) storedCounts() (a, b int) {
	j.tj.server.View(func(st *emulator.State) {
		instance := st.InstanceOIDC()
		if instance == nil {
			return
		}
		for _, row := range st.GroupSyncsFor(instance.ID) {
			for key := range row.GroupMapping {
				switch {
				case strings.HasPrefix(key, "team-a-"):
					a++
				case strings.HasPrefix(key, "team-b-"):
					b++
				}
			}
		}
	})
	return a, b
}

// writes returns how many instance SSO writes the journal recorded.
func (j *writeJournal) writes() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.patches
}

func (j *writeJournal) String() string {
	j.mu.Lock()
	defer j.mu.Unlock()
	return strings.Join(j.entries, "\n")
}
