package wirelog

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/redact"
)

// attempt logs one HTTP exchange of an operation at debug level.
func (w *logger) attempt(req *http.Request, send func(*http.Request) (*http.Response, error)) (*http.Response, error) {
	return logExchange(w.l, req, send)
}

// Transport returns base (http.DefaultTransport if nil) logging each
// exchange through l at debug level, for the requests no client hook
// sees: those to a token endpoint. A nil l returns base.
func Transport(l *slog.Logger, base http.RoundTripper) http.RoundTripper {
	if l == nil {
		return base
	}
	if base == nil {
		base = http.DefaultTransport
	}
	if t, ok := base.(*transport); ok && t.l == l {
		return t // logged already
	}
	return &transport{l: l, base: base}
}

type transport struct {
	l    *slog.Logger
	base http.RoundTripper
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	return logExchange(t.l, req, t.base.RoundTrip)
}

// TokenContext returns ctx whose token requests (the oauth2.HTTPClient
// that package auth and x/oauth2 send with) are logged through l at debug
// level. A nil l returns ctx.
func TokenContext(ctx context.Context, l *slog.Logger) context.Context {
	if l == nil {
		return ctx
	}
	c, _ := ctx.Value(oauth2.HTTPClient).(*http.Client)
	if c == nil {
		c = http.DefaultClient
	}
	if t, ok := c.Transport.(*transport); ok && t.l == l {
		return ctx
	}
	logged := *c
	logged.Transport = Transport(l, c.Transport)
	return context.WithValue(ctx, oauth2.HTTPClient, &logged)
}

// Header fields shown with their values; any other is left out.
var (
	requestHeaders = []string{"Accept", "Content-Type", "Content-Length", "User-Agent", "X-Request-Id", "Idempotency-Key", "If-Match", "If-None-Match"}
	answerHeaders  = []string{
		"Content-Type", "Content-Length", "Content-Encoding", "Retry-After", "X-Request-Id", "Etag", "Www-Authenticate",
		"Ratelimit-Limit", "Ratelimit-Remaining", "Ratelimit-Reset", "Ratelimit-Interval-Remaining", "Ratelimit-Monthly-Remaining",
		"X-Ratelimit-Limit", "X-Ratelimit-Remaining", "X-Ratelimit-Reset",
	}
)

// Query parameters shown with their values; any other shows its name
// with its value redacted. filter[...] parameters are shown but for the
// e-mail filter, which names a person.
var queryParams = []string{
	"page", "page[number]", "page[size]", "perpage", "per_page", "limit", "offset", "sort", "include", "fields", "type",
	"ids", "tags", "channelId", "assetTypes", "durationFrom", "durationTo", "hardDelete", "omitSpeakerLabels",
	"transcriptDownloadType", "url_expires_in", "filter",
	// Token and authorization requests.
	"grant_type", "response_type", "scope", "client_id", "redirect_uri", "token_type_hint", "code_challenge_method",
}

func queryAllowed(name string) bool {
	if slices.Contains(queryParams, name) {
		return true
	}
	return strings.HasPrefix(name, "filter[") && name != "filter[email]"
}

// loggedKey marks a request's context with the logger that logs its
// exchange.
type loggedKey struct{}

// logExchange sends req and logs the exchange at debug level.
func logExchange(l *slog.Logger, req *http.Request, send func(*http.Request) (*http.Response, error)) (*http.Response, error) {
	ctx := req.Context()
	if !l.Enabled(ctx, slog.LevelDebug) {
		return send(req)
	}
	if logged, _ := ctx.Value(loggedKey{}).(*slog.Logger); logged == l {
		// A hook or transport above has l log this exchange already:
		// onair --debug's transport lies under a command's own, whose
		// clients log through the same logger.
		return send(req)
	}
	req = req.WithContext(context.WithValue(ctx, loggedKey{}, l))
	start := time.Now()
	red := credentials(req)
	attrs := make([]slog.Attr, 0, 10)
	if op, _ := ctx.Value(opKey{}).(*onair.Operation); op != nil {
		attrs = append(attrs, slog.String("provider", op.Provider), slog.String("operation", op.Name))
	}
	attrs = append(attrs,
		slog.String("method", req.Method),
		slog.String("url", logURL(red, req.URL)),
		slog.Any("request_header", headerLog{red, req.Header, requestHeaders}),
	)
	if s := scheme(req.Header.Get("Authorization")); s != "" {
		attrs = append(attrs, slog.String("credentials", s))
	}
	res, err := send(req)
	attrs = append(attrs, slog.Duration("duration", time.Since(start)))
	if res != nil {
		attrs = append(attrs,
			slog.Int("status", res.StatusCode),
			slog.Any("answer_header", headerLog{red, res.Header, answerHeaders}),
		)
		if id := res.Header.Get("X-Request-Id"); id != "" {
			attrs = append(attrs, slog.String("request_id", red.Text(id)))
		}
	}
	if err != nil {
		attrs = append(attrs, slog.String("err", red.Text(err.Error())))
	}
	l.LogAttrs(ctx, slog.LevelDebug, "onair: HTTP exchange", attrs...)
	return res, err
}

// credentials returns a redactor that knows the secrets req carries: its
// Authorization header, the values of its query parameters that are not
// allow-listed, and those of the secret-named fields of its form body.
func credentials(req *http.Request) *redact.Set {
	var s redact.Set
	if a := req.Header.Get("Authorization"); a != "" {
		s.Add(a)
		s.Add(redact.Credentials(a)...)
	}
	for k, vs := range req.URL.Query() {
		if !queryAllowed(k) {
			s.Add(vs...)
		}
	}
	if req.GetBody != nil && strings.HasPrefix(req.Header.Get("Content-Type"), "application/x-www-form-urlencoded") {
		if body, err := req.GetBody(); err == nil {
			b, _ := io.ReadAll(io.LimitReader(body, 64<<10))
			body.Close()
			if form, err := url.ParseQuery(string(bytes.TrimSpace(b))); err == nil {
				for k, vs := range form {
					if !queryAllowed(k) {
						s.Add(vs...)
					}
				}
			}
		}
	}
	return &s
}

// logURL is u without user information, with the values of parameters
// that are not allow-listed redacted and what remains cleaned by red.
func logURL(red *redact.Set, u *url.URL) string {
	c := url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}
	if u.RawQuery != "" {
		q := u.Query()
		for k, vs := range q {
			if !queryAllowed(k) {
				for i := range vs {
					vs[i] = redact.Mark
				}
			}
		}
		c.RawQuery = strings.ReplaceAll(q.Encode(), url.QueryEscape(redact.Mark), redact.Mark)
	}
	return red.Text(c.String())
}

// headerLog logs the fields of h named in allowed, cleaned by red.
type headerLog struct {
	red     *redact.Set
	h       http.Header
	allowed []string
}

func (h headerLog) LogValue() slog.Value {
	var attrs []slog.Attr
	for _, k := range h.allowed {
		if vs := h.h.Values(k); len(vs) > 0 {
			attrs = append(attrs, slog.String(k, h.red.Text(strings.Join(vs, ", "))))
		}
	}
	return slog.GroupValue(attrs...)
}

// scheme names how an Authorization header carries its credential, never
// the credential: "Bearer", "Basic", or "token" for a bare token.
func scheme(a string) string {
	if a == "" {
		return ""
	}
	s, _, ok := strings.Cut(a, " ")
	if !ok {
		return "token"
	}
	switch strings.ToLower(s) {
	case "bearer":
		return "Bearer"
	case "basic":
		return "Basic"
	}
	return "other"
}
