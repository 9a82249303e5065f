package emulator

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestFault_statusAndCount(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	srv.AddFault(Fault{Method: "PATCH", Path: instanceSSOPath, Status: 503, Count: 2})

	for i := 0; i < 2; i++ {
		resp := c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(), http.StatusServiceUnavailable)
		if got := resp.object(t)["statusCode"]; got != float64(503) {
			t.Errorf("request %d: statusCode = %v, want 503 in the envelope", i+1, got)
		}
	}
	srv.View(func(st *State) {
		if st.InstanceOIDC() != nil {
			t.Errorf("a status fault stored the change")
		}
	})
	c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(), http.StatusOK)
	c.mustDo("GET", instanceSSOPath, nil, http.StatusOK)
}

func TestFault_retryAfterHeader(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	srv.AddFault(Fault{Path: "/api/organizations", Status: 429, RetryAfter: "3", Count: 1})

	resp := c.mustDo("GET", "/api/organizations?status=active", nil, http.StatusTooManyRequests)
	if got := resp.header.Get("Retry-After"); got != "3" {
		t.Errorf("Retry-After = %q, want 3", got)
	}
	resp = c.mustDo("GET", "/api/organizations", nil, http.StatusOK)
	if got := resp.header.Get("Retry-After"); got != "" {
		t.Errorf("Retry-After = %q on a normal reply", got)
	}
}

func TestFault_latency(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	const delay = 150 * time.Millisecond
	srv.AddFault(Fault{Method: "GET", Path: "/api/license/access", Latency: delay, Count: 1})

	start := time.Now()
	c.mustDo("GET", "/api/license/access", nil, http.StatusOK)
	if elapsed := time.Since(start); elapsed < delay {
		t.Errorf("elapsed %s, want at least %s", elapsed, delay)
	}
	start = time.Now()
	c.mustDo("GET", "/api/license/access", nil, http.StatusOK)
	if elapsed := time.Since(start); elapsed >= delay {
		t.Errorf("elapsed %s after the fault was used up, want less than %s", elapsed, delay)
	}
}

func TestOptions_latency(t *testing.T) {
	const delay = 100 * time.Millisecond
	srv, baseURL := startServer(t, Options{Latency: delay})
	c := newClient(t, baseURL)
	start := time.Now()
	c.mustDo("GET", "/api/health", nil, http.StatusOK)
	if elapsed := time.Since(start); elapsed < delay {
		t.Errorf("elapsed %s, want at least %s", elapsed, delay)
	}
	srv.SetOptions(func(o *Options) { o.Latency = 0 })
	start = time.Now()
	c.mustDo("GET", "/api/health", nil, http.StatusOK)
	if elapsed := time.Since(start); elapsed >= delay {
		t.Errorf("elapsed %s after removing the latency", elapsed)
	}
}

// freshConnectionClient does not reuse connections, so that Go's transport
// cannot retry a dropped request on a new connection.
func freshConnectionClient(c *apiClient) {
	c.http.Transport = &http.Transport{DisableKeepAlives: true}
}

func TestFault_drop(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := newClient(t, baseURL)
	freshConnectionClient(c)
	srv.AddFault(Fault{Method: "*", Path: "*", Drop: true, Count: 1})

	req, err := http.NewRequestWithContext(t.Context(), "GET", baseURL+"/api/health", nil)
	if err != nil {
		t.Fatal(err)
	}
	if resp, err := c.http.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped request got status %d, want a connection error", resp.StatusCode)
	}
	c.mustDo("GET", "/api/health", nil, http.StatusOK)
}

func TestFault_commitThenFail(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	srv.AddFault(Fault{Method: "PATCH", Path: orgSSOPath, Status: 504, CommitThenFail: true,
		Count: 1})

	resp := c.mustDo("PATCH", orgSSOPath, oidcBody("a"), http.StatusGatewayTimeout)
	if got := resp.object(t)["statusCode"]; got != float64(504) {
		t.Errorf("statusCode = %v, want 504", got)
	}
	if rows := openIDRows(srv, c.workspaceID); len(rows) != 1 {
		t.Errorf("openid rows = %d, want the change committed", len(rows))
	}
}

