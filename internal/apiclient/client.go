// Package apiclient runs the requests of onair's generated API clients: it
// checks granted scopes before any network I/O, sends through the auth
// transport with retries, and turns answers into values or typed errors.
// What it knows of one provider beyond the spec comes from one value that
// the provider package declares by hand, in provider.go, as
// `var provider = apiclient.Provider{…}` (see Provider).
package apiclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/scopes"
)

// userAgent names onair and its version.
const userAgent = "onair-go/" + onair.Version

// maxBody bounds how much of an answer is read.
const maxBody = 16 << 20

// Provider is what the client needs to know of one provider beyond its
// spec. Each provider package declares exactly one, by hand, in its
// provider.go, under the name the generated code refers to:
//
//	var provider = apiclient.Provider{Endpoint: Endpoint, DecodeError: decodeError}
//
// The generated NewClient (client_gen.go) starts from provider.Config and
// calls nothing else hand-written by name: what the client does for one
// provider alone (its token scheme, its errors, its rate limits, its
// pacing) is reachable from this value.
type Provider struct {
	// Endpoint is the provider's OAuth 2.0 dialect. The client names the
	// provider by Endpoint.Name in its errors and sends the token in the
	// scheme Endpoint.BareToken says: a token source, whatever its kind,
	// has no say in it. URLs that depend on an account (Streamdiver's
	// tenant realm) may be left out: the client does not use them.
	Endpoint auth.Endpoint
	// DecodeError turns a non-2xx answer into the provider's typed error,
	// which embeds base. body is the answer's, clean of secrets. Required.
	DecodeError func(base onair.APIError, body []byte) error
	// RateLimits, when set, reads the rate-limit windows an answer's
	// header reports, for onair.Response.
	RateLimits func(http.Header) []onair.RateLimit
	// BodySecrets, when set, returns the secrets a request's JSON body
	// carries in values that are not secret-named (a webhook secret in a
	// receiver's URL), which an error answer may quote.
	BodySecrets func(body []byte) []string
	// Configure, when set, changes the Config of every new client before
	// the client's options do (Livestorm's pacing), so that an option can
	// undo what it set.
	Configure func(*Config)
}

// Config returns the Config of a client of p whose tokens come from ts and
// whose requests go to servers, the spec's; NewClient's options then
// change it.
func (p Provider) Config(ts oauth2.TokenSource, servers ...string) Config {
	cfg := Config{
		Provider:    p.Endpoint.Name,
		Source:      ts,
		Servers:     servers,
		DecodeError: p.DecodeError,
		RateLimits:  p.RateLimits,
		bodySecrets: p.BodySecrets,
		bareToken:   p.Endpoint.BareToken,
	}
	if p.Configure != nil {
		p.Configure(&cfg)
	}
	return cfg
}

// Config is what a provider's NewClient gathers: Provider.Config, changed
// by the client's options.
type Config struct {
	Provider string             // lower-case name, for error texts
	Source   oauth2.TokenSource // required
	// HTTPClient's Transport becomes the base under the auth transport;
	// its other fields (Timeout, Jar, CheckRedirect) are kept.
	HTTPClient *http.Client
	// BaseURL replaces every server of the spec when set.
	BaseURL string
	// Servers are the spec's servers, whose hosts may receive the token.
	Servers []string
	// bareToken is the provider's Endpoint.BareToken, which only
	// Provider.Config sets: the scheme has no other way in.
	bareToken bool
	// bodySecrets is the provider's BodySecrets.
	bodySecrets func(body []byte) []string
	// Wrap, when set, wraps the transport below the retries (Livestorm's
	// pacing), so that every attempt is paced.
	Wrap func(http.RoundTripper) http.RoundTripper
	// OptionErr is an Option's refusal of its argument, which New returns.
	OptionErr error
	// DecodeError turns a non-2xx answer into the provider's typed error,
	// which embeds base. body is the answer's, clean of secrets.
	DecodeError func(base onair.APIError, body []byte) error
	// RateLimits, when set, reads the rate-limit windows an answer's
	// header reports, for onair.Response.
	RateLimits func(http.Header) []onair.RateLimit
	Retry      Retry
	// Granted is the scope string to assume for tokens whose "scope" field
	// is missing (tokens restored from storage).
	Granted string
	// MaxPages bounds the pages one loop over a listing reads; see Paging.
	MaxPages int
	// SubscriptionURL is the WebSocket endpoint of a provider whose spec
	// has x-onair-websocket: the spec's, or the one WithSubscriptionURL
	// sets. The provider package's subscription client reads it; New
	// does not.
	SubscriptionURL string
	// SubscriptionKeepAlive is how often that endpoint sends keep-alives.
	SubscriptionKeepAlive time.Duration
	// Hooks wrap each operation and each attempt (onair.Hooks); the
	// provider's subscriptions run its Event hook.
	Hooks onair.Hooks
}

