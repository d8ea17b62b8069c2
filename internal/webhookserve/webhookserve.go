// Package webhookserve is the serving core of onair's webhook receivers
// (livestorm.Receiver, streamdiver.Receiver): the secret in the path, the
// method, the body limit, deduplication and the answers. A provider
// supplies only what it knows: how many path segments follow the secret
// and how a delivery is parsed.
package webhookserve

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/hooks"
	"github.com/onair-go/onair/webhook"
)

// Provider is what a receiver knows of its provider.
type Provider[N any] struct {
	// Name prefixes errors, such as "livestorm", and names the receiver's
	// type in its String.
	Name string
	// Title is the provider's name in answers, such as "Livestorm".
	Title string
	// Tail is how many path segments follow the secret (Livestorm's event
	// name is one; Streamdiver has none).
	Tail int
	// DefaultWindow is the deduplication window when the Options set none.
	DefaultWindow time.Duration
	// Parse makes a delivery of the path's tail (Tail segments joined by
	// slashes) and the body. An error is answered 400, or as a Refusal
	// says.
	Parse func(tail string, body []byte) (Delivery[N], error)
	// About names a delivery in errors, such as "a session.started
	// delivery about <id>"; it is called only when one is reported.
	About func(N) string
	// Kind is a delivery's event name, for hooks: "session.started".
	// Required.
	Kind func(N) string
}

// Delivery is a parsed delivery.
type Delivery[N any] struct {
	Key          string // the deduplication key, prefixed with the provider's name
	Notification N      // what the handler gets
}

// Refusal is an error Parse returns to answer Status and Text instead of
// 400.
type Refusal struct {
	Status int
	Text   string // the answer's body, one line
	Err    error
}

func (r *Refusal) Error() string { return r.Err.Error() }
func (r *Refusal) Unwrap() error { return r.Err }

// minSecretLen is the shortest secret a receiver takes: the secret is the
// only thing a forger must guess.
const minSecretLen = 16

// CheckSecret reports whether secret is fit for a receiver of provider
// name: at least 16 characters, and no slash since it is a path segment.
func CheckSecret(name, secret string) error {
	if len(secret) < minSecretLen || strings.Contains(secret, "/") {
		return fmt.Errorf("%s: a webhook secret must be at least %d characters and have no slash; make one with crypto/rand.Text", name, minSecretLen)
	}
	return nil
}

// ParseBase parses the base URL a receiver of provider name is served at.
func ParseBase(name, base string) (*url.URL, error) {
	u, err := url.Parse(base)
	if err != nil || !u.IsAbs() || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return nil, fmt.Errorf("%s: the webhook base URL %q must be absolute, such as https://hooks.example.com/%s, without query or fragment", name, base, name)
	}
	return u, nil
}

// Receiver is an http.Handler of one provider's deliveries.
type Receiver[N any] struct {
	p       Provider[N]
	secret  string
	handle  func(context.Context, N) error
	dedup   webhook.Dedup
	window  time.Duration
	limit   int64
	onError func(error)
	hooks   onair.Hooks
}

// New returns a Receiver of p's deliveries to the URLs of secret, which
// hands each to handle.
func New[N any](p Provider[N], secret string, handle func(context.Context, N) error, opts []webhook.Option) (*Receiver[N], error) {
	if err := CheckSecret(p.Name, secret); err != nil {
		return nil, err
	}
	if handle == nil {
		return nil, fmt.Errorf("%s: NewReceiver needs a handler; pass the func that processes each delivery", p.Name)
	}
	var c webhook.Config
	for _, o := range opts {
		o(&c)
	}
	if c.Window < 0 {
		return nil, fmt.Errorf("%s: the deduplication window %v is negative; pass one longer than the provider's retries, or none for %v", p.Name, c.Window, p.DefaultWindow)
	}
	if c.Window == 0 {
		c.Window = p.DefaultWindow
	}
	if c.BodyLimit <= 0 {
		c.BodyLimit = webhook.DefaultBodyLimit
	}
	if c.Dedup == nil {
		c.Dedup = webhook.NewMemoryDedup()
	}
	return &Receiver[N]{p: p, secret: secret, handle: handle, dedup: c.Dedup, window: c.Window, limit: c.BodyLimit, onError: c.ErrorHandler, hooks: c.Hooks}, nil
}

