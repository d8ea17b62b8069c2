package sandbox

import (
	"context"
	"net/http"
	"slices"

	"github.com/onair-go/onair/internal/authserver"
)

// Grant is what the access token of an API request grants.
type Grant struct {
	ClientID string
	Scope    []string
	// User is the user who approved the authorization; "" for an
	// application token (client credentials).
	User string
	// Covers is the provider's rule for whether the scopes granted cover
	// need (see Provider.Covers); nil matches scopes exactly, each covering
	// only itself, for grants a test makes by hand.
	Covers func(granted []string, need string) bool
}

// Grant returns what a token of the client, for user ("" for an
// application token), granted scope gives: what the engine hands the API
// and decides by (Grant.Allows with the operation's scopes), under the
// provider's scope rule.
func (p *Provider) Grant(clientID, user string, scope []string) Grant {
	return Grant{ClientID: clientID, Scope: scope, User: user, Covers: p.Covers}
}

// WithGrant returns ctx carrying g, as the engine hands it to the API.
func WithGrant(ctx context.Context, g Grant) context.Context {
	l := new(lent)
	if old := lentFrom(ctx); old != nil {
		*l = *old
	}
	l.grant = g
	return context.WithValue(ctx, lentKey{}, l)
}

// GrantFrom returns the grant of the request whose context is ctx.
func GrantFrom(ctx context.Context) (Grant, bool) {
	if l := lentFrom(ctx); l != nil {
		return l.grant, true
	}
	return Grant{}, false
}

// Allows reports whether the grant satisfies need, an OR of ANDs of scopes
// as the specs write it: some alternative has each of its scopes covered,
// by g.Covers, by the scopes granted. An empty need asks only for a token.
func (g Grant) Allows(need [][]string) bool {
	if len(need) == 0 {
		return true
	}
	covers := g.Covers
	if covers == nil {
		covers = exactly
	}
	uncovered := func(s string) bool { return !covers(g.Scope, s) }
	for _, all := range need {
		if !slices.ContainsFunc(all, uncovered) {
			return true
		}
	}
	return false
}

// exactly is the rule of a grant without its provider's: each scope
// covers itself only.
func exactly(granted []string, need string) bool { return slices.Contains(granted, need) }

// lent is what the engine lends an API handler for one request, in one
// context value.
type lent struct {
	grant Grant
	token string
	ops   *ops
	auth  *authserver.Server
	// authenticate looks a token up, for Authenticate.
	authenticate func(token string) (Grant, error)
}

type lentKey struct{}

func lentFrom(ctx context.Context) *lent {
	l, _ := ctx.Value(lentKey{}).(*lent)
	return l
}

// lend is the sandbox's responder: the provider's handler, with what the
// request lends it in its context.
func lend(h http.Handler) step {
	return func(x *exchange) bool {
		h.ServeHTTP(&x.answer, x.r.WithContext(context.WithValue(x.r.Context(), lentKey{}, x.lent)))
		return true
	}
}

// TakeFault counts a call of op (see Server.Calls) and reports and
// consumes a fault injected for it (see Server.FailOperation), for handlers
// that dispatch operations themselves, such as DLive's GraphQL endpoint.
// Call it once per operation.
func TakeFault(ctx context.Context, op string) (status int, ok bool) {
	l := lentFrom(ctx)
	if l == nil || l.ops == nil {
		return 0, false
	}
	l.ops.count(op)
	return l.ops.takeFault(op)
}

// RevokeRequestToken revokes the access token the request was made with,
// for a provider's own revocation operation.
func RevokeRequestToken(ctx context.Context) {
	if l := lentFrom(ctx); l != nil && l.auth != nil {
		l.auth.Revoke(l.token)
	}
}

// Paths outside the spec: a provider's endpoints that its OpenAPI document
// cannot describe, such as DLive's subscription WebSocket (Provider.Paths).

// mountPaths serves each of the provider's Paths handlers at its pattern,
// with what Authenticate needs in its requests' context and no other check.
func (s *Server) mountPaths(mux *http.ServeMux) {
	l := &lent{ops: &s.ops, auth: s.Auth, authenticate: s.authenticate}
	for pattern, h := range s.p.Paths {
		mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), lentKey{}, l)))
		}))
	}
}

// authenticate is checkToken's lookup for a token carried elsewhere than
// in a header.
func (s *Server) authenticate(token string) (Grant, error) {
	r := &http.Request{Header: http.Header{}}
	if token != "" {
		r.Header.Set("Authorization", token)
	}
	acc, err := s.Auth.Lookup(r)
	if err != nil {
		return Grant{}, err
	}
	return s.p.Grant(acc.ClientID, acc.User, acc.Scope), nil
}

// Authenticate looks token up as the API would find it in a request's
// Authorization header, by the dialect's rules (bare, or after its
// scheme), for a handler of Provider.Paths that receives its token
// elsewhere, such as in a WebSocket message. ctx is the handler's request
// context. The error is authserver.ErrNoToken or ErrInvalidToken, and never
// holds the token.
func Authenticate(ctx context.Context, token string) (Grant, error) {
	l := lentFrom(ctx)
	if l == nil || l.authenticate == nil {
		return Grant{}, authserver.ErrInvalidToken
	}
	return l.authenticate(token)
}
