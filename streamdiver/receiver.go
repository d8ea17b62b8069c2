package streamdiver

import (
	"context"
	"net/http"
	"path"
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
// Receiver authenticates them as Livestorm's receiver does: by a secret in
// the last segment of the URL's path, compared in constant time. Subscribe
// a webhook to https://your.host/<path>/<secret> with a long random
// secret, and serve the Receiver under <path>/.
//
// The Receiver answers:
//   - 405 to anything but a POST, 401 to a wrong secret, 413 to a body
//     over the limit and 400 to a body that is not an event, without
//     calling the handler;
//   - 200 once the handler returned nil, or at once for a redelivery of an
//     event it handled within the dedup window;
//   - 500 when the handler failed, and 503 when the dedup store did, so
//     that a retry of the delivery is handled again.
type Receiver struct {
	secret string
	handle func(context.Context, Event) error
	dedup  webhook.Dedup
	window time.Duration
	limit  int64
	errLog func(*http.Request, error)
}

// A ReceiverOption configures a Receiver.
type ReceiverOption func(*Receiver)

// WithDedup remembers handled events in d, for window, instead of in the
// Receiver's memory for DefaultDedupWindow. A store shared by several
// processes makes a redelivery to any of them count.
func WithDedup(d webhook.Dedup, window time.Duration) ReceiverOption {
	return func(r *Receiver) { r.dedup, r.window = d, window }
}

// WithBodyLimit refuses bodies over n bytes (webhook.DefaultBodyLimit by
// default).
func WithBodyLimit(n int64) ReceiverOption { return func(r *Receiver) { r.limit = n } }

// WithErrorLog calls log with each error that made the Receiver refuse or
// fail a delivery, such as the handler's: the answer itself says nothing
// of it. Errors never hold the secret.
func WithErrorLog(log func(*http.Request, error)) ReceiverOption {
	return func(r *Receiver) { r.errLog = log }
}

// NewReceiver returns a Receiver that accepts deliveries whose URL path
// ends with secret and calls handle with each event. handle runs before
// the answer, once per event; its error makes the delivery fail.
func NewReceiver(secret string, handle func(context.Context, Event) error, opts ...ReceiverOption) *Receiver {
	r := &Receiver{secret: secret, handle: handle, dedup: webhook.NewMemoryDedup(), window: DefaultDedupWindow}
	for _, o := range opts {
		o(r)
	}
	return r
}

// ServeHTTP implements http.Handler.
func (rc *Receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "Webhook deliveries are POSTed.", http.StatusMethodNotAllowed)
		return
	}
	if !webhook.SecretEqual(path.Base(r.URL.Path), rc.secret) {
		http.Error(w, "Unknown webhook URL.", http.StatusUnauthorized)
		return
	}
	body, err := webhook.ReadBody(w, r, rc.limit)
	if err != nil {
		rc.log(r, err)
		return
	}
	ev, err := DecodeEvent(body)
	if err != nil {
		rc.log(r, err)
		http.Error(w, "The body is not a Streamdiver event.", http.StatusBadRequest)
		return
	}
	claimed := false
	_, err = webhook.Once(r.Context(), rc.dedup, "streamdiver:"+ev.EventID(), rc.window, func(ctx context.Context) error {
		claimed = true
		return rc.handle(ctx, ev)
	})
	switch {
	case err != nil && !claimed:
		rc.log(r, err)
		http.Error(w, "Deliveries cannot be deduplicated now; retry later.", http.StatusServiceUnavailable)
	case err != nil:
		rc.log(r, err)
		http.Error(w, "The event could not be handled; retry the delivery.", http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusOK)
	}
}

func (rc *Receiver) log(r *http.Request, err error) {
	if rc.errLog != nil {
		rc.errLog(r, err)
	}
}
