package auth

import (
	"cmp"
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/tokenrec"
)

// ErrReauthorize is matched (errors.Is) by every error that means the user must authorize again:
// a refresh token the provider refused (invalid_grant, after the store was re-read), one known to have
// expired, or a revoked key.
var ErrReauthorize = errors.New("the user must authorize again")

// ReauthReason says why the user must authorize again.
type ReauthReason string

// The reasons of a [ReauthorizeError].
const (
	// ReasonInvalidGrant: the provider refused the refresh token.
	ReasonInvalidGrant ReauthReason = "invalid_grant"
	// ReasonRefreshExpired: the refresh token has expired (see
	// [RefreshExpiry]); the provider was not asked.
	ReasonRefreshExpired ReauthReason = "refresh_token_expired"
	// ReasonRevoked: the key was logged out ([Config.Logout]).
	ReasonRevoked ReauthReason = "revoked"
)

// explain says what r means, for error texts.
func (r ReauthReason) explain() string {
	switch r {
	case ReasonInvalidGrant:
		return "the provider refused the refresh token (invalid_grant)"
	case ReasonRefreshExpired:
		return "the refresh token has expired"
	case ReasonRevoked:
		return "the authorization was revoked (logged out)"
	}
	return "reason " + strconv.Quote(string(r))
}

// ReauthorizeError is the error of a token source whose user must
// authorize again; errors.Is(err, ErrReauthorize) matches it, and
// errors.As still finds its cause (such as the provider's *Error).
// Its text never holds a token.
type ReauthorizeError struct {
	Provider string
	Key      string // the store key, empty without a store
	Reason   ReauthReason
	Err      error // the cause, e.g. the provider's *auth.Error; may be nil
}

func (e *ReauthorizeError) Error() string {
	var b strings.Builder
	b.WriteString("auth: ")
	b.WriteString(cmp.Or(e.Provider, "oauth2"))
	if e.Key != "" {
		b.WriteString(": key ")
		b.WriteString(strconv.Quote(e.Key))
	}
	b.WriteString(": ")
	b.WriteString(e.Reason.explain())
	b.WriteString(": the user must authorize again (AuthCodeURL, Exchange")
	if e.Key != "" {
		b.WriteString(", then Save the token under the key")
	}
	b.WriteString(")")
	if e.Err != nil {
		// The causes this package puts here are already redacted.
		b.WriteString(": ")
		b.WriteString(strings.TrimPrefix(e.Err.Error(), "auth: "+cmp.Or(e.Provider, "oauth2")+": "))
	}
	return b.String()
}

// Is reports whether target is ErrReauthorize.
func (e *ReauthorizeError) Is(target error) bool { return target == ErrReauthorize }

// Unwrap returns the cause.
func (e *ReauthorizeError) Unwrap() error { return e.Err }

// OnReauthorize registers f, called once by each source that learns its
// user must authorize again: the place to notify the user or flag the
// account. Each source of a key calls it (a process with one long-lived
// source per user hears of each user once; sources made per request are
// each told). A Refresher's OnReauthorize hears of the keys its passes
// mark. f gets a context bounded by the refresh timeout and must not call
// the source itself. A source calls f again only after it has had a good
// token since.
func OnReauthorize(f func(ctx context.Context, err *ReauthorizeError)) TokenSourceOption {
	return func(o *sourceOptions) { o.onReauth = f }
}

// NeedsReauthorization reports whether tok (from Store.Load) is a marker
// that a source or [Config.Logout] saved in place of a dead token, and
// why. Sources made [WithStore] answer a marker with a [ReauthorizeError]
// and never send it to the provider; saving a new token over it (after
// the user has authorized again) mends the key.
func NeedsReauthorization(tok *oauth2.Token) (ReauthReason, bool) {
	if tok == nil || tok.AccessToken != "" || tok.RefreshToken != "" {
		return "", false
	}
	r, ok := tok.Extra(tokenrec.ExtraReauthorize).(string)
	if !ok || r == "" {
		return "", false
	}
	return ReauthReason(r), true
}

// MarkReauthorize returns the marker token to save for reason: a token
// with neither access nor refresh token, which the stores of this module
// keep with its reason.
func MarkReauthorize(reason ReauthReason) *oauth2.Token {
	return (&oauth2.Token{}).WithExtra(map[string]any{tokenrec.ExtraReauthorize: string(reason)})
}

// RefreshExpiry returns when tok's refresh token expires (zero: unknown
// or never), from the token answer's refresh_expires_in (Keycloak) or the
// Endpoint's documented RefreshLifetime (DLive: one year). A refresh that
// does not rotate the refresh token keeps its expiry.
func RefreshExpiry(tok *oauth2.Token) time.Time {
	if tok == nil {
		return time.Time{}
	}
	t, _ := tok.Extra(tokenrec.ExtraRefreshExpiry).(time.Time)
	return t
}

// refreshExpired returns the error for old, whose refresh token is known
// to have expired at now, or nil.
func refreshExpired(name string, old *oauth2.Token, now time.Time) error {
	if exp := RefreshExpiry(old); exp.IsZero() || now.Before(exp) {
		return nil
	}
	return &ReauthorizeError{Provider: name, Reason: ReasonRefreshExpired}
}

// asReauth returns err's *ReauthorizeError, if it has one.
func asReauth(err error) (*ReauthorizeError, bool) {
	var re *ReauthorizeError
	ok := errors.As(err, &re)
	return re, ok
}
