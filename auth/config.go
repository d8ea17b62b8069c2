package auth

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/scopes"
)

// Config is an OAuth 2.0 client of one provider. S is the provider's scope
// type, so a scope of another provider does not compile.
//
// A Config prints (%v, %+v, %s, %#v) and logs (slog) with its client
// secret redacted; encoding/json keeps the secret, as a configuration file
// needs it. Log a token with [Redacted].
type Config[S scopes.Scope] struct {
	ClientID     string
	ClientSecret string
	// RedirectURL is the absolute URL registered with the provider: https,
	// or http on a loopback host for native apps (RFC 8252 §7.3).
	RedirectURL string
	Scopes      []S
	Endpoint    Endpoint
}

// AuthCodeURL returns the URL of the provider's consent page. state must be
// a fresh random value (crypto/rand.Text makes one) that the callback
// handler compares with the state it receives. opts may add PKCE with
// oauth2.S256ChallengeOption; Exchange then needs oauth2.VerifierOption.
func (c *Config[S]) AuthCodeURL(state string, opts ...oauth2.AuthCodeOption) (string, error) {
	if err := c.Endpoint.checkAuth(); err != nil {
		return "", err
	}
	if err := c.checkClient(false); err != nil {
		return "", err
	}
	if err := c.checkRedirect(); err != nil {
		return "", err
	}
	if state == "" {
		return "", fmt.Errorf("auth: %s: state is empty: pass a fresh random value (crypto/rand.Text) and check it in the callback", c.name())
	}
	if err := scopes.Validate(c.Scopes...); err != nil {
		return "", fmt.Errorf("auth: Config.Scopes: %w", err)
	}
	oc := oauth2.Config{
		ClientID:    c.ClientID,
		RedirectURL: c.RedirectURL,
		Endpoint:    oauth2.Endpoint{AuthURL: c.Endpoint.AuthURL},
	}
	if len(c.Scopes) > 0 {
		// One pre-joined element, so that x/oauth2's space join keeps the
		// provider's own delimiter (Livepush wants commas).
		oc.Scopes = []string{scopes.Join(c.Scopes...)}
	}
	return oc.AuthCodeURL(state, opts...), nil
}

// Exchange trades an authorization code for a token. Pass
// oauth2.VerifierOption when AuthCodeURL had a PKCE challenge.
func (c *Config[S]) Exchange(ctx context.Context, code string, opts ...oauth2.AuthCodeOption) (*oauth2.Token, error) {
	if err := c.Endpoint.checkToken(); err != nil {
		return nil, err
	}
	if err := c.checkClient(true); err != nil {
		return nil, err
	}
	if err := c.checkRedirect(); err != nil {
		return nil, err
	}
	if code == "" {
		return nil, fmt.Errorf("auth: %s: the authorization code is empty: pass the code parameter of the callback", c.name())
	}
	params := optionValues(opts)
	params.Set("grant_type", "authorization_code")
	params.Set("code", code)
	params.Set("redirect_uri", c.RedirectURL)
	return c.retrieve(ctx, "exchange", params, scopes.Join(c.Scopes...))
}

// Refresh trades a refresh token for a new token. A rotated refresh token
// replaces the one sent; an answer without one keeps it. A refresh token
// the provider refuses (invalid_grant) fails with a *ReauthorizeError.
//
// narrow asks for a subset of the granted scopes, taken to be Config.Scopes;
// a scope they do not cover fails with scopes.ErrNotGranted before any
// network I/O. After a narrowing, use Narrow, which knows what the token
// still holds.
func (c *Config[S]) Refresh(ctx context.Context, refreshToken string, narrow ...S) (*oauth2.Token, error) {
	if err := c.checkNarrow(c.Scopes, narrow); err != nil {
		return nil, err
	}
	return c.refresh(ctx, refreshToken, "", time.Time{}, narrow)
}

// Narrow refreshes tok for a subset of the scopes it was granted (DLive
// applies the subset to every token of the grant). A scope tok does not
// cover fails with scopes.ErrNotGranted before any network I/O, so a
// single-use refresh token is not spent on a refusal.
func (c *Config[S]) Narrow(ctx context.Context, tok *oauth2.Token, to ...S) (*oauth2.Token, error) {
	if tok == nil {
		return nil, fmt.Errorf("auth: %s: Narrow: the token is nil", c.name())
	}
	if len(to) == 0 {
		return nil, fmt.Errorf("auth: %s: Narrow: name at least one scope to keep", c.name())
	}
	granted, err := Granted[S](tok)
	if err != nil {
		return nil, fmt.Errorf("auth: %s: Narrow: %w", c.name(), err)
	}
	if err := c.checkNarrow(granted, to); err != nil {
		return nil, err
	}
	if err := refreshExpired(c.name(), tok, time.Now()); err != nil {
		return nil, err
	}
	return c.refresh(ctx, tok.RefreshToken, "", RefreshExpiry(tok), to)
}

