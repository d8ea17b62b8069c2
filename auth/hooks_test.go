package auth_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/auth"
)

// hookLog records what a source's hooks were told.
type hookLog struct {
	mu       sync.Mutex
	refresh  []auth.RefreshInfo
	errs     []error
	lockKeys []string
	order    []string
}

func (l *hookLog) hooks(name string) auth.Hooks {
	return auth.Hooks{
		Refresh: func(ctx context.Context, r *auth.RefreshInfo, refresh func(context.Context) error) error {
			l.mu.Lock()
			l.order = append(l.order, name+" in")
			l.mu.Unlock()
			err := refresh(ctx)
			l.mu.Lock()
			defer l.mu.Unlock()
			l.order = append(l.order, name+" out")
			l.refresh = append(l.refresh, *r)
			l.errs = append(l.errs, err)
			return err
		},
		LockWaited: func(ctx context.Context, w auth.LockWait) {
			l.mu.Lock()
			defer l.mu.Unlock()
			if w.Start.IsZero() || w.Waited < 0 || w.Err != nil {
				l.lockKeys = append(l.lockKeys, "bad wait")
				return
			}
			l.lockKeys = append(l.lockKeys, w.Key)
		},
	}
}

// A source's Refresh hook wraps each refresh and learns whether the token
// was fetched or adopted from the store; LockWaited hears of the lock
// taken for a fetch, and of none when the store already had a new token.
func TestHooksSeeRefreshesAndLockWaits(t *testing.T) {
	st := auth.NewMemoryStore()
	f, cfg := dliveSession(t, st)
	ctx := context.Background()
	var la, lb hookLog
	a := cfg.TokenSource(ctx, nil, auth.WithStore(st, "user"), auth.WithHooks(la.hooks("a")))
	b := cfg.TokenSource(ctx, nil, auth.WithStore(st, "user"), auth.WithHooks(lb.hooks("b")))
	held, err := b.Token() // loads the stored token: a first refresh, adopted
	if err != nil {
		t.Fatal(err)
	}
	refresh(t, a)
	b.(invalidator).Invalidate(held)
	if _, err := b.Token(); err != nil {
		t.Fatal(err)
	}
	if f.Stats().Refreshes != 1 {
		t.Fatalf("the provider saw %d refreshes, want 1", f.Stats().Refreshes)
	}
	fetched := auth.RefreshInfo{Provider: "dlive", Key: "user", Grant: "refresh_token"}
	adopted := fetched
	adopted.Adopted = true
	// a: the first Token loads the stored pair, the forced refresh fetches.
	if diff := cmp.Diff([]auth.RefreshInfo{adopted, fetched}, la.refresh); diff != "" {
		t.Errorf("a's refreshes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"user"}, la.lockKeys); diff != "" {
		t.Errorf("a's lock waits (-want +got):\n%s", diff)
	}
	// b: loads, then adopts a's token without the lock.
	if diff := cmp.Diff([]auth.RefreshInfo{adopted, adopted}, lb.refresh); diff != "" {
		t.Errorf("b's refreshes (-want +got):\n%s", diff)
	}
	if len(lb.lockKeys) != 0 {
		t.Errorf("b waited for the lock %v; it should have taken the stored token", lb.lockKeys)
	}
	for _, err := range append(la.errs, lb.errs...) {
		if err != nil {
			t.Errorf("a refresh failed: %v", err)
		}
	}
}

// Hooks given twice run the first outermost, and a failing refresh
// reaches the hook with the source's error.
func TestHooksChainAndFailure(t *testing.T) {
	_, cfg := dliveSession(t, auth.NewMemoryStore())
	var l hookLog
	src := cfg.TokenSource(context.Background(), nil, auth.WithHooks(l.hooks("outer")), auth.WithHooks(l.hooks("inner")))
	_, err := src.Token() // no token and no store: the refresh fails
	if err == nil {
		t.Fatal("Token succeeded without a token")
	}
	if diff := cmp.Diff([]string{"outer in", "inner in", "inner out", "outer out"}, l.order); diff != "" {
		t.Errorf("hook order (-want +got):\n%s", diff)
	}
	for _, herr := range l.errs {
		if herr == nil || !errors.Is(err, herr) {
			t.Errorf("the hook saw %v, the caller %v", herr, err)
		}
	}
	if len(l.errs) != 2 {
		t.Errorf("hooks saw %d refreshes, want 2 (one each)", len(l.errs))
	}
}