// Client sends requests for one provider. S is the provider's scope type.
type Client[S scopes.Scope] struct {
	cfg  Config
	auth *auth.Transport
	http *http.Client
	// The parsed servers requests go to: base, from BaseURL, else the
	// spec's, by their text. Never written after New.
	base    *url.URL
	servers map[string]*url.URL
	granted atomic.Pointer[grant[S]]
	// hooked reports Hooks with an Operation or Attempt hook, for which
	// New added the transports of hooks.go and calls run through observe.
	hooked bool
	// The User-Agent value of every request, built once and shared:
	// Header.Set and Add replace or grow a value, never write into it.
	userAgent []string
}

// grant caches the parsed scopes of the last token seen.
type grant[S scopes.Scope] struct {
	tok    *oauth2.Token
	scopes []S
	known  bool
}

// New checks cfg and builds the client.
func New[S scopes.Scope](cfg Config) (*Client[S], error) {
	if cfg.OptionErr != nil {
		return nil, fmt.Errorf("%s: NewClient: %w", cfg.Provider, cfg.OptionErr)
	}
	if cfg.Source == nil {
		return nil, fmt.Errorf("%s: NewClient: the token source is nil: pass one from auth.Config.TokenSource", cfg.Provider)
	}
	hosts := make([]string, 0, len(cfg.Servers))
	servers := map[string]*url.URL{}
	var base *url.URL
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err == nil && (u.User != nil || u.RawQuery != "" || u.Fragment != "") {
			// Not quoted: user info or a query may hold a secret.
			return nil, fmt.Errorf("%s: WithBaseURL: the URL has user info, a query or a fragment; pass the API's base URL alone", cfg.Provider)
		}
		if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
			return nil, fmt.Errorf("%s: WithBaseURL(%q): not an absolute http(s) URL", cfg.Provider, cfg.BaseURL)
		}
		if !strings.HasSuffix(cfg.BaseURL, "/") {
			cfg.BaseURL += "/" // see Server
			u.Path += "/"
			if u.RawPath != "" {
				u.RawPath += "/"
			}
		}
		base = u
		hosts = append(hosts, u.Host)
	} else {
		for _, s := range cfg.Servers {
			u, err := url.Parse(s)
			if err != nil {
				return nil, fmt.Errorf("%s: the spec's server %q: %w", cfg.Provider, s, err)
			}
			if !strings.HasSuffix(u.Path, "/") {
				u.Path += "/"
			}
			servers[s] = u
			hosts = append(hosts, u.Host)
		}
	}
	hc := &http.Client{}
	if cfg.HTTPClient != nil {
		*hc = *cfg.HTTPClient
	}
	hooked := cfg.Hooks.Operation != nil || cfg.Hooks.Attempt != nil
	under := hc.Transport
	if hooked {
		if under == nil {
			under = http.DefaultTransport
		}
		under = &attempts{base: under, hook: cfg.Hooks.Attempt}
	}
	at := &auth.Transport{Source: cfg.Source, Base: under, BareToken: cfg.bareToken, Hosts: hosts}
	var rt http.RoundTripper = at
	if cfg.Wrap != nil {
		if hooked {
			rt = &paceExit{base: rt}
		}
		rt = cfg.Wrap(rt)
		if hooked {
			rt = &paceEntry{base: rt}
		}
	}
	r := cfg.Retry
	r.Base = rt
	hc.Transport = &r
	return &Client[S]{cfg: cfg, auth: at, http: hc, base: base, servers: servers, hooked: hooked,
		userAgent: []string{userAgent}}, nil
}

