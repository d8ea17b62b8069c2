package auth_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/sqlstore/sqlite"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/scopes"
)

// refresherChild holds a child's orders, as JSON, in its environment.
const refresherChild = "ONAIR_REFRESHER_CHILD"

type refresherOrders struct {
	DB, TokenURL, ClientID, Secret string
	Proc                           string // sent in procHeader
	Concurrency                    int
	Result                         string // where to write the childResult
}

type childResult struct {
	Refreshed, Reauthorize []string
	Failed                 int
}

// The test: 2,000 DLive users whose tokens fall due within the
// run, 3 processes running a Refresher over one SQLite store, one of them
// killed mid-run. Every user is refreshed exactly once, but for at most
// the refreshes the killed process had in flight (the crash window, which
// the survivors then report for re-authorization, trying each dead token
// once); no process has more refreshes in flight than its Concurrency.
//
// The fake, in this process, counts the answers and refusals of each
// refresh token (a token presented twice is seen). To kill the victim mid
// refresh, once 600 users are refreshed the fake answers the survivors'
// refreshes 503 (they try again later), and holds the victim's next
// answers, after spending the token, until the victim is killed.
func TestRefresherProcesses(t *testing.T) {
	if raw := os.Getenv(refresherChild); raw != "" {
		runRefresherChild(t, raw)
		return
	}
	if testing.Short() {
		t.Skip("starts 3 processes and 2,000 users")
	}
	const (
		users       = 2000
		concurrency = 8
		killAfter   = 600 // users refreshed
		victim      = "p0"
		ahead       = time.Hour
	)
	ctx := context.Background()
	f := startCountingFake(t)
	db := filepath.Join(memoryDir(t), "tokens.db")
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}

	// Seed: tokens falling due over the first seconds of the run.
	start := time.Now()
	toks, err := f.authorizeUsers(ctx, users)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("authorized %d users in %v", users, time.Since(start).Round(time.Millisecond))
	due := time.Now()
	saves := make(chan int)
	var wg sync.WaitGroup
	for range 16 {
		wg.Go(func() {
			for i := range saves {
				toks[i].Expiry = due.Add(ahead + time.Duration(i)*2*time.Millisecond)
				if err := st.Save(ctx, userKey(i), toks[i]); err != nil {
					t.Error(err)
				}
			}
		})
	}
	for i := range users {
		saves <- i
	}
	close(saves)
	wg.Wait()
	t.Logf("seeded %d users in %v", users, time.Since(start).Round(time.Millisecond))

	var mu sync.Mutex
	total, killed := 0, false
	trigger, afterKill := make(chan struct{}), make(chan struct{})
	triggered := false
	f.setHooks(func(w http.ResponseWriter, proc string) bool {
		mu.Lock()
		gate := proc != victim && !killed && total >= killAfter
		mu.Unlock()
		if gate {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"error":"temporarily_unavailable"}`)
		}
		return gate
	}, func(proc string) {
		mu.Lock()
		total++
		hold := proc == victim && total > killAfter
		if hold && !triggered {
			triggered = true
			close(trigger)
		}
		mu.Unlock()
		if hold {
			<-afterKill // the victim never gets this answer
		}
	})

	resultDir := t.TempDir()
	procs := make([]*exec.Cmd, 3)
	stdins := make([]io.WriteCloser, 3)
	outs := make([]*output, 3)
	for i := range procs {
		o := refresherOrders{DB: db, TokenURL: f.ep.TokenURL, ClientID: f.client.ID, Secret: f.client.Secret,
			Proc: fmt.Sprintf("p%d", i), Concurrency: concurrency, Result: filepath.Join(resultDir, fmt.Sprintf("p%d.json", i))}
		procs[i], stdins[i], outs[i] = spawnRefresher(t, o)
	}
	runStart := time.Now()

	select {
	case <-trigger:
	case <-time.After(60 * time.Second):
		t.Fatalf("the victim refreshed no user after the first %d in 60s\n%s", killAfter, outs[0])
	}
	procs[0].Process.Kill() // SIGKILL
	procs[0].Wait()
	mu.Lock()
	killed = true
	mu.Unlock()
	close(afterKill)

	// Wait until every user is refreshed, or known lost and reported.
	settled := func() (bool, string) {
		for i, tok := range toks {
			if answered, _ := f.counts(tok.RefreshToken); answered == 0 {
				return false, userKey(i) + " not refreshed"
			}
		}
		for i, tok := range toks {
			_, refused := f.counts(tok.RefreshToken)
			stored, err := st.Load(ctx, userKey(i))
			if err != nil {
				return false, err.Error()
			}
			if stored.RefreshToken == tok.RefreshToken && refused == 0 {
				return false, userKey(i) + " lost and not yet found by a survivor"
			}
		}
		return true, ""
	}
	deadline := time.Now().Add(90 * time.Second)
	for {
		ok, why := settled()
		if ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not done after 90s: %s\n%s\n%s", why, outs[1], outs[2])
		}
		time.Sleep(50 * time.Millisecond)
	}
	elapsed := time.Since(runStart)
	results := make([]childResult, 3)
	for i := 1; i < 3; i++ {
		stdins[i].Close() // the child's signal to finish its pass and report
		if err := procs[i].Wait(); err != nil {
			t.Fatalf("p%d: %v\n%s", i, err, outs[i])
		}
		b, err := os.ReadFile(filepath.Join(resultDir, fmt.Sprintf("p%d.json", i)))
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &results[i]); err != nil {
			t.Fatal(err)
		}
	}

	var lost, byVictim []string
	for i, tok := range toks {
		key := userKey(i)
		answered, refused := f.counts(tok.RefreshToken)
		stored, err := st.Load(ctx, key)
		if err != nil {
			t.Fatal(err)
		}
		f.mu.Lock()
		next, by := f.successor[tok.RefreshToken], f.by[tok.RefreshToken]
		f.mu.Unlock()
		if by == victim {
			byVictim = append(byVictim, key)
		}
		nextAnswered, nextRefused := f.counts(next)
		switch {
		case answered != 1:
			t.Errorf("%s: its refresh token was answered %d times, want once", key, answered)
		case nextAnswered+nextRefused > 0:
			t.Errorf("%s: refreshed twice (the new refresh token was presented)", key)
		case stored.RefreshToken == next:
			if refused > 0 {
				t.Errorf("%s: refreshed, and its spent refresh token presented again %d times", key, refused)
			}
		case stored.RefreshToken == tok.RefreshToken:
			t.Errorf("%s: the store still holds the spent pair; want the marker that its user must authorize again", key)
		case reauthReason(stored) == auth.ReasonInvalidGrant:
			lost = append(lost, key)
			if by != victim {
				t.Errorf("%s: lost, but refreshed by %s, which was not killed", key, by)
			}
			if refused > 1 {
				t.Errorf("%s: its dead refresh token was presented %d times after the kill; want once, then the stored marker stops every process", key, refused)
			}
		default:
			t.Errorf("%s: the store holds neither the seeded pair nor its successor", key)
		}
	}
	// SQLite's lock covers every key: a process has one refresh in
	// flight, whatever its Concurrency, and the crash window is one user.
	if len(lost) != 1 {
		t.Errorf("%d users lost to the kill, want 1 (the victim's refresh in flight)", len(lost))
	}
	slices.Sort(lost)
	var reported, refreshed []string
	for i := 1; i < 3; i++ {
		reported = append(reported, results[i].Reauthorize...)
		refreshed = append(refreshed, results[i].Refreshed...)
	}
	slices.Sort(reported)
	reported = slices.Compact(reported)
	if d := cmp.Diff(lost, sorted(reported)); d != "" {
		t.Errorf("keys the survivors reported for re-authorization (-lost +reported):\n%s", d)
	}
	if got, want := len(refreshed)+len(byVictim), users; got != want {
		t.Errorf("the survivors report %d refreshes and the victim made %d; want %d in all, each user once", len(refreshed), len(byVictim), want)
	}
	for i := range 3 {
		if m := f.max(fmt.Sprintf("p%d", i)); m > concurrency {
			t.Errorf("p%d had %d refreshes in flight at once, more than its Concurrency, %d", i, m, concurrency)
		}
	}
	t.Logf("%d users, 3 processes: %d refreshed by the victim before its kill, %d by the survivors, %d lost in the crash window (reported); most refreshes in flight per process: %d, %d, %d; %v from the start to the last report (%.0f users/s, with the pause at the kill)",
		users, len(byVictim)-len(lost), len(refreshed), len(lost), f.max("p0"), f.max("p1"), f.max("p2"), elapsed.Round(time.Millisecond), float64(users)/elapsed.Seconds())
}

// memoryDir returns a new directory in memory (tmpfs) where there is one,
// else on disk. The test is about processes and locks, and a process
// killed with SIGKILL needs no sync to disk; on a busy disk, 4,000 synced
// writes alone can take most of a minute.
func memoryDir(t testing.TB) string {
	if fi, err := os.Stat("/dev/shm"); err == nil && fi.IsDir() {
		if dir, err := os.MkdirTemp("/dev/shm", "onair-refresher-"); err == nil {
			t.Cleanup(func() { os.RemoveAll(dir) })
			return dir
		}
	}
	return t.TempDir()
}

// output collects a child's output for failure messages.
type output struct {
	mu  sync.Mutex
	buf []byte
}

func (o *output) Write(b []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.buf = append(o.buf, b...)
	return len(b), nil
}

func (o *output) String() string { o.mu.Lock(); defer o.mu.Unlock(); return string(o.buf) }

// spawnRefresher starts the test binary as a child running a Refresher.
func spawnRefresher(t *testing.T, o refresherOrders) (*exec.Cmd, io.WriteCloser, *output) {
	t.Helper()
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestRefresherProcesses$", "-test.count=1", "-test.timeout=5m")
	cmd.Env = append(os.Environ(), refresherChild+"="+string(b))
	out := new(output)
	cmd.Stdout, cmd.Stderr = out, out
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			cmd.Process.Kill()
			cmd.Wait()
		}
	})
	return cmd, stdin, out
}

// runRefresherChild runs passes until its standard input closes, then
// writes what its passes did.
func runRefresherChild(t *testing.T, raw string) {
	var o refresherOrders
	if err := json.Unmarshal([]byte(raw), &o); err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(context.Background(), o.DB)
	if err != nil {
		t.Fatal(err)
	}
	ep := dlive.Endpoint
	ep.TokenURL = o.TokenURL
	cfg := &auth.Config[scopes.DLive]{ClientID: o.ClientID, ClientSecret: o.Secret, RedirectURL: redirectURI,
		Scopes: []scopes.DLive{scopes.DLiveIdentity}, Endpoint: ep}
	tr := &http.Transport{MaxIdleConnsPerHost: o.Concurrency}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: tagged{tr, o.Proc}})
	stop := make(chan struct{})
	go func() {
		io.Copy(io.Discard, bufio.NewReader(os.Stdin))
		close(stop)
	}()
	r := &auth.Refresher[scopes.DLive]{Config: cfg, Store: st, Ahead: time.Hour, Concurrency: o.Concurrency}
	var res childResult
	for {
		rep, err := r.RefreshDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		res.Refreshed = append(res.Refreshed, rep.Refreshed...)
		res.Reauthorize = append(res.Reauthorize, rep.Reauthorize...)
		res.Failed += len(rep.Failed)
		select {
		case <-stop:
			slices.Sort(res.Reauthorize)
			res.Reauthorize = slices.Compact(res.Reauthorize)
			b, _ := json.Marshal(res)
			if err := os.WriteFile(o.Result, b, 0o600); err != nil {
				t.Fatal(err)
			}
			return
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// tagged names the process on every request.
type tagged struct {
	base http.RoundTripper
	proc string
}

func (t tagged) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set(procHeader, t.proc)
	return t.base.RoundTrip(r)
}

func reauthReason(tok *oauth2.Token) auth.ReauthReason {
	r, _ := auth.NeedsReauthorization(tok)
	return r
}
