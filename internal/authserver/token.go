package authserver

import (
	"cmp"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Token is the token endpoint.
func (s *Server) Token(w http.ResponseWriter, r *http.Request) {
	if s.injectFault(w, r) {
		return
	}
	if r.Method != s.d.TokenMethod {
		w.Header().Set("Allow", s.d.TokenMethod)
		s.fail(w, http.StatusMethodNotAllowed, "invalid_request", "the token endpoint accepts "+s.d.TokenMethod+" only")
		return
	}
	params := r.URL.Query()
	if r.Method != http.MethodGet {
		if !s.parseForm(w, r) {
			return
		}
		params = r.PostForm
	}
	s.log(r)
	if name := repeated(params); name != "" {
		s.fail(w, http.StatusBadRequest, "invalid_request", name+" must be sent once")
		return
	}
	c, ok := s.authenticate(w, r, params)
	if !ok {
		return
	}
	grants := map[string]struct {
		offered bool
		serve   func(http.ResponseWriter, Client, url.Values)
	}{
		"authorization_code": {s.d.AuthorizationCode, s.exchange},
		"refresh_token":      {s.d.RefreshTokens, s.refreshGrant},
		"client_credentials": {s.d.ClientCredentials, s.clientCredentials},
	}
	grant := params.Get("grant_type")
	switch g := grants[grant]; {
	case grant == "":
		s.fail(w, http.StatusBadRequest, "invalid_request", "grant_type is missing")
	case !g.offered:
		s.fail(w, http.StatusBadRequest, "unsupported_grant_type", grant+" is not offered")
	default:
		g.serve(w, c, params)
	}
}

// injectFault waits out the delay and the next queued Fault's, and
// reports whether the fault, or the client's going away, ended the
// request.
func (s *Server) injectFault(w http.ResponseWriter, r *http.Request) bool {
	s.mu.Lock()
	delay := s.delay
	var f Fault
	if len(s.faults) > 0 {
		f, s.faults = s.faults[0], s.faults[1:]
	}
	s.mu.Unlock()
	if d := delay + f.Delay; d > 0 {
		select {
		case <-time.After(d):
		case <-r.Context().Done():
			return true
		}
	}
	switch {
	case f.Code != "":
		s.fail(w, cmp.Or(f.Status, http.StatusBadRequest), f.Code, "injected fault")
	case f.Status != 0:
		w.Header().Set("Content-Type", cmp.Or(f.ContentType, "text/html; charset=utf-8"))
		w.WriteHeader(f.Status)
		io.WriteString(w, f.Body)
	default:
		return false
	}
	return true
}

// parseForm reads a form POST's parameters, which must all be in its body.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	switch {
	case !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		s.fail(w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
	case r.ParseForm() != nil:
		s.fail(w, http.StatusBadRequest, "invalid_request", "malformed form body")
	case len(r.URL.Query()) > 0:
		s.fail(w, http.StatusBadRequest, "invalid_request", "parameters belong in the body, not the query")
	default:
		return true
	}
	return false
}

func (s *Server) log(r *http.Request) {
	tr := TokenRequest{Method: r.Method, Query: r.URL.Query(), Form: r.PostForm, ContentType: r.Header.Get("Content-Type")}
	tr.BasicUser, tr.BasicPass, tr.HasBasic = r.BasicAuth()
	s.mu.Lock()
	s.tokenLogs = append(s.tokenLogs, tr)
	s.mu.Unlock()
}

// authenticate checks the client in the dialect's one accepted style.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request, params url.Values) (Client, bool) {
	id, secret := params.Get("client_id"), params.Get("client_secret")
	user, pass, basic := r.BasicAuth()
	if s.d.ClientAuth == oauth2.AuthStyleInHeader {
		if !basic {
			w.Header().Set("WWW-Authenticate", `Basic realm="`+s.d.Name+`"`)
			s.fail(w, http.StatusUnauthorized, "invalid_client", "client authentication must use HTTP Basic")
			return Client{}, false
		}
		if params.Has("client_secret") {
			s.fail(w, http.StatusBadRequest, "invalid_request", "client_secret must not be sent in the body as well")
			return Client{}, false
		}
		id, _ = url.QueryUnescape(user)
		secret, _ = url.QueryUnescape(pass)
	} else if basic {
		s.fail(w, http.StatusBadRequest, "invalid_request", "client credentials belong in the parameters, not HTTP Basic")
		return Client{}, false
	}
	c, ok := s.clients[id]
	if !ok || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		if s.d.ClientAuth == oauth2.AuthStyleInHeader {
			w.Header().Set("WWW-Authenticate", `Basic realm="`+s.d.Name+`"`)
		}
		s.fail(w, http.StatusUnauthorized, "invalid_client", "unknown client or wrong secret")
		return Client{}, false
	}
	return c, true
}

func (s *Server) exchange(w http.ResponseWriter, c Client, p url.Values) {
	cd, refused := s.spendCode(c.ID, p)
	if refused != nil {
		s.fail(w, http.StatusBadRequest, refused.code, refused.desc)
		return
	}
	s.mu.Lock()
	tok := s.issue(c.ID, cd.scope, &family{scope: cd.scope, user: cd.user})
	s.mu.Unlock()
	s.answer(w, tok, !s.d.ZeroExpiry)
}

