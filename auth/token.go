package auth

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/redact"
	"github.com/onair-go/onair/internal/tokenrec"
)

// maxAnswer bounds how much of a token answer is read.
const maxAnswer = 1 << 20

// tokenRequest is one call to a token endpoint.
type tokenRequest struct {
	endpoint     *Endpoint
	clientID     string
	clientSecret string
	params       url.Values
	// scope is what counts as granted when the answer omits "scope"
	// (RFC 6749 §5.1), already joined with the provider's delimiter.
	scope string
	// keepRefreshExpiry is the refresh expiry of the token refreshed, kept
	// when the answer does not rotate the refresh token.
	keepRefreshExpiry time.Time
	red               redact.Set
}

// do sends the request and decodes the answer into a token.
func (tr *tokenRequest) do(ctx context.Context) (*oauth2.Token, error) {
	tr.red.Add(tr.clientSecret)
	for _, k := range []string{"code", "code_verifier", "refresh_token"} {
		tr.red.Add(tr.params.Get(k))
	}
	if tr.endpoint.AuthStyle == oauth2.AuthStyleInHeader {
		// The redactor finds a secret inside base64 by itself, but not
		// one shorter than a few bytes: name the credential too.
		tr.red.Add(basicCredential(tr.clientID, tr.clientSecret))
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, defaultRefreshTimeout)
		defer cancel()
	}
	req, err := tr.httpRequest(ctx)
	if err != nil {
		return nil, tr.red.Err(err)
	}
	// A token request carries secrets, so it follows no redirect: a 3xx is
	// reported as the answer it is.
	client := *httpClient(ctx)
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	// A lifetime counts from when the request left, not from when the
	// answer arrived: the server started its clock no later than that, so a
	// slow answer cannot make us use a token the server has expired.
	sent := time.Now()
	res, err := client.Do(req)
	if err != nil {
		// The *url.Error holds the URL, with the secrets of a GET token
		// request in its query, and the error it wraps may quote what the
		// server sent back: net/http quotes a status line, a header line
		// or a Location it cannot parse, which a broken server may make
		// an echo of the request. Every error of the chain is redacted;
		// context errors and net.Error's Timeout still answer.
		return nil, tr.red.Err(err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxAnswer+1))
	if err != nil {
		return nil, fmt.Errorf("reading the token answer: %w", tr.red.Err(err))
	}
	if len(body) > maxAnswer {
		return nil, fmt.Errorf("the token answer (HTTP %d) is larger than 1 MiB", res.StatusCode)
	}
	if res.StatusCode/100 == 3 {
		return nil, &Error{StatusCode: res.StatusCode, Body: "redirect to " + tr.red.URL(res.Header.Get("Location")) + " not followed: token requests carry secrets"}
	}
	return decodeAnswer(res.StatusCode, res.Header.Get("Content-Type"), body, tr.endpoint, tr.scope, sent, tr.keepRefreshExpiry, &tr.red)
}

func (tr *tokenRequest) httpRequest(ctx context.Context) (*http.Request, error) {
	v := url.Values{}
	for k, vs := range tr.params {
		v[k] = vs
	}
	if tr.endpoint.AuthStyle == oauth2.AuthStyleInParams {
		v.Set("client_id", tr.clientID)
		if tr.clientSecret != "" {
			v.Set("client_secret", tr.clientSecret)
		}
	}
	var req *http.Request
	var err error
	if tr.endpoint.TokenMethod == http.MethodGet {
		u, perr := url.Parse(tr.endpoint.TokenURL)
		if perr != nil {
			return nil, perr
		}
		q := u.Query()
		for k, vs := range v {
			q[k] = vs
		}
		u.RawQuery = q.Encode()
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	} else {
		req, err = http.NewRequestWithContext(ctx, http.MethodPost, tr.endpoint.TokenURL, strings.NewReader(v.Encode()))
		if req != nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
	}
	if err != nil {
		return nil, fmt.Errorf("building the token request: %w", err)
	}
	req.Header.Set("Accept", "application/json")
	if tr.endpoint.AuthStyle == oauth2.AuthStyleInHeader {
		req.Header.Set("Authorization", "Basic "+basicCredential(tr.clientID, tr.clientSecret))
	}
	return req, nil
}

// basicCredential is the credential of HTTP Basic client authentication:
// RFC 6749 §2.3.1 form-encodes the ID and the secret before RFC 7617
// joins them with a colon and encodes them in base64.
func basicCredential(id, secret string) string {
	return base64.StdEncoding.EncodeToString([]byte(url.QueryEscape(id) + ":" + url.QueryEscape(secret)))
}

// httpClient returns the client x/oauth2 users already pass in ctx under
// oauth2.HTTPClient, or http.DefaultClient.
func httpClient(ctx context.Context) *http.Client {
	if c, ok := ctx.Value(oauth2.HTTPClient).(*http.Client); ok && c != nil {
		return c
	}
	return http.DefaultClient
}

// tokenAnswer holds the fields of a token answer onair reads; every field
// stays reachable through Token.Extra.
type tokenAnswer struct {
	AccessToken      string          `json:"access_token"`
	RefreshToken     string          `json:"refresh_token"`
	ExpiresIn        json.RawMessage `json:"expires_in"`
	RefreshExpiresIn json.RawMessage `json:"refresh_expires_in"`
	Expiry           string          `json:"expiry"`
	Scope            json.RawMessage `json:"scope"`
	Error            string          `json:"error"`
	ErrorDescription string          `json:"error_description"`
	ErrorURI         string          `json:"error_uri"`
}

