package auth

import (
	"fmt"
	"log/slog"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/redact"
)

// This file makes the values of this package that hold secrets print and
// log without them: fmt's %v, %+v, %s and %#v, and slog's handlers.

// secretMark shows whether a secret is set without showing it.
func secretMark(s string) string {
	if s == "" {
		return ""
	}
	return redact.Mark
}

// String returns c as %+v would, with the client secret redacted.
func (c Config[S]) String() string {
	return fmt.Sprintf("{ClientID:%s ClientSecret:%s RedirectURL:%s Scopes:%v Endpoint:%+v}",
		c.ClientID, secretMark(c.ClientSecret), c.RedirectURL, c.Scopes, c.Endpoint)
}

// GoString returns c as %#v would, with the client secret redacted.
func (c Config[S]) GoString() string {
	return fmt.Sprintf("%T{ClientID:%q, ClientSecret:%q, RedirectURL:%q, Scopes:%#v, Endpoint:%#v}",
		c, c.ClientID, secretMark(c.ClientSecret), c.RedirectURL, c.Scopes, c.Endpoint)
}

// LogValue logs c with the client secret redacted.
func (c Config[S]) LogValue() slog.Value {
	return slog.GroupValue(
		slog.String("provider", c.name()),
		slog.String("client_id", c.ClientID),
		slog.String("client_secret", secretMark(c.ClientSecret)),
		slog.String("redirect_url", c.RedirectURL),
		slog.Any("scopes", c.Scopes),
	)
}

// RedactedToken is what can be shown of a token: all but its secrets.
// It prints and logs as it is; make one with [Redacted].
type RedactedToken struct {
	Type         string    // "Bearer", or empty for a nil token
	Expiry       time.Time // zero if the token does not expire
	Scope        string    // the granted scopes, as the token's "scope" says
	RefreshToken bool      // whether the token has a refresh token
	// RefreshExpiry is when the refresh token expires; zero if unknown or
	// never (see [RefreshExpiry]).
	RefreshExpiry time.Time
}

// Redacted returns what can be shown of tok: its type, expiry, scope and
// whether it has a refresh token, never the access, refresh or ID token.
// An *oauth2.Token prints its tokens with %v and in slog, so print or log
// Redacted(tok) instead:
//
//	logger.Info("token refreshed", "token", auth.Redacted(tok))
func Redacted(tok *oauth2.Token) RedactedToken {
	if tok == nil {
		return RedactedToken{}
	}
	scope, _ := tok.Extra("scope").(string)
	return RedactedToken{Type: tok.Type(), Expiry: tok.Expiry, Scope: scope, RefreshToken: tok.RefreshToken != "", RefreshExpiry: RefreshExpiry(tok)}
}

// String describes the token in a line.
func (t RedactedToken) String() string {
	if t.Type == "" {
		return "<nil>"
	}
	var b strings.Builder
	b.WriteString(t.Type + " token")
	if t.Expiry.IsZero() {
		b.WriteString(", never expires")
	} else {
		b.WriteString(", expires " + t.Expiry.Format(time.RFC3339))
	}
	fmt.Fprintf(&b, ", scope %q", t.Scope)
	switch {
	case t.RefreshToken && !t.RefreshExpiry.IsZero():
		b.WriteString(", with a refresh token that expires " + t.RefreshExpiry.Format(time.RFC3339))
	case t.RefreshToken:
		b.WriteString(", with a refresh token")
	default:
		b.WriteString(", no refresh token")
	}
	return b.String()
}

// LogValue logs the token as a group of its fields.
func (t RedactedToken) LogValue() slog.Value {
	if t.Type == "" {
		return slog.AnyValue(nil)
	}
	attrs := []slog.Attr{slog.String("type", t.Type)}
	if !t.Expiry.IsZero() {
		attrs = append(attrs, slog.Time("expiry", t.Expiry))
	}
	attrs = append(attrs, slog.String("scope", t.Scope), slog.Bool("refresh_token", t.RefreshToken))
	if !t.RefreshExpiry.IsZero() {
		attrs = append(attrs, slog.Time("refresh_expiry", t.RefreshExpiry))
	}
	return slog.GroupValue(attrs...)
}

// String describes m by the number of tokens it holds, not the tokens.
func (m *MemoryStore) String() string {
	return fmt.Sprintf("auth.MemoryStore{%d tokens}", m.count())
}

// GoString is String: the tokens m holds are left out.
func (m *MemoryStore) GoString() string { return m.String() }

// LogValue logs the number of tokens m holds, not the tokens.
func (m *MemoryStore) LogValue() slog.Value {
	return slog.GroupValue(slog.Int("tokens", m.count()))
}

func (m *MemoryStore) count() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.recs)
}
