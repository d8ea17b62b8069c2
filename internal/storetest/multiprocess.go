package storetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/scopes"
)

// Harness tells the multi-process tests how to reach a store.
type Harness struct {
	// Location returns where a new, empty store lives: a directory, a
	// file, a DSN. It runs once, in the parent process.
	Location func(t *testing.T) string
	// Skip, when set, is why the store cannot be tested here: its subtest
	// skips with it.
	Skip string
	// Open opens the store at loc, in the parent and in every child.
	Open func(ctx context.Context, loc string) (auth.Store, error)
}

const childEnv = "ONAIR_STORETEST_CHILD"

// IsChild reports whether this process is a child of MultiProcess or Kill.
func IsChild() bool { return os.Getenv(childEnv) != "" }

// spec is what a child is told to do, as JSON in its environment.
type spec struct {
	Test       string // the test that started it
	Store      string // the store it tests, among MultiProcess's
	Mode       string // "calls", "refresh-loop" or "stall-save"
	Loc, Key   string
	TokenURL   string
	AuthURL    string
	APIURL     string
	ClientID   string
	Secret     string
	Until      time.Time
	Goroutines int
	Sources    int // token sources, shared by the goroutines
	Pace       time.Duration
	Result     string // where a "calls" child writes its result
	Marker     string // created by a "stall-save" child once the provider has answered
}

type result struct {
	Calls, Failures int
	Failed          []string // the first few failures
	// MaxCall is the slowest call, whole: waiting for a token, the
	// request, and the refresh and replay after a 401.
	MaxCall time.Duration
	// MaxHeld is the longest a call went from being handed its first
	// token to the answer: the part of a call that a token's life bounds.
	MaxHeld time.Duration
	// MaxRequest is the slowest single API request, from when it went to
	// the network with its token to the answer's headers, which come after
	// the fake checked the token.
	MaxRequest time.Duration
	// MaxRefresh is the slowest refresh request, as the child saw it.
	MaxRefresh time.Duration
	// Replays counts API requests answered 401, which the Transport
	// replays once with a refreshed token.
	Replays int
}

// 4 processes of 16 goroutines, 6-second tokens, 40 seconds. Each process
// has 4 sources, each shared by 4 goroutines: 16 sources refresh in step
// through the store, within a process as well as across processes.
//
// The lifetime is set by the slowest call a loaded machine makes: a call
// that holds its token longer than the token's life less its refresh
// margin may meet it expired, which the test would blame on the store.
// With 1-second tokens (100 ms of margin), runs of the whole suite under
// -race on 2 busy cores failed a few calls in thousands; with 6-second
// ones, 5.4 s are allowed, and in runs beside a CPU-bound process and
// other test runs the slowest call held its token for 2 s at worst, and
// for under 0.3 s in most. The run is long enough for 6 or 7 refreshes,
// and the test insists on 4. One call per goroutine every half second
// keeps 12 calls on each token from each goroutine without the test
// loading the machine itself: at 5 a second, calls waited up to 5 s in
// the run queue.
const (
	processes  = 4
	goroutines = 16
	sources    = 4 // per process
	lifetime   = 6 * time.Second
	duration   = 40 * time.Second
	pace       = 500 * time.Millisecond // between one goroutine's calls
	// The fake answers refreshes this late, so that every source of a
	// store comes due while one refresh is under way, and a store that
	// failed to exclude the others would let a second refresh through.
	// It is shorter than the margin, so calls go on with the old token.
	refreshDelay = 250 * time.Millisecond
)

