package auth_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

const redirectURI = "http://127.0.0.1:9/callback"

// authorize follows the consent step as a browser would, without
// following the redirect back to the app, and returns the callback query.
func authorize(t *testing.T, authURL string) url.Values {
	t.Helper()
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.Get(authURL)
	if err != nil {
		t.Fatalf("GET authorize: %v", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusFound {
		body, _ := io.ReadAll(res.Body)
		t.Fatalf("authorize answered %d: %s", res.StatusCode, body)
	}
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc.Query()
}

// wire is what a dialect must put on the wire for a token request.
type wire struct {
	method string
	// where the parameters travel: "query" or "form"
	in string
	// basic is true when the client authenticates with HTTP Basic.
	basic bool
}

// flowCase is an authorization-code provider under test; the type
// parameter is hidden behind closures so one table holds all providers.
type flowCase struct {
	name      string
	dialect   authserver.Dialect
	endpoint  auth.Endpoint
	wire      wire
	scopeSep  string
	tokenType string
	lifetime  time.Duration
	// run performs AuthCodeURL, consent, Exchange, an API call and a
	// refresh, and reports what it saw.
	run func(t *testing.T, f *authserver.Fake) flowResult
}

type flowResult struct {
	authQuery      url.Values
	tok, refreshed *oauth2.Token
	granted        []string
	apiStatus      int
}

func runFlow[S scopes.Scope](sc []S) func(t *testing.T, f *authserver.Fake) flowResult {
	return func(t *testing.T, f *authserver.Fake) flowResult {
		ctx := context.Background()
		cfg := &auth.Config[S]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, RedirectURL: redirectURI, Scopes: sc, Endpoint: f.Endpoint}
		verifier := oauth2.GenerateVerifier()
		u, err := cfg.AuthCodeURL("state-123", oauth2.S256ChallengeOption(verifier))
		if err != nil {
			t.Fatalf("AuthCodeURL: %v", err)
		}
		pu, _ := url.Parse(u)
		cb := authorize(t, u)
		if cb.Get("state") != "state-123" {
			t.Fatalf("state not echoed: %v", cb)
		}
		tok, err := cfg.Exchange(ctx, cb.Get("code"), oauth2.VerifierOption(verifier))
		if err != nil {
			t.Fatalf("Exchange: %v", err)
		}
		granted, err := auth.Granted[S](tok)
		if err != nil {
			t.Fatalf("Granted: %v", err)
		}
		res, err := cfg.Client(ctx, tok).Get(f.APIURL)
		if err != nil {
			t.Fatalf("API call: %v", err)
		}
		res.Body.Close()
		refreshed, err := cfg.Refresh(ctx, tok.RefreshToken)
		if err != nil {
			t.Fatalf("Refresh: %v", err)
		}
		var g []string
		for _, s := range granted {
			g = append(g, string(s))
		}
		return flowResult{authQuery: pu.Query(), tok: tok, refreshed: refreshed, granted: g, apiStatus: res.StatusCode}
	}
}

func TestAuthorizationCodeDialects(t *testing.T) {
	cases := []flowCase{
		{
			name: "livepush", dialect: livepushtest.Dialect(), endpoint: livepush.Endpoint,
			wire:     wire{method: http.MethodGet, in: "query"},
			scopeSep: ",", tokenType: "access_token", lifetime: time.Hour,
			run: runFlow([]scopes.Livepush{scopes.LivepushStreamsRead, scopes.LivepushStreamsCreate}),
		},
		{
			name: "livestorm", dialect: livestormtest.Dialect(), endpoint: livestorm.Endpoint,
			wire:     wire{method: http.MethodPost, in: "form"},
			scopeSep: " ", tokenType: "Bearer", lifetime: 2 * time.Hour,
			run: runFlow([]scopes.Livestorm{scopes.LivestormIdentityRead, scopes.LivestormEventsWrite}),
		},
		{
			name: "dlive", dialect: dlivetest.Dialect(), endpoint: dlive.Endpoint,
			wire:     wire{method: http.MethodPost, in: "form", basic: true},
			scopeSep: " ", tokenType: "Bearer", lifetime: 30 * 24 * time.Hour,
			run: runFlow([]scopes.DLive{scopes.DLiveIdentity, scopes.DLiveChatWrite}),
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := authserver.Start(tc.dialect, tc.endpoint, redirectURI)
			defer f.Close()
			start := time.Now()
			r := tc.run(t, f)

			// The consent URL: the dialect's delimiter, state and PKCE.
			wantScope := strings.Join(r.granted, tc.scopeSep)
			gotAuth := map[string]string{}
			for _, k := range []string{"client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge_method"} {
				gotAuth[k] = r.authQuery.Get(k)
			}
			wantAuth := map[string]string{
				"client_id": f.Client.ID, "redirect_uri": redirectURI, "response_type": "code",
				"scope": wantScope, "state": "state-123", "code_challenge_method": "S256",
			}
			if d := cmp.Diff(wantAuth, gotAuth); d != "" {
				t.Errorf("authorization URL (-want +got):\n%s", d)
			}

			// The token: Bearer whatever token_type said, raw fields kept,
			// lifetime as documented (DLive's zero expiry is 30 days).
			if got := r.tok.Type(); got != "Bearer" {
				t.Errorf("Type() = %q, want Bearer", got)
			}
			if got := r.tok.Extra("token_type"); got != tc.tokenType {
				t.Errorf("Extra(token_type) = %v, want %q", got, tc.tokenType)
			}
			if lo, hi := start.Add(tc.lifetime), time.Now().Add(tc.lifetime); r.tok.Expiry.Before(lo) || r.tok.Expiry.After(hi) {
				t.Errorf("Expiry = %v, want between %v and %v", r.tok.Expiry, lo, hi)
			}
			if tc.name == "livestorm" {
				if _, ok := r.tok.Extra("created_at").(float64); !ok {
					t.Errorf("Extra(created_at) = %v, want a number", r.tok.Extra("created_at"))
				}
			}
			if r.tok.RefreshToken == "" || r.refreshed.AccessToken == "" || r.refreshed.AccessToken == r.tok.AccessToken {
				t.Errorf("refresh did not produce a new token: %+v -> %+v", r.tok, r.refreshed)
			}
			if r.apiStatus != http.StatusOK {
				t.Errorf("API call with the token: status %d, want 200", r.apiStatus)
			}

			// The wire: each request exactly as the provider wants it.
			reqs := f.TokenRequests()
			if len(reqs) != 2 {
				t.Fatalf("token requests = %d, want 2 (exchange, refresh)", len(reqs))
			}
			for i, grant := range []string{"authorization_code", "refresh_token"} {
				req := reqs[i]
				params := req.Form
				if tc.wire.in == "query" {
					params = req.Query
				}
				if req.Method != tc.wire.method || req.HasBasic != tc.wire.basic || params.Get("grant_type") != grant {
					t.Errorf("%s request: method %s basic %v grant %q; want %s basic %v grant %q",
						grant, req.Method, req.HasBasic, params.Get("grant_type"), tc.wire.method, tc.wire.basic, grant)
				}
				wantCreds := !tc.wire.basic
				if got := params.Has("client_id") && params.Has("client_secret"); got != wantCreds {
					t.Errorf("%s request: client credentials in parameters = %v, want %v", grant, got, wantCreds)
				}
			}
			if got := reqs[0].Query.Get("redirect_uri") + reqs[0].Form.Get("redirect_uri"); got != redirectURI {
				t.Errorf("exchange redirect_uri = %q, want %q", got, redirectURI)
			}
			if tc.name == "livepush" && reqs[1].Query.Get("redirect_uri") != redirectURI {
				t.Errorf("livepush refresh: redirect_uri = %q, want %q", reqs[1].Query.Get("redirect_uri"), redirectURI)
			}
		})
	}
}

