package streamdiver

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/onair-go/onair/internal/webhookserve"
	"github.com/onair-go/onair/webhook"
)

// DefaultDedupWindow is how long a Receiver remembers an event by default,
// so that a redelivery within it is not handled again. Streamdiver
// redelivers when asked to retry a logged delivery, at any time; a day
// covers a retry made the same day.
const DefaultDedupWindow = 24 * time.Hour

// Receiver is an http.Handler that receives Streamdiver's webhook
// deliveries and hands each event, decoded, to a handler.
//
// Streamdiver documents no signing scheme for its deliveries, so a
// Receiver authenticates them as livestorm.Receiver does: by a secret in
// the last segment of the URL's path, compared in constant time. Subscribe
// the URL WebhookURL builds, such as
// https://hooks.example.com/streamdiver/<secret>, and serve the Receiver
// under its base. Whoever learns the secret can forge deliveries: keep it
// out of logs, and fetch what matters through the API
// (Client.Media.Get) before acting on it.
//
// A Receiver answers:
//   - 404 to a path without the secret, 405 to another method than POST,
//     413 to a body over the limit and 400 to one that is no event, all
//     without calling the handler;
//   - 204 once the handler returned nil, and at once to a redelivery of an
//     event already handled within the window (webhook.WithDedupWindow):
//     a retry repeats the event's id;
//   - 409 at once to a redelivery of an event whose handler is still
//     running, here or in another instance sharing the store, without
//     calling the handler: that handler may yet fail, so the delivery is
//     logged failed, to be retried later, rather than delivered;
//   - 500 when the handler failed and 503 when the dedup store did, so that
//     a retry of the delivery is handled again.
//
// The handler runs before the answer: keep it short, and queue long work.
// An event is claimed for its handler for webhook.Lease; a handler that
// runs longer may see a redelivery handled beside it.
type Receiver struct {
	r *webhookserve.Receiver[Notification]
}

// pkg prefixes the receiver's errors.
const pkg = "streamdiver"

// receiverProvider is what the serving core needs to know of Streamdiver.
func receiverProvider() webhookserve.Provider[Notification] {
	return webhookserve.Provider[Notification]{
		Name:          pkg,
		Title:         "Streamdiver",
		Tail:          0, // the secret ends the path
		DefaultWindow: DefaultDedupWindow,
		Parse:         parseDelivery,
		About: func(ev Notification) string {
			return string(ev.Name()) + " event " + ev.EventID()
		},
		Kind: func(ev Notification) string { return string(ev.Name()) },
	}
}

// NewReceiver returns a Receiver of the deliveries to the URL of secret,
// which hands each event to handle. The secret must be at least 16
// characters, random (crypto/rand.Text makes one) and without a slash.
// The options are webhook's: WithDedup, WithDedupWindow, WithBodyLimit
// and WithErrorHandler.
func NewReceiver(secret string, handle func(context.Context, Notification) error, opts ...webhook.Option) (*Receiver, error) {
	r, err := webhookserve.New(receiverProvider(), secret, handle, opts)
	if err != nil {
		return nil, err
	}
	return &Receiver{r}, nil
}

// ServeHTTP receives one delivery.
func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) { rc.r.ServeHTTP(w, r) }

// String describes rc without its secret, so that %v and %+v print none.
func (rc Receiver) String() string { return rc.r.String() }

// GoString is String, for %#v.
func (rc Receiver) GoString() string { return rc.r.GoString() }

// LogValue logs rc without its secret.
func (rc Receiver) LogValue() slog.Value { return rc.r.LogValue() }

// parseDelivery parses an event; a retry repeats its id, the key.
func parseDelivery(_ string, body []byte) (webhookserve.Delivery[Notification], error) {
	ev, err := ParseNotification(body)
	if err != nil {
		return webhookserve.Delivery[Notification]{}, err
	}
	return webhookserve.Delivery[Notification]{
		Key:          "streamdiver/" + ev.EventID(),
		Notification: ev,
	}, nil
}

// WebhookURL returns the URL to subscribe (CreateWebhookRequest.URL) so
// that a Receiver of secret served at base receives the deliveries: base
// then the secret, such as https://hooks.example.com/streamdiver/<secret>.
func WebhookURL(base, secret string) (string, error) {
	if err := webhookserve.CheckSecret(pkg, secret); err != nil {
		return "", err
	}
	u, err := webhookserve.ParseBase(pkg, base)
	if err != nil {
		return "", err
	}
	return u.JoinPath(url.PathEscape(secret)).String(), nil
}
