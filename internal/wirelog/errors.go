package wirelog

import (
	"log/slog"

	"github.com/onair-go/onair"
)

// ErrorValue is the LogValue of a provider's error that embeds e: e's own
// (whose promoted LogValue would show e's text, not the provider's), with
// msg, the provider error's text, in place of e's and extra after it.
func ErrorValue(msg string, e *onair.APIError, extra ...slog.Attr) slog.Value {
	attrs := e.LogValue().Group()
	attrs[0] = slog.String("msg", msg)
	return slog.GroupValue(append(attrs, extra...)...)
}
