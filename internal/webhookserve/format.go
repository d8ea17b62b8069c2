package webhookserve

import (
	"fmt"
	"log/slog"

	"github.com/onair-go/onair/internal/redact"
)

// String describes rc without its secret, so that %v and %+v print none:
// the secret is all a forger needs. The provider's Receiver, which holds
// rc, calls it from its own String, GoString and LogValue.
func (rc *Receiver[N]) String() string {
	return fmt.Sprintf("%s.Receiver{secret:%s window:%v limit:%d}", rc.p.Name, redact.Mark, rc.window, rc.limit)
}

// GoString is String, for %#v.
func (rc *Receiver[N]) GoString() string { return rc.String() }

// LogValue logs rc without its secret.
func (rc *Receiver[N]) LogValue() slog.Value {
	return slog.GroupValue(slog.String("secret", redact.Mark), slog.Duration("window", rc.window), slog.Int64("limit", rc.limit))
}
