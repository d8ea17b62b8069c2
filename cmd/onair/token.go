package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"
	"unicode"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	registry "github.com/onair-go/onair/internal/providers"
)

func tokenCommand() *command {
	return &command{
		name:  "token",
		args:  "<provider> [--refresh] [--json] [--show-secrets] [--sandbox]",
		short: "show a stored token, its expiry and scopes, and refresh it",
		long: `Token shows the token "onair login" stored for a provider: when it
expires, the scopes it was granted, and which app and server it belongs
to. The access and refresh tokens are shown as [redacted] unless you ask
for them with --show-secrets.

With --refresh, it first trades the refresh token for a new token at the
server the login used (Streamdiver: requests a new application token),
and stores the answer; a provider with single-use refresh tokens (DLive)
rotates it. The refresh holds the store's lock, so two refreshes never
spend one refresh token. It needs the app's secret again:
--client-secret or ONAIR_<PROVIDER>_CLIENT_SECRET.

When the user must authorize again, it says why and fails (with --json,
after printing the reason as "reauthorize"): after "onair logout", when
the provider refused the refresh token (invalid_grant), or when the
refresh token has expired (DLive's last a year). A refresh that learns
it stores that, so that no program spends the dead refresh token again,
and --refresh on such a token sends nothing.
`,
		flags: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			var o tokenOptions
			fs.BoolVar(&o.refresh, "refresh", false, "refresh the token first, and store the new one")
			fs.BoolVar(&o.json, "json", false, "print the token as JSON")
			fs.BoolVar(&o.showSecrets, "show-secrets", false, "print the access and refresh tokens instead of [redacted]")
			fs.BoolVar(&o.sandbox, "sandbox", false, "show the token of the last \"onair login --sandbox\"")
			o.client.declare(fs)
			return func(ctx context.Context, a *app, args []string) error {
				p, err := providerArg(args)
				if err != nil {
					return err
				}
				return a.token(ctx, p, o)
			}
		},
	}
}

type tokenOptions struct {
	refresh, json, showSecrets, sandbox bool
	client                              clientFlags
}

const redacted = "[redacted]"

// tokenView is what the command prints of a token.
type tokenView struct {
	Provider     string    `json:"provider"`
	Key          string    `json:"key"`
	AccessToken  string    `json:"access_token"`
	RefreshToken string    `json:"refresh_token,omitempty"`
	TokenType    string    `json:"token_type,omitempty"`
	Expiry       time.Time `json:"expiry,omitzero"`
	Expired      bool      `json:"expired"`
	// RefreshExpiry is when the refresh token expires, when known.
	RefreshExpiry time.Time `json:"refresh_expiry,omitzero"`
	// Reauthorize is why the user must authorize again (an
	// auth.ReauthReason), when no token but that mark is stored.
	Reauthorize string   `json:"reauthorize,omitempty"`
	Scopes      []string `json:"scopes"`
	ClientID    string   `json:"client_id,omitempty"`
	BaseURL     string   `json:"base_url,omitempty"` // the server the login used instead of the provider
	Sandbox     bool     `json:"sandbox,omitempty"`  // a sandbox that ended with its login
	Refreshed   bool     `json:"refreshed"`
}

func (a *app) token(ctx context.Context, p provider, o tokenOptions) error {
	// Reading creates nothing: with no store, nothing is stored.
	st, err := a.openExistingStore()
	if err != nil {
		return err
	}
	key := storeKey(p, o.sandbox)
	tok, err := loadToken(ctx, st, key)
	var meta *loginMeta
	if err == nil {
		meta, err = a.loadMeta(key)
	}
	if _, marked := auth.NeedsReauthorization(tok); err == nil && o.refresh && !marked {
		tok, err = a.refresh(ctx, p, o, st, key, tok, meta)
	}
	if err != nil {
		return a.storedErr(ctx, st, p, o.sandbox, err)
	}

	now := time.Now()
	v := tokenView{
		Provider:      p.Name(),
		Key:           key,
		AccessToken:   tok.AccessToken,
		RefreshToken:  tok.RefreshToken,
		TokenType:     tok.TokenType,
		Expiry:        tok.Expiry,
		Expired:       !tok.Expiry.IsZero() && !tok.Expiry.After(now),
		RefreshExpiry: auth.Redacted(tok).RefreshExpiry,
		Scopes:        grantedScopes(tok),
		Refreshed:     o.refresh,
	}
	if meta != nil {
		v.ClientID, v.BaseURL, v.Sandbox = meta.ClientID, redactURL(meta.BaseURL), meta.Sandbox
	}
	if reason, dead := reauthorizeReason(tok, now); dead {
		// No token, only the reason: a program reads it from the JSON,
		// and the status says there is no token to use.
		v.Reauthorize, v.Refreshed = string(reason), false
		v.AccessToken, v.RefreshToken = "", ""
		if o.json {
			if err := a.stdout.writeJSON(v); err != nil {
				return err
			}
		}
		return mustReauthorize(p, reason, o.sandbox)
	}
	if !o.showSecrets {
		v.AccessToken = redacted
		if v.RefreshToken != "" {
			v.RefreshToken = redacted
		}
	}
	if o.json {
		return a.stdout.writeJSON(v)
	}
	a.printToken(p, v, tok, now)
	return nil
}