func TestFault_commitThenDrop(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	freshConnectionClient(c)
	srv.AddFault(Fault{Method: "PATCH", Path: orgSSOPath, Drop: true, CommitThenFail: true,
		Count: 1})

	req, err := http.NewRequestWithContext(t.Context(), "PATCH", baseURL+orgSSOPath,
		strings.NewReader(`{"type":"openid","enabled":true}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(workspaceHeader, c.workspaceID)
	if resp, err := c.http.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped request got status %d, want a connection error", resp.StatusCode)
	}
	if rows := openIDRows(srv, c.workspaceID); len(rows) != 1 {
		t.Errorf("openid rows = %d, want the change committed", len(rows))
	}
}

func TestFault_nullAndOmitKeys(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(workspaceID(t, srv, "sales")),
		http.StatusOK)
	srv.AddFault(Fault{Method: "GET", Path: instanceSSOPath,
		Null: []string{"oidc_group_syncs", "configs"}, Count: 1})
	srv.AddFault(Fault{Method: "GET", Path: instanceSSOPath, Omit: []string{"claim_name", "id"},
		Count: 1})

	row := c.mustDo("GET", instanceSSOPath, nil, http.StatusOK).array(t)[0].(map[string]any)
	for _, key := range []string{"oidc_group_syncs", "configs"} {
		value, present := row[key]
		if !present || value != nil {
			t.Errorf("%s = %v (present %v), want null", key, value, present)
		}
	}

	row = c.mustDo("GET", instanceSSOPath, nil, http.StatusOK).array(t)[0].(map[string]any)
	if _, present := row["id"]; present {
		t.Errorf("id present, want it omitted")
	}
	item := path(t, row, "oidc_group_syncs", 0).(map[string]any)
	if _, present := item["claim_name"]; present {
		t.Errorf("nested claim_name present, want it omitted")
	}
	if _, present := item["group_mapping"]; !present {
		t.Errorf("group_mapping omitted, want only the listed keys removed")
	}
}

func TestFault_firstMatchApplies(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := newClient(t, baseURL)
	id := workspaceID(t, srv, "my-workspace")
	srv.AddFault(Fault{Method: "POST", Path: "/api/authenticate/{organizationId}", Status: 502,
		Count: 1})
	srv.AddFault(Fault{Method: "POST", Path: "/api/authenticate/" + id, Status: 500, Count: 1})

	body := map[string]any{"email": superAdminEmail, "password": seedPassword}
	c.mustDo("POST", "/api/authenticate/"+id, body, http.StatusBadGateway)
	c.mustDo("POST", "/api/authenticate/"+id, body, http.StatusInternalServerError)
	c.mustDo("POST", "/api/authenticate/"+id, body, http.StatusCreated)

	srv.AddFault(Fault{Status: 500})
	c.mustDo("GET", "/api/health", nil, http.StatusInternalServerError)
	c.mustDo("GET", "/api/health", nil, http.StatusInternalServerError)
	srv.ClearFaults()
	c.mustDo("GET", "/api/health", nil, http.StatusOK)
}

func TestRequestCounts(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	c.mustDo("GET", "/api/login-configs/my-workspace/public", nil, http.StatusOK)
	c.mustDo("GET", "/api/login-configs/sales/public", nil, http.StatusOK)
	c.mustDo("GET", "/api/missing", nil, http.StatusNotFound)

	want := map[string]int{
		"POST /api/authenticate/{organizationId}":              1,
		"GET /api/login-configs/{organizationIdOrSlug}/public": 2,
		"GET /api/missing": 1,
	}
	if got := srv.RequestCounts(); !reflect.DeepEqual(got, want) {
		t.Errorf("counts = %v, want %v", got, want)
	}
	srv.ResetRequestCounts()
	if got := srv.RequestCounts(); len(got) != 0 {
		t.Errorf("counts after reset = %v, want none", got)
	}
}

func TestParseFault_examples(t *testing.T) {
	tests := []struct {
		spec string
		want Fault
	}{
		{"PATCH /api/login-configs/instance-sso status=503 count=2 retry-after=1",
			Fault{Method: "PATCH", Path: "/api/login-configs/instance-sso", Status: 503, Count: 2,
				RetryAfter: "1"}},
		{"GET /api/login-configs/instance-sso null=oidc_group_syncs,configs",
			Fault{Method: "GET", Path: "/api/login-configs/instance-sso",
				Null: []string{"oidc_group_syncs", "configs"}}},
		{"* * drop count=1", Fault{Method: "*", Path: "*", Drop: true, Count: 1}},
		{"PATCH /api/login-configs/organization-sso status=504 commit",
			Fault{Method: "PATCH", Path: "/api/login-configs/organization-sso", Status: 504,
				CommitThenFail: true}},
		{"GET /api/organizations latency=2s",
			Fault{Method: "GET", Path: "/api/organizations", Latency: 2 * time.Second}},
		{`get /api/organizations status=429 retry-after="Wed, 21 Oct 2026 07:28:00 GMT"`,
			Fault{Method: "GET", Path: "/api/organizations", Status: 429,
				RetryAfter: "Wed, 21 Oct 2026 07:28:00 GMT"}},
		{"GET /api/organizations omit=total_count",
			Fault{Method: "GET", Path: "/api/organizations", Omit: []string{"total_count"}}},
		{"PATCH /api/login-configs/instance-sso discard count=1",
			Fault{Method: "PATCH", Path: "/api/login-configs/instance-sso", Discard: true,
				Count: 1}},
		{"PATCH * discard latency=1s",
			Fault{Method: "PATCH", Path: "*", Discard: true, Latency: time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := ParseFault(tt.spec)
			if err != nil {
				t.Fatalf("ParseFault: %v", err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			again, err := ParseFault(got.String())
			if err != nil || !reflect.DeepEqual(again, got) {
				t.Errorf("String() %q does not parse back: %+v, %v", got.String(), again, err)
			}
		})
	}
}

func TestParseFault_rejects(t *testing.T) {
	tests := []struct {
		spec string
		want string
	}{
		{"", "expected METHOD PATH"},
		{"GET /api/organizations", "expected METHOD PATH"},
		{"GET api/organizations status=500", "must start with /"},
		{"G3T /api status=500", "must be an HTTP method"},
		{"GET /api status=200", "from 400 to 599"},
		{"GET /api status=abc", "from 400 to 599"},
		{"GET /api status=500 count=0", "positive number"},
		{"GET /api latency=fast", "duration"},
		{"GET /api status=500 retry-after=soon", "retry-after"},
		{"GET /api retry-after=1 latency=1s", "retry-after needs status"},
		{"GET /api drop status=500", "exclude each other"},
		{"GET /api commit latency=1s", "commit needs status or drop"},
		{"GET /api count=3", "no effect"},
		{"GET /api status=500 status=502", "given twice"},
		{"GET /api explode", "unknown option"},
		{"GET /api drop=yes", "takes no value"},
		{"GET /api null=", "needs a value"},
		{"GET /api null=a,,b", "comma-separated"},
		{`GET /api status=500 retry-after="1`, "not closed"},
		{"PATCH /api discard status=500", "discard excludes status and drop"},
		{"PATCH /api discard drop", "discard excludes status and drop"},
		{"PATCH /api discard commit", "commit needs status or drop"},
		{"PATCH /api discard=yes", "takes no value"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			_, err := ParseFault(tt.spec)
			if err == nil {
				t.Fatalf("ParseFault(%q) succeeded, want an error", tt.spec)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q lacks %q", err, tt.want)
			}
		})
	}
}