// ServeHTTP receives one delivery.
func (rc *Receiver[N]) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	secret, tail, ok := splitPath(r.URL.Path, rc.p.Tail)
	if !ok || !webhook.SecretEqual(secret, rc.secret) {
		rc.fail(fmt.Errorf("%s: refused a delivery to a URL without the receiver's secret; subscribe the URLs WebhookURL builds", rc.p.Name))
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodPost {
		rc.fail(fmt.Errorf("%s: refused a %s request; %s delivers with POST", rc.p.Name, r.Method, rc.p.Title))
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "Deliveries are POSTed.", http.StatusMethodNotAllowed)
		return
	}
	body, err := webhook.ReadBody(w, r, rc.limit)
	if err != nil {
		rc.fail(err)
		return
	}
	d, err := rc.p.Parse(tail, body)
	if err != nil {
		rc.fail(err)
		if ref := (*Refusal)(nil); errors.As(err, &ref) {
			http.Error(w, ref.Text, ref.Status)
		} else {
			http.Error(w, "The body is not a "+rc.p.Title+" delivery.", http.StatusBadRequest)
		}
		return
	}
	claim, err := webhook.Once(r.Context(), rc.dedup, d.Key, rc.window, func(ctx context.Context) error {
		if rc.hooks.Event == nil {
			return rc.handle(ctx, d.Notification)
		}
		// Run keeps a hook that swallows the handler's error from having
		// the delivery recorded as handled.
		ev := &onair.Event{Provider: rc.p.Name, Source: "webhook", Name: rc.p.Kind(d.Notification)}
		return hooks.Run(ctx, func(ctx context.Context, handle func(context.Context) error) error {
			return rc.hooks.Event(ctx, ev, handle)
		}, func(ctx context.Context) error { return rc.handle(ctx, d.Notification) })
	})
	switch {
	case claim == webhook.Busy:
		rc.fail(fmt.Errorf("%s: answered 409 to a redelivery of %s while its handler runs; it must be delivered again later", rc.p.Name, rc.p.About(d.Notification)))
		http.Error(w, "The delivery is being handled; deliver it again later.", http.StatusConflict)
	case errors.Is(err, webhook.ErrNotRecorded):
		// Handled: answering 5xx would have it handled again.
		rc.fail(fmt.Errorf("%s: %s: %w", rc.p.Name, rc.p.About(d.Notification), err))
		w.WriteHeader(http.StatusNoContent)
	case err != nil && claim != webhook.Claimed:
		// The store failed before the handler ran: nothing was done.
		rc.fail(fmt.Errorf("%s: %s: %w", rc.p.Name, rc.p.About(d.Notification), err))
		http.Error(w, "Deliveries cannot be deduplicated now; deliver it again later.", http.StatusServiceUnavailable)
	case err != nil:
		rc.fail(fmt.Errorf("%s: handling %s: %w", rc.p.Name, rc.p.About(d.Notification), err))
		http.Error(w, "The delivery could not be handled; deliver it again.", http.StatusInternalServerError)
	default:
		w.WriteHeader(http.StatusNoContent)
	}
}

func (rc *Receiver[N]) fail(err error) {
	if rc.onError != nil {
		rc.onError(err)
	}
}

// splitPath returns the secret and the tail of a delivery's path: its
// last tail segments, joined by slashes, and the one before them. What
// comes before is where the receiver is mounted; nothing may, since
// http.StripPrefix leaves no leading slash. Every segment must be
// non-empty.
func splitPath(p string, tail int) (secret, rest string, ok bool) {
	end := len(p)
	for range tail {
		i := strings.LastIndexByte(p[:end], '/')
		if i < 0 || i == end-1 {
			return "", "", false
		}
		end = i
	}
	before := p[:end]
	secret = before[strings.LastIndexByte(before, '/')+1:]
	if secret == "" {
		return "", "", false
	}
	if end < len(p) {
		rest = p[end+1:]
	}
	return secret, rest, true
}