// A refresh answer without scope keeps the old token's scope (RFC 6749
// §6), not whatever the Config happens to list.
func TestSourceKeepsScopeWhenAnswerOmitsIt(t *testing.T) {
	f := authserver.Start(livepushtest.Dialect(), livepush.Endpoint, redirectURI)
	defer f.Close()
	r := runFlow([]scopes.Livepush{scopes.LivepushStreamsRead})(t, f)
	cfg := &auth.Config[scopes.Livepush]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, RedirectURL: redirectURI,
		Scopes: []scopes.Livepush{scopes.LivepushProfileRead}, Endpoint: f.Endpoint}
	old := *r.refreshed
	old.Expiry = time.Now().Add(-time.Second)
	tok, err := cfg.TokenSource(context.Background(), old.WithExtra(map[string]any{"scope": "streams.read"})).Token()
	if err != nil {
		t.Fatal(err)
	}
	if got := tok.Extra("scope"); got != "streams.read" || tok.AccessToken == old.AccessToken {
		t.Errorf("refreshed token: scope %v (new token: %v), want streams.read", got, tok.AccessToken != old.AccessToken)
	}
}

// When the answer omits scope, the requested scopes count as granted.
func TestOmittedScopeMeansRequested(t *testing.T) {
	f := authserver.Start(livepushtest.Dialect(), livepush.Endpoint, redirectURI)
	defer f.Close()
	want := []scopes.Livepush{scopes.LivepushProfileRead, scopes.LivepushStreamsDestinationsWrite}
	r := runFlow(want)(t, f)
	if d := cmp.Diff([]string{"profile.read", "streams.destinations.write"}, r.granted); d != "" {
		t.Errorf("granted (-want +got):\n%s", d)
	}
	if got := r.tok.Extra("scope"); got != "profile.read,streams.destinations.write" {
		t.Errorf("Extra(scope) = %v", got)
	}
}

