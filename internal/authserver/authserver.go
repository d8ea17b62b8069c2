// Package authserver is a strict, in-memory OAuth 2.0 authorization server
// that speaks the dialect of each onair provider. Tests run onair's auth
// package against it; the provider sandboxes build on it.
//
// It names no provider: each provider's Dialect lives beside its sandbox
// (<provider>/<provider>test/dialect.go), derived with Derive from the
// provider's auth.Endpoint and scopes, so that a rule is stated once.
//
// It is strict on purpose: a fake that accepts what the real server rejects
// hides bugs. Codes are single use and expire, redirect URIs must match
// exactly (but for a loopback IP's port, RFC 8252 §7.3), each dialect's
// method, client authentication and PKCE rules are enforced, and errors
// are RFC 6749 §5.2 JSON.
package authserver

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Dialect is what distinguishes one provider's authorization server.
type Dialect struct {
	Name string
	// Scopes are the documented scopes; others are invalid_scope.
	Scopes         []string
	ScopeDelimiter string // "," or " "
	RequireScope   bool   // authorization requests need at least one scope
	// CheckScopes applies the provider's combination rules to a request's
	// scopes (a scope that must stand alone, say); nil accepts any set.
	CheckScopes func([]string) error
	// DefaultScope is granted to a client-credentials request with no
	// scope (Keycloak's default client scopes).
	DefaultScope []string
	// Describe returns a scope's description for the consent page.
	Describe func(scope string) string

	TokenMethod string           // http.MethodGet or http.MethodPost
	ClientAuth  oauth2.AuthStyle // InParams: body/query; InHeader: HTTP Basic only

	AuthorizationCode bool
	ClientCredentials bool
	RequirePKCE       bool // authorization requests must carry an S256 challenge
	RefreshTokens     bool // code answers carry a refresh token
	RotateRefresh     bool // refresh tokens are single use and rotate
	Narrowing         bool // refresh may narrow the scope to a granted subset

	TokenType  string        // token_type written in answers
	Lifetime   time.Duration // access-token lifetime
	CreatedAt  bool          // answers carry created_at (Doorkeeper)
	ZeroExpiry bool          // code answers carry a zero "expiry" and neither expires_in nor scope
	Keycloak   bool          // answers carry refresh_expires_in and not-before-policy
	OmitScope  bool          // answers carry no scope

	// RefreshLifetime is the refresh-token lifetime; 0 for none. Keycloak
	// answers state it in refresh_expires_in; others do not.
	RefreshLifetime time.Duration

	BareToken bool // the API wants the token with no scheme; "Bearer x" is invalid
}

// Client is a registered application.
type Client struct {
	ID, Secret   string
	Name         string // shown on the consent page
	RedirectURIs []string
}

// Server is an authorization server for one dialect. Its handlers are
// Authorize, Token and Protect; mount them where the provider has them.
type Server struct {
	d   Dialect
	now func() time.Time

	clients map[string]Client // registered by New, read only

	mu          sync.Mutex
	codes       map[string]*code
	access      map[string]*grant
	refresh     map[string]*grant
	stats       Stats
	faults      []Fault
	pending     pendingSet // consent pages shown and not yet answered
	autoApprove bool
	delay       time.Duration
	tokenLogs   []TokenRequest
	user        string // who approves authorizations
}

type code struct {
	clientID, redirectURI, challenge string
	user                             string
	scope                            []string
	expires                          time.Time
}

type grant struct {
	clientID string
	scope    []string
	expires  time.Time // zero: a refresh token that never expires
	family   *family   // refresh tokens only
}

// family links the tokens of one authorization, so that narrowing applies
// to all of them and a reused refresh token can be detected.
type family struct {
	scope []string
	user  string
}

// Stats counts what the server did.
type Stats struct {
	Exchanges, Refreshes, ClientCredentials int
	Revocations                             int
	Errors                                  map[string]int // by error code
}

// TokenRequest is what a client sent to the token endpoint.
type TokenRequest struct {
	Method      string
	Query, Form url.Values
	BasicUser   string
	BasicPass   string
	HasBasic    bool
	ContentType string
}

