package authserver

import (
	"maps"
	"net/http"
)

// Revocation is the RFC 7009 revocation endpoint, which Mount serves where
// the provider's Endpoint has a RevokeURL: a form POST with token and
// token_type_hint, the client authenticated as at the token endpoint.
// Revoking a refresh token revokes every token of its authorization, so
// that both a refresh (invalid_grant) and an API call (401) then fail;
// revoking an access token revokes it alone. A token the server does not
// know is answered 200, as RFC 7009 §2.2 says.
func (s *Server) Revocation(w http.ResponseWriter, r *http.Request) {
	if err := s.revocation(r); err != nil {
		s.fail(w, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// revocation checks a revocation request and revokes its token.
func (s *Server) revocation(r *http.Request) *oauthError {
	params, err := s.params(r, http.MethodPost, "revocation")
	if err != nil {
		return err
	}
	c, err := s.authenticate(r, params)
	if err != nil {
		return err
	}
	token := params.Get("token")
	if token == "" {
		return invalidRequest("token is missing")
	}
	if !s.revoke(c.ID, token) {
		return &oauthError{code: "unauthorized_client", desc: "the token was issued to another client"}
	}
	return nil
}

// revoke revokes token for client clientID; it reports false when the
// token belongs to another client.
func (s *Server) revoke(clientID, token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, isRefresh := s.refresh[token]
	if !isRefresh {
		g = s.access[token] // nil for a token the server does not know
	}
	if g != nil && g.clientID != clientID {
		return false
	}
	if isRefresh {
		sameAuthorization := func(_ string, o *grant) bool { return o.family == g.family }
		maps.DeleteFunc(s.refresh, sameAuthorization)
		maps.DeleteFunc(s.access, sameAuthorization)
	}
	delete(s.access, token)
	s.stats.Revocations++
	return true
}