func (a *app) printToken(p provider, v tokenView, tok *oauth2.Token, now time.Time) {
	if v.Refreshed {
		a.stdout.printf("%s Refreshed the %s token.\n", a.out.ok(), p.Title())
	}
	a.stdout.printf("%s token (key %q)\n", a.out.bold(p.Title()), v.Key)
	row := func(k, val string) { a.stdout.printf("    %-14s %s\n", k, val) }
	row("access token", v.AccessToken)
	if v.RefreshToken != "" {
		row("refresh token", v.RefreshToken)
	} else {
		row("refresh token", "none")
	}
	row("type", v.TokenType)
	row("expires", expiry(tok, now))
	if !v.RefreshExpiry.IsZero() {
		row("refresh expiry", expiry(&oauth2.Token{Expiry: v.RefreshExpiry}, now))
	}
	row("scopes", scopeList(v.Scopes))
	if v.ClientID != "" {
		row("client ID", v.ClientID)
	}
	switch {
	case v.Sandbox:
		row("server", "a sandbox that ran during the login, at "+redactURL(v.BaseURL))
	case v.BaseURL != "":
		row("server", redactURL(v.BaseURL))
	default:
		row("server", p.Title())
	}
}

// grantedScopes returns the token's "scope" field as a list, whatever its
// separator, including scopes the provider does not document.
func grantedScopes(tok *oauth2.Token) []string {
	s, _ := tok.Extra("scope").(string)
	out := strings.FieldsFunc(s, func(r rune) bool { return r == ',' || unicode.IsSpace(r) })
	if out == nil {
		out = []string{}
	}
	return out
}

// refresh renews the stored token under the store's lock and returns the
// new one. It sends nothing unless it has what the server will ask for.
func (a *app) refresh(ctx context.Context, p provider, o tokenOptions, st tokenStore, key string, read *oauth2.Token, meta *loginMeta) (*oauth2.Token, error) {
	if o.sandbox {
		return nil, errors.New("the sandbox of an \"onair login --sandbox\" stopped when the login ended, so its token cannot be refreshed; to try refreshes, run \"onair sandbox\" and log in to it with --base-url")
	}
	// A refresh token read expired is only marked so: that needs no
	// client, so no secret, and whatever server the flags name.
	var cl registry.Client
	var baseURL string
	if !refreshExpired(read, time.Now()) {
		var err error
		if cl, baseURL, err = a.appClient(p, o.client, meta, "refreshing"); err != nil {
			return nil, err
		}
	}
	tok, err := st.Update(ctx, key, func(ctx context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
		if cur == nil {
			return nil, fmt.Errorf("key %q: %w", key, auth.ErrNotFound)
		}
		if _, marked := auth.NeedsReauthorization(cur); marked {
			return cur, nil // marked since it was read: nothing to send
		}
		if refreshExpired(cur, time.Now()) {
			// The provider could only refuse it.
			return auth.MarkReauthorize(auth.ReasonRefreshExpired), nil
		}
		if cl == nil {
			return nil, errors.New("the stored token changed while it was being refreshed: run the command again")
		}
		tok, err := cl.Renew(ctx, cur)
		if cur.RefreshToken != "" && refused(err) && meta != nil {
			// Read under the lock, so no other process has spent it, and
			// refused by the server and app of the login (appClient
			// refuses others): the refresh token is dead, and the mark
			// saves the next program from trying it. Without the login's
			// details, the flags named a server that may not have issued
			// it, so its refusal proves nothing.
			return auth.MarkReauthorize(auth.ReasonInvalidGrant), nil
		}
		return tok, err
	})
	if err != nil && !errors.Is(err, auth.ErrNotFound) {
		return nil, fmt.Errorf("refreshing at %s: %w", describeEndpoint(baseURL), err)
	}
	return tok, err
}

// reauthorizeReason says why the user must authorize again before tok
// is of use, if they must: tok is a mark, or its refresh token has
// expired (the access token with it, or soon).
func reauthorizeReason(tok *oauth2.Token, now time.Time) (auth.ReauthReason, bool) {
	if reason, marked := auth.NeedsReauthorization(tok); marked {
		return reason, true
	}
	if refreshExpired(tok, now) {
		return auth.ReasonRefreshExpired, true
	}
	return "", false
}

// refreshExpired reports whether tok's refresh token is known to have
// expired by now.
func refreshExpired(tok *oauth2.Token, now time.Time) bool {
	exp := auth.RefreshExpiry(tok)
	return tok.RefreshToken != "" && !exp.IsZero() && !now.Before(exp)
}

