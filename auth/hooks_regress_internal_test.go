package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// rotating is a provider whose refresh tokens are single use.
type rotating struct {
	mu   sync.Mutex
	live string
	n    int
	now  func() time.Time
}

func (p *rotating) fetch(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if old == nil || old.RefreshToken != p.live {
		return nil, &Error{StatusCode: 400, Code: "invalid_grant"}
	}
	p.n++
	p.live = fmt.Sprintf("rt%d", p.n)
	return &oauth2.Token{AccessToken: fmt.Sprintf("at%d", p.n), RefreshToken: p.live, Expiry: p.now().Add(time.Hour)}, nil
}

// Regression (review of the hooks): a Refresh hook that ran the refresh but returns an error of its
// own (an exporter that failed) makes the source drop the new token, whose
// refresh token is the only live one: the next refresh is refused.
func TestHooksRegressRefreshHookErrorLosesRotatedToken(t *testing.T) {
	clk := &clock{now: time.Unix(1e9, 0)}
	p := &rotating{live: "rt0", now: clk.Now}
	var calls int
	h := Hooks{Refresh: func(ctx context.Context, r *RefreshInfo, refresh func(context.Context) error) error {
		err := refresh(ctx)
		calls++
		if calls == 1 {
			return errors.New("exporter: queue full")
		}
		return err
	}}
	s := newSource(context.Background(), &oauth2.Token{RefreshToken: "rt0"}, p.fetch, []TokenSourceOption{withClock(clk), WithHooks(h)})
	if tok, err := s.Token(); err == nil {
		s.Invalidate(tok) // the next Token refreshes from the rotated pair
	}
	clk.Set(clk.Now().Add(2 * retryPause))
	if _, err := s.Token(); err != nil {
		t.Fatalf("one failing hook lost the rotated refresh token: %v", err)
	}
}

// Regression (review of the hooks): a Refresh hook that returns nil after a failed refresh hides the
// refresh's error (a ReauthorizeError) behind "did not run the refresh",
// which is false.
func TestHooksRegressRefreshHookNilAfterErrorHidesReauth(t *testing.T) {
	dead := &ReauthorizeError{Provider: "dlive", Reason: ReasonInvalidGrant}
	fetch := func(context.Context, *oauth2.Token) (*oauth2.Token, error) { return nil, dead }
	h := Hooks{Refresh: func(ctx context.Context, r *RefreshInfo, refresh func(context.Context) error) error {
		_ = refresh(ctx)
		return nil
	}}
	s := newSource(context.Background(), &oauth2.Token{RefreshToken: "rt0"}, fetch, []TokenSourceOption{WithHooks(h)})
	_, err := s.Token()
	var re *ReauthorizeError
	if !errors.As(err, &re) {
		t.Errorf("Token: %v; want the refresh's *ReauthorizeError", err)
	}
	if err != nil && strings.Contains(err.Error(), "did not run the refresh") {
		t.Errorf("Token: %q; the hook did run the refresh", err)
	}
}

// afterUpdate is a store in which another process, taking no lock, stores
// a token right after each Update of this one.
type afterUpdate struct {
	*MemoryStore
	after func()
}