// Fault makes the next token request fail: with an RFC 6749 error (Code),
// with Status and a raw Body, or after Delay.
type Fault struct {
	Status      int
	Code        string
	Body        string
	ContentType string // of Body; text/html by default
	Delay       time.Duration
}

// New returns a server for d with the given clients registered.
func New(d Dialect, clients ...Client) *Server {
	s := &Server{
		d:       d,
		now:     time.Now,
		clients: map[string]Client{},
		codes:   map[string]*code{},
		access:  map[string]*grant{},
		refresh: map[string]*grant{},
		stats:   Stats{Errors: map[string]int{}},
	}
	for _, c := range clients {
		s.clients[c.ID] = c
	}
	return s
}

// locked runs f holding s.mu: for the setters, which change one field.
func (s *Server) locked(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
}

// SetLifetime changes the lifetime of tokens issued from now on.
func (s *Server) SetLifetime(d time.Duration) { s.locked(func() { s.d.Lifetime = d }) }

// SetRefreshLifetime changes the lifetime of refresh tokens issued from
// now on; 0 means they never expire. A refresh with an expired refresh
// token answers invalid_grant.
func (s *Server) SetRefreshLifetime(d time.Duration) { s.locked(func() { s.d.RefreshLifetime = d }) }

// SetDelay delays every token answer by d.
func (s *Server) SetDelay(d time.Duration) { s.locked(func() { s.delay = d }) }

// Fail queues faults for the next token requests, one each.
func (s *Server) Fail(f ...Fault) { s.locked(func() { s.faults = append(s.faults, f...) }) }

// Stats returns a copy of the counters.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.Errors = maps.Clone(s.stats.Errors)
	return st
}

// TokenRequests returns the token requests received so far.
func (s *Server) TokenRequests() []TokenRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.tokenLogs)
}

// Revoke makes an access or refresh token invalid at once.
func (s *Server) Revoke(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.access, token)
	delete(s.refresh, token)
}

// Lifetime returns the lifetime of access tokens issued now.
func (s *Server) Lifetime() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.d.Lifetime
}

// Issue creates an application access token directly (no user), for
// tests of the API side.
func (s *Server) Issue(clientID string, scope []string, lifetime time.Duration) string {
	return s.IssueFor("", clientID, scope, lifetime)
}

// IssueFor creates an access token for user ("" for none) directly.
func (s *Server) IssueFor(user, clientID string, scope []string, lifetime time.Duration) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	t := newSecret()
	s.access[t] = &grant{clientID: clientID, scope: slices.Clone(scope), expires: s.now().Add(lifetime), family: &family{scope: slices.Clone(scope), user: user}}
	return t
}

// SetUser names the user who approves authorizations from now on; their
// tokens carry it (see Access.User).
func (s *Server) SetUser(id string) { s.locked(func() { s.user = id }) }

