package livestorm

import (
	"fmt"
	"log/slog"

	"github.com/onair-go/onair/internal/redact"
)

// String describes r without its secret, so that %v and %+v print none:
// the secret is all a forger needs.
func (r Receiver) String() string {
	return fmt.Sprintf("livestorm.Receiver{secret:%s window:%v limit:%d}", redact.Mark, r.window, r.limit)
}

// GoString is String, for %#v.
func (r Receiver) GoString() string { return r.String() }

// LogValue logs r without its secret.
func (r Receiver) LogValue() slog.Value {
	return slog.GroupValue(slog.String("secret", redact.Mark), slog.Duration("window", r.window), slog.Int64("limit", r.limit))
}