// MultiProcess runs, for each store, 4 processes of 16 goroutines that
// call an API of the DLive fake through auth's Transport for 40 seconds,
// over 4 sources per process made WithStore(the store), while the fake
// issues 6-second tokens with single-use refresh tokens. The stores run at
// the same time, each with its own fake, so that all take 40 seconds.
// Each store's subtest checks that every call succeeded, that the fake
// never answered invalid_grant, that the refreshes form one chain in which
// each refresh token was presented once and no earlier than its token's
// refresh time (one refresh per expiry), that there were enough of them to
// cover the run, and that the pair left in the store is the last one
// issued and still refreshes. It logs the slowest call, and fails, saying
// why, when a call or refresh was slower than the lifetime allows: then
// the machine, not the store, may have failed the other checks.
func MultiProcess(t *testing.T, stores map[string]Harness) {
	if sp, ok := childSpec(t); ok {
		h, ok := stores[sp.Store]
		if !ok {
			t.Fatalf("no store %q", sp.Store)
		}
		runChild(t, sp, h)
		return
	}
	ctx := context.Background()
	runs := map[string]*run{}
	for _, name := range slices.Sorted(maps.Keys(stores)) {
		h := stores[name]
		if h.Skip != "" {
			continue
		}
		r := &run{p: startProvider(t, lifetime), key: fmt.Sprintf("user-%x", rand.Uint64())}
		r.p.delay = refreshDelay
		r.loc = h.Location(t)
		st, err := h.Open(ctx, r.loc)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		r.st = st
		if err := st.Save(ctx, r.key, r.p.authorize(t)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		runs[name] = r
	}
	// Every store's children at once.
	start := time.Now()
	dir := t.TempDir()
	var wg sync.WaitGroup
	for name, r := range runs {
		base := spec{Test: t.Name(), Store: name, Mode: "calls", Loc: r.loc, Key: r.key, Until: start.Add(duration), Goroutines: goroutines, Sources: sources, Pace: pace}
		r.p.describe(&base)
		r.results = make([]result, processes)
		r.failures = make([]string, processes)
		for i := range processes {
			sp := base
			sp.Result = filepath.Join(dir, fmt.Sprintf("%s-%d.json", name, i))
			cmd, out := spawn(t, sp)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := cmd.Wait(); err != nil {
					r.failures[i] = fmt.Sprintf("child %d: %v\n%s", i, err, out)
					return
				}
				b, err := os.ReadFile(sp.Result)
				if err == nil {
					err = json.Unmarshal(b, &r.results[i])
				}
				if err != nil {
					r.failures[i] = fmt.Sprintf("child %d: no result: %v\n%s", i, err, out)
				}
			}()
		}
	}
	wg.Wait()
	elapsed := time.Since(start)
	for _, name := range slices.Sorted(maps.Keys(stores)) {
		t.Run(name, func(t *testing.T) {
			if skip := stores[name].Skip; skip != "" {
				t.Skip(skip)
			}
			runs[name].check(t, elapsed)
		})
	}
}

// run is one store's share of MultiProcess.
type run struct {
	p        *provider
	st       auth.Store
	loc, key string
	results  []result
	failures []string // a child's, by index: it failed or wrote no result
}

