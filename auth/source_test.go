package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/leaktest"
	"github.com/onair-go/onair/scopes"
)

// clock is a settable time source.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

func withClock(c *clock) TokenSourceOption { return func(o *sourceOptions) { o.now = c.Now } }

// fetcher counts fetches and can hold them until released.
type fetcher struct {
	calls   atomic.Int32
	gate    chan struct{} // when set, each fetch waits until it is closed
	clk     *clock
	life    time.Duration
	noRT    bool // answers carry no refresh token
	fail    error
	started chan struct{}
	lastOld atomic.Pointer[oauth2.Token] // the token the last fetch refreshed
}

func (f *fetcher) fetch(ctx context.Context, old *oauth2.Token) (*oauth2.Token, error) {
	n := f.calls.Add(1)
	f.lastOld.Store(old)
	if f.started != nil {
		f.started <- struct{}{}
	}
	if f.gate != nil {
		select {
		case <-f.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if f.fail != nil {
		return nil, f.fail
	}
	tok := &oauth2.Token{AccessToken: fmt.Sprintf("at-%d", n), TokenType: "Bearer", Expiry: f.clk.Now().Add(f.life), ExpiresIn: int64(f.life / time.Second)}
	if !f.noRT {
		tok.RefreshToken = fmt.Sprintf("rt-%d", n)
	}
	return tok, nil
}

func start() time.Time { return time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC) }

func TestRefreshMargin(t *testing.T) {
	for _, tc := range []struct {
		life, margin time.Duration
	}{
		{2 * time.Second, 200 * time.Millisecond}, // a 2-second token is still reused
		{30 * time.Second, 3 * time.Second},
		{time.Hour, time.Minute}, // capped at a minute
		{30 * 24 * time.Hour, time.Minute},
	} {
		t.Run(tc.life.String(), func(t *testing.T) {
			clk := &clock{now: start()}
			f := &fetcher{clk: clk, life: tc.life, gate: make(chan struct{})}
			tok := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now().Add(tc.life)}
			s := newSource(context.Background(), tok, f.fetch, []TokenSourceOption{withClock(clk)})

			clk.Set(tok.Expiry.Add(-tc.margin - time.Millisecond))
			if got, _ := s.Token(); got != tok || f.calls.Load() != 0 {
				t.Fatalf("just before the margin: got %v after %d fetches, want the cached token and none", got.AccessToken, f.calls.Load())
			}
			clk.Set(tok.Expiry.Add(-tc.margin))
			got, err := s.Token()
			if err != nil {
				t.Fatal(err)
			}
			// Inside the margin the current token is still handed out at
			// once while the refresh, held at the gate, runs behind it.
			if got != tok {
				t.Errorf("inside the margin: got %s, want the still-valid at-0", got.AccessToken)
			}
			close(f.gate)
			waitFor(t, func() bool { e := s.cur.Load(); return e.tok.AccessToken == "at-1" })
		})
	}
}

func TestSingleRefreshForManyWaiters(t *testing.T) {
	clk := &clock{now: start()}
	f := &fetcher{clk: clk, life: time.Hour, gate: make(chan struct{})}
	tok := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now().Add(time.Minute)}
	s := newSource(context.Background(), tok, f.fetch, []TokenSourceOption{withClock(clk)})
	clk.Set(tok.Expiry.Add(time.Second)) // expired: every caller must wait

	const n = 64
	var wg sync.WaitGroup
	got := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			tok, err := s.Token()
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = tok.AccessToken
		}()
	}
	waitFor(t, func() bool { return f.calls.Load() == 1 })
	time.Sleep(20 * time.Millisecond) // let every caller reach the wait
	close(f.gate)
	wg.Wait()
	if c := f.calls.Load(); c != 1 {
		t.Errorf("fetches = %d, want 1", c)
	}
	for i, g := range got {
		if g != "at-1" {
			t.Fatalf("caller %d got %q, want at-1", i, g)
		}
	}
}

func TestValidTokenServedDuringRefresh(t *testing.T) {
	clk := &clock{now: start()}
	f := &fetcher{clk: clk, life: time.Hour, gate: make(chan struct{}), started: make(chan struct{}, 1)}
	tok := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now().Add(time.Hour)}
	s := newSource(context.Background(), tok, f.fetch, []TokenSourceOption{withClock(clk)})
	clk.Set(tok.Expiry.Add(-30 * time.Second)) // inside the margin, still valid

	if got, _ := s.Token(); got != tok {
		t.Fatalf("got %s, want at-0", got.AccessToken)
	}
	<-f.started // the refresh is running and held at the gate
	done := make(chan *oauth2.Token)
	go func() {
		got, _ := s.Token()
		done <- got
	}()
	select {
	case got := <-done:
		if got != tok {
			t.Errorf("during the refresh: got %s, want at-0", got.AccessToken)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("a caller holding a valid token waited for the refresh")
	}
	close(f.gate)
	waitFor(t, func() bool { return s.cur.Load().tok.AccessToken == "at-1" })
	if c := f.calls.Load(); c != 1 {
		t.Errorf("fetches = %d, want 1", c)
	}
}

