package sandbox

import (
	"context"
	"io"
	"net/http"

	"github.com/onair-go/onair/internal/authserver"
)

// Paths outside the spec: a provider's endpoints that its OpenAPI document
// cannot describe, such as DLive's subscription WebSocket (Provider.Extra).

// mountExtra serves each of the provider's extra handlers at its pattern,
// with what Authenticate needs in its requests' context and no other check.
func (s *Server) mountExtra(mux *http.ServeMux) {
	l := &lent{ops: &s.ops, auth: s.Auth, authenticate: s.authenticate}
	for pattern, h := range s.p.Extra {
		mux.Handle(pattern, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), lentKey{}, l)))
		}))
	}
}

// closeExtra closes the extra handlers that are io.Closers, such as one
// that keeps connections the HTTP server no longer tracks.
func (s *Server) closeExtra() {
	for _, h := range s.p.Extra {
		if c, ok := h.(io.Closer); ok {
			c.Close()
		}
	}
}

// Extra returns the provider's extra handler at pattern, nil when there is
// none: the provider's own sandbox package reaches its state through it.
func (s *Server) Extra(pattern string) http.Handler { return s.p.Extra[pattern] }

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
// scheme), for a handler of Provider.Extra that receives its token
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
