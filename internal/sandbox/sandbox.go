package sandbox

import (
	"cmp"
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/authserver"
)

// Provider describes one fake: what it speaks and what it serves.
type Provider struct {
	Dialect  authserver.Dialect
	Endpoint auth.Endpoint // the real one; the fake serves its paths
	User     string        // the id of the user who approves authorizations

	// Spec is the provider's OpenAPI document with the onair extensions;
	// every API request is checked against it, and every answer whose
	// status it declares (successes always).
	Spec *apispec.Spec
	// API serves the operations at the root path.
	API http.Handler
	// Error writes the provider's error body, for the answers the engine
	// writes itself (401, 403, 404, 400, 429 and injected faults).
	Error func(w http.ResponseWriter, status int, code, message string)
	// Covers reports whether the scopes granted cover need by the
	// provider's rules (a write scope covering its read scope, say), for
	// Grant.Allows. An undocumented value must cover nothing. Required.
	Covers func(granted []string, need string) bool
	// Limit is the provider's rate limit per access token; nil for none.
	Limit *Limit
	// Operation names a matched operation for faults and counts; nil uses
	// the spec's "Service.Method". A handler that dispatches operations
	// itself (DLive's GraphQL) takes their faults with TakeFault.
	Operation func(o *apispec.Operation) string
	// State is the provider's own fake, which Server.State returns for
	// the methods its sandbox package adds; the engine does not look.
	State any
	// Close, if set, runs when the server closes, after the requests in
	// flight: it stops and waits for what the fake runs in the background.
	Close func()
	// Paths serves paths the spec cannot describe, by ServeMux pattern,
	// without the engine's checks (DLive's subscription WebSocket, which
	// takes its token in a message: see Authenticate).
	Paths map[string]http.Handler
}

// Config is what the options of a fake set.
type Config struct {
	Addr        string        // listen address; "" picks a free loopback port
	AutoApprove bool          // approve authorizations without the consent page
	NoRateLimit bool          // turn the provider's rate limit off
	Quota       int           // requests a token may make in all (the period's quota); 0: none
	Lifetime    time.Duration // access-token lifetime; 0 keeps the provider's
	// RefreshLifetime is the refresh-token lifetime; 0 keeps the
	// provider's. A test sets it with a func(*Config) as its option.
	RefreshLifetime time.Duration
	RedirectURLs    []string // redirect URLs registered besides DefaultRedirectURL
	AppName         string   // the client's name on the consent page
	// Extra holds what a provider's own options set (Streamdiver's
	// tenant); the engine does not look.
	Extra any
}

// DefaultRedirectURL is registered for every fake's client.
const DefaultRedirectURL = "http://127.0.0.1/callback"

// Server is a running (or, before Start, unstarted) fake.
type Server struct {
	// URL is the base URL of the API and of the OAuth endpoints, such as
	// http://127.0.0.1:34567, without a trailing slash.
	URL string
	// Endpoint is the provider's auth.Endpoint pointed at the fake.
	Endpoint auth.Endpoint
	// ClientID and ClientSecret are a registered client's credentials.
	ClientID, ClientSecret string
	// RedirectURL is the first registered redirect URL.
	RedirectURL string

	// Auth is the authorization server.
	Auth *authserver.Server

	p    Provider
	http *httptest.Server
	ops  ops
}