func TestDLiveRefreshRotatesAndNarrows(t *testing.T) {
	ctx := context.Background()
	f := authserver.Start(dlivetest.Dialect(), dlive.Endpoint, redirectURI)
	defer f.Close()
	cfg := &auth.Config[scopes.DLive]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, RedirectURL: redirectURI,
		Scopes: []scopes.DLive{scopes.DLiveIdentity, scopes.DLiveChatWrite, scopes.DLiveStreamkeyRead}, Endpoint: f.Endpoint}
	u, err := cfg.AuthCodeURL("s")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cfg.Exchange(ctx, authorize(t, u).Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	if tok.Extra("expiry") != "0001-01-01T00:00:00Z" || tok.Extra("expires_in") != nil {
		t.Fatalf("the fake did not answer with DLive's zero expiry: %v %v", tok.Extra("expiry"), tok.Extra("expires_in"))
	}

	// Narrowing to a scope never granted fails before any network I/O.
	before := len(f.TokenRequests())
	_, err = cfg.Refresh(ctx, tok.RefreshToken, scopes.DLiveEmailRead)
	if !errors.Is(err, scopes.ErrNotGranted) {
		t.Fatalf("narrowing to email:read: err = %v, want ErrNotGranted", err)
	}
	if n := len(f.TokenRequests()); n != before {
		t.Fatalf("narrowing to an ungranted scope sent %d requests", n-before)
	}

	narrowed, err := cfg.Refresh(ctx, tok.RefreshToken, scopes.DLiveStreamkeyRead)
	if err != nil {
		t.Fatalf("narrowing refresh: %v", err)
	}
	granted, err := auth.Granted[scopes.DLive](narrowed)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]scopes.DLive{scopes.DLiveStreamkeyRead}, granted); d != "" {
		t.Errorf("granted after narrowing (-want +got):\n%s", d)
	}
	if got := f.TokenRequests()[len(f.TokenRequests())-1].Form.Get("scope"); got != "streamkey:read" {
		t.Errorf("refresh sent scope %q, want streamkey:read", got)
	}
	if narrowed.RefreshToken == tok.RefreshToken {
		t.Errorf("refresh token did not rotate")
	}

	// After narrowing, Narrow knows identity is no longer granted, though
	// Config.Scopes still names it: refused without spending the token.
	before = len(f.TokenRequests())
	if _, err := cfg.Narrow(ctx, narrowed, scopes.DLiveIdentity); !errors.Is(err, scopes.ErrNotGranted) {
		t.Fatalf("Narrow to a scope narrowed away: err = %v, want ErrNotGranted", err)
	}
	if n := len(f.TokenRequests()); n != before {
		t.Fatalf("Narrow to an ungranted scope sent %d requests", n-before)
	}
	if _, err := cfg.Narrow(ctx, narrowed, scopes.DLiveStreamkeyRead); err != nil {
		t.Fatalf("the narrowed token's refresh token was spent: %v", err)
	}

	// The spent refresh token is refused with invalid_grant.
	_, err = cfg.Refresh(ctx, tok.RefreshToken)
	var ae *auth.Error
	if !errors.As(err, &ae) || ae.Code != "invalid_grant" || ae.StatusCode != http.StatusBadRequest {
		t.Fatalf("reusing a spent refresh token: err = %v, want *auth.Error invalid_grant 400", err)
	}
	if strings.Contains(err.Error(), tok.RefreshToken) {
		t.Errorf("error text holds the refresh token: %v", err)
	}
}