// Authorize is the authorization endpoint. A valid request gets the
// consent page (or, with SetAutoApprove, an approval at once); the page's
// answer comes back as a POST, which redirects with a code and the state,
// or with error=access_denied.
func (s *Server) Authorize(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		s.decide(w, r)
		return
	}
	q := r.URL.Query()
	if len(q["client_id"]) > 1 || len(q["redirect_uri"]) > 1 {
		// Which one would be checked, and where to send the error, is
		// unclear: never redirect (RFC 6749 §4.1.2.1).
		http.Error(w, "client_id and redirect_uri must each be sent once", http.StatusBadRequest)
		return
	}
	c, ok := s.clients[q.Get("client_id")]
	if !ok {
		http.Error(w, "unknown client_id", http.StatusBadRequest)
		return
	}
	redirect := q.Get("redirect_uri")
	if !redirectAllowed(c.RedirectURIs, redirect) {
		// Never redirect to an unregistered URI (RFC 6749 §4.1.2.1).
		http.Error(w, "redirect_uri does not match a registered one", http.StatusBadRequest)
		return
	}
	scope, badScope := s.parseScope(q.Get("scope"))
	var badCombination error
	if s.d.CheckScopes != nil {
		badCombination = s.d.CheckScopes(scope)
	}
	challenge := q.Get("code_challenge")
	for _, refusal := range []struct {
		refused    bool
		code, desc string
	}{
		{repeated(q) != "", "invalid_request", repeated(q) + " must be sent once"},
		{!s.d.AuthorizationCode, "unsupported_response_type", "this server offers client credentials only"},
		{q.Get("response_type") != "code", "unsupported_response_type", "response_type must be code"},
		{badScope != "", "invalid_scope", badScope},
		{len(scope) == 0 && s.d.RequireScope, "invalid_scope", "at least one scope is required"},
		{badCombination != nil, "invalid_scope", fmt.Sprint(badCombination)},
		{challenge != "" && q.Get("code_challenge_method") != "S256", "invalid_request", "code_challenge_method must be S256"},
		{challenge == "" && s.d.RequirePKCE, "invalid_request", "code_challenge is required"},
	} {
		if refusal.refused {
			redirectBack(w, r, redirect, q.Get("state"), url.Values{"error": {refusal.code}, "error_description": {refusal.desc}})
			return
		}
	}
	p := &pendingAuth{client: c, redirectURI: redirect, challenge: challenge, scope: scope, state: q.Get("state")}
	s.mu.Lock()
	auto := s.autoApprove
	s.mu.Unlock()
	if auto {
		s.approve(w, r, p)
		return
	}
	s.consent(w, p)
}

// approve issues a code for p and sends the browser back with it.
func (s *Server) approve(w http.ResponseWriter, r *http.Request, p *pendingAuth) {
	cd := newSecret()
	s.mu.Lock()
	s.codes[cd] = &code{clientID: p.client.ID, redirectURI: p.redirectURI, challenge: p.challenge, scope: p.scope, user: s.user, expires: s.now().Add(time.Minute)}
	s.mu.Unlock()
	redirectBack(w, r, p.redirectURI, p.state, url.Values{"code": {cd}})
}

// repeated returns the first name, in sorted order, that params holds
// more than once, or "": a parameter must not be sent twice (RFC 6749
// §3.1), and a server that read the first or the last would hide a
// client's bug.
func repeated(params url.Values) string {
	for _, name := range slices.Sorted(maps.Keys(params)) {
		if len(params[name]) > 1 {
			return name
		}
	}
	return ""
}

// redirectBack sends the browser back to the client's redirect URI with
// params and the state of the authorization request, if it had one.
func redirectBack(w http.ResponseWriter, r *http.Request, uri, state string, params url.Values) {
	if state != "" {
		params.Set("state", state)
	}
	http.Redirect(w, r, uri+sep(uri)+params.Encode(), http.StatusFound)
}

// SetAutoApprove makes the authorization endpoint approve every valid
// request at once, without the consent page: for tests.
func (s *Server) SetAutoApprove(on bool) { s.locked(func() { s.autoApprove = on }) }

// parseScope splits and checks a scope parameter; it returns a problem
// description for an unknown scope or a wrong delimiter.
func (s *Server) parseScope(raw string) ([]string, string) {
	if raw == "" {
		return nil, ""
	}
	other := " "
	if s.d.ScopeDelimiter == " " {
		other = ","
	}
	if strings.Contains(raw, other) {
		return nil, "scopes must be separated by " + quoteDelim(s.d.ScopeDelimiter)
	}
	var out []string
	for _, sc := range strings.Split(raw, s.d.ScopeDelimiter) {
		if !slices.Contains(s.d.Scopes, sc) {
			return nil, "unknown scope " + sc
		}
		out = append(out, sc)
	}
	return out, ""
}

func quoteDelim(d string) string {
	if d == " " {
		return "spaces"
	}
	return "commas"
}

func sep(u string) string {
	if strings.Contains(u, "?") {
		return "&"
	}
	return "?"
}

func newSecret() string { return rand.Text() }

func s256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
