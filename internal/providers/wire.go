package providers

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/wirelog"
)

// wire is an http.RoundTripper that notes what each request looked like
// on the wire, so that the demo reports what was sent rather than what
// should have been. It notes the shape only, never a token or a secret.
type wire struct {
	base http.RoundTripper // what carries the requests
	mu   sync.Mutex
	log  []exchange
}

// newWire returns a wire over the transport of the client in ctx under
// oauth2.HTTPClient, as auth uses it, or http.DefaultTransport: so that a
// command run by "onair record" is recorded.
func newWire(ctx context.Context) *wire {
	if c, ok := ctx.Value(oauth2.HTTPClient).(*http.Client); ok && c != nil && c.Transport != nil {
		return &wire{base: c.Transport}
	}
	return &wire{base: http.DefaultTransport}
}

type exchange struct {
	method, path  string
	auth          string // the Authorization scheme: "Bearer", "Basic", "bare" (a token with no scheme) or ""
	secretInQuery bool   // client_secret was in the URL's query
	status        int
	retryAfter    string
	call          int // the demo's number for the call, from the context; 0 if none
	start, end    time.Time
}

type callKey struct{}

// withCall numbers the requests made with ctx, so that attempts of one
// call can be told apart from another's.
func withCall(ctx context.Context, n int) context.Context {
	return context.WithValue(ctx, callKey{}, n)
}

func (w *wire) RoundTrip(req *http.Request) (*http.Response, error) {
	e := exchange{method: req.Method, path: req.URL.Path, start: time.Now(), secretInQuery: req.URL.Query().Has("client_secret")}
	e.call, _ = req.Context().Value(callKey{}).(int)
	switch h := req.Header.Get("Authorization"); {
	case h == "":
	case strings.HasPrefix(h, "Bearer "):
		e.auth = "Bearer"
	case strings.HasPrefix(h, "Basic "):
		e.auth = "Basic"
	case !strings.Contains(h, " "):
		e.auth = "bare"
	default:
		e.auth = "other"
	}
	res, err := w.base.RoundTrip(req)
	e.end = time.Now()
	if res != nil {
		e.status = res.StatusCode
		e.retryAfter = res.Header.Get("Retry-After")
	}
	w.mu.Lock()
	w.log = append(w.log, e)
	w.mu.Unlock()
	return res, err
}

// client returns an HTTP client that records on w.
func (w *wire) client() *http.Client { return &http.Client{Transport: w} }

// tokenContext returns ctx whose token requests record on w, and are
// logged by ctx's logger, if any (onair --debug).
func (w *wire) tokenContext(ctx context.Context) context.Context {
	return wirelog.TokenContext(context.WithValue(ctx, oauth2.HTTPClient, w.client()), wirelog.FromContext(ctx))
}

// last returns the last exchange whose path ends with suffix.
func (w *wire) last(suffix string) (exchange, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for i := len(w.log) - 1; i >= 0; i-- {
		if strings.HasSuffix(w.log[i].path, suffix) {
			return w.log[i], true
		}
	}
	return exchange{}, false
}

func (w *wire) exchanges() []exchange {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]exchange(nil), w.log...)
}

// clientAuth says how a token request authenticated the client.
func (e exchange) clientAuth() string {
	switch {
	case e.auth == "Basic":
		return "HTTP Basic client authentication"
	case e.secretInQuery:
		return "the client secret in the query"
	default:
		return "the client secret in the form body"
	}
}