func (s *afterUpdate) Update(ctx context.Context, key string, f func(context.Context, *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	tok, err := s.MemoryStore.Update(ctx, key, f)
	if s.after != nil {
		s.after()
	}
	return tok, err
}

// Regression (review of the hooks): after invalid_grant, storeSync.get reads the store once more and
// takes the token another process stored: an adoption the Refresh hook is
// not told of (Adopted stays false).
func TestHooksRegressAdoptedAfterInvalidGrantReRead(t *testing.T) {
	ctx := context.Background()
	mem := NewMemoryStore()
	t0 := &oauth2.Token{AccessToken: "at0", RefreshToken: "rt0", Expiry: time.Now().Add(time.Hour)}
	if err := mem.Save(ctx, "user", t0); err != nil {
		t.Fatal(err)
	}
	other := &oauth2.Token{AccessToken: "other-at", RefreshToken: "other-rt", Expiry: time.Now().Add(time.Hour)}
	st := &afterUpdate{MemoryStore: mem}
	fetch := func(context.Context, *oauth2.Token) (*oauth2.Token, error) {
		return nil, &Error{StatusCode: 400, Code: "invalid_grant"}
	}
	var mu sync.Mutex
	var infos []RefreshInfo
	h := Hooks{Refresh: func(ctx context.Context, r *RefreshInfo, refresh func(context.Context) error) error {
		err := refresh(ctx)
		mu.Lock()
		infos = append(infos, *r)
		mu.Unlock()
		return err
	}}
	s := newSource(ctx, nil, fetch, []TokenSourceOption{WithStore(st, "user"), WithHooks(h)})
	held, err := s.Token()
	if err != nil {
		t.Fatal(err)
	}
	st.after = func() { mem.Save(ctx, "user", other) }
	s.Invalidate(held)
	got, err := s.Token()
	if err != nil || got.AccessToken != "other-at" {
		t.Fatalf("Token: %v, %v; want the other process's token", got, err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(infos) != 2 || !infos[1].Adopted {
		t.Errorf("refreshes seen %+v; want the second Adopted (the token is the other process's)", infos)
	}
}

// leakyLock is a custom store whose lock fails with an error that quotes
// the stored token, which storeErr is there to clean.
type leakyLock struct{ *MemoryStore }

func (s leakyLock) Update(ctx context.Context, key string, f func(context.Context, *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	cur, _ := s.Load(ctx, key)
	return nil, fmt.Errorf("row for %s is locked", cur.AccessToken)
}

// Regression (review of the hooks): LockWait.Err is the store's error as it is; the caller gets it
// cleaned of the tokens at hand (storeErr), the hook does not.
func TestHooksRegressLockWaitErrNotCleaned(t *testing.T) {
	ctx := context.Background()
	mem := NewMemoryStore()
	const secret = "at0-secret-access"
	if err := mem.Save(ctx, "user", &oauth2.Token{AccessToken: secret, RefreshToken: "rt0", Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var waits []LockWait
	h := Hooks{LockWaited: func(ctx context.Context, w LockWait) {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, w)
	}}
	fetch := func(context.Context, *oauth2.Token) (*oauth2.Token, error) {
		t.Error("fetch without the lock")
		return nil, nil
	}
	s := newSource(ctx, nil, fetch, []TokenSourceOption{WithStore(leakyLock{mem}, "user"), WithHooks(h)})
	held, err := s.Token()
	if err != nil {
		t.Fatal(err)
	}
	s.Invalidate(held)
	_, err = s.Token()
	if err == nil || strings.Contains(err.Error(), secret) {
		t.Fatalf("Token: %v; want an error clean of the token", err)
	}
	mu.Lock()
	defer mu.Unlock()
	failed := 0
	for _, w := range waits {
		if w.Err == nil {
			continue
		}
		failed++
		if strings.Contains(w.Err.Error(), secret) {
			t.Errorf("LockWait.Err %q quotes the token the caller's error hides", w.Err)
		}
	}
	if failed == 0 {
		t.Errorf("LockWaited heard of no failed wait (%+v): the test checks nothing", waits)
	}
}

// Regression (noticed at the last stop): after a refused refresh the source
// takes the store's lock a second time to mark the key for
// re-authorization; LockWaited hears of that wait too, not only of the
// refresh's.
func TestHooksRegressMarkLockWaitReported(t *testing.T) {
	ctx := context.Background()
	mem := NewMemoryStore()
	clk := &clock{now: time.Unix(1e9, 0)}
	if err := mem.Save(ctx, "user", &oauth2.Token{AccessToken: "at0", RefreshToken: "rt-spent", Expiry: clk.Now().Add(-time.Minute)}); err != nil {
		t.Fatal(err)
	}
	fetch := func(context.Context, *oauth2.Token) (*oauth2.Token, error) { // as a dialect answers invalid_grant
		return nil, &ReauthorizeError{Reason: ReasonInvalidGrant, Err: &Error{StatusCode: 400, Code: "invalid_grant"}}
	}
	var mu sync.Mutex
	var waits []LockWait
	h := Hooks{LockWaited: func(ctx context.Context, w LockWait) {
		mu.Lock()
		defer mu.Unlock()
		waits = append(waits, w)
	}}
	s := newSource(ctx, nil, fetch, []TokenSourceOption{withClock(clk), WithStore(mem, "user"), WithHooks(h)})
	var re *ReauthorizeError
	if _, err := s.Token(); !errors.As(err, &re) {
		t.Fatalf("Token: %v; want a ReauthorizeError", err)
	}
	if cur, err := mem.Load(ctx, "user"); err != nil {
		t.Fatal(err)
	} else if _, marked := NeedsReauthorization(cur); !marked {
		t.Fatalf("the key holds %v, not the re-authorization marker", cur)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(waits) != 2 {
		t.Fatalf("LockWaited heard of %d waits, want 2 (the refresh's and the marking's): %+v", len(waits), waits)
	}
	for _, w := range waits {
		if w.Key != "user" || w.Start.IsZero() || w.Waited < 0 || w.Err != nil {
			t.Errorf("wait %+v; want a completed wait for key user", w)
		}
	}
}
