package authserver

import (
	"context"
	"net/http"
	"slices"
	"strings"
)

type grantKey struct{}

// Protect wraps an API handler: the request must carry a live access token
// in the dialect's header form and, when need is not empty, one of the
// scopes in need. Otherwise it answers as RFC 6750 §3 says: 401 with
// error="invalid_token", or 403 with error="insufficient_scope".
func (s *Server) Protect(h http.Handler, need ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw := r.Header.Get("Authorization")
		var tok string
		if s.d.BareToken {
			// DLive takes the token alone; a scheme makes it a different,
			// unknown token.
			tok = raw
		} else if scheme, t, ok := strings.Cut(raw, " "); ok && strings.EqualFold(scheme, "Bearer") {
			tok = t
		}
		if raw == "" {
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+s.d.Name+`"`)
			http.Error(w, "missing token", http.StatusUnauthorized)
			return
		}
		s.mu.Lock()
		g, ok := s.access[tok]
		live := ok && s.now().Before(g.expires)
		var scope []string
		if ok {
			scope = slices.Clone(g.scope)
		}
		s.mu.Unlock()
		if !live {
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+s.d.Name+`", error="invalid_token", error_description="the access token is unknown, expired or revoked"`)
			http.Error(w, "invalid token", http.StatusUnauthorized)
			return
		}
		if len(need) > 0 && !slices.ContainsFunc(need, func(n string) bool { return slices.Contains(scope, n) }) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="`+s.d.Name+`", error="insufficient_scope", scope="`+strings.Join(need, " ")+`"`)
			http.Error(w, "insufficient scope", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), grantKey{}, scope)))
	})
}

// GrantedScope returns the scopes of the token that Protect accepted.
func GrantedScope(ctx context.Context) []string {
	s, _ := ctx.Value(grantKey{}).([]string)
	return s
}
