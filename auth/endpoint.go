package auth

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"
)

// Endpoint describes a provider's authorization server and the dialect it
// speaks. Refresh and client credentials use TokenURL too.
//
// The provider packages export ready values; tests point a copy at a fake by
// overriding AuthURL, TokenURL and RevokeURL.
type Endpoint struct {
	AuthURL  string
	TokenURL string
	// RevokeURL is the RFC 7009 revocation endpoint; empty: the provider
	// offers none, and Config.Revoke fails with ErrRevocationUnsupported.
	RevokeURL string

	// Name is the provider's lower-case name, used in error texts.
	Name string

	// AuthStyle says how the client authenticates at TokenURL:
	// oauth2.AuthStyleInParams or oauth2.AuthStyleInHeader (HTTP Basic).
	// It must be set: x/oauth2's auto-detection retries a failed request in
	// the other style, which replays single-use authorization codes.
	AuthStyle oauth2.AuthStyle

	// TokenMethod is the HTTP method of token requests: http.MethodPost (the
	// default when empty, as RFC 6749 §3.2 requires) or http.MethodGet, which
	// sends every parameter in the query string (Livepush).
	TokenMethod string

	// RefreshWithRedirectURL sends redirect_uri with refresh requests too.
	RefreshWithRedirectURL bool

	// ClientCredentials reports whether the provider offers the
	// client-credentials grant.
	ClientCredentials bool

	// DefaultLifetime is the access-token lifetime the provider documents,
	// used when a token answer states none (DLive answers codes with a zero
	// "expiry" and no "expires_in"). Zero means such a token never expires.
	DefaultLifetime time.Duration

	// RefreshLifetime is the refresh-token lifetime the provider documents,
	// used when a token answer states none (no refresh_expires_in): DLive's
	// year. Zero means unknown. See RefreshExpiry.
	RefreshLifetime time.Duration

	// BareToken makes API requests carry the access token alone in the
	// Authorization header, with no scheme (DLive).
	BareToken bool

	// Err, when set, is an error found while building the Endpoint (such as
	// an empty Streamdiver tenant); every Config method returns it.
	Err error
}

// checkToken reports whether e can serve token requests.
func (e *Endpoint) checkToken() error {
	if e.Err != nil {
		return e.Err
	}
	if err := checkServerURL(e.name(), "TokenURL", e.TokenURL); err != nil {
		return err
	}
	switch e.AuthStyle {
	case oauth2.AuthStyleInParams, oauth2.AuthStyleInHeader:
	default:
		return fmt.Errorf("auth: %s: Endpoint.AuthStyle must be oauth2.AuthStyleInParams or oauth2.AuthStyleInHeader: auto-detection replays single-use codes", e.name())
	}
	switch e.TokenMethod {
	case "", http.MethodPost, http.MethodGet:
	default:
		return fmt.Errorf("auth: %s: Endpoint.TokenMethod %q is neither GET nor POST", e.name(), e.TokenMethod)
	}
	return nil
}

// checkAuth reports whether e can serve the authorization-code flow.
func (e *Endpoint) checkAuth() error {
	if err := e.checkToken(); err != nil {
		return err
	}
	if e.AuthURL == "" {
		return fmt.Errorf("auth: %s: the provider has no authorization endpoint; use ClientCredentials", e.name())
	}
	return checkServerURL(e.name(), "AuthURL", e.AuthURL)
}

func (e *Endpoint) name() string {
	if e.Name == "" {
		return "oauth2"
	}
	return e.Name
}

// checkServerURL accepts absolute https URLs, and http URLs of loopback hosts
// (local fakes and tests); anything else would carry secrets in clear text.
func checkServerURL(provider, field, raw string) error {
	if raw == "" {
		return fmt.Errorf("auth: %s: Endpoint.%s is empty", provider, field)
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("auth: %s: Endpoint.%s %q is not an absolute URL", provider, field, raw)
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())) {
		return fmt.Errorf("auth: %s: Endpoint.%s %q must use https (plain http is allowed only for loopback hosts)", provider, field, raw)
	}
	return nil
}

// isLoopback reports whether host (a name or IP literal, without port) is a
// loopback address: localhost, 127.0.0.0/8 or ::1.
func isLoopback(host string) bool {
	switch host {
	case "127.0.0.1", "::1", "[::1]":
		return true // the common cases, without parsing
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}
