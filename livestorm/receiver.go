package livestorm

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

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
//     of a delivery already handled within the window (WithDedupWindow);
//   - 409 at once to a redelivery of a delivery whose handler is still
//     running, here or in another instance sharing the store, without
//     calling the handler: that handler may yet fail, so Livestorm must
//     deliver again later rather than take the delivery for handled;
//   - 500 when the handler failed or the dedup store did, so that
//     Livestorm delivers again (up to five retries, after which it
//     disables the subscription; see ReconcileWebhooks).
//
// The handler runs before the answer: keep it short, and queue long work.
// A delivery is claimed for its handler for webhook.Lease; a handler that
// runs longer may see a redelivery handled beside it.
// Livestorm sends no delivery id, so a redelivery is recognised by its
// event and the hash of its body; two deliveries with identical bodies
// within the window count as one.
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

// WithDedup keeps the deliveries handled in d instead of the process's
// memory, such as a database shared by several instances of the receiver.
func WithDedup(d webhook.Dedup) ReceiverOption { return func(r *Receiver) { r.dedup = d } }

// WithDedupWindow sets how long a handled delivery is remembered
// (DefaultDedupWindow by default). Livestorm's retries span about 22
// minutes.
func WithDedupWindow(d time.Duration) ReceiverOption { return func(r *Receiver) { r.window = d } }

// WithBodyLimit sets the largest body accepted, in bytes
// (webhook.DefaultBodyLimit by default).
func WithBodyLimit(n int64) ReceiverOption { return func(r *Receiver) { r.limit = n } }

// WithErrorHandler calls f with every delivery the receiver refused or
// failed to handle, the handler's errors included, for logging. The
// errors never hold the secret.
func WithErrorHandler(f func(error)) ReceiverOption { return func(r *Receiver) { r.onError = f } }

// DefaultDedupWindow is how long a Receiver remembers a handled delivery
// unless told otherwise: longer than Livestorm's retries.
const DefaultDedupWindow = time.Hour

// minSecretLen is the shortest secret a Receiver takes: the secret is the
// only thing a forger must guess.
const minSecretLen = 16

// NewReceiver returns a Receiver of the deliveries to the URLs of secret,
// which hands each to handle. The secret must be at least 16 characters,
// random (crypto/rand.Text makes one) and without a slash.
func NewReceiver(secret string, handle func(context.Context, Notification) error, opts ...ReceiverOption) (*Receiver, error) {
	if err := checkSecret(secret); err != nil {
		return nil, err
	}
	if handle == nil {
		return nil, errors.New("livestorm: NewReceiver needs a handler; pass the func that processes each delivery")
	}
	r := &Receiver{secret: secret, handle: handle, window: DefaultDedupWindow, limit: webhook.DefaultBodyLimit}
	for _, o := range opts {
		o(r)
	}
	if r.dedup == nil {
		r.dedup = webhook.NewMemoryDedup()
	}
	if r.window <= 0 {
		return nil, errors.New("livestorm: the deduplication window must be positive; pass more than Livestorm's retries span, such as an hour")
	}
	return r, nil
}

func checkSecret(secret string) error {
	if len(secret) < minSecretLen || strings.Contains(secret, "/") {
		return fmt.Errorf("livestorm: a webhook secret must be at least %d characters and have no slash; make one with crypto/rand.Text", minSecretLen)
	}
	return nil
}

// WebhookURL returns the URL to subscribe for event so that a Receiver of
// secret mounted at base receives it: base, then the secret, then the
// event, such as https://hooks.example.com/livestorm/<secret>/people.registered.
// Livestorm delivers only to https URLs.
func WebhookURL(base, secret string, event WebhookEvent) (string, error) {
	if err := checkSecret(secret); err != nil {
		return "", err
	}
	if n, _ := newNotification(event); n == nil {
		return "", fmt.Errorf("%w: %q", ErrUnknownEvent, event)
	}
	u, err := parseBase(base)
	if err != nil {
		return "", err
	}
	return u.JoinPath(url.PathEscape(secret), string(event)).String(), nil
}

// parseBase parses the base URL a Receiver is mounted at.
func parseBase(base string) (*url.URL, error) {
	u, err := url.Parse(base)
	if err != nil || !u.IsAbs() || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("livestorm: the webhook base URL %q must be absolute, such as https://hooks.example.com/livestorm, without query or fragment", base)
	}
	return u, nil
}

// basePrefix returns what every URL WebhookURL builds from base starts
// with, spelled as WebhookURL spells it (JoinPath cleans the path and
// url.Parse lowers the scheme), so that ReconcileWebhooks finds them.
func basePrefix(base string) (string, error) {
	u, err := parseBase(base)
	if err != nil {
		return "", err
	}
	return strings.TrimSuffix(u.JoinPath().String(), "/") + "/", nil
}

// ServeHTTP receives one delivery.
func (r *Receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	secret, event, ok := splitPath(req.URL.Path)
	if !ok || !webhook.SecretEqual(secret, r.secret) {
		r.fail(errors.New("livestorm: refused a delivery to a URL without the receiver's secret; subscribe the URLs WebhookURL builds"))
		http.NotFound(w, req)
		return
	}
	if req.Method != http.MethodPost {
		r.fail(fmt.Errorf("livestorm: refused a %s request; Livestorm delivers with POST", req.Method))
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "Deliveries are POSTed.", http.StatusMethodNotAllowed)
		return
	}
	name := WebhookEvent(event)
	if !slices.Contains(WebhookEvents(), name) {
		r.fail(fmt.Errorf("%w: %q", ErrUnknownEvent, event))
		http.Error(w, "No such webhook event.", http.StatusNotFound)
		return
	}
	body, err := webhook.ReadBody(w, req, r.limit)
	if err != nil {
		r.fail(err)
		return
	}
	n, err := ParseNotification(name, body)
	if err != nil {
		r.fail(err)
		http.Error(w, "The body is not a Livestorm delivery.", http.StatusBadRequest)
		return
	}
	claim, err := webhook.Once(req.Context(), r.dedup, dedupKey(name, body), r.window, func(ctx context.Context) error {
		return r.handle(ctx, n)
	})
	switch {
	case claim == webhook.Busy:
		r.fail(fmt.Errorf("livestorm: answered 409 to a redelivery of a %s delivery about %s while its handler runs; Livestorm retries it", name, n.ResourceID()))
		http.Error(w, "The delivery is being handled; deliver it again later.", http.StatusConflict)
	case errors.Is(err, webhook.ErrNotRecorded):
		// Handled: answering 500 would have it handled again.
		r.fail(fmt.Errorf("livestorm: a %s delivery about %s: %w", name, n.ResourceID(), err))
		w.WriteHeader(http.StatusNoContent)
	case err != nil:
		r.fail(fmt.Errorf("livestorm: handling a %s delivery about %s: %w", name, n.ResourceID(), err))
		http.Error(w, "The delivery could not be handled; deliver it again.", http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
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

func (r *Receiver) fail(err error) {
	if r.onError != nil {
		r.onError(err)
	}
}

// splitPath returns the last two segments of a delivery's path: the
// secret and the event. Whatever comes before is where the receiver is
// mounted; nothing may, since http.StripPrefix leaves "<secret>/<event>".
func splitPath(p string) (secret, event string, ok bool) {
	rest, event := cutLast(p)
	_, secret = cutLast(rest)
	return secret, event, secret != "" && event != ""
}

// cutLast cuts s around its last slash; with none, all of s is after.
func cutLast(s string) (before, after string) {
	i := strings.LastIndexByte(s, '/')
	return s[:max(i, 0)], s[i+1:]
}
