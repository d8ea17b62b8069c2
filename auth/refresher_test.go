package auth_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/filestore"
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/scopes"
)

// seedUsers authorizes n users at f and stores their pairs in st under
// user-0 … user-(n-1), with expiry set by expiry(i).
func seedUsers(t testing.TB, f *countingFake, st auth.Store, n int, expiry func(i int) time.Time) []*oauth2.Token {
	t.Helper()
	ctx := context.Background()
	toks, err := f.authorizeUsers(ctx, n)
	if err != nil {
		t.Fatal(err)
	}
	for i, tok := range toks {
		tok.Expiry = expiry(i)
		if err := st.Save(ctx, userKey(i), tok); err != nil {
			t.Fatal(err)
		}
	}
	return toks
}

func userKey(i int) string { return fmt.Sprintf("user-%d", i) }

func sorted(s []string) []string { s = slices.Clone(s); slices.Sort(s); return s }

// A pass refreshes the tokens that are due, once each, stores the new
// pairs, and leaves the others alone; the next pass finds nothing due.
func TestRefresherRefreshesDue(t *testing.T) {
	ctx := context.Background()
	f := startCountingFake(t)
	st := auth.NewMemoryStore()
	now := time.Now()
	const ahead = time.Hour
	// user-0…3 expired or due, user-4…6 not.
	expiries := []time.Time{now.Add(-time.Minute), now, now.Add(ahead / 2), now.Add(ahead), now.Add(2 * ahead), now.Add(24 * time.Hour), now.Add(30 * 24 * time.Hour)}
	toks := seedUsers(t, f, st, len(expiries), func(i int) time.Time { return expiries[i] })
	// Nothing to refresh with: left alone although expired.
	if err := st.Save(ctx, "no-refresh-token", &oauth2.Token{AccessToken: "at", Expiry: now.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	r := &auth.Refresher[scopes.DLive]{Config: f.config(), Store: st, Ahead: ahead}

	rep, err := r.RefreshDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := auth.RefreshReport{Keys: len(expiries) + 1, Refreshed: []string{"user-0", "user-1", "user-2", "user-3"}}
	rep.Refreshed = sorted(rep.Refreshed)
	if d := cmp.Diff(want, rep); d != "" {
		t.Errorf("first pass (-want +got):\n%s", d)
	}
	for i, old := range toks {
		answered, refused := f.counts(old.RefreshToken)
		wantAnswered := 0
		if i < 4 {
			wantAnswered = 1
		}
		if answered != wantAnswered || refused != 0 {
			t.Errorf("%s: the fake answered its refresh token %d times and refused it %d times; want %d and 0", userKey(i), answered, refused, wantAnswered)
		}
		stored, err := st.Load(ctx, userKey(i))
		if err != nil {
			t.Fatal(err)
		}
		if i < 4 && stored.RefreshToken != f.successor[old.RefreshToken] {
			t.Errorf("%s: the store does not hold the pair the fake issued", userKey(i))
		}
		if i >= 4 && stored.RefreshToken != old.RefreshToken {
			t.Errorf("%s: a token not due was replaced", userKey(i))
		}
	}

	rep, err = r.RefreshDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(auth.RefreshReport{Keys: len(expiries) + 1}, rep); d != "" {
		t.Errorf("second pass (-want +got):\n%s", d)
	}
}

// Tokens that live shorter than Ahead are refreshed once when due, not
// on every pass, as they would be if they were due on arrival.
func TestRefresherShortLifetime(t *testing.T) {
	ctx := context.Background()
	f := startCountingFake(t)
	f.SetLifetime(time.Minute)
	st := auth.NewMemoryStore()
	seedUsers(t, f, st, 2, func(int) time.Time { return time.Now() })
	r := &auth.Refresher[scopes.DLive]{Config: f.config(), Store: st, Ahead: time.Hour}
	for pass, want := range []int{2, 0, 0} {
		rep, err := r.RefreshDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Refreshed) != want || len(rep.Failed) > 0 {
			t.Errorf("pass %d refreshed %d (failed %v), want %d", pass, len(rep.Refreshed), rep.Failed, want)
		}
	}
}

// No more refreshes run at once than Concurrency: the fake holds each
// refresh until the bound is in flight (or no more can come), so the
// bound is reached, and counts the most it ever had.
func TestRefresherConcurrencyBound(t *testing.T) {
	for _, tc := range []struct {
		name  string
		bound int
		open  func(t *testing.T) auth.Store
	}{
		{"memory/1", 1, func(*testing.T) auth.Store { return auth.NewMemoryStore() }},
		{"memory/4", 4, func(*testing.T) auth.Store { return auth.NewMemoryStore() }},
		{"file/3", 3, func(t *testing.T) auth.Store {
			st, err := filestore.Open(t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
			return st
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			const users = 30
			f := startCountingFake(t)
			st := tc.open(t)
			seedUsers(t, f, st, users, func(int) time.Time { return time.Now() })
			var mu sync.Mutex
			cond := sync.NewCond(&mu)
			waiting, arrived, batch, stalled := 0, 0, 0, false
			release := func() { waiting = 0; batch++; cond.Broadcast() }
			f.setHooks(func(http.ResponseWriter, string) bool {
				mu.Lock()
				defer mu.Unlock()
				arrived++
				waiting++
				// Release when the bound is in flight or no other can come.
				if waiting == tc.bound || arrived == users {
					release()
					return false
				}
				mine := batch
				deadline := time.AfterFunc(30*time.Second, func() { mu.Lock(); stalled = true; release(); mu.Unlock() })
				defer deadline.Stop()
				for batch == mine {
					cond.Wait()
				}
				return false
			}, nil)

			r := &auth.Refresher[scopes.DLive]{Config: f.config(), Store: st, Concurrency: tc.bound}
			rep, err := r.RefreshDue(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Refreshed) != users || len(rep.Failed) > 0 {
				t.Errorf("refreshed %d of %d users; failed: %v", len(rep.Refreshed), users, rep.Failed)
			}
			if got := f.max(""); got != tc.bound {
				t.Errorf("at most %d refreshes were in flight at once, want the bound, %d", got, tc.bound)
			}
			if stalled {
				t.Errorf("fewer than %d refreshes were in flight for 30s while more were due", tc.bound)
			}
		})
	}
}

// Refreshers sharing a store (separate handles, as separate processes
// have) refresh each token once between them: none spends a refresh
// token that another has spent.
func TestRefresherExactlyOnceInProcess(t *testing.T) {
	ctx := context.Background()
	f := startCountingFake(t)
	dir := t.TempDir()
	open := func() auth.Store {
		st, err := filestore.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	const users = 120
	toks := seedUsers(t, f, open(), users, func(int) time.Time { return time.Now() })
	reps := make([]auth.RefreshReport, 3)
	var wg sync.WaitGroup
	for i := range reps {
		wg.Go(func() {
			r := &auth.Refresher[scopes.DLive]{Config: f.config(), Store: open(), Concurrency: 4}
			rep, err := r.RefreshDue(ctx)
			if err != nil {
				t.Error(err)
			}
			reps[i] = rep
		})
	}
	wg.Wait()
	var all []string
	for _, rep := range reps {
		if len(rep.Failed) > 0 || len(rep.Reauthorize) > 0 {
			t.Errorf("failed %v, reauthorize %v", rep.Failed, rep.Reauthorize)
		}
		all = append(all, rep.Refreshed...)
	}
	want := make([]string, users)
	for i := range want {
		want[i] = userKey(i)
	}
	if d := cmp.Diff(sorted(want), sorted(all)); d != "" {
		t.Errorf("keys refreshed by the three, together (-want +got):\n%s", d)
	}
	for i, tok := range toks {
		if answered, refused := f.counts(tok.RefreshToken); answered != 1 || refused != 0 {
			t.Errorf("%s: its refresh token was answered %d times and refused %d times, want once and never", userKey(i), answered, refused)
		}
	}
}

// A user whose refresh token is dead is reported, to OnReauthorize once,
// and the dead token is not presented again on later passes; a new pair
// saved under the key is refreshed as usual.
func TestRefresherDeadRefreshToken(t *testing.T) {
	ctx := context.Background()
	f := startCountingFake(t)
	st := auth.NewMemoryStore()
	toks := seedUsers(t, f, st, 3, func(int) time.Time { return time.Now() })
	dead := toks[1].RefreshToken
	f.Revoke(dead)

	var mu sync.Mutex
	var hooked []string
	r := &auth.Refresher[scopes.DLive]{Config: f.config(), Store: st, OnReauthorize: func(_ context.Context, err *auth.ReauthorizeError) {
		mu.Lock()
		defer mu.Unlock()
		key := err.Key
		hooked = append(hooked, key)
		var e *auth.Error
		if !errors.Is(err, auth.ErrReauthorize) || err.Reason != auth.ReasonInvalidGrant || !errors.As(err, &e) || e.Code != "invalid_grant" {
			t.Errorf("OnReauthorize(%s): err = %v, want ErrReauthorize for the provider's invalid_grant", key, err)
		}
		if strings.Contains(err.Error(), dead) {
			t.Errorf("the error quotes the refresh token: %v", err)
		}
	}}
	for pass := range 3 {
		rep, err := r.RefreshDue(ctx)
		if err != nil {
			t.Fatal(err)
		}
		want := auth.RefreshReport{Keys: 3, Reauthorize: []string{"user-1"}}
		if pass == 0 {
			want.Refreshed = []string{"user-0", "user-2"}
		}
		rep.Refreshed = sorted(rep.Refreshed)
		if d := cmp.Diff(want, rep); d != "" {
			t.Errorf("pass %d (-want +got):\n%s", pass, d)
		}
	}
	if _, refused := f.counts(dead); refused != 1 {
		t.Errorf("the dead refresh token was presented %d times in 3 passes, want once", refused)
	}
	if tok, err := st.Load(ctx, "user-1"); err != nil {
		t.Fatal(err)
	} else if r, ok := auth.NeedsReauthorization(tok); !ok || r != auth.ReasonInvalidGrant {
		t.Errorf("stored under user-1: %v; want the invalid_grant marker", auth.Redacted(tok))
	}
	if d := cmp.Diff([]string{"user-1"}, hooked); d != "" {
		t.Errorf("OnReauthorize calls (-want +got):\n%s", d)
	}

	// The user authorizes again.
	fresh, err := f.authorizeUsers(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	fresh[0].Expiry = time.Now()
	if err := st.Save(ctx, "user-1", fresh[0]); err != nil {
		t.Fatal(err)
	}
	rep, err := r.RefreshDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(auth.RefreshReport{Keys: 3, Refreshed: []string{"user-1"}}, rep); d != "" {
		t.Errorf("after authorizing again (-want +got):\n%s", d)
	}
}

// One key failing (the provider's 500, a record that cannot be read, a
// store that fails) does not stop the others; the failed refresh is tried
// again on the next pass; no error quotes a token.
func TestRefresherFailuresStayWithTheirKey(t *testing.T) {
	ctx := context.Background()
	f := startCountingFake(t)
	mem := auth.NewMemoryStore()
	st := &quotingStore{MemoryStore: mem, failKey: "user-3"}
	toks := seedUsers(t, f, mem, 4, func(int) time.Time { return time.Now() })
	mem.SetRecord("torn", []byte(`{"v":1,"access_token":"secret-torn`))
	f.Fail(authserver.Fault{Status: http.StatusInternalServerError, Body: "down"})

	r := &auth.Refresher[scopes.DLive]{Config: f.config(), Store: st, Concurrency: 1}
	rep, err := r.RefreshDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := sorted(keysOf(rep.Failed)); len(got) != 3 || got[0] != "torn" || got[2] != "user-3" {
		t.Fatalf("failed keys = %q, want torn, user-3 and the user whose refresh met the 500", got)
	}
	if !errors.Is(rep.Failed["torn"], auth.ErrUnreadable) {
		t.Errorf("torn: %v, want auth.ErrUnreadable", rep.Failed["torn"])
	}
	if len(rep.Refreshed) != 2 {
		t.Errorf("refreshed %q, want the two users that did not fail", rep.Refreshed)
	}
	for key, err := range rep.Failed {
		for _, tok := range toks {
			if strings.Contains(err.Error(), tok.RefreshToken) || strings.Contains(err.Error(), tok.AccessToken) {
				t.Errorf("%s: the error quotes a token: %v", key, err)
			}
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: the error quotes the record: %v", key, err)
		}
	}

	st.failKey = ""
	rep, err = r.RefreshDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"torn"}, sorted(keysOf(rep.Failed))); d != "" {
		t.Errorf("second pass: failed keys (-want +got):\n%s", d)
	}
	if len(rep.Refreshed) != 2 {
		t.Errorf("second pass refreshed %q, want the two that failed before", rep.Refreshed)
	}
	for i, tok := range toks {
		if answered, refused := f.counts(tok.RefreshToken); answered != 1 || refused != 0 {
			t.Errorf("%s: answered %d, refused %d; want 1 and 0", userKey(i), answered, refused)
		}
	}
}

// quotingStore fails Update of failKey with an error that quotes the
// stored token, as a careless custom store might.
type quotingStore struct {
	*auth.MemoryStore
	failKey string
}

func (s *quotingStore) Update(ctx context.Context, key string, f func(context.Context, *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	if key == s.failKey {
		cur, _ := s.Load(ctx, key)
		return nil, fmt.Errorf("the database refused %s/%s", cur.AccessToken, cur.RefreshToken)
	}
	return s.MemoryStore.Update(ctx, key, f)
}

func keysOf(m map[string]error) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

// When the store fails to save a new pair, the Refresher keeps it and
// saves it on the next pass, instead of spending the old refresh token,
// which the provider has already rotated, a second time.
func TestRefresherSaveFailureKeepsNewPair(t *testing.T) {
	ctx := context.Background()
	f := startCountingFake(t)
	mem := auth.NewMemoryStore()
	toks := seedUsers(t, f, mem, 1, func(int) time.Time { return time.Now() })
	st := &failSaveOnce{MemoryStore: mem}
	r := &auth.Refresher[scopes.DLive]{Config: f.config(), Store: st}
	rep, err := r.RefreshDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Failed) != 1 {
		t.Fatalf("first pass: %+v, want user-0 failed", rep)
	}
	rep, err = r.RefreshDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(auth.RefreshReport{Keys: 1, Refreshed: []string{"user-0"}}, rep); d != "" {
		t.Errorf("second pass (-want +got):\n%s", d)
	}
	answered, refused := f.counts(toks[0].RefreshToken)
	stored, _ := mem.Load(ctx, "user-0")
	if answered != 1 || refused != 0 || stored.RefreshToken != f.successor[toks[0].RefreshToken] {
		t.Errorf("the old refresh token was answered %d times and refused %d; the store holds the issued pair: %v",
			answered, refused, stored.RefreshToken == f.successor[toks[0].RefreshToken])
	}
}

// failSaveOnce fails the first Update that would write.
type failSaveOnce struct {
	*auth.MemoryStore
	failed bool
}

func (s *failSaveOnce) Update(ctx context.Context, key string, f func(context.Context, *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	return s.MemoryStore.Update(ctx, key, func(ctx context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
		next, err := f(ctx, cur)
		if err == nil && next != nil && next != cur && !s.failed {
			s.failed = true
			return nil, errors.New("disk full")
		}
		return next, err
	})
}

// Run passes until its context ends, then returns the context's error;
// a store that cannot list its keys is refused at once.
func TestRefresherRun(t *testing.T) {
	f := startCountingFake(t)
	st := auth.NewMemoryStore()
	toks := seedUsers(t, f, st, 2, func(int) time.Time { return time.Now() })
	ctx, cancel := context.WithCancel(context.Background())
	r := &auth.Refresher[scopes.DLive]{Config: f.config(), Store: st, Interval: time.Millisecond}
	done := make(chan error)
	go func() { done <- r.Run(ctx) }()
	// Wait for the first pass, and then for a second (a token made due).
	waitFor(t, func() bool { a, _ := f.counts(toks[1].RefreshToken); return a == 1 })
	next, _ := st.Load(context.Background(), "user-0")
	next.Expiry = time.Now()
	if err := st.Save(context.Background(), "user-0", next); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { a, _ := f.counts(next.RefreshToken); return a == 1 })
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}

	bare := &auth.Refresher[scopes.DLive]{Config: f.config(), Store: struct{ auth.Store }{st}}
	if err := bare.Run(context.Background()); err == nil || !strings.Contains(err.Error(), "Keys") {
		t.Errorf("Run over a store without Keys: %v, want an error saying so", err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("no progress in 30s")
		}
		time.Sleep(time.Millisecond)
	}
}