// refresh is Refresh with the scope to assume when the answer omits it
// (the old token's, when known), and the refresh token's expiry, kept
// when the answer does not rotate it.
func (c *Config[S]) refresh(ctx context.Context, refreshToken, oldScope string, refreshExpiry time.Time, narrow []S) (*oauth2.Token, error) {
	if err := c.Endpoint.checkToken(); err != nil {
		return nil, err
	}
	if err := c.checkClient(true); err != nil {
		return nil, err
	}
	if refreshToken == "" {
		return nil, fmt.Errorf("auth: %s: no refresh token: authorize again (AuthCodeURL, Exchange)", c.name())
	}
	params := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refreshToken}}
	if c.Endpoint.RefreshWithRedirectURL {
		if err := c.checkRedirect(); err != nil {
			return nil, fmt.Errorf("%w (the provider wants it on refresh too)", err)
		}
		params.Set("redirect_uri", c.RedirectURL)
	}
	scope := oldScope
	if scope == "" {
		scope = scopes.Join(c.Scopes...)
	}
	if len(narrow) > 0 {
		scope = scopes.Join(narrow...)
		params.Set("scope", scope)
	}
	tok, err := c.retrieveKeeping(ctx, "refresh", params, scope, refreshExpiry)
	if isInvalidGrant(err) {
		return nil, &ReauthorizeError{Provider: c.name(), Reason: ReasonInvalidGrant, Err: err}
	}
	if err != nil {
		return nil, err
	}
	if tok.RefreshToken == "" {
		tok.RefreshToken = refreshToken
	}
	return tok, nil
}

// checkNarrow reports whether narrow (if any) is a valid subset of granted.
func (c *Config[S]) checkNarrow(granted, narrow []S) error {
	if len(narrow) == 0 {
		return nil
	}
	if err := scopes.Validate(narrow...); err != nil {
		return fmt.Errorf("auth: narrowing: %w", err)
	}
	if missing := scopes.Missing(granted, narrow); len(missing) > 0 {
		return fmt.Errorf("auth: %s: cannot narrow to %v: not among the granted scopes %v: %w", c.name(), missing, granted, scopes.ErrNotGranted)
	}
	return nil
}

// ClientCredentials requests an application token with the
// client-credentials grant, with Config.Scopes when there are any.
func (c *Config[S]) ClientCredentials(ctx context.Context) (*oauth2.Token, error) {
	if err := c.Endpoint.checkToken(); err != nil {
		return nil, err
	}
	if !c.Endpoint.ClientCredentials {
		return nil, fmt.Errorf("auth: %s: the provider does not offer the client-credentials grant; use AuthCodeURL and Exchange", c.name())
	}
	if err := c.checkClient(true); err != nil {
		return nil, err
	}
	params := url.Values{"grant_type": {"client_credentials"}}
	scope := scopes.Join(c.Scopes...)
	if len(c.Scopes) > 0 {
		if err := scopes.Validate(c.Scopes...); err != nil {
			return nil, fmt.Errorf("auth: Config.Scopes: %w", err)
		}
		params.Set("scope", scope)
	}
	return c.retrieve(ctx, "client credentials", params, scope)
}

func (c *Config[S]) retrieve(ctx context.Context, what string, params url.Values, scope string) (*oauth2.Token, error) {
	return c.retrieveKeeping(ctx, what, params, scope, time.Time{})
}

// retrieveKeeping is retrieve for a refresh whose refresh token expires at
// keep, which an answer that does not rotate it keeps.
func (c *Config[S]) retrieveKeeping(ctx context.Context, what string, params url.Values, scope string, keep time.Time) (*oauth2.Token, error) {
	tr := tokenRequest{
		endpoint:          &c.Endpoint,
		clientID:          c.ClientID,
		clientSecret:      c.ClientSecret,
		params:            params,
		scope:             scope,
		keepRefreshExpiry: keep,
	}
	tok, err := tr.do(ctx)
	if err != nil {
		return nil, fmt.Errorf("auth: %s: %s: %w", c.name(), what, err)
	}
	return tok, nil
}

func (c *Config[S]) checkClient(needSecret bool) error {
	if strings.TrimSpace(c.ClientID) == "" {
		return fmt.Errorf("auth: %s: ClientID is empty: set it to the client ID the provider issued for your app", c.name())
	}
	if needSecret && c.ClientSecret == "" && c.Endpoint.AuthStyle == oauth2.AuthStyleInHeader {
		return fmt.Errorf("auth: %s: ClientSecret is empty: the provider authenticates clients with HTTP Basic", c.name())
	}
	return nil
}

func (c *Config[S]) checkRedirect() error {
	if c.RedirectURL == "" {
		return fmt.Errorf("auth: %s: RedirectURL is empty: set it to the absolute callback URL registered with the provider", c.name())
	}
	u, err := url.Parse(c.RedirectURL)
	if err != nil || !u.IsAbs() || u.Host == "" {
		return fmt.Errorf("auth: %s: RedirectURL %q is not an absolute URL: use the full callback URL, such as https://app.example/callback", c.name(), c.RedirectURL)
	}
	if u.Fragment != "" {
		return fmt.Errorf("auth: %s: RedirectURL %q has a fragment, which RFC 6749 §3.1.2 forbids", c.name(), c.RedirectURL)
	}
	if u.Scheme != "https" && !(u.Scheme == "http" && isLoopback(u.Hostname())) {
		return fmt.Errorf("auth: %s: RedirectURL %q must use https (plain http only on a loopback host such as 127.0.0.1)", c.name(), c.RedirectURL)
	}
	return nil
}

func (c *Config[S]) name() string {
	if c.Endpoint.Name != "" {
		return c.Endpoint.Name
	}
	return scopes.Provider[S]()
}

// optionValues reads the parameters that x/oauth2's AuthCodeOptions (such as
// VerifierOption) would set; their setter is unexported, so they are applied
// to a throwaway authorization URL and read back.
func optionValues(opts []oauth2.AuthCodeOption) url.Values {
	if len(opts) == 0 {
		return url.Values{}
	}
	oc := oauth2.Config{Endpoint: oauth2.Endpoint{AuthURL: "http://options.invalid/"}}
	u, err := url.Parse(oc.AuthCodeURL("", opts...))
	if err != nil {
		return url.Values{}
	}
	v := u.Query()
	v.Del("response_type")
	v.Del("client_id")
	return v
}
