package auth

import (
	"cmp"
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/redact"
)

// A TokenSourceOption configures the token sources of a Config.
type TokenSourceOption func(*sourceOptions)

type sourceOptions struct {
	onToken   func(context.Context, *oauth2.Token) error
	onReauth  func(context.Context, *ReauthorizeError)
	timeout   time.Duration
	now       func() time.Time
	store     Store
	storeKey  string
	anonymous bool   // client credentials: nothing stored is needed to start
	name      string // the provider, for error texts and hooks; "oauth2" when none was named
	hooks     Hooks
}

// OnToken registers f to run with every new token before any caller
// receives it: the place to persist a rotated refresh token. f gets a
// context bounded by the refresh timeout and must not call the source
// itself. While f fails, the source keeps the new token unused (its
// predecessor's refresh token may already be spent) and offers it to f
// again on the next call instead of refreshing.
func OnToken(f func(ctx context.Context, tok *oauth2.Token) error) TokenSourceOption {
	return func(o *sourceOptions) { o.onToken = f }
}

// RefreshTimeout bounds each refresh, even when the source's context has
// no deadline: the token request and OnToken get a context with this
// deadline, and no caller waits more than twice as long for a token (in
// case OnToken ignores its context). The default is 30 seconds.
func RefreshTimeout(d time.Duration) TokenSourceOption {
	return func(o *sourceOptions) {
		if d > 0 {
			o.timeout = d
		}
	}
}

const (
	defaultRefreshTimeout = 30 * time.Second
	// retryPause spaces out background refresh attempts after a failure
	// while the current token is still valid.
	retryPause = time.Second
	maxMargin  = time.Minute
)

// TokenSource returns a source that hands out tok until it nears expiry and
// then refreshes it with its refresh token. ctx supplies the HTTP client for
// token requests (oauth2.HTTPClient) and bounds the source's life: once ctx
// is done, refreshes fail.
//
// The source is safe for concurrent use. A cached token is handed out with
// an atomic load; at most one refresh runs at a time, and while it runs
// callers that still hold a valid token get it at once. Refresh starts ahead
// of expiry by the smaller of one minute and a tenth of the token's lifetime.
// After a failed refresh the source waits a second before trying again,
// answering with the last error meanwhile if it has no valid token.
//
// A new token already due for refresh when it arrives (expired, or inside
// its margin: a provider set to tiny lifetimes, a slow token request, a
// clock that runs ahead) is not handed out: the refresh fails with an error
// saying so, and the source pauses as after any failure instead of
// refreshing on every call. The next refresh starts from that token's
// refresh token, which may be the only live one.
//
// When the user must authorize again (the provider refused the refresh
// token with invalid_grant, or the refresh token is known to have expired,
// see [RefreshExpiry]), the source fails with a [ReauthorizeError], calls
// the [OnReauthorize] hook, and from then on answers with that error
// instead of asking the provider again. Other failures (a 5xx answer, a
// network error) are retried after the pause and do not match
// ErrReauthorize.
//
// With [WithStore], tok may be nil: the source loads the stored token, and
// refreshes in step with every other process that shares the store.
//
// The source hands out tokens only: [Config.Transport] and [Config.Client]
// send them in the provider's scheme, which the Endpoint says.
func (c *Config[S]) TokenSource(ctx context.Context, tok *oauth2.Token, opts ...TokenSourceOption) oauth2.TokenSource {
	return newSource(ctx, tok, c.refreshFrom, append(opts[:len(opts):len(opts)], named(c.name())))
}

// refreshFrom returns the token that replaces old, refreshed with its
// refresh token, or a *ReauthorizeError (without a key) when old is a
// marker, its refresh token is known to have expired, or the provider
// refuses it.
func (c *Config[S]) refreshFrom(ctx context.Context, old *oauth2.Token) (*oauth2.Token, error) {
	if r, ok := NeedsReauthorization(old); ok {
		return nil, &ReauthorizeError{Provider: c.name(), Reason: r}
	}
	if old == nil || old.RefreshToken == "" {
		return nil, fmt.Errorf("auth: %s: the token expired and there is no refresh token: authorize again", c.name())
	}
	if err := refreshExpired(c.name(), old, time.Now()); err != nil {
		return nil, err // no request: the provider would refuse it
	}
	scope, _ := old.Extra("scope").(string)
	return c.refresh(ctx, old.RefreshToken, scope, RefreshExpiry(old), nil)
}

// ClientCredentialsTokenSource returns a source of application tokens that
// requests a new token with the client-credentials grant when the current
// one nears expiry. It behaves as TokenSource does otherwise.
func (c *Config[S]) ClientCredentialsTokenSource(ctx context.Context, opts ...TokenSourceOption) oauth2.TokenSource {
	return newSource(ctx, nil, func(ctx context.Context, _ *oauth2.Token) (*oauth2.Token, error) {
		return c.ClientCredentials(ctx)
	}, append(opts[:len(opts):len(opts)], named(c.name()), noStoredToken()))
}

