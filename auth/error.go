package auth

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/onair-go/onair/internal/oneline"
	"github.com/onair-go/onair/internal/redact"
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
		// An API may quote the token it rejected.
		msg += ": " + redact.Params(e.Description)
	}
	return msg + fmt.Sprintf(" (HTTP %d)", e.StatusCode)
}

// GoString returns e as %#v would, but without the answer's header and
// body, which may quote the token.
func (e *InsufficientScopeError) GoString() string {
	return fmt.Sprintf("&auth.InsufficientScopeError{StatusCode:%d, Scope:%#v, Description:%q}",
		e.StatusCode, e.Scope, redact.Params(e.Description))
}

// Unwrap lets errors.Is(err, scopes.ErrNotGranted) match.
func (e *InsufficientScopeError) Unwrap() error { return scopes.ErrNotGranted }

// excerpt returns the start of a body as one printable line of at most
// limit bytes (see oneline.Cut).
func excerpt(body []byte, limit int) string { return oneline.Cut(body, limit) }