func (r *run) check(t *testing.T, elapsed time.Duration) {
	ctx := context.Background()
	p, st, key, results := r.p, r.st, r.key, r.results
	for _, f := range r.failures {
		if f != "" {
			t.Error(f)
		}
	}
	var calls, replays int
	var slowest, held, slowestRequest, slowestRefresh time.Duration
	for i, r := range results {
		calls += r.Calls
		replays += r.Replays
		slowest, held = max(slowest, r.MaxCall), max(held, r.MaxHeld)
		slowestRequest, slowestRefresh = max(slowestRequest, r.MaxRequest), max(slowestRefresh, r.MaxRefresh)
		if r.Calls == 0 || r.Failures > 0 {
			t.Errorf("child %d: %d calls, %d failed, the first: %q", i, r.Calls, r.Failures, r.Failed)
		}
	}
	// A call answered less than a token's life less its refresh margin
	// after it was handed its first token cannot meet an expired token:
	// that token was valid then, and the one the Transport replays with
	// after a 401 comes later in the chain, from a refresh sent no earlier
	// than the first one's refresh time, so it expires no earlier than a
	// life less the margin after the first was handed out. (The server's
	// clock starts after the client's, so it expires later there.) A
	// refresh must take less too, or its token is due on arrival. Slower
	// than that is the machine's doing, and so may be any failure above.
	allowed := lifetime - lifetime/10
	if held >= allowed || slowestRefresh >= allowed {
		t.Errorf("a call held its token for %v and a refresh took %v, and %v tokens allow %v (their life less the refresh margin): this machine was too loaded for the test to judge the store",
			held.Round(time.Millisecond), slowestRefresh.Round(time.Millisecond), lifetime, allowed)
	}
	if st := p.Stats(); len(st.Errors) > 0 {
		t.Errorf("the provider answered errors %v (invalid_grant means a refresh token was presented twice)", st.Errors)
	}
	// The seed's refresh, then every later one, must present the refresh
	// token the one before issued, once, and be sent no earlier than the
	// previous token's refresh time: its expiry, which counts from when its
	// request was sent, less the margin. The gap is judged by the send
	// times the client stamped, less a hundredth of the life for the
	// moments between a source reading its clock and its request leaving;
	// arrival times would charge the sources with the delays of a loaded
	// machine.
	var log []refresh
	failed := 0
	for _, e := range p.refreshes() {
		if e.Status != http.StatusOK {
			failed++
			continue
		}
		log = append(log, e)
	}
	if failed > 0 {
		t.Errorf("%d refreshes failed", failed)
	}
	minGap := lifetime - lifetime/10 - lifetime/100
	var forks, early, unstamped []string
	for i, e := range log {
		if e.Sent.IsZero() {
			unstamped = append(unstamped, fmt.Sprint(i))
		}
		if i == 0 {
			continue
		}
		prev := log[i-1]
		if e.Presented != prev.Refresh {
			forks = append(forks, fmt.Sprint(i))
		}
		if gap := e.Sent.Sub(prev.Sent); gap < minGap {
			early = append(early, fmt.Sprintf("%d after %v", i, gap.Round(time.Millisecond)))
		}
	}
	if len(unstamped) > 0 {
		t.Fatalf("refreshes %s carry no %s", clip(unstamped), sentHeader)
	}
	if len(forks) > 0 {
		t.Errorf("refreshes %s did not present the refresh token the one before issued: the chain forked", clip(forks))
	}
	if len(early) > 0 {
		t.Errorf("refreshes came before the token they replaced was due (%v): %s", minGap, clip(early))
	}
	n := len(log) - 1
	// Calls went on for the whole run and a token lives one lifetime, so
	// covering the run took a refresh per lifetime, less the seed's and
	// one for the children's start; fewer would mean tokens did not expire.
	if want := int(duration/lifetime) - 2; n < want {
		t.Errorf("%d refreshes in %v of %v tokens, want at least %d", n, duration, lifetime, want)
	}
	t.Logf("%d processes × %d goroutines (%d sources each), %v tokens, %v: %d calls (%d replayed after a 401), %d refreshes; slowest: call %v, token held %v and refresh %v (%v allowed), API request %v; provider stats %+v",
		processes, goroutines, sources, lifetime, elapsed.Round(time.Second), calls, replays, n,
		slowest.Round(time.Millisecond), held.Round(time.Millisecond), slowestRefresh.Round(time.Millisecond), allowed,
		slowestRequest.Round(time.Millisecond), p.Stats())

	// The last pair issued is the one stored, and it still works.
	last := log[len(log)-1]
	stored, err := st.Load(ctx, key)
	if err != nil {
		t.Fatalf("the store after the run: %v", err)
	}
	if stored.AccessToken != last.Access || stored.RefreshToken != last.Refresh {
		t.Errorf("the store does not hold the last pair issued")
	}
	next, err := p.config().Refresh(ctx, stored.RefreshToken)
	if err != nil {
		t.Fatalf("refreshing the stored pair: %v", err)
	}
	if err := p.call(next); err != nil {
		t.Errorf("calling with the token of the stored pair: %v", err)
	}
}

