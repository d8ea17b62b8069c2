package streamdiver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

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
//     event already handled within the window (WithDedupWindow): a retry
//     repeats the event's id;
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
	secret  string
	handle  func(context.Context, Notification) error
	dedup   webhook.Dedup
	window  time.Duration
	limit   int64
	onError func(error)
}

// A ReceiverOption configures a Receiver.
type ReceiverOption func(*Receiver)

// WithDedup keeps the events handled in d instead of the process's
// memory, such as a database shared by several instances of the receiver.
func WithDedup(d webhook.Dedup) ReceiverOption { return func(r *Receiver) { r.dedup = d } }

// WithDedupWindow sets how long a handled event is remembered
// (DefaultDedupWindow by default).
func WithDedupWindow(d time.Duration) ReceiverOption { return func(r *Receiver) { r.window = d } }

// WithBodyLimit sets the largest body accepted, in bytes
// (webhook.DefaultBodyLimit by default).
func WithBodyLimit(n int64) ReceiverOption { return func(r *Receiver) { r.limit = n } }

// WithErrorHandler calls f with every delivery the receiver refused or
// failed to handle, the handler's errors included, for logging. The
// errors never hold the secret.
func WithErrorHandler(f func(error)) ReceiverOption { return func(r *Receiver) { r.onError = f } }

// minSecretLen is the shortest secret a Receiver takes: the secret is the
// only thing a forger must guess.
const minSecretLen = 16

// NewReceiver returns a Receiver of the deliveries to the URL of secret,
// which hands each event to handle. The secret must be at least 16
// characters, random (crypto/rand.Text makes one) and without a slash.
func NewReceiver(secret string, handle func(context.Context, Notification) error, opts ...ReceiverOption) (*Receiver, error) {
	if err := checkSecret(secret); err != nil {
		return nil, err
	}
	if handle == nil {
		return nil, errors.New("streamdiver: NewReceiver needs a handler; pass the func that processes each event")
	}
	r := &Receiver{secret: secret, handle: handle, window: DefaultDedupWindow, limit: webhook.DefaultBodyLimit}
	for _, o := range opts {
		o(r)
	}
	if r.dedup == nil {
		r.dedup = webhook.NewMemoryDedup()
	}
	if r.window <= 0 {
		return nil, errors.New("streamdiver: the deduplication window must be positive; pass how long after a delivery you may retry it, such as a day")
	}
	return r, nil
}

func checkSecret(secret string) error {
	if len(secret) < minSecretLen || strings.Contains(secret, "/") {
		return fmt.Errorf("streamdiver: a webhook secret must be at least %d characters and have no slash; make one with crypto/rand.Text", minSecretLen)
	}
	return nil
}

// WebhookURL returns the URL to subscribe (CreateWebhookRequest.URL) so
// that a Receiver of secret served at base receives the deliveries: base
// then the secret, such as https://hooks.example.com/streamdiver/<secret>.
func WebhookURL(base, secret string) (string, error) {
	if err := checkSecret(secret); err != nil {
		return "", err
	}
	u, err := url.Parse(base)
	if err != nil || !u.IsAbs() || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("streamdiver: the webhook base URL %q must be absolute, such as https://hooks.example.com/streamdiver, without query or fragment", base)
	}
	return u.JoinPath(url.PathEscape(secret)).String(), nil
}

// ServeHTTP receives one delivery.
func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The last segment, or the whole path when http.StripPrefix left no
	// slash (i is then -1).
	i := strings.LastIndexByte(r.URL.Path, '/')
	if !webhook.SecretEqual(r.URL.Path[i+1:], rc.secret) {
		rc.fail(errors.New("streamdiver: refused a delivery to a URL without the receiver's secret; subscribe the URL WebhookURL builds"))
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		rc.fail(fmt.Errorf("streamdiver: refused a %s request; Streamdiver delivers with POST", r.Method))
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "Deliveries are POSTed.", http.StatusMethodNotAllowed)
		return
	}
	body, err := webhook.ReadBody(w, r, rc.limit)
	if err != nil {
		rc.fail(err)
		return
	}
	ev, err := ParseNotification(body)
	if err != nil {
		rc.fail(err)
		http.Error(w, "The body is not a Streamdiver event.", http.StatusBadRequest)
		return
	}
	claim, err := webhook.Once(r.Context(), rc.dedup, "streamdiver/"+ev.EventID(), rc.window, func(ctx context.Context) error {
		return rc.handle(ctx, ev)
	})
	switch {
	case claim == webhook.Busy:
		rc.fail(fmt.Errorf("streamdiver: answered 409 to a redelivery of %s event %s while its handler runs; retry the delivery later", ev.Name(), ev.EventID()))
		http.Error(w, "The event is being handled; deliver it again later.", http.StatusConflict)
	case errors.Is(err, webhook.ErrNotRecorded):
		// Handled: answering 500 would have it handled again.
		rc.fail(fmt.Errorf("streamdiver: %s event %s: %w", ev.Name(), ev.EventID(), err))
		w.WriteHeader(http.StatusNoContent)
	case err != nil && claim != webhook.Claimed:
		rc.fail(err)
		http.Error(w, "Deliveries cannot be deduplicated now; deliver it again later.", http.StatusServiceUnavailable)
	case err != nil:
		rc.fail(fmt.Errorf("streamdiver: handling %s event %s: %w", ev.Name(), ev.EventID(), err))
		http.Error(w, "The event could not be handled; deliver it again.", http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

func (rc *Receiver) fail(err error) {
	if rc.onError != nil {
		rc.onError(err)
	}
}