// spendCode checks a code exchange. A code is spent by its first use,
// right or wrong (RFC 6749 §4.1.2).
func (s *Server) spendCode(clientID string, p url.Values) (*code, *oauthError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cd, ok := s.codes[p.Get("code")]
	delete(s.codes, p.Get("code"))
	verifier := p.Get("code_verifier")
	switch {
	case !ok || cd.clientID != clientID:
		// Like some real servers, echo what was presented: clients must
		// keep it out of their error texts.
		return nil, &oauthError{"invalid_grant", "the code " + p.Get("code") + " is unknown or already used"}
	case !s.now().Before(cd.expires):
		return nil, &oauthError{"invalid_grant", "the code has expired"}
	case p.Get("redirect_uri") != cd.redirectURI:
		return nil, &oauthError{"invalid_grant", "redirect_uri does not match the authorization request"}
	case cd.challenge == "" && p.Has("code_verifier"):
		return nil, &oauthError{"invalid_request", "code_verifier without a challenge"}
	case cd.challenge != "" && verifier == "":
		return nil, &oauthError{"invalid_request", "code_verifier is required"}
	case cd.challenge != "" && subtle.ConstantTimeCompare([]byte(s256(verifier)), []byte(cd.challenge)) != 1:
		return nil, &oauthError{"invalid_grant", "code_verifier does not match the challenge"}
	}
	s.stats.Exchanges++
	return cd, nil
}

func (s *Server) refreshGrant(w http.ResponseWriter, c Client, p url.Values) {
	tok, refused := s.spendRefresh(c.ID, p.Get("refresh_token"), p.Get("scope"))
	if refused != nil {
		s.fail(w, http.StatusBadRequest, refused.code, refused.desc)
		return
	}
	s.answer(w, tok, true)
}

// oauthError is an RFC 6749 §5.2 error.
type oauthError struct{ code, desc string }

// spendRefresh checks a refresh request and, if it is good, uses the
// token: spent where refresh tokens rotate, and the scope narrowed, if
// asked, for every token of the authorization. It returns the tokens it
// issues in the same step, so that a revocation or narrowing of the
// authorization cannot fall between the spending and the issuing. A
// refused request leaves the token as it was: the seed does not say that
// a refused narrowing burns it.
func (s *Server) spendRefresh(clientID, rt, rawScope string) (issued, *oauthError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.refresh[rt]
	switch {
	case !ok || g.clientID != clientID:
		return issued{}, &oauthError{"invalid_grant", "the refresh token " + rt + " is unknown or already used"}
	case !g.expires.IsZero() && !s.now().Before(g.expires):
		return issued{}, &oauthError{"invalid_grant", "the refresh token has expired"}
	case rawScope != "" && !s.d.Narrowing:
		return issued{}, &oauthError{"invalid_scope", "scope cannot be changed on refresh"}
	}
	if rawScope != "" {
		narrow, problem := s.parseScope(rawScope)
		if problem != "" {
			return issued{}, &oauthError{"invalid_scope", problem}
		}
		for _, sc := range narrow {
			if !slices.Contains(g.family.scope, sc) {
				return issued{}, &oauthError{"invalid_scope", "scope " + sc + " was not granted"}
			}
		}
		g.family.scope = narrow
		for _, a := range s.access {
			if a.family == g.family {
				a.scope = narrow
			}
		}
	}
	if s.d.RotateRefresh {
		delete(s.refresh, rt)
	}
	s.stats.Refreshes++
	return s.issue(clientID, g.family.scope, g.family), nil
}

func (s *Server) clientCredentials(w http.ResponseWriter, c Client, p url.Values) {
	scope, problem := s.parseScope(p.Get("scope"))
	if problem != "" {
		s.fail(w, http.StatusBadRequest, "invalid_scope", problem)
		return
	}
	if len(scope) == 0 {
		scope = s.d.DefaultScope
	}
	s.mu.Lock()
	s.stats.ClientCredentials++
	tok := s.issue(c.ID, scope, nil)
	s.mu.Unlock()
	s.answer(w, tok, true)
}

// issued is what one token answer hands out.
type issued struct {
	access, refresh   string // refresh is "" when none is issued
	scope             []string
	now               time.Time
	life, refreshLife time.Duration
}

// issue stores a new access token, and a refresh token when fam is set
// and the dialect has them. The caller holds s.mu, so that what it checked
// and spent and what it issues are one step.
func (s *Server) issue(clientID string, scope []string, fam *family) issued {
	tok := issued{access: newSecret(), scope: scope, now: s.now(), life: s.d.Lifetime}
	s.access[tok.access] = &grant{clientID: clientID, scope: scope, expires: tok.now.Add(tok.life), family: fam}
	if fam != nil && s.d.RefreshTokens {
		tok.refresh, tok.refreshLife = newSecret(), s.d.RefreshLifetime
		g := &grant{clientID: clientID, family: fam}
		if tok.refreshLife > 0 {
			g.expires = tok.now.Add(tok.refreshLife)
		}
		s.refresh[tok.refresh] = g
	}
	return tok
}

// answer writes the dialect's answer for tok.
func (s *Server) answer(w http.ResponseWriter, tok issued, expiresIn bool) {
	body := map[string]any{"access_token": tok.access, "token_type": s.d.TokenType}
	if tok.refresh != "" {
		body["refresh_token"] = tok.refresh
	}
	if expiresIn {
		body["expires_in"] = int64(tok.life / time.Second)
	} else {
		body["expiry"] = time.Time{}.Format(time.RFC3339)
	}
	if s.d.CreatedAt {
		body["created_at"] = tok.now.Unix()
	}
	if s.d.Keycloak {
		// Keycloak's 0 means no refresh token, or one that never expires.
		body["refresh_expires_in"] = int64(tok.refreshLife / time.Second)
		body["not-before-policy"] = 0
	}
	if !s.d.OmitScope && expiresIn {
		body["scope"] = strings.Join(tok.scope, s.d.ScopeDelimiter)
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(body)
}

func (s *Server) fail(w http.ResponseWriter, status int, code, desc string) {
	s.mu.Lock()
	s.stats.Errors[code]++
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}