// source is the reusing, refreshing oauth2.TokenSource of this package.
type source struct {
	ctx   context.Context
	fetch func(context.Context, *oauth2.Token) (*oauth2.Token, error)
	opt   sourceOptions

	cur atomic.Pointer[entry] // nil until the first token

	mu       sync.Mutex
	flight   *flight       // the refresh under way, if any
	pending  *oauth2.Token // fetched but not yet accepted by OnToken
	failedAt time.Time     // when the last refresh failed
	lastErr  error         // and with what
	// dead is the ReauthorizeError of a source without a store: its token
	// can never be refreshed again, so the provider is not asked again.
	dead     error
	notified bool // OnReauthorize ran since the last good token
}

// entry is a token with the times derived from it.
type entry struct {
	tok       *oauth2.Token
	refreshAt time.Time // zero: never
	expiry    time.Time // zero: never
}

// fresh reports whether e can be handed out without starting a refresh.
func (e *entry) fresh(now time.Time) bool {
	return e != nil && (e.refreshAt.IsZero() || now.Before(e.refreshAt))
}

// valid reports whether e can be handed out at all.
func (e *entry) valid(now time.Time) bool {
	return e != nil && (e.expiry.IsZero() || now.Before(e.expiry))
}

type flight struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

func newSource(ctx context.Context, tok *oauth2.Token, fetch func(context.Context, *oauth2.Token) (*oauth2.Token, error), opts []TokenSourceOption) *source {
	s := &source{ctx: ctx, fetch: fetch, opt: sourceOptions{timeout: defaultRefreshTimeout, now: time.Now}}
	for _, o := range opts {
		o(&s.opt)
	}
	s.opt.name = cmp.Or(s.opt.name, "oauth2")
	if s.opt.store != nil || s.opt.storeKey != "" {
		ss := &storeSync{
			st: s.opt.store, key: s.opt.storeKey, name: s.opt.name, fetch: fetch, needsTok: !s.opt.anonymous,
			lockWaited: s.opt.hooks.LockWaited,
			fresh:      func(t *oauth2.Token) bool { now := s.opt.now(); return s.newEntry(t, now).fresh(now) },
			valid:      func(t *oauth2.Token) bool { now := s.opt.now(); return s.newEntry(t, now).valid(now) },
		}
		s.fetch = ss.get
	}
	switch {
	case tok == nil:
	case tok.AccessToken == "":
		// Only a refresh token: the first call refreshes.
		s.cur.Store(&entry{tok: tok, refreshAt: time.Unix(0, 0), expiry: time.Unix(0, 0)})
	default:
		s.cur.Store(s.newEntry(tok, s.opt.now()))
	}
	return s
}

// newEntry derives the refresh time: a margin of a tenth of the lifetime,
// at most a minute, so a 2-second token is still reused.
func (s *source) newEntry(tok *oauth2.Token, now time.Time) *entry {
	e := &entry{tok: tok, expiry: tok.Expiry}
	if tok.Expiry.IsZero() {
		return e
	}
	life := tok.Expiry.Sub(now)
	if tok.ExpiresIn > 0 {
		life = time.Duration(tok.ExpiresIn) * time.Second
	}
	e.refreshAt = tok.Expiry.Add(-min(maxMargin, life/10))
	return e
}

// dueOnArrival is the error for a new token, held by e, that is due for
// refresh already at now: expired, or inside its refresh margin.
func (s *source) dueOnArrival(e *entry, now time.Time) error {
	var what, detail string
	if e.valid(now) {
		what = fmt.Sprintf("expires within %v of arrival", short(e.expiry.Sub(now)))
		detail = fmt.Sprintf("refresh margin %v", short(e.expiry.Sub(e.refreshAt)))
	} else {
		what = "had already expired on arrival"
		detail = fmt.Sprintf("expiry %s, %v before this machine's clock", e.expiry.UTC().Format(time.RFC3339Nano), short(now.Sub(e.expiry)))
	}
	if e.tok.ExpiresIn > 0 {
		detail += fmt.Sprintf(", lifetime %ds", e.tok.ExpiresIn)
	}
	return fmt.Errorf("auth: %s: the provider issued a token that %s (%s): check this machine's clock, the token lifetime the provider is set to, and how long token requests take; the source tries again after %v",
		s.opt.name, what, detail, retryPause)
}

// short rounds d to the millisecond for error texts, unless that loses it.
func short(d time.Duration) time.Duration {
	if d < time.Millisecond {
		return d
	}
	return d.Round(time.Millisecond)
}

// Token returns a valid token, refreshing it if needed.
func (s *source) Token() (*oauth2.Token, error) {
	return s.TokenContext(context.Background())
}

// TokenContext is Token for a caller whose wait for a refresh ctx bounds;
// the refresh itself goes on for the other callers. Transport uses it with
// the request's context.
func (s *source) TokenContext(ctx context.Context) (*oauth2.Token, error) {
	e := s.cur.Load()
	now := s.opt.now()
	if e.fresh(now) {
		return e.tok, nil
	}
	f := s.start(now)
	// Only a caller with no valid token waits, whatever it loaded before.
	if cur := s.cur.Load(); cur.valid(now) {
		return cur.tok, nil
	}
	// The refresh reports its own timeout first; this bounds a wait on an
	// OnToken that ignores its context.
	timer := time.NewTimer(2 * s.opt.timeout)
	defer timer.Stop()
	select {
	case <-f.done:
		return f.tok, f.err
	case <-ctx.Done():
		return nil, fmt.Errorf("auth: waiting for a token: %w", ctx.Err())
	case <-timer.C:
		return nil, fmt.Errorf("auth: no token after waiting %v for a refresh", 2*s.opt.timeout)
	}
}

