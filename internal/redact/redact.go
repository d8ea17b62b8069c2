// Package redact removes secrets from text bound for an error, a log or a
// terminal. It knows two kinds of secret: values the caller names (a
// client secret, a code, a token), and the values of parameters whose
// names say they are secret (client_secret=…, "access_token": "…").
package redact

import (
	"net/url"
	"regexp"
	"strings"
)

// Mark replaces every secret removed.
const Mark = "[redacted]"

// secretParams are the parameter names whose values are always secret.
var secretParams = [...]string{
	"access_token", "refresh_token", "id_token", "client_secret",
	"code", "code_verifier", "token", "password", "assertion",
}

// Set is a set of known secret values. The zero value is empty and ready
// to use; a Set is not safe for concurrent Add.
type Set struct {
	values []string
}

// Add adds secrets to s; empty strings are ignored.
func (s *Set) Add(secrets ...string) {
	for _, v := range secrets {
		if v == "" {
			continue
		}
		s.values = append(s.values, v)
		if q := url.QueryEscape(v); q != v {
			s.values = append(s.values, q)
		}
	}
}

// Text returns text with every known secret and every secret-named
// parameter's value replaced by Mark.
func (s *Set) Text(text string) string {
	if s != nil {
		for _, v := range s.values {
			text = strings.ReplaceAll(text, v, Mark)
		}
	}
	return Params(text)
}

// URL returns raw with its user information and the values of its
// secret-named query parameters replaced by Mark, keeping the parameter
// names visible, and then with every known secret removed.
func (s *Set) URL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return s.Text(raw)
	}
	if u.User != nil {
		u.User = url.User(Mark)
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if IsSecretParam(k) {
				q.Set(k, Mark)
			}
		}
		u.RawQuery = q.Encode()
	}
	return s.Text(u.String())
}

// IsSecretParam reports whether a parameter of this name holds a secret.
func IsSecretParam(name string) bool {
	for _, p := range secretParams {
		if strings.EqualFold(name, p) {
			return true
		}
	}
	return false
}

// secretParam matches a secret-named parameter with its value, written as
// name=value (queries, forms) or "name":"value" (JSON).
var secretParam = regexp.MustCompile(`(?i)\b(` + strings.Join(secretParams[:], "|") + `)(=|"\s*:\s*")([^&"'<>\s,;}]+)`)

// Params returns text with the values of secret-named parameters replaced
// by Mark.
func Params(text string) string {
	return secretParam.ReplaceAllString(text, "${1}${2}"+Mark)
}
