package apiclient

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/internal/redact"
	"github.com/onair-go/onair/scopes"
)

// An error answer can quote what its request carried: an API or a proxy
// that echoes the Authorization header puts the access token in its body,
// its headers or a message field. So every error answer is cleaned here,
// for every provider alike, before the provider's DecodeError sees it.

// secrets returns the secrets an answer may echo: the credentials sent
// with each of sent (the request as the client built it, and as the
// transport last sent it: a 401 makes it replay with a new token, and the
// answer may still quote the old one; nil when unknown) and the token
// source's current access and refresh tokens, which cover a request whose
// Authorization header is out of sight. A source that can wait for a
// refresh within ctx does so.
func (c *Client[S]) secrets(ctx context.Context, sent ...*http.Request) *redact.Set {
	s := new(redact.Set)
	for _, r := range sent {
		if r == nil {
			continue
		}
		for _, v := range r.Header.Values("Authorization") {
			s.Add(credentials(v))
		}
		if c.cfg.bodySecrets != nil && r.GetBody != nil {
			if body, err := r.GetBody(); err == nil {
				b, _ := io.ReadAll(io.LimitReader(body, maxBody))
				body.Close()
				s.Add(c.cfg.bodySecrets(b)...)
			}
		}
	}
	tok, err := c.token(ctx)
	if err == nil && tok != nil {
		s.Add(tok.AccessToken, tok.RefreshToken)
	}
	return s
}

// credentials returns the credentials of an Authorization value: what
// follows the scheme, or the whole value of a bare token (DLive).
func credentials(v string) string {
	if _, cred, ok := strings.Cut(strings.TrimSpace(v), " "); ok {
		return strings.TrimSpace(cred)
	}
	return v
}

// cleanBody returns an API answer's body with every secret of s removed.
// In an API's answer, a member named "code" is the error's code, not an
// authorization code, so it is kept.
func cleanBody(s *redact.Set, body []byte) []byte {
	return s.Body(body, "code")
}

// cleanHeader returns a copy of an answer's header without credentials
// and with every secret of s removed.
func cleanHeader(s *redact.Set, h http.Header) http.Header { return s.Header(h) }

// cleanScopeError returns a copy of e with every secret of s removed from
// its answer, and its texts made one line each.
func cleanScopeError(s *redact.Set, e *auth.InsufficientScopeError) *auth.InsufficientScopeError {
	scope := make([]string, 0, len(e.Scope))
	for _, v := range e.Scope {
		scope = append(scope, Line(s.Text(v)))
	}
	return &auth.InsufficientScopeError{
		StatusCode:  e.StatusCode,
		Scope:       scope,
		Description: Line(s.Text(e.Description)),
		Header:      cleanHeader(s, e.Header),
		Body:        cleanBody(s, e.Body),
	}
}

// Clean returns a copy of v, a value decoded from an answer to one of c's
// requests, with the secrets removed that DoStatus removes from an error
// answer: for a 2xx answer that reports errors all the same (DLive's
// GraphQL errors), whose body DoStatus had no reason to clean. A value
// that does not survive a JSON round trip comes back as the zero value.
func Clean[S scopes.Scope, T any](ctx context.Context, c *Client[S], a Answer, v T) T {
	var clean T
	b, err := json.Marshal(v)
	if err != nil {
		return clean
	}
	if json.Unmarshal(cleanBody(c.secrets(ctx, a.sent[:]...), b), &clean) != nil {
		var zero T
		return zero
	}
	return clean
}