func TestClientCredentialsDialects(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name     string
		dialect  authserver.Dialect
		endpoint auth.Endpoint
		get      func(*authserver.Fake) (*oauth2.Token, error)
		basic    bool
		path     string
		extra    map[string]any
	}{
		{
			name: "streamdiver", dialect: streamdivertest.Dialect(), endpoint: streamdiver.Endpoint("acme"),
			get: func(f *authserver.Fake) (*oauth2.Token, error) {
				cfg := &auth.Config[scopes.Streamdiver]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, Endpoint: f.Endpoint}
				return cfg.ClientCredentials(ctx)
			},
			path:  "/realms/acme/protocol/openid-connect/token",
			extra: map[string]any{"refresh_expires_in": float64(0), "not-before-policy": float64(0), "scope": "email profile"},
		},
		{
			name: "dlive", dialect: dlivetest.Dialect(), endpoint: dlive.Endpoint,
			get: func(f *authserver.Fake) (*oauth2.Token, error) {
				cfg := &auth.Config[scopes.DLive]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, Endpoint: f.Endpoint}
				return cfg.ClientCredentials(ctx)
			},
			basic: true, path: "/o/token",
			extra: map[string]any{"scope": ""},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := authserver.Start(tc.dialect, tc.endpoint, redirectURI)
			defer f.Close()
			tok, err := tc.get(f)
			if err != nil {
				t.Fatalf("ClientCredentials: %v", err)
			}
			if !strings.HasSuffix(f.Endpoint.TokenURL, tc.path) {
				t.Errorf("TokenURL %s, want path %s", f.Endpoint.TokenURL, tc.path)
			}
			if tok.Type() != "Bearer" || tok.RefreshToken != "" || tok.Expiry.IsZero() {
				t.Errorf("token = type %q refresh %q expiry %v; want Bearer, none, set", tok.Type(), tok.RefreshToken, tok.Expiry)
			}
			got := map[string]any{}
			for k := range tc.extra {
				got[k] = tok.Extra(k)
			}
			if d := cmp.Diff(tc.extra, got); d != "" {
				t.Errorf("Extra (-want +got):\n%s", d)
			}
			req := f.TokenRequests()[0]
			if req.HasBasic != tc.basic || req.Form.Has("client_secret") == tc.basic || req.Form.Get("grant_type") != "client_credentials" {
				t.Errorf("request: basic %v, client_secret in body %v, grant %q", req.HasBasic, req.Form.Has("client_secret"), req.Form.Get("grant_type"))
			}
		})
	}
}

// A client-credentials source asks for a new token when the old one nears
// expiry, since Streamdiver issues no refresh tokens.
func TestClientCredentialsSourceRenews(t *testing.T) {
	f := authserver.Start(streamdivertest.Dialect(), streamdiver.Endpoint("acme"), redirectURI)
	defer f.Close()
	f.SetLifetime(time.Second)
	cfg := &auth.Config[scopes.Streamdiver]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, Endpoint: f.Endpoint}
	ts := cfg.ClientCredentialsTokenSource(context.Background())
	first, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	again, _ := ts.Token()
	if again != first {
		t.Errorf("a fresh token was not reused")
	}
	time.Sleep(time.Until(first.Expiry) + 10*time.Millisecond)
	next, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	if next.AccessToken == first.AccessToken {
		t.Errorf("no new token after expiry")
	}
	if n := f.Stats().ClientCredentials; n != 2 {
		t.Errorf("client-credentials requests = %d, want 2", n)
	}
}