// Kill kills processes (SIGKILL) while they refresh through the store, and
// checks what each kill leaves in it:
//
//   - killed at random moments of a refresh loop, the store always holds a
//     whole record (never a torn one), and that record is the last pair the
//     provider issued, which refreshes; or, when the kill fell between the
//     provider's answer and the save, the pair that answer replaced (the
//     window auth.WithStore documents), which the provider has spent;
//   - killed while the provider is still answering (the answer is held), the
//     old pair stays in the store and refreshes;
//   - killed after the provider answered and before the save (the save is
//     held), the old pair stays in the store, whole, and is spent: the one
//     window, shown to be exactly as documented.
//
// It calls t.Parallel.
func Kill(t *testing.T, h Harness) {
	if sp, ok := childSpec(t); ok {
		runChild(t, sp, h)
		return
	}
	t.Parallel()
	ctx := context.Background()
	p := startProvider(t, time.Hour) // the children refresh by Invalidate
	loc := h.Location(t)
	st, err := h.Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	key := fmt.Sprintf("user-%x", rand.Uint64())
	cfg := p.config()
	if err := st.Save(ctx, key, p.authorize(t)); err != nil {
		t.Fatal(err)
	}
	base := spec{Test: t.Name(), Loc: loc, Key: key}
	p.describe(&base)

	// reseed stores a working pair for the next round.
	reseed := func() {
		if err := st.Save(ctx, key, p.authorize(t)); err != nil {
			t.Fatal(err)
		}
	}
	// usable refreshes the stored pair and stores the answer.
	usable := func(tok *oauth2.Token) error {
		next, err := cfg.Refresh(ctx, tok.RefreshToken)
		if err != nil {
			return err
		}
		return st.Save(ctx, key, next)
	}

	t.Run("random", func(t *testing.T) {
		const rounds = 8
		window := 0
		for round := range rounds {
			before := len(p.refreshes())
			sp := base
			sp.Mode = "refresh-loop"
			cmd, out := spawn(t, sp)
			waitUntil(t, out, func() bool { return len(p.refreshes()) >= before+1 })
			time.Sleep(time.Duration(rand.N(40)) * time.Millisecond)
			cmd.Process.Kill() // SIGKILL
			cmd.Wait()
			p.quiet(t)

			stored, err := st.Load(ctx, key)
			if err != nil {
				t.Fatalf("round %d: the store after kill -9: %v", round, err)
			}
			log := p.refreshes()
			last := log[len(log)-1]
			if last.Status != http.StatusOK {
				t.Fatalf("round %d: the last refresh failed: HTTP %d %s", round, last.Status, last.Error)
			}
			switch {
			case stored.AccessToken == last.Access && stored.RefreshToken == last.Refresh:
				if err := usable(stored); err != nil {
					t.Fatalf("round %d: the stored pair is the last issued but does not refresh: %v", round, err)
				}
			case stored.RefreshToken == last.Presented:
				window++
				if _, err := cfg.Refresh(ctx, stored.RefreshToken); !isInvalidGrant(err) {
					t.Fatalf("round %d: the kill fell between answer and save, yet the old pair refreshed (err %v)", round, err)
				}
				reseed()
			default:
				t.Fatalf("round %d: the store holds neither the last pair issued nor the one it replaced", round)
			}
		}
		t.Logf("%d kills at random moments: the store held the newest pair after %d, and the old, spent pair after %d (killed between the provider's answer and the save)",
			rounds, rounds-window, window)
	})

	t.Run("provider still answering", func(t *testing.T) {
		for round := range 3 {
			before, _ := st.Load(ctx, key)
			n := len(p.refreshes())
			p.setHold(func(*http.Request) bool { return true })
			sp := base
			sp.Mode = "refresh-loop"
			cmd, out := spawn(t, sp)
			select {
			case <-p.held:
			case <-time.After(60 * time.Second):
				cmd.Process.Kill()
				t.Fatalf("round %d: the child sent no refresh\n%s", round, out)
			}
			cmd.Process.Kill()
			cmd.Wait()
			p.quiet(t)
			p.setHold(nil)
			stored, err := st.Load(ctx, key)
			if err != nil {
				t.Fatalf("round %d: %v", round, err)
			}
			if !same(stored, before) || len(p.refreshes()) != n {
				t.Fatalf("round %d: the store changed although the provider never answered", round)
			}
			if err := usable(stored); err != nil {
				t.Fatalf("round %d: the old pair does not refresh: %v", round, err)
			}
		}
	})

	t.Run("answered, not saved", func(t *testing.T) {
		before, _ := st.Load(ctx, key)
		sp := base
		sp.Mode = "stall-save"
		sp.Marker = filepath.Join(t.TempDir(), "answered")
		cmd, out := spawn(t, sp)
		waitUntil(t, out, func() bool { _, err := os.Stat(sp.Marker); return err == nil })
		cmd.Process.Kill()
		cmd.Wait()
		p.quiet(t)
		stored, err := st.Load(ctx, key)
		if err != nil {
			t.Fatalf("the store after kill -9: %v", err)
		}
		if !same(stored, before) {
			t.Fatal("the store changed although the save never ran")
		}
		log := p.refreshes()
		if last := log[len(log)-1]; last.Presented != before.RefreshToken || last.Status != http.StatusOK {
			t.Fatal("the provider did not rotate the stored pair")
		}
		if _, err := cfg.Refresh(ctx, stored.RefreshToken); !isInvalidGrant(err) {
			t.Fatalf("refreshing the old pair: err = %v, want invalid_grant (the documented window)", err)
		}
		reseed()
	})
}

