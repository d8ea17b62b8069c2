package auth

import (
	"context"
	"log/slog"
	"time"

	"github.com/onair-go/onair/internal/wirelog"
)

// WithLogger logs a source's refreshes and store-lock waits through l, as
// Hooks composed like any other (see WithHooks). At debug level it logs
// each refresh (grant, store key, whether another process's token was
// adopted, duration), the HTTP exchange of each token request (method,
// URL, allow-listed headers, status, duration; never a body, a credential
// or a secret parameter's value) and each lock wait. At warn it logs a
// failed refresh and a failed wait for the lock. A nil l adds nothing.
func WithLogger(l *slog.Logger) TokenSourceOption {
	if l == nil {
		return func(*sourceOptions) {}
	}
	return WithHooks(logHooks(l))
}

func logHooks(l *slog.Logger) Hooks {
	return Hooks{
		Refresh: func(ctx context.Context, r *RefreshInfo, refresh func(context.Context) error) error {
			start := time.Now()
			err := refresh(wirelog.TokenContext(ctx, l))
			attrs := []slog.Attr{slog.String("provider", r.Provider), slog.String("grant", r.Grant)}
			if r.Key != "" {
				attrs = append(attrs, slog.String("key", r.Key))
			}
			attrs = append(attrs, slog.Duration("duration", time.Since(start)))
			if err != nil {
				l.LogAttrs(ctx, slog.LevelWarn, "onair: token refresh failed", append(attrs, slog.Any("err", err))...)
				return err
			}
			l.LogAttrs(ctx, slog.LevelDebug, "onair: token refreshed", append(attrs, slog.Bool("adopted", r.Adopted))...)
			return nil
		},
		LockWaited: func(ctx context.Context, w LockWait) {
			attrs := []slog.Attr{slog.String("key", w.Key), slog.Duration("waited", w.Waited)}
			if w.Err != nil {
				l.LogAttrs(ctx, slog.LevelWarn, "onair: waiting for the token store's lock failed", append(attrs, slog.Any("err", w.Err))...)
				return
			}
			l.LogAttrs(ctx, slog.LevelDebug, "onair: waited for the token store's lock", attrs...)
		},
	}
}