func TestFault_discard(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	srv.AddFault(Fault{Method: "PATCH", Path: instanceSSOPath, Discard: true, Count: 1})

	resp := c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(), http.StatusOK)

	if id, _ := resp.object(t)["id"].(string); id == "" {
		t.Errorf("reply %s has no id, want the usual save reply", resp.body)
	}
	srv.View(func(st *State) {
		if st.InstanceOIDC() != nil {
			t.Error("a discarded save stored the instance OIDC row")
		}
	})
	c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(), http.StatusOK)
	srv.View(func(st *State) {
		if st.InstanceOIDC() == nil {
			t.Error("the save after the used-up fault was not stored")
		}
	})
}

// A discarded save keeps the state as it was, including rows that the save
// would have changed or deleted.
func TestFault_discardKeepsStoredRows(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	sales := workspaceID(t, srv, "sales")
	c.mustDo("PATCH", instanceSSOPath, instanceOIDCBody(sales), http.StatusOK)
	srv.AddFault(Fault{Method: "PATCH", Path: instanceSSOPath, Discard: true})

	body := instanceOIDCBody(workspaceID(t, srv, "marketing"))
	body["configs"].(map[string]any)["name"] = "Changed"
	c.mustDo("PATCH", instanceSSOPath, body, http.StatusOK)

	srv.View(func(st *State) {
		row := st.InstanceOIDC()
		if got := row.Configs["name"]; got != "" {
			t.Errorf("stored name = %v, want the name before the discarded save", got)
		}
		rows := st.GroupSyncsFor(row.ID)
		if len(rows) != 1 {
			t.Fatalf("group-sync rows = %d, want the one row before the discarded save", len(rows))
		}
		if got := *rows[0].OrganizationID; got != sales {
			t.Errorf("group-sync row workspace = %s, want sales %s", got, sales)
		}
	})
}

// A rejected save under a discard fault replies with its usual error.
func TestFault_discardKeepsErrors(t *testing.T) {
	srv, baseURL := startServer(t, Options{})
	c := superAdmin(t, srv, baseURL)
	srv.AddFault(Fault{Method: "PATCH", Path: instanceSSOPath, Discard: true})

	c.mustDo("PATCH", instanceSSOPath, map[string]any{"type": "kerberos"}, http.StatusBadRequest)
}