// Server returns the URL to send a request for spec, a server of the spec,
// to: BaseURL when set, else spec, each ending in a slash. It is for
// requests built outside Call (DLive's GraphQL endpoint).
func (c *Client[S]) Server(spec string) string {
	if c.cfg.BaseURL != "" {
		return c.cfg.BaseURL
	}
	if strings.HasSuffix(spec, "/") {
		return spec
	}
	return spec + "/"
}

// Op describes an operation.
type Op[S scopes.Scope] struct {
	Name   string // e.g. "Streams.Create"
	Needs  [][]S  // alternatives, each needing all its scopes; nil: none
	Accept string // the answer's media type when not application/json
	// The request, from the spec: Method, the server the operation is on
	// (ending in a slash), and Path, the path template relative to it
	// ("streams/{streamId}").
	Method, Server, Path string
}

// Do checks the granted scopes, sends req, and decodes a 2xx answer into
// out (a pointer to JSON-decodable value, *[]byte for the raw body, or nil
// to discard it). Any other answer becomes the provider's typed error.
// It is for requests built elsewhere (DLive's GraphQL); Call builds an
// operation's request from its template.
func (c *Client[S]) Do(ctx context.Context, op *Op[S], req *http.Request, out any, opts []onair.CallOption) error {
	_, err := c.DoStatus(ctx, op, req, out, opts)
	return err
}

// Answer is a 2xx answer as DoStatus saw it, for a caller that finds an
// error inside one (DLive's GraphQL errors).
type Answer struct {
	StatusCode int
	header     http.Header      // as received: Response cleans it
	sent       [2]*http.Request // as built, and as last sent
}

// Response returns a's metadata, its header clean of secrets. It costs
// the cleaning, which DoStatus leaves to the callers that need it.
func (c *Client[S]) Response(ctx context.Context, a Answer) onair.Response {
	return c.response(a.StatusCode, cleanHeader(c.secrets(ctx, a.sent[:]...), a.header))
}

// DoStatus is Do that also returns the 2xx answer, in which a GraphQL
// error can still be.
func (c *Client[S]) DoStatus(ctx context.Context, op *Op[S], req *http.Request, out any, opts []onair.CallOption) (Answer, error) {
	call := settings(opts)
	ctx, cancel := callContext(ctx, call)
	defer cancel()
	if !c.hooked {
		return c.send(ctx, op, req, out, call)
	}
	return c.sendObserved(ctx, op, req, out, call)
}

// sendObserved is send through the hooks, apart from DoStatus so that a
// client without hooks does not pay for the Answer the closure moves to
// the heap.
func (c *Client[S]) sendObserved(ctx context.Context, op *Op[S], req *http.Request, out any, call *onair.Call) (Answer, error) {
	var a Answer
	err := c.observe(ctx, op, func(ctx context.Context) error {
		var err error
		a, err = c.send(ctx, op, req, out, call)
		return err
	})
	return a, err
}

// noCall is the settings of a call without options; never written.
var noCall onair.Call

// settings applies opts to a fresh Call; a call without options shares
// noCall, which saves an allocation on every such call.
func settings(opts []onair.CallOption) *onair.Call {
	if len(opts) == 0 {
		return &noCall
	}
	call := new(onair.Call)
	for _, o := range opts {
		if o != nil {
			o(call)
		}
	}
	return call
}

// callContext applies call's timeout and retry budget to ctx.
func callContext(ctx context.Context, call *onair.Call) (context.Context, context.CancelFunc) {
	cancel := context.CancelFunc(func() {})
	if call.Timeout > 0 {
		ctx, cancel = context.WithTimeout(ctx, call.Timeout)
	}
	if call.MaxRetries != nil {
		ctx = context.WithValue(ctx, retriesKey{}, max(0, *call.MaxRetries))
	}
	return ctx, cancel
}