// clip shortens a long list for a failure message.
func clip(s []string) string {
	if len(s) > 10 {
		return fmt.Sprintf("%s … (%d in all)", strings.Join(s[:10], ", "), len(s))
	}
	return strings.Join(s, ", ")
}

func same(a, b *oauth2.Token) bool {
	return a != nil && b != nil && a.AccessToken == b.AccessToken && a.RefreshToken == b.RefreshToken
}

func isInvalidGrant(err error) bool {
	var e *auth.Error
	return errors.As(err, &e) && e.Code == "invalid_grant"
}

// describe tells a child how to reach the provider.
func (p *provider) describe(sp *spec) {
	sp.TokenURL, sp.AuthURL, sp.APIURL = p.ep.TokenURL, p.ep.AuthURL, p.apiURL
	sp.ClientID, sp.Secret = p.client.ID, p.client.Secret
}

// output collects a child's output for failure messages.
type output struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (o *output) Write(b []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.buf.Write(b)
}
func (o *output) String() string { o.mu.Lock(); defer o.mu.Unlock(); return o.buf.String() }

// spawn starts the test binary as a child that runs the same test.
func spawn(t *testing.T, sp spec) (*exec.Cmd, *output) {
	t.Helper()
	return spawnJSON(t, sp.Test, sp)
}

// runPattern selects exactly the test named name, a level per element.
func runPattern(name string) string {
	parts := strings.Split(name, "/")
	for i, p := range parts {
		parts[i] = "^" + regexp.QuoteMeta(p) + "$"
	}
	return strings.Join(parts, "/")
}

func waitUntil(t *testing.T, out *output, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("the child made no progress in 60s\n%s", out)
		}
		time.Sleep(time.Millisecond)
	}
}

// childSpec returns this process's orders when it is a child started for t.
func childSpec(t *testing.T) (spec, bool) {
	raw := os.Getenv(childEnv)
	if raw == "" {
		return spec{}, false
	}
	var sp spec
	if err := json.Unmarshal([]byte(raw), &sp); err != nil {
		t.Fatalf("%s: %v", childEnv, err)
	}
	if sp.Test != t.Name() {
		t.Skipf("a child process of %s", sp.Test)
	}
	return sp, true
}

func runChild(t *testing.T, sp spec, h Harness) {
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: childTransport{http.DefaultTransport}})
	st, err := h.Open(ctx, sp.Loc)
	if err != nil {
		t.Fatal(err)
	}
	ep := dlive.Endpoint
	ep.AuthURL, ep.TokenURL = sp.AuthURL, sp.TokenURL
	cfg := configFor(ep, sp.ClientID, sp.Secret)
	switch sp.Mode {
	case "calls":
		writeResult(t, sp.Result, calls(ctx, sp, cfg, st))
	case "refresh-loop":
		src := cfg.TokenSource(ctx, nil, auth.WithStore(st, sp.Key))
		inv := src.(interface{ Invalidate(*oauth2.Token) })
		for {
			tok, err := src.Token()
			if err != nil {
				fmt.Fprintln(os.Stderr, "refresh:", err)
				time.Sleep(10 * time.Millisecond)
				continue
			}
			inv.Invalidate(tok)
		}
	case "stall-save":
		src := cfg.TokenSource(ctx, nil, auth.WithStore(stallSave{st, sp.Marker}, sp.Key))
		tok, err := src.Token()
		if err != nil {
			t.Fatal(err)
		}
		src.(interface{ Invalidate(*oauth2.Token) }).Invalidate(tok)
		_, err = src.Token()
		t.Fatalf("the stalled save returned: %v", err)
	default:
		t.Fatalf("unknown mode %q", sp.Mode)
	}
}