func TestRefreshTokenRotation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		noRT   bool
		wantRT string
	}{
		{"rotated refresh token replaces the old", false, "rt-1"},
		{"answer without one keeps the old", true, "rt-0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &clock{now: start()}
			f := &fetcher{clk: clk, life: time.Hour, noRT: tc.noRT}
			tok := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now()}
			s := newSource(context.Background(), tok, f.fetch, []TokenSourceOption{withClock(clk)})
			got, err := s.Token()
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]string{"at-1", tc.wantRT}, []string{got.AccessToken, got.RefreshToken}); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestOnTokenRunsBeforeUseAndKeepsToken(t *testing.T) {
	clk := &clock{now: start()}
	f := &fetcher{clk: clk, life: time.Hour}
	var saved []string
	var failing atomic.Bool
	failing.Store(true)
	hook := OnToken(func(ctx context.Context, tok *oauth2.Token) error {
		if failing.Load() {
			return errors.New("disk full")
		}
		saved = append(saved, tok.AccessToken+"/"+tok.RefreshToken)
		return nil
	})
	tok := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now()}
	s := newSource(context.Background(), tok, f.fetch, []TokenSourceOption{withClock(clk), hook})

	_, err := s.Token()
	if err == nil || !strings.Contains(err.Error(), "disk full") {
		t.Fatalf("err = %v, want the hook's error", err)
	}
	// The new pair is neither handed out nor dropped: the next call offers
	// the same token to the hook again instead of spending rt-1's
	// predecessor a second time.
	clk.Set(clk.Now().Add(2 * retryPause))
	failing.Store(false)
	got, err := s.Token()
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"at-1/rt-1"}, saved); d != "" {
		t.Errorf("saved (-want +got):\n%s", d)
	}
	if got.AccessToken != "at-1" || f.calls.Load() != 1 {
		t.Errorf("got %s after %d fetches, want at-1 after 1", got.AccessToken, f.calls.Load())
	}
}

func TestRefreshTimeout(t *testing.T) {
	clk := &clock{now: start()}
	f := &fetcher{clk: clk, life: time.Hour, gate: make(chan struct{})} // never released
	tok := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now()}
	s := newSource(context.Background(), tok, f.fetch, []TokenSourceOption{withClock(clk), RefreshTimeout(50 * time.Millisecond)})
	_, err := s.Token()
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "longer than 50ms") {
		t.Fatalf("err = %v, want a refresh timeout", err)
	}
}

func TestCallerContextBoundsWait(t *testing.T) {
	clk := &clock{now: start()}
	f := &fetcher{clk: clk, life: time.Hour, gate: make(chan struct{})}
	tok := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now()}
	s := newSource(context.Background(), tok, f.fetch, []TokenSourceOption{withClock(clk)})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := s.TokenContext(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the caller's deadline", err)
	}
	close(f.gate) // the refresh goes on for the others
	if got, err := s.Token(); err != nil || got.AccessToken != "at-1" {
		t.Fatalf("after release: %v %v", got, err)
	}
}

func TestInvalidateRefreshesOnce(t *testing.T) {
	clk := &clock{now: start()}
	f := &fetcher{clk: clk, life: time.Hour}
	tok := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now().Add(time.Hour)}
	s := newSource(context.Background(), tok, f.fetch, []TokenSourceOption{withClock(clk)})
	s.Invalidate(tok)
	s.Invalidate(tok)
	got, err := s.Token()
	if err != nil || got.AccessToken != "at-1" {
		t.Fatalf("after Invalidate: %v %v, want at-1", got, err)
	}
	s.Invalidate(tok) // a late rejection of the old token changes nothing
	if got, _ := s.Token(); got.AccessToken != "at-1" || f.calls.Load() != 1 {
		t.Errorf("got %s after %d fetches, want at-1 after 1", got.AccessToken, f.calls.Load())
	}
}

func TestFailedBackgroundRefreshPauses(t *testing.T) {
	clk := &clock{now: start()}
	f := &fetcher{clk: clk, life: time.Hour, fail: errors.New("boom")}
	tok := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now().Add(time.Hour)}
	s := newSource(context.Background(), tok, f.fetch, []TokenSourceOption{withClock(clk)})
	clk.Set(tok.Expiry.Add(-30 * time.Second))
	for range 100 {
		if got, err := s.Token(); err != nil || got != tok {
			t.Fatalf("Token() = %v, %v; want the valid at-0", got, err)
		}
		waitFor(t, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.flight == nil })
	}
	if c := f.calls.Load(); c != 1 {
		t.Errorf("fetches = %d, want 1 (a failed refresh pauses %v)", c, retryPause)
	}
	clk.Set(clk.Now().Add(retryPause))
	s.Token()
	waitFor(t, func() bool { return f.calls.Load() == 2 })
}

