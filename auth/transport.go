package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/redact"
)

// ErrInsecure is returned by Transport for a request that would carry a
// token over plain http to a host that is not loopback.
var ErrInsecure = errors.New("auth: refusing to send a token over plain http")

// Transport is an http.RoundTripper that authorizes requests with tokens
// from Source.
//
// It never modifies the caller's request. With only Source and Base set it
// attaches the token to the host of the request it was given and never to
// another host, or a plain-http URL, that a redirect leads to. It refuses to
// send a token over plain http except to loopback hosts. On a 401 whose
// Bearer challenge is error="invalid_token", or bare, it refreshes once and
// replays the request when its body can be replayed; an
// "insufficient_scope" challenge becomes an *InsufficientScopeError and is
// never retried. It reads WWW-Authenticate as RFC 9110 §11.6.1 defines it,
// every line and every challenge; a field it cannot parse, or one naming a
// parameter twice, counts as no challenge.
//
// Refresh on 401 needs a Source from this package, or one with a method
// Invalidate(*oauth2.Token) that makes its next Token call refresh.
type Transport struct {
	Source oauth2.TokenSource
	Base   http.RoundTripper // http.DefaultTransport when nil

	// BareToken sends the token alone in the Authorization header, with no
	// "Bearer" scheme, as an Endpoint with BareToken wants (DLive).
	// Config.Client and Config.Transport set it from the Endpoint; a
	// Transport built by hand must copy Endpoint.BareToken itself, as the
	// Source has no say in the scheme, whatever its kind.
	BareToken bool

	// Hosts, when set, are the only hosts that receive the token, whether
	// reached directly or by a redirect: "host" matches any port,
	// "host:port" only that port (IPv6 literals in brackets).
	Hosts []string

	header atomic.Pointer[authHeader] // the last header value built
}

type authHeader struct {
	token string
	value string
}

type tokenContexter interface {
	TokenContext(context.Context) (*oauth2.Token, error)
}

type invalidator interface {
	Invalidate(*oauth2.Token)
}

// RoundTrip authorizes and sends req.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if t.Source == nil {
		closeBody(req)
		return nil, errors.New("auth: Transport.Source is nil")
	}
	if !t.allowed(req) {
		if req.Response != nil && req.Header.Get("Authorization") != "" {
			// A redirect copies the first request's headers, a token
			// Authorize set included, to hosts that share its domain.
			r := req.Clone(req.Context())
			r.Header.Del("Authorization")
			req = r
		}
		return t.base().RoundTrip(req)
	}
	if req.URL.Scheme != "https" && !isLoopback(req.URL.Hostname()) {
		closeBody(req)
		return nil, fmt.Errorf("%w to %s: use https", ErrInsecure, req.URL.Host)
	}
	tok, err := t.token(req.Context())
	if err != nil {
		closeBody(req)
		return nil, err
	}
	res, err := t.base().RoundTrip(t.authorize(req, tok))
	if err != nil {
		// A malformed answer is quoted in the error, and may echo the token.
		return nil, sentSecrets(tok).Err(err)
	}
	if res.StatusCode != http.StatusUnauthorized && res.StatusCode != http.StatusForbidden {
		return res, nil
	}

	ch := parseChallenge(res.Header.Values("WWW-Authenticate"))
	switch {
	case ch.err == "insufficient_scope":
		body, _ := io.ReadAll(io.LimitReader(res.Body, 64<<10))
		drain(res)
		// The API may quote the token it refused; the error may be logged.
		red := sentSecrets(tok)
		return nil, &InsufficientScopeError{StatusCode: res.StatusCode, Scope: strings.Fields(red.Text(ch.scope)), Description: red.Text(ch.description),
			Header: red.Header(res.Header), Body: red.Body(body, "code")}
	case res.StatusCode != http.StatusUnauthorized || (ch.err != "" && ch.err != "invalid_token"):
		return res, nil
	}
	inv, ok := t.Source.(invalidator)
	if !ok {
		return res, nil
	}
	replay := req
	if req.Body != nil && req.Body != http.NoBody {
		if req.GetBody == nil {
			return res, nil
		}
		body, err := req.GetBody()
		if err != nil {
			return res, nil
		}
		replay = req.Clone(req.Context())
		replay.Body = body
	}
	inv.Invalidate(tok)
	fresh, err := t.token(req.Context())
	if err != nil || fresh.AccessToken == tok.AccessToken {
		if replay != req {
			replay.Body.Close()
		}
		return res, nil
	}
	drain(res)
	res, err = t.base().RoundTrip(t.authorize(replay, fresh))
	if err != nil {
		return nil, sentSecrets(tok, fresh).Err(err)
	}
	return res, nil
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

