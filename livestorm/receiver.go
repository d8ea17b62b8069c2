package livestorm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/onair-go/onair/internal/webhookserve"
	"github.com/onair-go/onair/webhook"
)

// Receiver is an http.Handler that receives Livestorm's webhook
// deliveries and hands each, decoded, to a handler.
//
// Livestorm signs nothing: no signature, secret or signing header is
// documented. A Receiver therefore authenticates a delivery by a secret in
// its URL, https://hooks.example.com/livestorm/<secret>/<event>, compared
// in constant time; subscribe the URLs WebhookURL builds. Livestorm does
// not name the event in the body either, so the last segment of the path
// does. Whoever learns the secret can forge deliveries: keep it out of
// logs, rotate it with ReconcileWebhooks, and confirm what matters with
// Client.Confirm.
//
// A Receiver answers:
//   - 404 to a path without the secret or with an unknown event, 405 to
//     another method than POST, 413 to a body over the limit and 400 to one
//     that is no delivery, all without calling the handler;
//   - 204 once the handler returned nil, and at once to a redelivery
//     of a delivery already handled within the window
//     (webhook.WithDedupWindow);
//   - 409 at once to a redelivery of a delivery whose handler is still
//     running, here or in another instance sharing the store, without
//     calling the handler: that handler may yet fail, so Livestorm must
//     deliver again later rather than take the delivery for handled;
//   - 500 when the handler failed and 503 when the dedup store did, so
//     that Livestorm delivers again (up to five retries, after which it
//     disables the subscription; see ReconcileWebhooks).
//
// The handler runs before the answer: keep it short, and queue long work.
// A delivery is claimed for its handler for webhook.Lease; a handler that
// runs longer may see a redelivery handled beside it.
// Livestorm sends no delivery id, so a redelivery is recognised by its
// event and the hash of its body; two deliveries with identical bodies
// within the window count as one.
type Receiver struct {
	r *webhookserve.Receiver[Notification]
}

// DefaultDedupWindow is how long a Receiver remembers a handled delivery
// unless told otherwise: longer than Livestorm's retries, which span
// about 22 minutes.
const DefaultDedupWindow = time.Hour

// pkg prefixes the receiver's errors.
const pkg = "livestorm"

// receiverProvider is what the serving core needs to know of Livestorm.
func receiverProvider() webhookserve.Provider[Notification] {
	return webhookserve.Provider[Notification]{
		Name:          pkg,
		Title:         "Livestorm",
		Tail:          1, // the event
		DefaultWindow: DefaultDedupWindow,
		Parse:         parseDelivery,
		About: func(n Notification) string {
			return fmt.Sprintf("a %s delivery about %s", n.Name(), n.ResourceID())
		},
		Kind: func(n Notification) string { return string(n.Name()) },
	}
}

// NewReceiver returns a Receiver of the deliveries to the URLs of secret,
// which hands each to handle. The secret must be at least 16 characters,
// random (crypto/rand.Text makes one) and without a slash. The options
// are webhook's: WithDedup, WithDedupWindow, WithBodyLimit and
// WithErrorHandler.
func NewReceiver(secret string, handle func(context.Context, Notification) error, opts ...webhook.Option) (*Receiver, error) {
	r, err := webhookserve.New(receiverProvider(), secret, handle, opts)
	if err != nil {
		return nil, err
	}
	return &Receiver{r}, nil
}

// ServeHTTP receives one delivery.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) { r.r.ServeHTTP(w, req) }

// String describes r without its secret, so that %v and %+v print none.
func (r Receiver) String() string { return r.r.String() }

// GoString is String, for %#v.
func (r Receiver) GoString() string { return r.r.GoString() }

// LogValue logs r without its secret.
func (r Receiver) LogValue() slog.Value { return r.r.LogValue() }

// parseDelivery parses a delivery of the event named by the path's last
// segment.
func parseDelivery(event string, body []byte) (webhookserve.Delivery[Notification], error) {
	name := WebhookEvent(event)
	n, err := ParseNotification(name, body)
	if errors.Is(err, ErrUnknownEvent) {
		return webhookserve.Delivery[Notification]{}, &webhookserve.Refusal{Status: http.StatusNotFound, Text: "No such webhook event.", Err: err}
	}
	if err != nil {
		return webhookserve.Delivery[Notification]{}, err
	}
	return webhookserve.Delivery[Notification]{
		Key:          dedupKey(name, body),
		Notification: n,
	}, nil
}

// dedupKey is the key a delivery of event with body is deduplicated by:
// livestorm/<event>/<hex SHA-256 of the body>.
func dedupKey(event WebhookEvent, body []byte) string {
	sum := sha256.Sum256(body)
	key := make([]byte, 0, 128) // on the stack: the string is the only allocation
	key = append(key, "livestorm/"...)
	key = append(key, event...)
	key = append(key, '/')
	key = hex.AppendEncode(key, sum[:])
	return string(key)
}

// WebhookURL returns the URL to subscribe for event so that a Receiver of
// secret mounted at base receives it: base, then the secret, then the
// event, such as https://hooks.example.com/livestorm/<secret>/people.registered.
// Livestorm delivers only to https URLs.
func WebhookURL(base, secret string, event WebhookEvent) (string, error) {
	if err := webhookserve.CheckSecret(pkg, secret); err != nil {
		return "", err
	}
	if n, _ := newNotification(event); n == nil {
		return "", fmt.Errorf("%w: %q", ErrUnknownEvent, event)
	}
	u, err := webhookserve.ParseBase(pkg, base)
	if err != nil {
		return "", err
	}
	return u.JoinPath(url.PathEscape(secret), string(event)).String(), nil
}

// basePrefix returns what every URL WebhookURL builds from base starts
// with, spelled as WebhookURL spells it (JoinPath cleans the path and
// url.Parse lowers the scheme), so that ReconcileWebhooks finds them.
func basePrefix(base string) (string, error) {
	u, err := webhookserve.ParseBase(pkg, base)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(u.JoinPath().String(), "/") + "/", nil
}