// refused reports whether err is the provider's refusal of a refresh
// token.
func refused(err error) bool {
	var ae *auth.Error
	return errors.Is(err, auth.ErrReauthorize) || errors.As(err, &ae) && ae.Code == "invalid_grant"
}

// appClient returns the client of the app a login used, at the server it
// used, for a request that authenticates the app (what: "refreshing"), and
// the base URL it sends to. Without the login's details (a token another
// program stored), the flags name them. It fails before any request when
// the flags name another server or app than the login's (see sameLogin),
// or when the client ID or secret is missing: the answer could only be
// invalid_client.
func (a *app) appClient(p provider, flags clientFlags, meta *loginMeta, what string) (registry.Client, string, error) {
	c, err := flags.resolve(a, p)
	if err != nil {
		return nil, "", err
	}
	if c.clientSecret == "" {
		// Every provider's token endpoint authenticates the app, and its
		// revocation endpoint too.
		return nil, "", missingClientSecret(p, what)
	}
	redirectURL := ""
	if meta != nil {
		if err := a.sameLogin(p, flags, c, meta); err != nil {
			return nil, "", err
		}
		// The login's app, server and tenant: the flags name the same.
		if c.clientID == "" {
			c.clientID = meta.ClientID
		}
		if c.baseURL == "" {
			c.baseURL = meta.BaseURL
		}
		if c.tenant == "" {
			c.tenant = meta.Tenant
		}
		redirectURL = meta.RedirectURL
	}
	if c.clientID == "" {
		return nil, "", missingClientID(p)
	}
	ep := p.Endpoint(c.tenant)
	if c.baseURL != "" {
		ep = rebase(ep, c.baseURL)
	}
	cl, err := p.Client(registry.ClientConfig{ClientID: c.clientID, ClientSecret: c.clientSecret, RedirectURL: redirectURL, Endpoint: ep})
	if err != nil {
		return nil, "", err
	}
	return cl, c.baseURL, nil
}

// storedErr says what to do about err, met reading p's stored token: log
// in when there is none, or when it cannot be read.
func (a *app) storedErr(ctx context.Context, st tokenStore, p provider, sandbox bool, err error) error {
	switch {
	case errors.Is(err, auth.ErrNotFound):
		return a.notStored(ctx, st, p, sandbox)
	case errors.Is(err, auth.ErrUnreadable):
		// The login saves over it; the file store keeps the old bytes aside.
		return fmt.Errorf("the stored %s token cannot be read (%w): run %q to replace it", p.Title(), err, loginLine(p, sandbox))
	}
	return err
}

// loadToken returns the token stored under key in st, a store that may not
// exist (nil).
func loadToken(ctx context.Context, st tokenStore, key string) (*oauth2.Token, error) {
	if st == nil {
		return nil, fmt.Errorf("key %q: %w", key, auth.ErrNotFound)
	}
	return st.Load(ctx, key)
}

// notStored explains that no token of p is stored under the key asked
// for, and points at the other key when a token is stored there: a
// sandbox login's token is kept apart from a real one.
func (a *app) notStored(ctx context.Context, st tokenStore, p provider, sandbox bool) error {
	_, err := loadToken(ctx, st, storeKey(p, !sandbox))
	other := err == nil
	switch {
	case sandbox && other:
		return fmt.Errorf("no %s sandbox token is stored, only a token of a real login: drop --sandbox to see it, or run %q", p.Title(), loginLine(p, true))
	case sandbox:
		return fmt.Errorf("no %s sandbox token is stored: run %q first", p.Title(), loginLine(p, true))
	case other:
		return fmt.Errorf("no %s token is stored, only the token of an \"onair login %s --sandbox\": add --sandbox to see it, or run %q to log in to %[1]s", p.Title(), p.Name(), loginLine(p, false))
	default:
		return fmt.Errorf("no %s token is stored: run %q first", p.Title(), loginLine(p, false))
	}
}

// mustReauthorize says why the stored marker of p (reason, from
// auth.NeedsReauthorization) holds no token, and how to get one.
func mustReauthorize(p provider, reason auth.ReauthReason, sandbox bool) error {
	login := loginLine(p, sandbox)
	switch reason {
	case auth.ReasonRevoked:
		return fmt.Errorf("logged out of %s: run %q to log in again", p.Title(), login)
	case auth.ReasonInvalidGrant:
		return fmt.Errorf("%s refused the refresh token (invalid_grant): run %q to authorize again", p.Title(), login)
	case auth.ReasonRefreshExpired:
		return fmt.Errorf("the %s refresh token has expired: run %q to authorize again", p.Title(), login)
	default:
		return fmt.Errorf("%s needs you to authorize again (%s): run %q", p.Title(), reason, login)
	}
}

// loginLine is the command that stores p's token under the key that
// sandbox selects.
func loginLine(p provider, sandbox bool) string {
	if sandbox {
		return "onair login " + p.Name() + " --sandbox"
	}
	return "onair login " + p.Name()
}