// New returns an unstarted fake; call Start or StartTLS.
func New(p Provider, c Config) (*Server, error) {
	if p.Spec == nil { // Operation names operations; the spec still routes them
		return nil, errors.New("sandbox: the provider has no spec: set Provider.Spec")
	}
	if p.Covers == nil {
		return nil, errors.New("sandbox: the provider has no scope rules: set Provider.Covers")
	}
	redirects := append([]string{DefaultRedirectURL}, c.RedirectURLs...)
	for _, r := range c.RedirectURLs {
		if u, err := url.Parse(r); err != nil || !u.IsAbs() || u.Fragment != "" {
			return nil, fmt.Errorf("sandbox: redirect URL %q must be absolute and have no fragment", r)
		}
	}
	client := authserver.Client{
		ID:           p.Dialect.Name + "-sandbox-" + strings.ToLower(rand.Text()[:8]),
		Secret:       rand.Text(),
		Name:         cmp.Or(c.AppName, "onair sandbox app"),
		RedirectURIs: redirects,
	}
	as := authserver.New(p.Dialect, client)
	as.SetAutoApprove(c.AutoApprove)
	as.SetUser(p.User)
	if c.Lifetime != 0 {
		as.SetLifetime(c.Lifetime)
	}
	if c.RefreshLifetime != 0 {
		as.SetRefreshLifetime(c.RefreshLifetime)
	}
	s := &Server{
		ClientID:     client.ID,
		ClientSecret: client.Secret,
		RedirectURL:  redirects[0],
		Auth:         as,
		p:            p,
		ops:          ops{calls: map[string]int{}, faults: map[string][]int{}},
	}
	api, err := s.engine(c)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	as.Mount(mux, p.Endpoint)
	s.mountPaths(mux)
	// No provider documents a request id; the sandbox sends one so that a
	// failed call can be told apart in a test's log.
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", requestID())
		api.ServeHTTP(w, r)
	})
	s.http = httptest.NewUnstartedServer(mux)
	if c.Addr != "" {
		l, err := net.Listen("tcp", c.Addr)
		if err != nil {
			return nil, fmt.Errorf("sandbox: listening on %s: %w", c.Addr, err)
		}
		s.http.Listener.Close()
		s.http.Listener = l
	}
	return s, nil
}

// engine is the chain the fake's API requests go down: faults, token,
// scopes, rate limit, then the spec's checks around the provider's
// handler.
func (s *Server) engine(c Config) (*engine, error) {
	p := s.p
	checks := []step{s.ops.checkFault, s.checkToken, s.checkScopes}
	switch {
	case p.Limit != nil && !c.NoRateLimit:
		checks = append(checks, newLimiter(*p.Limit, c.Quota).check)
	case p.Limit != nil && c.Quota > 0:
		checks = append(checks, newLimiter(Limit{Headers: p.Limit.Headers}, c.Quota).check)
	}
	return newEngine(p.Spec, &engine{
		api:             p.Dialect.Name,
		validateRequest: kinRequests(nil), // checkToken is the dialect's
		name:            s.opName,
		record: func(x *exchange) {
			if x.name != "" {
				s.ops.count(x.name)
			}
		},
		refuse: func(x *exchange, status int, code, message string) {
			p.Error(x.w, status, code, message)
		},
	}, lend(p.API), checks...)
}

// requestID is an id for one answer, unique enough to tell calls apart
// in a log; it guards nothing, so a fast generator does.
func requestID() string {
	var b [24]byte
	return string(strconv.AppendUint(append(b[:0], "req_"...), mrand.Uint64(), 36))
}

// opName is what op is counted and faulted under.
func (s *Server) opName(o *apispec.Operation) string {
	if s.p.Operation != nil {
		return s.p.Operation(o)
	}
	return o.Service + "." + o.FacadeMethod
}

// known reports whether op names an operation faults can be injected in.
func (s *Server) known(op string) bool {
	// With Operation, the handler dispatches: it knows its own names.
	return s.p.Operation != nil || slices.ContainsFunc(s.p.Spec.Ops, func(o apispec.Operation) bool { return s.opName(&o) == op })
}

// Start starts the fake on plain HTTP.
func (s *Server) Start() {
	s.http.Start()
	s.started()
}

// StartTLS starts the fake on HTTPS with a self-signed certificate that
// Client trusts.
func (s *Server) StartTLS() {
	s.http.StartTLS()
	s.started()
}

func (s *Server) started() {
	s.URL = s.http.URL
	s.Endpoint = authserver.Rebase(s.p.Endpoint, s.URL)
}

