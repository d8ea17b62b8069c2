package authserver

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
)

// Access is what a live access token grants.
type Access struct {
	ClientID string
	Scope    []string
	User     string // "" for an application token
	Token    string // the access token itself
}

// The reasons Lookup refuses a request.
var (
	ErrNoToken      = errors.New("the request carries no access token")
	ErrInvalidToken = errors.New("the access token is unknown, expired or revoked")
)

// Lookup reads the access token of r in the dialect's header form and
// returns what it grants.
func (s *Server) Lookup(r *http.Request) (Access, error) {
	raw := r.Header.Get("Authorization")
	if raw == "" {
		return Access{}, ErrNoToken
	}
	var tok string
	if s.d.BareToken {
		// A bare-token API takes the token alone; a scheme makes it a different,
		// unknown token.
		tok = raw
	} else if scheme, t, ok := strings.Cut(raw, " "); ok && strings.EqualFold(scheme, "Bearer") {
		tok = t
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.access[tok]
	if !ok || !s.now().Before(g.expires) {
		return Access{}, ErrInvalidToken
	}
	a := Access{ClientID: g.clientID, Scope: slices.Clone(g.scope), Token: tok}
	if g.family != nil {
		a.User = g.family.user
	}
	return a, nil
}

type grantKey struct{}

// Protect wraps an API handler: the request must carry a live access token
// in the dialect's header form and, when need is not empty, one of the
// scopes in need. Otherwise it answers as RFC 6750 §3 says: 401 with
// error="invalid_token", or 403 with error="insufficient_scope".
func (s *Server) Protect(h http.Handler, need ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a, err := s.Lookup(r)
		switch {
		case errors.Is(err, ErrNoToken):
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+s.d.Name+`"`)
			http.Error(w, "missing token", http.StatusUnauthorized)
			return
		case err != nil:
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+s.d.Name+`", error="invalid_token", error_description="the access token is unknown, expired or revoked"`)
			http.Error(w, "invalid token", http.StatusUnauthorized)
			return
		}
		if len(need) > 0 && !slices.ContainsFunc(need, func(n string) bool { return slices.Contains(a.Scope, n) }) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+s.d.Name+`", error="insufficient_scope", scope="`+strings.Join(need, " ")+`"`)
			http.Error(w, "insufficient scope", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), grantKey{}, a.Scope)))
	})
}

// GrantedScope returns the scopes of the token that Protect accepted.
func GrantedScope(ctx context.Context) []string {
	s, _ := ctx.Value(grantKey{}).([]string)
	return s
}