func (c *Client[S]) send(ctx context.Context, op *Op[S], req *http.Request, out any, call *onair.Call) (Answer, error) {
	tok, err := c.preflight(ctx, op)
	if err != nil {
		closeBody(req)
		return Answer{}, err
	}
	// The request is ours: setting its token here spares the auth
	// transport a copy of it. The transport still checks, and replaces a
	// token that has changed since.
	c.auth.Authorize(req, tok)
	if req.Context() != ctx {
		req = req.WithContext(ctx)
	}
	for k, v := range call.Header {
		req.Header[k] = append(req.Header[k], v...)
	}
	if len(call.Query) > 0 {
		q := req.URL.Query()
		for k, v := range call.Query {
			q[k] = append(q[k], v...)
		}
		req.URL.RawQuery = q.Encode()
	}
	req.Header["User-Agent"] = c.userAgent
	// JSON, the APIs' default, goes without asking; an operation that
	// answers another media type (Livestorm's JSON:API) asks for it.
	if _, ok := req.Header["Accept"]; !ok && op.Accept != "" {
		req.Header.Set("Accept", op.Accept)
	}
	res, err := c.http.Do(req)
	if err != nil {
		return Answer{}, c.transportError(ctx, op, req, err, call)
	}
	defer res.Body.Close()
	return c.readAnswer(ctx, op, req, res, out, call)
}

// transportError is the error of a request that got no answer, or whose
// answer the auth transport turned into an *auth.InsufficientScopeError.
func (c *Client[S]) transportError(ctx context.Context, op *Op[S], req *http.Request, err error, call *onair.Call) error {
	var ise *auth.InsufficientScopeError
	if errors.As(err, &ise) {
		// The provider's own error, still matching scopes.ErrNotGranted.
		s := c.secrets(ctx, req)
		ise = cleanScopeError(s, ise)
		base := c.apiError(op, req, ise.StatusCode, ise.Header, ise.Body)
		c.record(call, base.StatusCode, base.Header)
		return fmt.Errorf("%s: %s: %w", c.cfg.Provider, op.Name,
			&refusal{api: c.cfg.DecodeError(base, ise.Body), scope: ise})
	}
	// A transport error can quote a malformed answer that echoed the
	// request's token.
	return fmt.Errorf("%s: %s: %w", c.cfg.Provider, op.Name, c.secrets(ctx, req).Err(withoutQuery(err)))
}

// withoutQuery returns err, the http.Client's *url.Error, quoting its URL
// without query or fragment, as an APIError shows its path: a query can
// carry a secret the caller added (a signature) or a redirect's Location
// chose, and the error reaches logs and spans.
func withoutQuery(err error) error {
	ue, ok := err.(*url.Error)
	if !ok {
		return err
	}
	u := ue.URL
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return &url.Error{Op: ue.Op, URL: u, Err: ue.Err}
}

func (c *Client[S]) readAnswer(ctx context.Context, op *Op[S], req *http.Request, res *http.Response, out any, call *onair.Call) (Answer, error) {
	body, err := readBody(res.Body)
	if err != nil {
		// A malformed chunk or trailer is quoted, and may echo the token.
		return Answer{}, fmt.Errorf("%s: %s: reading the answer: %w", c.cfg.Provider, op.Name, c.secrets(ctx, req, res.Request).Err(err))
	}
	if len(body) > maxBody {
		return Answer{}, fmt.Errorf("%s: %s: the answer is larger than %d MiB", c.cfg.Provider, op.Name, maxBody>>20)
	}
	if res.StatusCode/100 != 2 {
		s := c.secrets(ctx, req, res.Request)
		body = cleanBody(s, body)
		base := c.apiError(op, req, res.StatusCode, cleanHeader(s, res.Header), body)
		c.record(call, base.StatusCode, base.Header)
		return Answer{}, fmt.Errorf("%s: %s: %w", c.cfg.Provider, op.Name, c.cfg.DecodeError(base, body))
	}
	if call.Response != nil {
		c.record(call, res.StatusCode, cleanHeader(c.secrets(ctx, req, res.Request), res.Header))
	}
	switch out := out.(type) {
	case nil:
	case *[]byte:
		*out = body
	default:
		if err := json.Unmarshal(body, out); err != nil {
			// Decoding errors quote values (a time, a UUID) of the answer.
			return Answer{}, fmt.Errorf("%s: %s: decoding the answer (HTTP %d): %w", c.cfg.Provider, op.Name, res.StatusCode, c.secrets(ctx, req, res.Request).Err(err))
		}
	}
	return Answer{StatusCode: res.StatusCode, header: res.Header, sent: [2]*http.Request{req, res.Request}}, nil
}