func (t *Transport) token(ctx context.Context) (*oauth2.Token, error) {
	if tc, ok := t.Source.(tokenContexter); ok {
		return tc.TokenContext(ctx)
	}
	return t.Source.Token()
}

// Authorize sets the Authorization header of req, a request its caller
// owns, to what RoundTrip sends with tok, and reports whether it did: it
// does not when req may not carry the token (see Hosts) or would carry it
// in clear text. RoundTrip sends such a request as it is, where it
// otherwise copies the request so as to leave the caller's untouched; a
// client that builds its own requests spares that copy.
func (t *Transport) Authorize(req *http.Request, tok *oauth2.Token) bool {
	if tok == nil || !t.allowed(req) || req.URL.Scheme != "https" && !isLoopback(req.URL.Hostname()) {
		return false
	}
	req.Header["Authorization"] = []string{t.headerValue(tok.AccessToken)}
	return true
}

// authorize returns req carrying tok: req itself when it already does (see
// Authorize), else a copy. Only the header map is copied deeply, as the one
// part that changes; its values share one backing array with a slot left
// for Authorization.
func (t *Transport) authorize(req *http.Request, tok *oauth2.Token) *http.Request {
	if vs := req.Header["Authorization"]; len(vs) == 1 && vs[0] == t.headerValue(tok.AccessToken) {
		return req
	}
	r := new(http.Request)
	*r = *req
	n := 1
	for _, vs := range req.Header {
		n += len(vs)
	}
	values := make([]string, n)
	h := make(http.Header, len(req.Header)+1)
	for k, vs := range req.Header {
		if k == "Authorization" {
			continue
		}
		m := copy(values, vs)
		h[k] = values[:m:m]
		values = values[m:]
	}
	values[0] = t.headerValue(tok.AccessToken)
	h["Authorization"] = values[:1:1]
	r.Header = h
	return r
}

// headerValue builds the Authorization value once per token, not per request.
func (t *Transport) headerValue(token string) string {
	if h := t.header.Load(); h != nil && h.token == token {
		return h.value
	}
	v := "Bearer " + token
	if t.BareToken {
		v = token
	}
	t.header.Store(&authHeader{token: token, value: v})
	return v
}

// allowed reports whether req may carry the token.
func (t *Transport) allowed(req *http.Request) bool {
	if len(t.Hosts) > 0 {
		for _, h := range t.Hosts {
			if hostMatches(h, req.URL) {
				return true
			}
		}
		return false
	}
	if req.Response == nil {
		return true // not a redirect
	}
	// A redirected request links to the response that caused it; the first
	// request of the chain names the host the caller meant. A chain that
	// cannot be followed back gets no token.
	first := req
	for first.Response != nil {
		if first.Response.Request == nil {
			return false
		}
		first = first.Response.Request
	}
	return strings.EqualFold(first.URL.Host, req.URL.Host) && first.URL.Scheme == req.URL.Scheme
}

// hostMatches reports whether pattern ("host" or "host:port") names u's host.
func hostMatches(pattern string, u *url.URL) bool {
	if host, port, err := net.SplitHostPort(pattern); err == nil {
		return strings.EqualFold(host, u.Hostname()) && port == u.Port()
	}
	return strings.EqualFold(strings.Trim(pattern, "[]"), u.Hostname())
}

// challenge is the part of a Bearer WWW-Authenticate challenge (RFC 6750
// §3) that matters to a client.
type challenge struct {
	err, description, scope string
}

// parseChallenge reads the first Bearer challenge of a WWW-Authenticate
// field. A malformed field counts as none: a 401 then refreshes once, as
// with a bare challenge, and no guess at where a quoted value ends can
// turn one error into another.
func parseChallenge(lines []string) challenge {
	all, err := parseWWWAuthenticate(lines)
	if err != nil {
		return challenge{}
	}
	for _, c := range all {
		if c.scheme == "bearer" {
			return challenge{err: c.params["error"], description: c.params["error_description"], scope: c.params["scope"]}
		}
	}
	return challenge{}
}

func drain(res *http.Response) {
	io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	res.Body.Close()
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// sentSecrets returns the secrets of toks, the tokens a request carried,
// for cleaning what an answer to it may echo.
func sentSecrets(toks ...*oauth2.Token) *redact.Set {
	red := new(redact.Set)
	for _, tok := range toks {
		red.Add(tok.AccessToken, tok.RefreshToken)
	}
	return red
}