func TestBadInput(t *testing.T) {
	ctx := context.Background()
	ls := func(mut func(*auth.Config[scopes.Livestorm])) *auth.Config[scopes.Livestorm] {
		c := &auth.Config[scopes.Livestorm]{ClientID: "id", ClientSecret: "secret", RedirectURL: "https://app.example/cb",
			Scopes: []scopes.Livestorm{scopes.LivestormEventsRead}, Endpoint: livestorm.Endpoint}
		if mut != nil {
			mut(c)
		}
		return c
	}
	authURL := func(c *auth.Config[scopes.Livestorm]) error { _, err := c.AuthCodeURL("state"); return err }
	cases := []struct {
		name string
		call func() error
		is   error
		want string // a part of the message
	}{
		{"empty client id", func() error { return authURL(ls(func(c *auth.Config[scopes.Livestorm]) { c.ClientID = "" })) },
			nil, "ClientID is empty"},
		{"relative redirect", func() error {
			return authURL(ls(func(c *auth.Config[scopes.Livestorm]) { c.RedirectURL = "/callback" }))
		},
			nil, `RedirectURL "/callback" is not an absolute URL`},
		{"plain http redirect", func() error {
			return authURL(ls(func(c *auth.Config[scopes.Livestorm]) { c.RedirectURL = "http://app.example/cb" }))
		}, nil, "must use https"},
		{"empty state", func() error { _, err := ls(nil).AuthCodeURL(""); return err }, nil, "state is empty"},
		{"empty code", func() error { _, err := ls(nil).Exchange(ctx, ""); return err }, nil, "authorization code is empty"},
		{"empty refresh token", func() error { _, err := ls(nil).Refresh(ctx, ""); return err }, nil, "no refresh token"},
		{"exclusive scope", func() error {
			return authURL(ls(func(c *auth.Config[scopes.Livestorm]) {
				c.Scopes = []scopes.Livestorm{scopes.LivestormFullWrite, scopes.LivestormEventsRead}
			}))
		}, scopes.ErrExclusive, `"full:write" must be the only scope`},
		{"no scope", func() error { return authURL(ls(func(c *auth.Config[scopes.Livestorm]) { c.Scopes = nil })) },
			scopes.ErrNoScopes, "at least one scope"},
		{"auto-detect auth style", func() error {
			return authURL(ls(func(c *auth.Config[scopes.Livestorm]) { c.Endpoint.AuthStyle = oauth2.AuthStyleAutoDetect }))
		}, nil, "AuthStyle must be"},
		{"plain http token url", func() error {
			return authURL(ls(func(c *auth.Config[scopes.Livestorm]) { c.Endpoint.TokenURL = "http://app.livestorm.co/oauth/token" }))
		}, nil, "must use https"},
		{"client credentials not offered", func() error { _, err := ls(nil).ClientCredentials(ctx); return err },
			nil, "does not offer the client-credentials grant"},
		{"streamdiver has no consent page", func() error {
			c := &auth.Config[scopes.Streamdiver]{ClientID: "id", RedirectURL: "https://app.example/cb", Endpoint: streamdiver.Endpoint("acme")}
			_, err := c.AuthCodeURL("state")
			return err
		}, nil, "no authorization endpoint"},
		{"streamdiver empty tenant", func() error {
			c := &auth.Config[scopes.Streamdiver]{ClientID: "id", ClientSecret: "s", Endpoint: streamdiver.Endpoint("")}
			_, err := c.ClientCredentials(ctx)
			return err
		}, nil, "tenant shortcode is empty"},
		{"streamdiver tenant is a path", func() error {
			c := &auth.Config[scopes.Streamdiver]{ClientID: "id", ClientSecret: "s", Endpoint: streamdiver.Endpoint("acme/../other")}
			_, err := c.ClientCredentials(ctx)
			return err
		}, nil, "is malformed"},
		{"dlive needs a secret for Basic", func() error {
			c := &auth.Config[scopes.DLive]{ClientID: "id", Endpoint: dlive.Endpoint}
			_, err := c.ClientCredentials(ctx)
			return err
		}, nil, "ClientSecret is empty"},
		{"dlive needs a scope", func() error {
			c := &auth.Config[scopes.DLive]{ClientID: "id", ClientSecret: "s", RedirectURL: "https://app.example/cb", Endpoint: dlive.Endpoint}
			_, err := c.AuthCodeURL("state")
			return err
		}, scopes.ErrNoScopes, "dlive"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.call()
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("error %v is not %v", err, tc.is)
			}
		})
	}
}

