// Package hooks composes onair.Hooks, so that every option that takes
// Hooks can be given more than once.
package hooks

import (
	"context"
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
