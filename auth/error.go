package auth

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/onair-go/onair/scopes"
)

// Error is an error answer of a token endpoint (RFC 6749 §5.2).
//
// When the answer is not a JSON error object (an HTML error page, say), Code
// is empty and Body holds a short excerpt of it with secrets removed.
type Error struct {
	StatusCode  int    // HTTP status of the answer
	Code        string // "error", e.g. "invalid_grant"
	Description string // "error_description", secrets removed
	URI         string // "error_uri"
	Body        string // excerpt of a non-JSON answer, secrets removed
}

func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.Code != "":
		b.WriteString(e.Code)
		if e.Description != "" {
			b.WriteString(": ")
			b.WriteString(e.Description)
		}
	case e.Body != "":
		fmt.Fprintf(&b, "unexpected answer %q", e.Body)
	default:
		b.WriteString("unexpected answer")
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, " (HTTP %d)", e.StatusCode)
	}
	return b.String()
}

// InsufficientScopeError is returned by [Transport] when an API answers with
// the Bearer error "insufficient_scope" (RFC 6750 §3.1). A new token would not
// help, so the request is not retried. It matches scopes.ErrNotGranted.
type InsufficientScopeError struct {
	StatusCode  int
	Scope       []string // the scopes the API says it needs, when it says
	Description string
	// Header and Body are the answer's, the body cut at 64 KiB, so that an
	// API client can still report the provider's own error.
	Header http.Header
	Body   []byte
}

func (e *InsufficientScopeError) Error() string {
	msg := "auth: the token lacks a scope this request needs"
	if len(e.Scope) > 0 {
		msg += fmt.Sprintf(" (needs %v)", e.Scope)
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}
	return msg + fmt.Sprintf(" (HTTP %d)", e.StatusCode)
}

// Unwrap lets errors.Is(err, scopes.ErrNotGranted) match.
func (e *InsufficientScopeError) Unwrap() error { return scopes.ErrNotGranted }

// redactedError carries an error whose text had secrets removed; the
// original stays reachable for errors.Is and errors.As.
type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// secretParams are the parameter names whose values never leave this package
// in an error text.
var secretParams = [...]string{
	"access_token", "refresh_token", "id_token", "client_secret",
	"code", "code_verifier", "token", "password", "assertion",
}

const redacted = "[redacted]"

// redactor removes known secret values, and the values of secret-named
// parameters, from text bound for an error.
type redactor struct {
	values []string
}

func (r *redactor) add(secrets ...string) {
	for _, s := range secrets {
		if s != "" {
			r.values = append(r.values, s)
			if q := url.QueryEscape(s); q != s {
				r.values = append(r.values, q)
			}
		}
	}
}

func (r *redactor) text(s string) string {
	for _, v := range r.values {
		s = strings.ReplaceAll(s, v, redacted)
	}
	return redactParams(s)
}

// url redacts the query of raw, keeping the parameter names visible.
func (r *redactor) url(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return r.text(raw)
	}
	if u.User != nil {
		u.User = url.User(redacted)
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			if isSecretParam(k) {
				q.Set(k, redacted)
			}
		}
		u.RawQuery = q.Encode()
	}
	return r.text(u.String())
}

func isSecretParam(name string) bool {
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

// redactParams blanks the values of secret-named parameters in s.
func redactParams(s string) string {
	return secretParam.ReplaceAllString(s, "${1}${2}"+redacted)
}

// excerpt returns the start of a body as one printable line.
func excerpt(body []byte) string {
	const max = 120
	var b strings.Builder
	space := false
	for len(body) > 0 && b.Len() < max {
		r, n := utf8.DecodeRune(body)
		body = body[n:]
		if r == utf8.RuneError || unicode.IsSpace(r) || !unicode.IsPrint(r) {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	if len(body) > 0 {
		b.WriteString("…")
	}
	return b.String()
}
