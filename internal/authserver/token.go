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

// oauthError is an RFC 6749 §5.2 error answer.
type oauthError struct {
	status     int // 400 when 0
	code, desc string
	allow      string // the Allow header of a 405
	challenge  string // the WWW-Authenticate header of a 401
}

func invalidRequest(desc string) *oauthError { return &oauthError{code: "invalid_request", desc: desc} }

// Token is the token endpoint.
func (s *Server) Token(w http.ResponseWriter, r *http.Request) {
	if s.injectFault(w, r) {
		return
	}
	tok, err := s.token(r)
	if err != nil {
		s.fail(w, err)
		return
	}
	s.answer(w, tok)
}

// token checks a token request and serves its grant.
func (s *Server) token(r *http.Request) (issued, *oauthError) {
	params, err := s.params(r, s.d.TokenMethod, "token")
	if err != nil {
		return issued{}, err
	}
	s.log(r)
	c, err := s.authenticate(r, params)
	if err != nil {
		return issued{}, err
	}
	switch grant := params.Get("grant_type"); {
	case grant == "":
		return issued{}, invalidRequest("grant_type is missing")
	case grant == "authorization_code" && s.d.AuthorizationCode:
		return s.exchange(c, params)
	case grant == "refresh_token" && s.d.RefreshTokens:
		return s.refreshGrant(c, params)
	case grant == "client_credentials" && s.d.ClientCredentials:
		return s.clientCredentials(c, params)
	default:
		return issued{}, &oauthError{code: "unsupported_grant_type", desc: grant + " is not offered"}
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
		s.fail(w, &oauthError{status: f.Status, code: f.Code, desc: "injected fault"})
	case f.Status != 0:
		w.Header().Set("Content-Type", cmp.Or(f.ContentType, "text/html; charset=utf-8"))
		w.WriteHeader(f.Status)
		io.WriteString(w, f.Body)
	default:
		return false
	}
	return true
}

// params returns the parameters of a request to the token or revocation
// endpoint, which accepts method only: a GET's are in its query, a form
// POST's all in its body.
func (s *Server) params(r *http.Request, method, endpoint string) (url.Values, *oauthError) {
	switch {
	case r.Method != method:
		return nil, &oauthError{status: http.StatusMethodNotAllowed, code: "invalid_request", desc: "the " + endpoint + " endpoint accepts " + method + " only", allow: method}
	case r.Method == http.MethodGet:
		return r.URL.Query(), nil
	case !strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-www-form-urlencoded"):
		return nil, invalidRequest("the body must be application/x-www-form-urlencoded")
	case r.ParseForm() != nil:
		return nil, invalidRequest("malformed form body")
	case len(r.URL.Query()) > 0:
		return nil, invalidRequest("parameters belong in the body, not the query")
	}
	return r.PostForm, nil
}

func (s *Server) log(r *http.Request) {
	tr := TokenRequest{Method: r.Method, Query: r.URL.Query(), Form: r.PostForm, ContentType: r.Header.Get("Content-Type")}
	tr.BasicUser, tr.BasicPass, tr.HasBasic = r.BasicAuth()
	s.mu.Lock()
	s.tokenLogs = append(s.tokenLogs, tr)
	s.mu.Unlock()
}

// authenticate checks that no parameter is repeated and the client, in
// the dialect's one accepted style.
func (s *Server) authenticate(r *http.Request, params url.Values) (Client, *oauthError) {
	id, secret := params.Get("client_id"), params.Get("client_secret")
	user, pass, basic := r.BasicAuth()
	inHeader := s.d.ClientAuth == oauth2.AuthStyleInHeader
	unauthorized := func(desc string) (Client, *oauthError) {
		e := &oauthError{status: http.StatusUnauthorized, code: "invalid_client", desc: desc}
		if inHeader {
			e.challenge = `Basic realm="` + s.d.Name + `"`
		}
		return Client{}, e
	}
	switch name := repeated(params); {
	case name != "":
		return Client{}, invalidRequest(name + " must be sent once")
	case inHeader && !basic:
		return unauthorized("client authentication must use HTTP Basic")
	case inHeader && params.Has("client_secret"):
		return Client{}, invalidRequest("client_secret must not be sent in the body as well")
	case inHeader: // the credentials are in the Basic header
		id, _ = url.QueryUnescape(user)
		secret, _ = url.QueryUnescape(pass)
	case basic:
		return Client{}, invalidRequest("client credentials belong in the parameters, not HTTP Basic")
	}
	c, ok := s.clients[id]
	if !ok || subtle.ConstantTimeCompare([]byte(c.Secret), []byte(secret)) != 1 {
		return unauthorized("unknown client or wrong secret")
	}
	return c, nil
}