// readBody reads an answer's body, at most maxBody+1 bytes.
func readBody(r io.Reader) ([]byte, error) {
	b := make([]byte, 0, 512)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil || len(b) > maxBody {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)] // grow as io.ReadAll does
		}
	}
}

// record fills in the caller's Response, if it asked for one.
func (c *Client[S]) record(call *onair.Call, status int, h http.Header) {
	if call.Response != nil {
		*call.Response = c.response(status, h)
	}
}

// response is the metadata of an answer whose header h is already clean.
func (c *Client[S]) response(status int, h http.Header) onair.Response {
	r := onair.Response{StatusCode: status, Header: h, RequestID: requestID(h)}
	if c.cfg.RateLimits != nil {
		r.RateLimits = c.cfg.RateLimits(h)
	}
	return r
}

// requestID is the request id an answer's header carries, made one line.
func requestID(h http.Header) string {
	return Line(h.Get("X-Request-Id"))
}

// apiError is the part of a provider's error every provider shares. h and
// body are already clean of secrets.
func (c *Client[S]) apiError(op *Op[S], req *http.Request, status int, h http.Header, body []byte) onair.APIError {
	e := onair.APIError{
		StatusCode: status,
		Operation:  op.Name,
		Method:     req.Method,
		Path:       Line(req.URL.EscapedPath()),
		RequestID:  requestID(h),
		Header:     h,
		Body:       bodyExcerpt(body),
	}
	e.RetryAfter, _ = RetryAfter(h)
	return e
}

// preflight fails an operation whose scopes the token was not granted,
// before any network I/O. Tokens whose grant is unknown pass. It returns
// the token, which the request carries: so an answer that quotes it is
// cleaned of it even after a 401 has replaced it. A wait for a refresh
// ends with ctx.
func (c *Client[S]) preflight(ctx context.Context, op *Op[S]) (*oauth2.Token, error) {
	tok, err := c.token(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %s: %w", c.cfg.Provider, op.Name, err)
	}
	if len(op.Needs) == 0 {
		return tok, nil
	}
	g := c.granted.Load()
	if g == nil || g.tok != tok {
		g = &grant[S]{tok: tok}
		raw, ok := tok.Extra("scope").(string)
		if !ok && c.cfg.Granted != "" {
			raw, ok = c.cfg.Granted, true
		}
		if ok {
			g.scopes, _ = scopes.Parse[S](raw)
			g.known = true
		}
		c.granted.Store(g)
	}
	if !g.known {
		return tok, nil
	}
	var alts []string
	for _, alt := range op.Needs {
		missing := scopes.Missing(g.scopes, alt)
		if len(missing) == 0 {
			return tok, nil
		}
		alts = append(alts, joinScopes(missing))
	}
	return nil, fmt.Errorf("%s: %s needs scope %s, which the token was not granted (granted: %v): %w",
		c.cfg.Provider, op.Name, strings.Join(alts, " or "), g.scopes, scopes.ErrNotGranted)
}

// token asks the source for a token, waiting for a refresh no longer than
// ctx allows when the source can (auth's sources can).
func (c *Client[S]) token(ctx context.Context) (*oauth2.Token, error) {
	if tc, ok := c.cfg.Source.(interface {
		TokenContext(context.Context) (*oauth2.Token, error)
	}); ok {
		return tc.TokenContext(ctx)
	}
	return c.cfg.Source.Token()
}

func joinScopes[S scopes.Scope](s []S) string {
	parts := make([]string, len(s))
	for i, x := range s {
		parts[i] = string(x)
	}
	return strings.Join(parts, " and ")
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// ErrBadArgument reports an argument a facade could not use, such as an id
// that is not a UUID.
var ErrBadArgument = errors.New("bad argument")

// PathArg checks a path parameter: "", "." and ".." would make the request
// URL name another resource.
func PathArg(name, value string) error {
	switch value {
	case "", ".", "..":
		return fmt.Errorf("%w: %s %q is not an id", ErrBadArgument, name, value)
	}
	return nil
}

// refusal is a provider's answer that a token lacks a scope: its text is
// the provider's error, and it matches both that error and
// *auth.InsufficientScopeError (so scopes.ErrNotGranted).
type refusal struct{ api, scope error }

func (r *refusal) Error() string   { return r.api.Error() }
func (r *refusal) Unwrap() []error { return []error{r.api, r.scope} }
