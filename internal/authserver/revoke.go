package authserver

import "net/http"

// Revocation is the RFC 7009 revocation endpoint, which Mount serves where
// the provider's Endpoint has a RevokeURL: a form POST with token and
// token_type_hint, the client authenticated as at the token endpoint.
// Revoking a refresh token revokes every token of its authorization, so
// that both a refresh (invalid_grant) and an API call (401) then fail;
// revoking an access token revokes it alone. A token the server does not
// know is answered 200, as RFC 7009 §2.2 says.
func (s *Server) Revocation(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		s.fail(w, http.StatusMethodNotAllowed, "invalid_request", "the revocation endpoint accepts POST only")
		return
	}
	if !s.parseForm(w, r) {
		return
	}
	if name := repeated(r.PostForm); name != "" {
		s.fail(w, http.StatusBadRequest, "invalid_request", name+" must be sent once")
		return
	}
	c, ok := s.authenticate(w, r, r.PostForm)
	if !ok {
		return
	}
	token := r.PostForm.Get("token")
	if token == "" {
		s.fail(w, http.StatusBadRequest, "invalid_request", "token is missing")
		return
	}
	if !s.revoke(c.ID, token) {
		s.fail(w, http.StatusBadRequest, "unauthorized_client", "the token was issued to another client")
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
}

// revoke revokes token for client clientID; it reports false when the
// token belongs to another client.
func (s *Server) revoke(clientID, token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if g, ok := s.refresh[token]; ok {
		if g.clientID != clientID {
			return false
		}
		for t, o := range s.refresh {
			if o.family == g.family {
				delete(s.refresh, t)
			}
		}
		for t, a := range s.access {
			if a.family == g.family {
				delete(s.access, t)
			}
		}
	} else if g, ok := s.access[token]; ok {
		if g.clientID != clientID {
			return false
		}
		delete(s.access, token)
	}
	s.stats.Revocations++
	return true
}