func TestNoRefreshToken(t *testing.T) {
	cfg := &Config[scopes.Livestorm]{ClientID: "id", Endpoint: Endpoint{Name: "livestorm"}}
	s := cfg.TokenSource(context.Background(), &oauth2.Token{AccessToken: "at", Expiry: time.Now().Add(-time.Second)})
	if _, err := s.Token(); err == nil || !strings.Contains(err.Error(), "no refresh token") {
		t.Fatalf("err = %v, want a no-refresh-token error", err)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 5s")
		}
		time.Sleep(time.Millisecond)
	}
}

// A caller holding an entry that another refresh has since replaced must
// refresh from the replacement: the old refresh token is spent (DLive).
func TestRefreshStartsFromCurrentEntry(t *testing.T) {
	clk := &clock{now: start()}
	f := &fetcher{clk: clk, life: time.Hour}
	stale := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now()}
	s := newSource(context.Background(), stale, f.fetch, []TokenSourceOption{withClock(clk)})
	seen := s.cur.Load()
	// Meanwhile a refresh stored a token that is valid but inside its margin.
	rotated := &oauth2.Token{AccessToken: "at-r", RefreshToken: "rt-r", Expiry: clk.Now().Add(time.Second), ExpiresIn: 3600}
	s.cur.Store(s.newEntry(rotated, clk.Now()))

	fl := s.start(clk.Now())
	_ = seen
	<-fl.done
	if got := f.lastOld.Load(); got == nil || got.RefreshToken != "rt-r" {
		t.Fatalf("refreshed from %+v, want the current refresh token rt-r", got)
	}
}

// A caller that loaded an expired entry before another caller's refresh
// stored a token already inside its margin must get that token, not wait
// on (or crash over) a refresh that is pausing after a failure.
func TestStaleCallerAfterFailureAndRefresh(t *testing.T) {
	clk := &clock{now: start()}
	var mu sync.Mutex
	hold := make(chan struct{})
	holdNext := false
	held := make(chan struct{})
	now := func() time.Time {
		mu.Lock()
		h := holdNext
		holdNext = false
		mu.Unlock()
		if h {
			close(held)
			<-hold
		}
		return clk.Now()
	}
	fail := true
	fetch := func(ctx context.Context, old *oauth2.Token) (*oauth2.Token, error) {
		mu.Lock()
		defer mu.Unlock()
		if fail {
			return nil, errors.New("boom")
		}
		return &oauth2.Token{AccessToken: "at-2", RefreshToken: "rt-2", Expiry: clk.Now().Add(500 * time.Millisecond)}, nil
	}
	t1 := &oauth2.Token{AccessToken: "at-1", RefreshToken: "rt-1", Expiry: clk.Now().Add(10 * time.Second)}
	s := newSource(context.Background(), t1, fetch, []TokenSourceOption{func(o *sourceOptions) { o.now = now }})

	clk.Set(start().Add(11 * time.Second))
	if _, err := s.Token(); err == nil {
		t.Fatal("the first refresh should fail")
	}
	mu.Lock()
	fail, holdNext = false, true
	mu.Unlock()
	type result struct {
		tok   *oauth2.Token
		err   error
		panic any
	}
	res := make(chan result, 1)
	go func() {
		var r result
		defer func() { r.panic = recover(); res <- r }()
		r.tok, r.err = s.Token() // loads the expired at-1 entry, then is held
	}()
	<-held
	clk.Set(start().Add(11*time.Second + 100*time.Millisecond))
	s.mu.Lock()
	s.failedAt = time.Time{} // let the next caller refresh at once
	s.mu.Unlock()
	if tok, err := s.Token(); err != nil || tok.AccessToken != "at-2" {
		t.Fatalf("second caller: %v %v", tok, err)
	}
	s.mu.Lock()
	s.failedAt = clk.Now() // a failure just now: the source is pausing
	s.mu.Unlock()
	clk.Set(start().Add(11*time.Second + 570*time.Millisecond)) // at-2 valid, inside its margin
	close(hold)
	r := <-res
	if r.panic != nil || r.err != nil || r.tok.AccessToken != "at-2" {
		t.Fatalf("held caller: token %v, err %v, panic %v; want at-2", r.tok, r.err, r.panic)
	}
}