// calls is a "calls" child: goroutines call the API until sp.Until, each
// through a Transport over one of sp.Sources sources.
func calls(ctx context.Context, sp spec, cfg *auth.Config[scopes.DLive], st auth.Store) result {
	pool := &http.Transport{MaxIdleConnsPerHost: sp.Goroutines}
	defer pool.CloseIdleConnections()
	api := &timed{base: pool}
	refreshes := &timed{base: pool, stamp: true}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, &http.Client{Transport: refreshes})
	srcs := make([]oauth2.TokenSource, max(1, sp.Sources))
	for i := range srcs {
		srcs[i] = cfg.TokenSource(ctx, nil, auth.WithStore(st, sp.Key))
	}
	var mu sync.Mutex
	var res result
	var wg sync.WaitGroup
	for g := range sp.Goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			client := &http.Client{Transport: cfg.Transport(noting{srcs[g%len(srcs)]}, api), Timeout: 30 * time.Second}
			for time.Now().Before(sp.Until) {
				start := time.Now()
				var handed time.Time
				req, _ := http.NewRequestWithContext(context.WithValue(ctx, handedKey{}, &handed), http.MethodGet, sp.APIURL, nil)
				res1, err := client.Do(req)
				end := time.Now()
				took := end.Sub(start)
				if err == nil {
					res1.Body.Close()
					if res1.StatusCode != http.StatusOK {
						err = fmt.Errorf("HTTP %d", res1.StatusCode)
					}
				}
				mu.Lock()
				res.Calls++
				res.MaxCall = max(res.MaxCall, took)
				if !handed.IsZero() {
					res.MaxHeld = max(res.MaxHeld, end.Sub(handed))
				}
				if err != nil {
					res.Failures++
					if len(res.Failed) < 5 {
						res.Failed = append(res.Failed, err.Error())
					}
				}
				mu.Unlock()
				time.Sleep(sp.Pace)
			}
		}()
	}
	wg.Wait()
	res.MaxRequest, res.Replays = api.stats()
	res.MaxRefresh, _ = refreshes.stats()
	return res
}

// noting is a source that notes, in the *time.Time under handedKey in a
// request's context, when the request was first handed a token.
type noting struct{ oauth2.TokenSource }

type handedKey struct{}

func (n noting) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	tok, err := n.TokenSource.(interface {
		TokenContext(context.Context) (*oauth2.Token, error)
	}).TokenContext(ctx)
	if at, ok := ctx.Value(handedKey{}).(*time.Time); ok && err == nil && at.IsZero() {
		*at = time.Now()
	}
	return tok, err
}

func (n noting) Token() (*oauth2.Token, error) { return n.TokenContext(context.Background()) }

func (n noting) Invalidate(tok *oauth2.Token) {
	n.TokenSource.(interface{ Invalidate(*oauth2.Token) }).Invalidate(tok)
}

// sentHeader carries, in a token request, when the client sent it (Unix
// nanoseconds): the fake logs it, to judge the gap between refreshes by the
// clock the sources go by rather than by when requests arrived, which a
// loaded machine delays.
const sentHeader = "Onair-Storetest-Sent"

// childHeader marks a child process's token requests, so that the
// provider knows the connections a killed child may have left a request in.
const childHeader = "Onair-Storetest-Child"

// childTransport marks every request with childHeader.
type childTransport struct{ base http.RoundTripper }

func (c childTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set(childHeader, "1")
	return c.base.RoundTrip(req)
}

// timed is a RoundTripper that keeps the duration of the slowest request
// and counts the answers 401; with stamp, it sets sentHeader.
type timed struct {
	base  http.RoundTripper
	stamp bool

	mu           sync.Mutex
	slowest      time.Duration
	unauthorized int
}

func (t *timed) RoundTrip(req *http.Request) (*http.Response, error) {
	start := time.Now()
	if t.stamp {
		req = req.Clone(req.Context())
		req.Header.Set(sentHeader, strconv.FormatInt(start.UnixNano(), 10))
	}
	res, err := t.base.RoundTrip(req)
	took := time.Since(start)
	t.mu.Lock()
	t.slowest = max(t.slowest, took)
	if err == nil && res.StatusCode == http.StatusUnauthorized {
		t.unauthorized++
	}
	t.mu.Unlock()
	return res, err
}

func (t *timed) stats() (slowest time.Duration, unauthorized int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.slowest, t.unauthorized
}

func writeResult(t *testing.T, path string, r result) {
	b, err := json.Marshal(r)
	if err == nil {
		err = os.WriteFile(path, b, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// stallSave is a store whose Update, once f has a new token from the
// provider, announces it and never saves it: a kill then lands in the
// window between the answer and the save.
type stallSave struct {
	auth.Store
	marker string
}

func (s stallSave) Update(ctx context.Context, key string, f func(context.Context, *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	return s.Store.Update(ctx, key, func(ctx context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
		next, err := f(ctx, cur)
		if err == nil && next != cur {
			os.WriteFile(s.marker, nil, 0o600)
			select {} // wait for the kill
		}
		return next, err
	})
}
