// Package wirelog logs what onair clients and token sources do through
// log/slog, built on onair.Hooks, so that a provider's WithLogger, auth's
// WithLogger and onair --debug share one implementation.
//
// At debug level it logs each HTTP exchange (method, URL, allow-listed
// headers, status, duration, request id) and each operation's summary. At
// info it logs what an operator needs without debug: a call that was
// retried after a 429, a 503 or a network failure, and a wait for the
// client's rate limit of PaceWaitNotable or more. At warn: a retried call
// that failed in the end, and a failed token refresh (see auth.WithLogger).
//
// Nothing it logs holds a credential: headers and query parameters are
// shown through allow-lists, and every value shown is cleaned of the
// request's credentials and of secret-named parameters (internal/redact).
// Bodies are never logged.
package wirelog

import (
	"context"
	"log/slog"
	"time"

	"github.com/onair-go/onair"
)

// PaceWaitNotable is the shortest wait for a client's rate limit (Livestorm's
// pacing) that a call logs at info level: a wait this long is the limit
// shaping the traffic, not the odd request queued behind another.
const PaceWaitNotable = time.Second

// Hooks returns onair.Hooks that log operations, attempts and events
// through l. A nil l gives empty Hooks, which cost a client nothing.
func Hooks(l *slog.Logger) onair.Hooks {
	if l == nil {
		return onair.Hooks{}
	}
	w := &logger{l: l}
	return onair.Hooks{Operation: w.operation, Attempt: w.attempt, Event: w.event}
}

type logger struct{ l *slog.Logger }

type opKey struct{}

// operation logs op's summary once the call is over.
func (w *logger) operation(ctx context.Context, op *onair.Operation, call func(context.Context) error) error {
	start := time.Now()
	err := call(context.WithValue(ctx, opKey{}, op))
	level, msg := slog.LevelDebug, "onair: call"
	switch {
	case op.Retries > 0 && err != nil:
		level, msg = slog.LevelWarn, "onair: call failed after retries"
	case op.Retries > 0:
		level, msg = slog.LevelInfo, "onair: call retried"
	case op.PaceWait >= PaceWaitNotable:
		level, msg = slog.LevelInfo, "onair: call waited for the rate limit"
	}
	if !w.l.Enabled(ctx, level) {
		return err
	}
	attrs := []slog.Attr{slog.String("provider", op.Provider), slog.String("operation", op.Name)}
	if op.Method != "" {
		attrs = append(attrs, slog.String("method", op.Method))
	}
	attrs = append(attrs,
		slog.String("url_template", op.URLTemplate),
		slog.Int("status", op.StatusCode),
		slog.Int("attempts", op.Attempts),
		slog.Int("retries", op.Retries),
		slog.Duration("retry_wait", op.RetryWait),
		slog.Duration("pace_wait", op.PaceWait),
		slog.Duration("duration", time.Since(start)),
	)
	if err != nil {
		attrs = append(attrs, slog.Any("err", err))
	}
	w.l.LogAttrs(ctx, level, msg, attrs...)
	return err
}

// event logs each webhook delivery or subscription event handled.
func (w *logger) event(ctx context.Context, ev *onair.Event, handle func(context.Context) error) error {
	start := time.Now()
	err := handle(ctx)
	if !w.l.Enabled(ctx, slog.LevelDebug) {
		return err
	}
	attrs := []slog.Attr{
		slog.String("provider", ev.Provider),
		slog.String("source", ev.Source),
		slog.String("event", ev.Name),
		slog.Duration("duration", time.Since(start)),
	}
	if err != nil {
		attrs = append(attrs, slog.Any("err", err))
	}
	w.l.LogAttrs(ctx, slog.LevelDebug, "onair: event", attrs...)
	return err
}

type ctxKey struct{}

// NewContext returns ctx carrying l, for code that makes clients and token
// sources far from where the logger is chosen (onair --debug).
func NewContext(ctx context.Context, l *slog.Logger) context.Context {
	return context.WithValue(ctx, ctxKey{}, l)
}

// FromContext returns the logger of ctx, or nil.
func FromContext(ctx context.Context) *slog.Logger {
	l, _ := ctx.Value(ctxKey{}).(*slog.Logger)
	return l
}
