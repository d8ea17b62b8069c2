package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/sqlstore"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// PaceHarness tells the pacer tests how to reach a SQL store.
type PaceHarness struct {
	// Location returns where a new, empty database lives (a file, a DSN);
	// it runs once, in the parent process.
	Location func(t *testing.T) string
	// Skip, when set, is why the store cannot be tested here.
	Skip string
	// Open opens the store at loc, in the parent and in every child.
	Open func(ctx context.Context, loc string) (*sqlstore.Store, error)
}

func (h PaceHarness) open(t *testing.T, loc string) *sqlstore.Store {
	t.Helper()
	st, err := h.Open(context.Background(), loc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// span is a request as a pacer's caller saw it: from when Pace let it
// start to when it called done.
type span struct{ start, end time.Time }

// Pacer checks a store's Pacer: two handles on one database (two
// processes, as far as the database can tell), each with two pacers of
// one key and three goroutines on each, whose simulated requests take
// from 0 to 20 ms. No request starts while limit others are counted: a
// request counts from its start until a window after its end. The check
// needs no timing: the pacer promises it however slow the machine.
func Pacer(t *testing.T, h PaceHarness) {
	if h.Skip != "" {
		t.Skip(h.Skip)
	}
	const (
		limit  = 3
		window = 150 * time.Millisecond
		total  = 24
	)
	loc := h.Location(t)
	stores := []*sqlstore.Store{h.open(t, loc), h.open(t, loc)}
	var (
		mu    sync.Mutex
		spans []span
		wg    sync.WaitGroup
		taken atomic.Int32
	)
	ctx := context.Background()
	for _, st := range stores {
		for range 2 {
			p := st.Pacer("user")
			for range 3 {
				wg.Go(func() {
					for taken.Add(1) <= total {
						done, err := p.Pace(ctx, limit, window)
						if err != nil {
							t.Error(err)
							return
						}
						s := span{start: time.Now()}
						time.Sleep(time.Duration(rand.N(20)) * time.Millisecond)
						s.end = time.Now()
						done()
						mu.Lock()
						spans = append(spans, s)
						mu.Unlock()
					}
				})
			}
		}
	}
	wg.Wait()
	if len(spans) != total {
		t.Fatalf("%d requests ran; want %d", len(spans), total)
	}
	// Wall clock readings: the database's clock is the system's.
	for i, b := range spans {
		var counted int
		for j, a := range spans {
			if i != j && !b.start.Round(0).Before(a.start.Round(0)) && b.start.Round(0).Before(a.end.Round(0).Add(window)) {
				counted++
			}
		}
		if counted >= limit {
			t.Errorf("a request started at %v while %d others were counted (limit %d)", b.start.Format(time.StampMicro), counted, limit)
		}
	}

	// Budgets are per key, and a deadline the budget cannot meet fails at
	// once: key "held" has its one start taken, for an hour after done.
	p := stores[0].Pacer("held")
	done, err := p.Pace(ctx, 1, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	done()
	dctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	if _, err := stores[1].Pacer("held").Pace(dctx, 1, time.Hour); !errors.Is(err, context.DeadlineExceeded) || dctx.Err() != nil {
		t.Errorf("Pace on a spent budget with a deadline before its next start: %v; want DeadlineExceeded before the deadline", err)
	}
	if done, err := stores[1].Pacer("other").Pace(dctx, 1, time.Hour); err != nil {
		t.Errorf("another key's budget: %v", err)
	} else {
		done()
	}
	for _, bad := range []struct {
		key    string
		limit  int
		window time.Duration
	}{{"", 1, time.Second}, {"k", 0, time.Second}, {"k", 1, 0}} {
		if _, err := stores[0].Pacer(bad.key).Pace(ctx, bad.limit, bad.window); err == nil {
			t.Errorf("Pace of key %q, %d a %v: no error", bad.key, bad.limit, bad.window)
		}
	}
}

// The shared-pacing test: 4 processes of 8 goroutines call one Livestorm
// sandbox for 20 seconds with one user's token, which they read from the
// store, each as fast as its client lets it, paced through the store.
//
// The floor is the one timing-bound check here: a start counts until a
// window after its answer, so a machine that stalls a process for a
// second holds a start for that second. Under the race detector the
// sandbox and the children run several times slower, and on a loaded
// 2-core machine stalls of seconds are common (8 of 9 runs beside one
// CPU-bound process served 4.75 to 5 a second, one at a load of 21 served
// 2.45): what the rate measures there is the detector, not the pacer. So
// a -race build checks what no stall can excuse (no 429, no failed call,
// a stuck pacer) and logs the rate, and a build without -race checks the floor too;
// .ci/run runs both. Without -race, beside two busy processes, 5.
const (
	paceProcesses  = 4
	paceGoroutines = 8
	paceDuration   = 20 * time.Second
	// paceFloor is 90% of Livestorm's 5 requests a second.
	paceFloor = 4.5
	// paceRaceServed is what a -race build must serve in all, a fifth of
	// the limit (the worst -race run seen served 38): enough to show the
	// pacer is not stuck, which no stall excuses.
	paceRaceServed = 20
	paceChild      = "pace"
)

// paceSpec is what a child of SharedPace is told, as JSON in its
// environment (the variable IsChild reads).
type paceSpec struct {
	Test, Mode        string
	Loc, Key          string
	APIURL, TokenURL  string
	ClientID, Secret  string
	StartFile, Result string
	Goroutines        int
	Duration          time.Duration
}

type paceResult struct {
	Served, TooMany, Failures int
	Failed                    []string
}

// SharedPace runs, for each store in turn, 4 processes that share one
// Livestorm user through the store for 20 seconds at full demand, against
// a sandbox that allows 5 requests a second per access token. It checks
// that the sandbox answered no request 429, that no call failed, and,
// built without -race, that at least 4.5 requests a second were served in
// all. The children start together, at a time the parent sets once all
// are ready.
func SharedPace(t *testing.T, stores map[string]PaceHarness) {
	if raw := os.Getenv(childEnv); raw != "" {
		var sp paceSpec
		if err := json.Unmarshal([]byte(raw), &sp); err != nil {
			t.Fatalf("%s: %v", childEnv, err)
		}
		if sp.Mode != paceChild {
			t.Skipf("a child process of %s", sp.Test)
		}
		h, ok := stores[strings.TrimPrefix(sp.Test, t.Name()+"/")]
		if !ok || !strings.HasPrefix(sp.Test, t.Name()+"/") {
			t.Skipf("a child process of %s", sp.Test)
		}
		runPaceChild(t, sp, h)
		return
	}
	for name, h := range stores {
		t.Run(name, func(t *testing.T) {
			if h.Skip != "" {
				t.Skip(h.Skip)
			}
			// One store at a time: the parent serves the sandbox, which
			// must answer in time for the budget not to sit idle.
			sharedPace(t, name, h)
		})
	}
}

func sharedPace(t *testing.T, name string, h PaceHarness) {
	srv := livestormtest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	loc := h.Location(t)
	st := h.open(t, loc)
	const key = "livestorm-user"
	if err := st.Save(ctx, key, srv.IssueToken(scopes.LivestormIdentityRead)); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	startFile := filepath.Join(dir, "start")
	type child struct {
		out    *output
		wait   func() error
		result string
	}
	var children []child
	for i := range paceProcesses {
		sp := paceSpec{
			Test: t.Name(), Mode: paceChild, Loc: loc, Key: key,
			APIURL: srv.URL, TokenURL: srv.Endpoint.TokenURL, ClientID: srv.ClientID, Secret: srv.ClientSecret,
			StartFile: startFile, Result: filepath.Join(dir, fmt.Sprintf("result-%d.json", i)),
			Goroutines: paceGoroutines, Duration: paceDuration,
		}
		cmd, out := spawnJSON(t, sp.Test, sp)
		children = append(children, child{out: out, wait: cmd.Wait, result: sp.Result})
	}
	for _, c := range children {
		waitUntil(t, c.out, func() bool { return strings.Contains(c.out.String(), "pace child ready") })
	}
	start := time.Now().Add(200 * time.Millisecond)
	if err := writeFileAtomic(startFile, []byte(start.Format(time.RFC3339Nano))); err != nil {
		t.Fatal(err)
	}
	var sum paceResult
	for i, c := range children {
		if err := c.wait(); err != nil {
			t.Fatalf("child %d: %v\n%s", i, err, c.out)
		}
		b, err := os.ReadFile(c.result)
		if err != nil {
			t.Fatalf("child %d wrote no result: %v\n%s", i, err, c.out)
		}
		var r paceResult
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatal(err)
		}
		sum.Served += r.Served
		sum.TooMany += r.TooMany
		sum.Failures += r.Failures
		sum.Failed = append(sum.Failed, r.Failed...)
	}
	rate := float64(sum.Served) / paceDuration.Seconds()
	t.Logf("%s: %d processes served %d requests in %v: %.2f a second; the sandbox received %d",
		name, paceProcesses, sum.Served, paceDuration, rate, srv.Calls(livestorm.OpIdentityPing))
	if sum.TooMany != 0 {
		t.Errorf("the sandbox answered 429 %d times", sum.TooMany)
	}
	if sum.Failures != 0 {
		t.Errorf("%d calls failed, first: %s", sum.Failures, clip(sum.Failed))
	}
	if raceDetector && sum.Served < paceRaceServed {
		t.Errorf("%d requests served in %v; want at least %d even under the race detector: the pacer is stuck", sum.Served, paceDuration, paceRaceServed)
	}
	if rate < paceFloor && !raceDetector {
		t.Errorf("%.2f requests a second served; want at least %.1f (90%% of Livestorm's 5)", rate, paceFloor)
	}
}

// runPaceChild is a child of SharedPace: it waits for the start, then
// calls Identity.Ping from every goroutine until the run ends, and writes
// what it saw.
func runPaceChild(t *testing.T, sp paceSpec, h PaceHarness) {
	ctx := context.Background()
	st, err := h.Open(ctx, sp.Loc)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ep := livestorm.Endpoint
	ep.TokenURL = sp.TokenURL
	cfg := &auth.Config[scopes.Livestorm]{ClientID: sp.ClientID, ClientSecret: sp.Secret, Endpoint: ep,
		Scopes: []scopes.Livestorm{scopes.LivestormIdentityRead}}
	var tooMany atomic.Int32
	hc := &http.Client{Transport: countTooMany{base: &http.Transport{MaxIdleConnsPerHost: sp.Goroutines}, n: &tooMany}}
	c, err := livestorm.NewClient(cfg.TokenSource(ctx, nil, auth.WithStore(st, sp.Key)),
		livestorm.WithBaseURL(sp.APIURL), livestorm.WithHTTPClient(hc), livestorm.WithPacer(st.Pacer(sp.Key)))
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println("pace child ready")
	var start time.Time
	for start.IsZero() {
		if b, err := os.ReadFile(sp.StartFile); err == nil {
			start, _ = time.Parse(time.RFC3339Nano, string(b))
		}
		time.Sleep(5 * time.Millisecond)
	}
	time.Sleep(time.Until(start))
	end := start.Add(sp.Duration)
	runCtx, cancel := context.WithDeadline(ctx, end)
	defer cancel()
	var (
		mu sync.Mutex
		r  paceResult
		wg sync.WaitGroup
	)
	for range sp.Goroutines {
		wg.Go(func() {
			for runCtx.Err() == nil {
				err := c.Identity.Ping(runCtx, onair.WithMaxRetries(0))
				mu.Lock()
				switch {
				case err == nil:
					r.Served++
				case runCtx.Err() != nil || errors.Is(err, context.DeadlineExceeded):
					// The run ended while the call waited or was sent.
				default:
					r.Failures++
					if len(r.Failed) < 3 {
						r.Failed = append(r.Failed, err.Error())
					}
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	r.TooMany = int(tooMany.Load())
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(sp.Result, b, 0o600); err != nil {
		t.Fatal(err)
	}
}

// countTooMany counts the 429 answers of every request sent, retries
// included.
type countTooMany struct {
	base http.RoundTripper
	n    *atomic.Int32
}

func (c countTooMany) RoundTrip(req *http.Request) (*http.Response, error) {
	res, err := c.base.RoundTrip(req)
	if err == nil && res.StatusCode == http.StatusTooManyRequests {
		c.n.Add(1)
	}
	return res, err
}

func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// spawnJSON starts the test binary as a child that runs test, with v as
// its orders.
func spawnJSON(t *testing.T, test string, v any) (*exec.Cmd, *output) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run="+runPattern(test), "-test.count=1", "-test.timeout=10m")
	cmd.Env = append(os.Environ(), childEnv+"="+string(b))
	out := new(output)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd, out
}
