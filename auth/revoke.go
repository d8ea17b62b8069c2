package auth

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/redact"
)

// ErrRevocationUnsupported is matched by the error of Revoke and Logout
// for a provider whose Endpoint has no RevokeURL, or whose RevokeURL
// answers 404 or 405 (no endpoint there: some RevokeURLs are assumed).
var ErrRevocationUnsupported = errors.New("the provider offers no token revocation")

// Revoke makes tok invalid at the provider's revocation endpoint (RFC
// 7009): its refresh token first, which revokes the access tokens of the
// same authorization on servers that follow RFC 7009 §2.1, then its access
// token. The client authenticates as at TokenURL (Endpoint.AuthStyle). A
// token the server does not know counts as revoked, as RFC 7009 says.
// Without a RevokeURL, Revoke fails with ErrRevocationUnsupported and the
// tokens stay valid until they expire.
func (c *Config[S]) Revoke(ctx context.Context, tok *oauth2.Token) error {
	if err := c.revokeAll(ctx, tok); err != nil {
		return fmt.Errorf("auth: %s: %w", c.name(), err)
	}
	return nil
}

// Logout ends the authorization stored under key: under the key's lock
// (Store.Update) it revokes the stored tokens (Revoke) and replaces them
// by the ReasonRevoked marker, so that every token source of the key, in
// any process, fails with a ReauthorizeError instead of using them.
//
// When the provider offers no revocation, the marker still replaces the
// tokens and Logout returns an error matching ErrRevocationUnsupported:
// the provider keeps them valid until they expire. When revocation fails
// otherwise (a network error, say), the tokens stay stored and Logout
// returns the error, so that it can be tried again. A key with nothing
// stored, or a marker, gets the marker without a request.
func (c *Config[S]) Logout(ctx context.Context, st Store, key string) error {
	if st == nil {
		return fmt.Errorf("auth: %s: Logout needs a Store", c.name())
	}
	var revokeErr error
	var red redact.Set
	_, err := st.Update(ctx, key, func(ctx context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
		if _, marked := NeedsReauthorization(cur); cur != nil && !marked {
			red.Add(cur.AccessToken, cur.RefreshToken)
			revokeErr = c.revokeAll(ctx, cur)
			if revokeErr != nil && !errors.Is(revokeErr, ErrRevocationUnsupported) {
				return nil, revokeErr
			}
		}
		return MarkReauthorize(ReasonRevoked), nil
	})
	switch {
	case err != nil && err == revokeErr:
		return fmt.Errorf("auth: %s: key %q: logout: the stored token is kept, try again: %w", c.name(), key, err)
	case err != nil:
		return fmt.Errorf("auth: %s: key %q: logout: %w", c.name(), key, red.Err(err))
	case revokeErr != nil:
		return fmt.Errorf("auth: %s: key %q: logged out in the store only: %w", c.name(), key, revokeErr)
	}
	return nil
}

// revokeAll is Revoke without the provider's name in its errors.
func (c *Config[S]) revokeAll(ctx context.Context, tok *oauth2.Token) error {
	if c.Endpoint.Err != nil {
		return c.Endpoint.Err
	}
	if c.Endpoint.RevokeURL == "" {
		return fmt.Errorf("%w: its tokens stay valid until they expire", ErrRevocationUnsupported)
	}
	if err := checkServerURL(c.name(), "RevokeURL", c.Endpoint.RevokeURL); err != nil {
		return err
	}
	if err := c.checkClient(true); err != nil {
		return err
	}
	if tok == nil {
		return errors.New("revoking: the token is nil")
	}
	for _, t := range []struct{ value, hint string }{
		{tok.RefreshToken, "refresh_token"},
		{tok.AccessToken, "access_token"},
	} {
		if t.value == "" {
			continue
		}
		err := c.revokeOne(ctx, t.value, t.hint, tok.AccessToken, tok.RefreshToken)
		var e *Error
		if err != nil && t.hint == "access_token" && tok.RefreshToken != "" && errors.As(err, &e) && e.Code == "unsupported_token_type" {
			// RFC 7009 §2.2.1: a server that revokes refresh tokens only;
			// revoking the refresh token ended the grant it belongs to.
			err = nil
		}
		if err != nil {
			return fmt.Errorf("revoking the %s: %w", strings.ReplaceAll(t.hint, "_", " "), err)
		}
	}
	return nil
}

// revokeOne sends one RFC 7009 revocation request. Its errors hide
// secrets too, the tokens of the pair: the server knows both, and an
// answer about one may quote the other.
func (c *Config[S]) revokeOne(ctx context.Context, token, hint string, secrets ...string) error {
	var red redact.Set
	red.Add(c.ClientSecret, token)
	red.Add(secrets...)
	form := url.Values{"token": {token}, "token_type_hint": {hint}}
	if c.Endpoint.AuthStyle == oauth2.AuthStyleInParams {
		form.Set("client_id", c.ClientID)
		if c.ClientSecret != "" {
			form.Set("client_secret", c.ClientSecret)
		}
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultRefreshTimeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.Endpoint.RevokeURL, strings.NewReader(form.Encode()))
	if err != nil {
		return fmt.Errorf("building the revocation request: %w", red.Err(err))
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	if c.Endpoint.AuthStyle == oauth2.AuthStyleInHeader {
		cred := basicCredential(c.ClientID, c.ClientSecret)
		red.Add(cred)
		req.Header.Set("Authorization", "Basic "+cred)
	}
	// Like a token request, a revocation carries secrets: no redirects.
	client := *httpClient(ctx)
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res, err := client.Do(req)
	if err != nil {
		return red.Err(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxAnswer))
	if err != nil {
		return fmt.Errorf("reading the revocation answer: %w", red.Err(err))
	}
	switch res.StatusCode / 100 {
	case 2:
		return nil
	case 3:
		return &Error{StatusCode: res.StatusCode, Body: "redirect to " + red.URL(res.Header.Get("Location")) + " not followed: revocation requests carry secrets"}
	}
	if res.StatusCode == http.StatusNotFound || res.StatusCode == http.StatusMethodNotAllowed {
		// No revocation endpoint there: the RevokeURLs of this module are
		// assumptions, and retrying cannot make one appear.
		return fmt.Errorf("%w: %s answered HTTP %d: its tokens stay valid until they expire", ErrRevocationUnsupported, red.URL(c.Endpoint.RevokeURL), res.StatusCode)
	}
	// An error answer has the shape of a token endpoint's (RFC 7009 §2.2.1).
	_, err = decodeToken(res.StatusCode, res.Header.Get("Content-Type"), body, &c.Endpoint, "", time.Now(), &red)
	return err
}