// Close shuts the fake down, waiting for requests in flight, then for
// what the provider runs in the background (Provider.Close).
func (s *Server) Close() {
	s.http.Close()
	if s.p.Close != nil {
		s.p.Close()
	}
}

// State returns Provider.State.
func (s *Server) State() any { return s.p.State }

// Client returns an HTTP client for the fake: it trusts the fake's
// certificate after StartTLS. Pass it in the context of token requests
// (oauth2.HTTPClient) and to the API client.
func (s *Server) Client() *http.Client { return s.http.Client() }

// Context returns ctx carrying Client for golang.org/x/oauth2's token
// requests.
func (s *Server) Context(ctx context.Context) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, s.Client())
}

// IssueToken returns a live access token with the given scopes, skipping
// the authorization flow: the seeded user's, or an application token where
// the provider has client credentials only.
func (s *Server) IssueToken(scope ...string) *oauth2.Token {
	life := s.Auth.Lifetime()
	if life <= 0 {
		life = time.Hour
	}
	user := s.p.User
	if !s.p.Dialect.AuthorizationCode {
		user = ""
	}
	return &oauth2.Token{
		AccessToken: s.Auth.IssueFor(user, s.ClientID, scope, life),
		TokenType:   "Bearer",
		Expiry:      time.Now().Add(life),
	}
}

// RevokeToken makes an access or refresh token invalid at once.
func (s *Server) RevokeToken(token string) { s.Auth.Revoke(token) }

// FailToken makes the token endpoint fail its next requests, one fault
// each.
func (s *Server) FailToken(f ...TokenFault) {
	for _, tf := range f {
		s.Auth.Fail(tf.f)
	}
}

// FailOperation makes the next n calls of op answer status with the
// provider's error body, before any other check.
func (s *Server) FailOperation(op string, status, n int) error {
	if !s.known(op) {
		return fmt.Errorf("sandbox: %s has no operation %q", s.p.Dialect.Name, op)
	}
	if status < 400 || status > 599 {
		return fmt.Errorf("sandbox: status %d is not an error status (400-599)", status)
	}
	s.ops.fail(op, status, n)
	return nil
}

// Calls returns how many requests each operation received.
func (s *Server) Calls() map[string]int { return s.ops.counts() }

// A TokenFault is how the token endpoint answers one request instead of
// the right answer.
type TokenFault struct{ f authserver.Fault }

// InvalidGrant answers 400 invalid_grant, as for a revoked refresh token.
func InvalidGrant() TokenFault {
	return TokenFault{authserver.Fault{Status: http.StatusBadRequest, Code: "invalid_grant"}}
}

// ServerError answers 500 with a plain-text body.
func ServerError() TokenFault {
	return TokenFault{authserver.Fault{Status: http.StatusInternalServerError, Body: "internal server error"}}
}

// SlowToken answers correctly after d.
func SlowToken(d time.Duration) TokenFault { return TokenFault{authserver.Fault{Delay: d}} }

// MalformedToken answers 200 with a body that is not a token.
func MalformedToken() TokenFault {
	return TokenFault{authserver.Fault{Status: http.StatusOK, Body: `{"access_token":`, ContentType: "application/json"}}
}

// LoadSpec checks a provider's embedded OpenAPI document and makes the
// fake's one base URL serve every path. Call it once per process: the
// answer is read-only and can be shared by every fake of the provider.
func LoadSpec(name string, load func() (*openapi3.T, error)) (*apispec.Spec, error) {
	doc, err := load()
	if err != nil {
		return nil, fmt.Errorf("sandbox: loading the %s spec: %w", name, err)
	}
	doc.Servers = nil
	for _, item := range doc.Paths.Map() {
		item.Servers = nil
		for _, op := range item.Operations() {
			op.Servers = nil
		}
	}
	return apispec.Check(context.Background(), name, doc)
}