// A kept token that expired while OnToken failed is not handed out: the
// source refreshes from it once OnToken accepts it.
func TestPendingTokenExpiredIsRefreshed(t *testing.T) {
	clk := &clock{now: start()}
	f := &fetcher{clk: clk, life: time.Hour}
	var failing atomic.Bool
	failing.Store(true)
	var saved []string
	hook := OnToken(func(ctx context.Context, tok *oauth2.Token) error {
		if failing.Load() {
			return errors.New("db down")
		}
		saved = append(saved, tok.RefreshToken)
		return nil
	})
	tok := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now()}
	s := newSource(context.Background(), tok, f.fetch, []TokenSourceOption{withClock(clk), hook})
	if _, err := s.Token(); err == nil {
		t.Fatal("want the hook's error")
	}
	clk.Set(clk.Now().Add(2 * time.Hour)) // the kept at-1 has expired
	failing.Store(false)
	got, err := s.Token()
	if err != nil {
		t.Fatal(err)
	}
	if !got.Expiry.After(clk.Now()) || got.AccessToken != "at-2" {
		t.Errorf("got %s expiring %v at %v; want a fresh at-2", got.AccessToken, got.Expiry, clk.Now())
	}
	if last := f.lastOld.Load(); last.RefreshToken != "rt-1" {
		t.Errorf("refreshed from %s, want the kept rt-1", last.RefreshToken)
	}
	if d := cmp.Diff([]string{"rt-2"}, saved); d != "" {
		t.Errorf("saved (-want +got):\n%s", d)
	}
}

// A hook that ignores its context, or calls the source itself, cannot keep
// callers waiting for ever.
func TestWaitIsBoundedWhenOnTokenHangs(t *testing.T) {
	for _, tc := range []struct {
		name string
		hook func(s **source, release <-chan struct{}) func(context.Context, *oauth2.Token) error
	}{
		{"ignores its context", func(_ **source, release <-chan struct{}) func(context.Context, *oauth2.Token) error {
			return func(context.Context, *oauth2.Token) error { <-release; return nil }
		}},
		{"calls the source", func(s **source, _ <-chan struct{}) func(context.Context, *oauth2.Token) error {
			return func(context.Context, *oauth2.Token) error { _, err := (*s).Token(); return err }
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &clock{now: start()}
			f := &fetcher{clk: clk, life: time.Hour}
			release := make(chan struct{})
			defer close(release)
			var s *source
			tok := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now()}
			s = newSource(context.Background(), tok, f.fetch,
				[]TokenSourceOption{withClock(clk), OnToken(tc.hook(&s, release)), RefreshTimeout(20 * time.Millisecond)})
			if _, err := s.Token(); err == nil || !strings.Contains(err.Error(), "no token after waiting 40ms") {
				t.Fatalf("err = %v, want a bounded wait", err)
			}
		})
	}
}

// After a failure with no valid token, callers get the last error without
// a token request until the pause is over.
func TestFailureWithoutValidTokenPauses(t *testing.T) {
	clk := &clock{now: start()}
	f := &fetcher{clk: clk, life: time.Hour, fail: errors.New("invalid_grant")}
	tok := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now()}
	s := newSource(context.Background(), tok, f.fetch, []TokenSourceOption{withClock(clk)})
	for range 5 {
		if _, err := s.Token(); err == nil || !strings.Contains(err.Error(), "invalid_grant") {
			t.Fatalf("err = %v, want the refresh error", err)
		}
	}
	if c := f.calls.Load(); c != 1 {
		t.Errorf("token requests = %d, want 1 within the pause", c)
	}
	clk.Set(clk.Now().Add(retryPause))
	s.Token()
	if c := f.calls.Load(); c != 2 {
		t.Errorf("token requests = %d after the pause, want 2", c)
	}
}

// OnToken's error may quote the token; the source's error text must not.
func TestOnTokenErrorIsRedacted(t *testing.T) {
	clk := &clock{now: start()}
	f := &fetcher{clk: clk, life: time.Hour}
	sentinel := errors.New("unique violation")
	hook := OnToken(func(ctx context.Context, tok *oauth2.Token) error {
		return fmt.Errorf("insert %s/%s: %w", tok.AccessToken, tok.RefreshToken, sentinel)
	})
	tok := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now()}
	s := newSource(context.Background(), tok, f.fetch, []TokenSourceOption{withClock(clk), hook})
	_, err := s.Token()
	if err == nil || !errors.Is(err, sentinel) {
		t.Fatalf("err = %v; want the hook's error, matchable", err)
	}
	// No error in the chain may quote the token: a caller that logs
	// errors.Unwrap(err) must not log it either.
	for _, e := range leaktest.Chain(err) {
		if msg := e.Error(); strings.Contains(msg, "at-1") || strings.Contains(msg, "rt-1") {
			t.Errorf("%T in the chain says %q", e, msg)
		}
	}
}
