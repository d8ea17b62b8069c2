// Package hooks composes onair.Hooks, so that every option that takes
// Hooks can be given more than once.
package hooks

import (
	"context"
	"errors"
	"net/http"

	"github.com/onair-go/onair"
)

// Chain returns Hooks that run outer's hooks around inner's. A field set
// in only one of them is that one's.
func Chain(outer, inner onair.Hooks) onair.Hooks {
	h := inner
	if o, i := outer.Operation, inner.Operation; o != nil && i != nil {
		h.Operation = func(ctx context.Context, op *onair.Operation, call func(context.Context) error) error {
			return o(ctx, op, func(ctx context.Context) error { return i(ctx, op, call) })
		}
	} else if o != nil {
		h.Operation = o
	}
	if o, i := outer.Attempt, inner.Attempt; o != nil && i != nil {
		h.Attempt = func(req *http.Request, send func(*http.Request) (*http.Response, error)) (*http.Response, error) {
			return o(req, func(req *http.Request) (*http.Response, error) { return i(req, send) })
		}
	} else if o != nil {
		h.Attempt = o
	}
	if o, i := outer.Event, inner.Event; o != nil && i != nil {
		h.Event = func(ctx context.Context, ev *onair.Event, handle func(context.Context) error) error {
			return o(ctx, ev, func(ctx context.Context) error { return i(ctx, ev, handle) })
		}
	} else if o != nil {
		h.Event = o
	}
	return h
}

// ErrNotRun reports a wrapping hook that returned without running what it
// wraps.
var ErrNotRun = errors.New("the hook did not run what it wraps")

// Run runs run through wrap, a hook that must call it once, and keeps a
// misbehaving hook from changing the outcome by mistake: a second call of
// run fails without running it, a hook that returns nil returns run's
// error, and one that never ran run returns ErrNotRun. An error the hook
// returns of its own wins.
func Run(ctx context.Context, wrap func(context.Context, func(context.Context) error) error, run func(context.Context) error) error {
	var ran bool
	var runErr error
	err := wrap(ctx, func(ctx context.Context) error {
		if ran {
			return errors.New("the hook ran what it wraps twice")
		}
		ran = true
		runErr = run(ctx)
		return runErr
	})
	switch {
	case err != nil:
		return err
	case !ran:
		return ErrNotRun
	}
	return runErr
}