// Bad input fails before any request: the fake must see nothing.
func TestBadInputSendsNothing(t *testing.T) {
	f := authserver.Start(livestormtest.Dialect(), livestorm.Endpoint, redirectURI)
	defer f.Close()
	cfg := &auth.Config[scopes.Livestorm]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, RedirectURL: "cb", Endpoint: f.Endpoint}
	if _, err := cfg.Exchange(context.Background(), "code"); err == nil {
		t.Fatal("Exchange with a relative RedirectURL succeeded")
	}
	if n := len(f.TokenRequests()); n != 0 {
		t.Errorf("%d token requests sent for bad input", n)
	}
}

func TestTokenEndpointErrors(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		fault  *authserver.Fault
		secret func(*authserver.Fake) string // overrides the client secret
		want   auth.Error
	}{
		{name: "invalid_grant", fault: &authserver.Fault{Code: "invalid_grant"},
			want: auth.Error{StatusCode: 400, Code: "invalid_grant", Description: "injected fault"}},
		{name: "wrong secret", secret: func(*authserver.Fake) string { return "not-the-registered-secret" },
			want: auth.Error{StatusCode: 401, Code: "invalid_client", Description: "unknown client or wrong secret"}},
		{name: "html 500", fault: &authserver.Fault{Status: 500, Body: "<html><body>\n  <h1>Internal   Server Error</h1></body></html>"},
			want: auth.Error{StatusCode: 500, Body: "<html><body> <h1>Internal Server Error</h1></body></html>"}},
		{name: "html 200", fault: &authserver.Fault{Status: 200, Body: "<p>maintenance</p>"},
			want: auth.Error{StatusCode: 200, Body: "<p>maintenance</p>"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f := authserver.Start(livestormtest.Dialect(), livestorm.Endpoint, redirectURI)
			defer f.Close()
			secret := f.Client.Secret
			if tc.secret != nil {
				secret = tc.secret(f)
			}
			if tc.fault != nil {
				f.Fail(*tc.fault)
			}
			cfg := &auth.Config[scopes.Livestorm]{ClientID: f.Client.ID, ClientSecret: secret, RedirectURL: redirectURI, Endpoint: f.Endpoint}
			_, err := cfg.Refresh(ctx, "rt-secret-value")
			var ae *auth.Error
			if !errors.As(err, &ae) {
				t.Fatalf("err = %v, want *auth.Error", err)
			}
			if d := cmp.Diff(tc.want, *ae); d != "" {
				t.Errorf("*auth.Error (-want +got):\n%s", d)
			}
			if !strings.HasPrefix(err.Error(), "auth: livestorm: ") || !strings.Contains(err.Error(), "refresh: ") {
				t.Errorf("error text %q does not say where it failed", err)
			}
		})
	}
}

