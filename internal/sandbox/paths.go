package sandbox

import (
	"context"
	"net/http"

	"github.com/onair-go/onair/internal/authserver"
)

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