// decodeToken turns a token endpoint's answer into a token or an *Error.
// now is when the request was sent; lifetimes count from it.
func decodeToken(status int, contentType string, body []byte, e *Endpoint, scope string, now time.Time, red *redact.Set) (*oauth2.Token, error) {
	return decodeAnswer(status, contentType, body, e, scope, now, time.Time{}, red)
}

// decodeAnswer is decodeToken for a refresh whose refresh token expires at
// keep (zero: unknown), which an answer without a new refresh token keeps.
func decodeAnswer(status int, contentType string, body []byte, e *Endpoint, scope string, now, keep time.Time, red *redact.Set) (*oauth2.Token, error) {
	// Redact before cutting, so a secret at the cut cannot leak a prefix;
	// a first, wider cut spares redacting all of a 1 MiB answer.
	quote := func() string { return red.Text(excerpt([]byte(red.Text(excerpt(body, 4096))), 120)) }
	var ans tokenAnswer
	var raw map[string]any
	jsonErr := json.Unmarshal(body, &ans)
	if jsonErr == nil {
		jsonErr = json.Unmarshal(body, &raw)
	}
	if jsonErr != nil || raw == nil {
		if mt, _, _ := mime.ParseMediaType(contentType); jsonErr != nil && strings.HasSuffix(mt, "json") && status/100 == 2 {
			return nil, &Error{StatusCode: status, Body: quote() + " (malformed JSON)"}
		}
		return nil, &Error{StatusCode: status, Body: quote()}
	}
	if ans.Error != "" {
		return nil, &Error{
			StatusCode:  status,
			Code:        red.Text(ans.Error),
			Description: red.Text(ans.ErrorDescription),
			URI:         red.Text(ans.ErrorURI),
		}
	}
	if status/100 != 2 {
		return nil, &Error{StatusCode: status, Body: quote()}
	}
	if ans.AccessToken == "" {
		return nil, &Error{StatusCode: status, Body: "token answer has no access_token"}
	}

	tok := &oauth2.Token{
		AccessToken:  ans.AccessToken,
		TokenType:    "Bearer", // whatever token_type says; it stays in Extra
		RefreshToken: ans.RefreshToken,
	}
	if secs := parseExpiresIn(ans.ExpiresIn); secs != 0 {
		tok.ExpiresIn = secs
		tok.Expiry = now.Add(time.Duration(secs) * time.Second)
	} else if t, err := time.Parse(time.RFC3339, ans.Expiry); err == nil && !t.IsZero() && t.Year() > 1 {
		tok.Expiry = t
		tok.ExpiresIn = max(0, int64(t.Sub(now).Seconds()))
	} else if e.DefaultLifetime > 0 {
		// DLive's zero "expiry" means the documented lifetime, not "never".
		tok.ExpiresIn = int64(e.DefaultLifetime / time.Second)
		tok.Expiry = now.Add(e.DefaultLifetime)
	}
	if exp := refreshExpiry(&ans, e, now, keep); !exp.IsZero() {
		raw[tokenrec.ExtraRefreshExpiry] = exp
	} else {
		delete(raw, tokenrec.ExtraRefreshExpiry) // the server's, not ours
	}
	delete(raw, tokenrec.ExtraReauthorize) // a server cannot mark its answer a marker
	if granted, ok := parseScopeField(ans.Scope); ok {
		raw["scope"] = granted
	} else {
		raw["scope"] = scope
	}
	return tok.WithExtra(raw), nil
}

// refreshExpiry returns when the answer's refresh token expires (zero:
// unknown or never): Keycloak states it in refresh_expires_in, where 0
// means never; otherwise the Endpoint's documented RefreshLifetime counts
// from now. An answer that does not rotate the refresh token keeps keep.
func refreshExpiry(ans *tokenAnswer, e *Endpoint, now, keep time.Time) time.Time {
	switch {
	case ans.RefreshToken == "":
		return keep
	case len(ans.RefreshExpiresIn) > 0 && string(ans.RefreshExpiresIn) != "null":
		if secs := parseExpiresIn(ans.RefreshExpiresIn); secs != 0 {
			return now.Add(time.Duration(secs) * time.Second) // negative: already expired
		}
		return time.Time{}
	case e.RefreshLifetime > 0:
		return now.Add(e.RefreshLifetime)
	}
	return time.Time{}
}

// parseExpiresIn reads expires_in as a number or a numeric string (some
// servers quote it); anything else is 0, "not stated". A negative value
// means the token is already expired, as x/oauth2 reads it, so that the
// token source reports it rather than taking it for a token without a
// lifetime. Values are clamped to ±int32 as x/oauth2 does.
func parseExpiresIn(raw json.RawMessage) int64 {
	s := strings.Trim(strings.TrimSpace(string(raw)), `"`)
	if s == "" || s == "null" {
		return 0
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) {
		return 0
	}
	return int64(math.Max(math.Min(f, math.MaxInt32), math.MinInt32))
}

// parseScopeField reads "scope" as a string or, as Twitch-like servers send
// it, an array of strings, and returns it space-joined.
func parseScopeField(raw json.RawMessage) (string, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", false
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, true
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, " "), true
	}
	return "", false
}