// exchange checks a code exchange and issues the code's tokens. A code is
// spent by its first use, right or wrong (RFC 6749 §4.1.2).
func (s *Server) exchange(c Client, p url.Values) (issued, *oauthError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	cd, ok := s.codes[p.Get("code")]
	delete(s.codes, p.Get("code"))
	verifier := p.Get("code_verifier")
	switch {
	case !ok || cd.clientID != c.ID:
		// Like some real servers, echo what was presented: clients must
		// keep it out of their error texts.
		return issued{}, &oauthError{code: "invalid_grant", desc: "the code " + p.Get("code") + " is unknown or already used"}
	case !s.now().Before(cd.expires):
		return issued{}, &oauthError{code: "invalid_grant", desc: "the code has expired"}
	case p.Get("redirect_uri") != cd.redirectURI:
		return issued{}, &oauthError{code: "invalid_grant", desc: "redirect_uri does not match the authorization request"}
	case cd.challenge == "" && p.Has("code_verifier"):
		return issued{}, invalidRequest("code_verifier without a challenge")
	case cd.challenge != "" && verifier == "":
		return issued{}, invalidRequest("code_verifier is required")
	case cd.challenge != "" && subtle.ConstantTimeCompare([]byte(s256(verifier)), []byte(cd.challenge)) != 1:
		return issued{}, &oauthError{code: "invalid_grant", desc: "code_verifier does not match the challenge"}
	}
	s.stats.Exchanges++
	tok := s.issue(c.ID, cd.scope, &family{scope: cd.scope, user: cd.user})
	tok.zeroExpiry = s.d.ZeroExpiry
	return tok, nil
}

// refreshGrant checks a refresh request and, if it is good, uses the
// token: spent where refresh tokens rotate, and the scope narrowed, if
// asked, for every token of the authorization. It issues the new tokens
// in the same step, so that a revocation or narrowing of the
// authorization cannot fall between the spending and the issuing. A
// refused request leaves the token as it was: the seed does not say that
// a refused narrowing burns it.
func (s *Server) refreshGrant(c Client, p url.Values) (issued, *oauthError) {
	rt, rawScope := p.Get("refresh_token"), p.Get("scope")
	s.mu.Lock()
	defer s.mu.Unlock()
	g, ok := s.refresh[rt]
	switch {
	case !ok || g.clientID != c.ID:
		return issued{}, &oauthError{code: "invalid_grant", desc: "the refresh token " + rt + " is unknown or already used"}
	case !g.expires.IsZero() && !s.now().Before(g.expires):
		return issued{}, &oauthError{code: "invalid_grant", desc: "the refresh token has expired"}
	case rawScope != "" && !s.d.Narrowing:
		return issued{}, &oauthError{code: "invalid_scope", desc: "scope cannot be changed on refresh"}
	}
	if rawScope != "" {
		narrow, problem := s.parseScope(rawScope)
		if problem != "" {
			return issued{}, &oauthError{code: "invalid_scope", desc: problem}
		}
		for _, sc := range narrow {
			if !slices.Contains(g.family.scope, sc) {
				return issued{}, &oauthError{code: "invalid_scope", desc: "scope " + sc + " was not granted"}
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
	return s.issue(c.ID, g.family.scope, g.family), nil
}

func (s *Server) clientCredentials(c Client, p url.Values) (issued, *oauthError) {
	scope, problem := s.parseScope(p.Get("scope"))
	if problem != "" {
		return issued{}, &oauthError{code: "invalid_scope", desc: problem}
	}
	if len(scope) == 0 {
		scope = s.d.DefaultScope
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.ClientCredentials++
	return s.issue(c.ID, scope, nil), nil
}

// issued is what one token answer hands out.
type issued struct {
	access, refresh   string // refresh is "" when none is issued
	scope             []string
	now               time.Time
	life, refreshLife time.Duration
	zeroExpiry        bool // the answer says "expiry" (see Dialect.ZeroExpiry)
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
func (s *Server) answer(w http.ResponseWriter, tok issued) {
	body := map[string]any{"access_token": tok.access, "token_type": s.d.TokenType}
	if tok.refresh != "" {
		body["refresh_token"] = tok.refresh
	}
	if tok.zeroExpiry {
		body["expiry"] = time.Time{}.Format(time.RFC3339)
	} else {
		body["expires_in"] = int64(tok.life / time.Second)
	}
	if s.d.CreatedAt {
		body["created_at"] = tok.now.Unix()
	}
	if s.d.Keycloak {
		// Keycloak's 0 means no refresh token, or one that never expires.
		body["refresh_expires_in"] = int64(tok.refreshLife / time.Second)
		body["not-before-policy"] = 0
	}
	if !s.d.OmitScope && !tok.zeroExpiry {
		body["scope"] = strings.Join(tok.scope, s.d.ScopeDelimiter)
	}
	s.writeJSON(w, http.StatusOK, body)
}

// fail writes e and counts it.
func (s *Server) fail(w http.ResponseWriter, e *oauthError) {
	s.mu.Lock()
	s.stats.Errors[e.code]++
	s.mu.Unlock()
	if e.allow != "" {
		w.Header().Set("Allow", e.allow)
	}
	if e.challenge != "" {
		w.Header().Set("WWW-Authenticate", e.challenge)
	}
	s.writeJSON(w, cmp.Or(e.status, http.StatusBadRequest), map[string]string{"error": e.code, "error_description": e.desc})
}

func (s *Server) writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(body)
}
