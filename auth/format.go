package auth

import (
	"cmp"
	"fmt"
	"log/slog"
	"strconv"
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

// LogValue logs e as its text and its RFC 6749 fields, all cleaned of
// secrets.
func (e *Error) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("msg", e.Error()), slog.Int("status", e.StatusCode)}
	if e.Code != "" {
		attrs = append(attrs, slog.String("error", e.Code))
	}
	if e.URI != "" {
		attrs = append(attrs, slog.String("error_uri", e.URI))
	}
	return slog.GroupValue(attrs...)
}

// LogValue logs e as its text, its status and the scopes the API asked
// for, never the answer's header or body, which may quote the token.
func (e *InsufficientScopeError) LogValue() slog.Value {
	return slog.GroupValue(slog.String("msg", e.Error()), slog.Int("status", e.StatusCode), slog.Any("scope", e.Scope))
}

// LogValue logs e as its text and the key and reason.
func (e *ReauthorizeError) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("msg", e.Error()), slog.String("provider", cmp.Or(e.Provider, "oauth2"))}
	if e.Key != "" {
		attrs = append(attrs, slog.String("key", e.Key))
	}
	return slog.GroupValue(append(attrs, slog.String("reason", string(e.Reason)))...)
}

// String describes s by its provider and key, never its token.
func (s *source) String() string {
	d := "auth: " + s.opt.name + " token source"
	if s.opt.storeKey != "" {
		d += " for key " + strconv.Quote(s.opt.storeKey)
	}
	return d
}

// GoString is String: the token s holds is left out.
func (s *source) GoString() string { return s.String() }

// LogValue logs s's provider, key and what can be shown of its current
// token (see Redacted).
func (s *source) LogValue() slog.Value {
	attrs := []slog.Attr{slog.String("provider", s.opt.name)}
	if s.opt.storeKey != "" {
		attrs = append(attrs, slog.String("key", s.opt.storeKey))
	}
	if e := s.cur.Load(); e != nil {
		attrs = append(attrs, slog.Any("token", Redacted(e.tok)))
	}
	return slog.GroupValue(attrs...)
}

// ReplaceAttr is a slog.HandlerOptions.ReplaceAttr that logs an
// oauth2.Token or *oauth2.Token, which x/oauth2 logs with its tokens, as
// Redacted does, and blanks a string, bytes or any other value but a
// number, a bool or a time logged under a secret's name (access_token,
// refreshToken, client_secret, code, password and the like). It is a safety net for values logged by mistake: log
// Redacted(tok) on purpose.
//
//	h := slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{ReplaceAttr: auth.ReplaceAttr})
func ReplaceAttr(_ []string, a slog.Attr) slog.Attr {
	switch a.Value.Kind() {
	case slog.KindAny:
		switch v := a.Value.Any().(type) {
		case *oauth2.Token:
			a.Value = Redacted(v).LogValue()
		case oauth2.Token:
			a.Value = Redacted(&v).LogValue()
		}
	case slog.KindGroup:
		return a
	}
	if redact.IsSecretParam(a.Key) && !blank(a.Value) {
		a.Value = slog.StringValue(redact.Mark)
	}
	return a
}

// blank reports a value that shows nothing of a secret under a secret's
// name: an empty one, or a number, a bool, a time (Redacted's
// refresh_token=true, an error's numeric code).
func blank(v slog.Value) bool {
	switch v.Kind() {
	case slog.KindBool, slog.KindInt64, slog.KindUint64, slog.KindFloat64, slog.KindDuration, slog.KindTime:
		return true
	case slog.KindString:
		return v.String() == ""
	case slog.KindAny:
		switch x := v.Any().(type) {
		case nil:
			return true
		case []byte:
			return len(x) == 0
		}
	}
	return false
}
