package auth

import (
	"context"
	"fmt"
	"time"

	"golang.org/x/oauth2"
)

// Hooks let instrumentation (tracing, metrics, logging) wrap what a token
// source does. Every field is optional, and a source without hooks pays
// nothing for them. Package otelonair builds Hooks that emit OpenTelemetry
// spans and metrics. Give them to a source with WithHooks.
type Hooks struct {
	// Refresh wraps each refresh of a source's token: the token request,
	// or with a store the wait for the key's lock and the request, or the
	// adoption of a token another process stored. It must call refresh
	// once, with ctx or a context derived from it, and return its error.
	// A refresh runs apart from the callers that wait for it, so ctx
	// derives from the context the source was made with.
	Refresh func(ctx context.Context, r *RefreshInfo, refresh func(context.Context) error) error

	// LockWaited is told of each wait of a source for the store's lock of
	// its key (Store.Update), which refreshes of one key take in turns,
	// once the refresh that waited is over. ctx is the refresh's.
	LockWaited func(ctx context.Context, w LockWait)
}

// LockWait is one wait for a store's lock, told to Hooks.LockWaited.
type LockWait struct {
	Key    string
	Start  time.Time     // when the source asked for the lock
	Waited time.Duration // until it held the lock or stopped waiting
	// Err is the store's error when the wait failed; nil when the lock
	// was held, or when another process's token made it needless.
	Err error
}

// RefreshInfo describes one refresh to Hooks.Refresh.
type RefreshInfo struct {
	Provider string // the provider's name in lower case
	Key      string // the store's key, "" without a store
	// Grant is how the new token is asked for: "refresh_token" or
	// "client_credentials".
	Grant string

	// Adopted, filled in by the refresh, reports a token that another
	// process had stored: no request was sent.
	Adopted bool
}

// WithHooks wraps a source's refreshes and lock waits in h's hooks. Given
// more than once, the first given runs outermost.
func WithHooks(h Hooks) TokenSourceOption {
	return func(o *sourceOptions) { o.hooks = chainHooks(o.hooks, h) }
}

func chainHooks(outer, inner Hooks) Hooks {
	h := inner
	if o, i := outer.Refresh, inner.Refresh; o != nil && i != nil {
		h.Refresh = func(ctx context.Context, r *RefreshInfo, refresh func(context.Context) error) error {
			return o(ctx, r, func(ctx context.Context) error { return i(ctx, r, refresh) })
		}
	} else if o != nil {
		h.Refresh = o
	}
	if o, i := outer.LockWaited, inner.LockWaited; o != nil && i != nil {
		h.LockWaited = func(ctx context.Context, w LockWait) {
			o(ctx, w)
			i(ctx, w)
		}
	} else if o != nil {
		h.LockWaited = o
	}
	return h
}

type refreshInfoKey struct{}

// adopted notes in ctx's RefreshInfo, if any, that the token came from
// the store.
func adopted(ctx context.Context) {
	if r, _ := ctx.Value(refreshInfoKey{}).(*RefreshInfo); r != nil {
		r.Adopted = true
	}
}

// fetchHooked runs s.fetch through the Refresh hook when there is one.
func (s *source) fetchHooked(ctx context.Context, old *oauth2.Token) (*oauth2.Token, error) {
	h := s.opt.hooks.Refresh
	if h == nil {
		return s.fetch(ctx, old)
	}
	r := &RefreshInfo{Provider: s.opt.name, Key: s.opt.storeKey, Grant: "refresh_token"}
	if s.opt.anonymous {
		r.Grant = "client_credentials"
	}
	var tok *oauth2.Token
	var fetchErr error
	ran := false
	herr := h(context.WithValue(ctx, refreshInfoKey{}, r), r, func(ctx context.Context) error {
		if ran {
			// A second fetch would spend the refresh token the first
			// one was given.
			return fmt.Errorf("auth: %s: the Refresh hook ran the refresh twice", s.opt.name)
		}
		ran = true
		tok, fetchErr = s.fetch(ctx, old)
		return fetchErr
	})
	switch {
	case !ran && herr != nil:
		return nil, herr
	case !ran:
		return nil, fmt.Errorf("auth: %s: the Refresh hook returned no error but did not run the refresh", s.opt.name)
	}
	// The refresh's outcome wins over the hook's: a fetched token may
	// hold the only live refresh token, and a refusal may be a
	// ReauthorizeError the source acts on.
	return tok, fetchErr
}