// Secrets never reach an error text: not in a *url.Error around Livepush's
// GET URL, not echoed back in an HTML page.
func TestErrorsCarryNoSecrets(t *testing.T) {
	ctx := context.Background()
	const secret, code, verifier = "client-secret-XYZ", "auth-code-ABC", "verifier-0123456789-verifier-0123456789-abc"

	t.Run("url error of a GET token request", func(t *testing.T) {
		f := authserver.Start(livepushtest.Dialect(), livepush.Endpoint, redirectURI)
		f.HTTP.Config.Handler = hangUp
		defer f.Close()
		cfg := &auth.Config[scopes.Livepush]{ClientID: "id", ClientSecret: secret, RedirectURL: redirectURI, Endpoint: f.Endpoint}
		_, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
		var ue *url.Error
		if !errors.As(err, &ue) {
			t.Fatalf("err = %v, want a *url.Error inside", err)
		}
		for _, s := range []string{secret, code, verifier} {
			if strings.Contains(err.Error(), s) {
				t.Errorf("error text holds a secret %q: %v", s, err)
			}
		}
		if !strings.Contains(err.Error(), "client_secret=[redacted]") {
			t.Errorf("error text %q does not show the redacted parameter", err)
		}
	})

	t.Run("url error of a GET refresh", func(t *testing.T) {
		f := authserver.Start(livepushtest.Dialect(), livepush.Endpoint, redirectURI)
		f.HTTP.Config.Handler = hangUp
		defer f.Close()
		const rt = "refresh-token-SECRET-123"
		cfg := &auth.Config[scopes.Livepush]{ClientID: "id", ClientSecret: secret, RedirectURL: redirectURI, Endpoint: f.Endpoint}
		_, err := cfg.Refresh(ctx, rt)
		if err == nil || strings.Contains(err.Error(), rt) || strings.Contains(err.Error(), secret) {
			t.Errorf("err = %v; want an error without the refresh token or secret", err)
		}
	})

	t.Run("token endpoint redirects elsewhere", func(t *testing.T) {
		var leaked atomic.Bool
		elsewhere := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { leaked.Store(true) }))
		defer elsewhere.Close()
		f := authserver.Start(livestormtest.Dialect(), livestorm.Endpoint, redirectURI)
		f.HTTP.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.URL+"/steal", http.StatusTemporaryRedirect)
		})
		defer f.Close()
		cfg := &auth.Config[scopes.Livestorm]{ClientID: "id", ClientSecret: secret, RedirectURL: redirectURI, Endpoint: f.Endpoint}
		_, err := cfg.Refresh(ctx, "rt")
		var ae *auth.Error
		if !errors.As(err, &ae) || ae.StatusCode != http.StatusTemporaryRedirect || !strings.Contains(ae.Body, "not followed") {
			t.Errorf("err = %v, want an *auth.Error for the unfollowed 307", err)
		}
		if leaked.Load() {
			t.Error("the token request, secret included, was sent to the redirect target")
		}
	})

	t.Run("echoed in an html page", func(t *testing.T) {
		f := authserver.Start(livestormtest.Dialect(), livestorm.Endpoint, redirectURI)
		defer f.Close()
		f.Fail(authserver.Fault{Status: 502, Body: "<p>bad gateway for code=" + code + " secret " + secret + ` "access_token":"at-123"</p>`})
		cfg := &auth.Config[scopes.Livestorm]{ClientID: "id", ClientSecret: secret, RedirectURL: redirectURI, Endpoint: f.Endpoint}
		_, err := cfg.Exchange(ctx, code)
		if err == nil {
			t.Fatal("no error")
		}
		for _, s := range []string{secret, code, "at-123"} {
			if strings.Contains(err.Error(), s) {
				t.Errorf("error text holds a secret %q: %v", s, err)
			}
		}
	})
}

// A Livepush answer names its token type "access_token"; API calls must
// still say Bearer, and DLive's must carry the bare token.
func TestAPIHeaderScheme(t *testing.T) {
	for _, tc := range []struct {
		name     string
		dialect  authserver.Dialect
		endpoint auth.Endpoint
		want     func(tok string) string
	}{
		{"livepush", livepushtest.Dialect(), livepush.Endpoint, func(tok string) string { return "Bearer " + tok }},
		{"dlive", dlivetest.Dialect(), dlive.Endpoint, func(tok string) string { return tok }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got string
			f := authserver.Start(tc.dialect, tc.endpoint, redirectURI)
			defer f.Close()
			tok := &oauth2.Token{AccessToken: f.Issue(f.Client.ID, nil, time.Hour), TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}
			rec := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				got = r.Header.Get("Authorization")
				return http.DefaultTransport.RoundTrip(r)
			})
			tr := &auth.Transport{Source: oauth2.StaticTokenSource(tok), Base: rec, BareToken: tc.endpoint.BareToken}
			res, err := (&http.Client{Transport: tr}).Get(f.APIURL)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if want := tc.want(tok.AccessToken); got != want || res.StatusCode != http.StatusOK {
				t.Errorf("Authorization = %q (status %d), want %q", got, res.StatusCode, want)
			}
		})
	}
}

// hangUp closes the connection before answering, which makes net/http
// return a *url.Error carrying the full URL, query included.
var hangUp = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	conn, _, _ := w.(http.Hijacker).Hijack()
	conn.Close()
})

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