// Invalidate tells the source that a server rejected tok, so that the next
// call refreshes. It does nothing when tok is no longer the current token,
// so that many rejections of one token cause one refresh.
func (s *source) Invalidate(tok *oauth2.Token) {
	e := s.cur.Load()
	if e == nil || tok == nil || e.tok.AccessToken != tok.AccessToken {
		return
	}
	stale := &entry{tok: e.tok, refreshAt: time.Unix(0, 0), expiry: time.Unix(0, 0)}
	s.cur.CompareAndSwap(e, stale)
}

// start returns the refresh under way, starting one if none is and one is
// due. The flight it returns is already done when no refresh is needed (it
// holds the current token) or when the source is pausing after a failure
// (it holds the current token if valid, else the last error).
func (s *source) start(now time.Time) *flight {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.flight != nil {
		return s.flight
	}
	cur := s.cur.Load()
	switch {
	case cur.fresh(now):
		return doneFlight(cur.tok, nil)
	case s.dead != nil && cur.valid(now):
		return doneFlight(cur.tok, nil)
	case s.dead != nil:
		return doneFlight(nil, s.dead)
	case now.Sub(s.failedAt) < retryPause && cur.valid(now):
		return doneFlight(cur.tok, nil)
	case now.Sub(s.failedAt) < retryPause:
		return doneFlight(nil, s.lastErr)
	}
	f := &flight{done: make(chan struct{})}
	s.flight = f
	// Refresh from the current entry: an entry a caller loaded earlier may
	// hold a refresh token that a finished refresh has since spent.
	var old *oauth2.Token
	if cur != nil {
		old = cur.tok
	}
	go s.refresh(f, old)
	return f
}

func doneFlight(tok *oauth2.Token, err error) *flight {
	f := &flight{done: make(chan struct{}), tok: tok, err: err}
	close(f.done)
	return f
}

func (s *source) refresh(f *flight, old *oauth2.Token) {
	ctx, cancel := context.WithTimeout(s.ctx, s.opt.timeout)
	defer cancel()

	s.mu.Lock()
	tok := s.pending
	s.mu.Unlock()
	if tok != nil && !tok.Expiry.IsZero() && !s.opt.now().Before(tok.Expiry) {
		// The kept token expired while OnToken failed: refresh from it,
		// since its refresh token is the newest.
		old, tok = tok, nil
	}
	var err error
	fetched := tok == nil
	if fetched {
		tok, err = s.fetchHooked(ctx, old)
		if err == nil && tok.RefreshToken == "" && old != nil {
			tok.RefreshToken = old.RefreshToken
		}
	}
	if err == nil && s.opt.onToken != nil {
		if herr := s.opt.onToken(ctx, tok); herr != nil {
			// The hook's error may quote the token it was given.
			var red redact.Set
			red.Add(tok.AccessToken, tok.RefreshToken)
			err = fmt.Errorf("auth: OnToken did not accept the new token (it is kept and offered again): %w", red.Err(herr))
			s.mu.Lock()
			s.pending = tok
			s.mu.Unlock()
			tok = nil
		}
	}
	if err != nil && ctx.Err() == context.DeadlineExceeded && s.ctx.Err() == nil {
		err = fmt.Errorf("auth: refresh took longer than %v: %w", s.opt.timeout, err)
	}
	re, reauth := asReauth(err)
	if reauth && s.opt.onReauth != nil {
		// Only this goroutine refreshes, so notified needs no lock; the
		// hook runs before any caller gets the error.
		if !s.notified {
			s.notified = true
			s.opt.onReauth(ctx, re)
		}
	}

	now := s.opt.now()
	s.mu.Lock()
	if err == nil {
		e := s.newEntry(tok, now)
		s.pending = nil
		s.notified = false
		s.cur.Store(e)
		s.failedAt, s.lastErr = time.Time{}, nil
		if fetched && !e.fresh(now) {
			// A token due on arrival fails the refresh, so that no caller
			// takes it for a good one and the pause spaces out the next
			// tries. It stays current, unusable as after Invalidate: the
			// answer may have rotated the refresh token, and the next
			// refresh needs it.
			err = s.dueOnArrival(e, now)
			s.cur.Store(&entry{tok: tok, refreshAt: time.Unix(0, 0), expiry: time.Unix(0, 0)})
			tok = nil
			s.failedAt, s.lastErr = now, err
		}
	} else {
		s.failedAt, s.lastErr = now, err
		if reauth && s.opt.store == nil && s.opt.storeKey == "" {
			s.dead = err
		}
	}
	s.flight = nil
	f.tok, f.err = tok, err
	s.mu.Unlock()
	close(f.done)
}
