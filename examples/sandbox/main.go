// Command sandbox runs each provider's OAuth dialect end to end against
// in-process fakes on loopback: no credentials, no network beyond 127.0.0.1.
//
//	go run ./examples/sandbox
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
)

const redirect = "http://127.0.0.1:8085/callback"

func main() {
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sandbox:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	steps := []struct {
		name string
		run  func(context.Context, io.Writer) error
	}{
		{"Livepush: code flow, GET token exchange, token_type \"access_token\"", livepushFlow},
		{"Livestorm: code flow with state and PKCE, scope rules", livestormFlow},
		{"DLive: Basic auth, bare token, single-use refresh, narrowing", dliveFlow},
		{"Streamdiver: client credentials in a tenant realm", streamdiverFlow},
	}
	for _, s := range steps {
		fmt.Fprintf(w, "\n== %s\n", s.name)
		if err := s.run(ctx, w); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	fmt.Fprintln(w, "\nall four dialects passed")
	return nil
}

// codeFlow runs AuthCodeURL, consent (approved at once by the fake),
// Exchange and an API call.
func codeFlow[S scopes.Scope](ctx context.Context, w io.Writer, f *authserver.Fake, cfg *auth.Config[S]) (*oauth2.Token, error) {
	verifier := oauth2.GenerateVerifier()
	state := oauth2.GenerateVerifier()
	u, err := cfg.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
	if err != nil {
		return nil, err
	}
	pu, _ := url.Parse(u)
	fmt.Fprintf(w, "consent URL   %s?scope=%s&…\n", pu.Path, pu.Query().Get("scope"))
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(u)
	if err != nil {
		return nil, err
	}
	res.Body.Close()
	loc, err := url.Parse(res.Header.Get("Location"))
	if err != nil {
		return nil, err
	}
	if loc.Query().Get("state") != state {
		return nil, errors.New("state mismatch")
	}
	tok, err := cfg.Exchange(ctx, loc.Query().Get("code"), oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, err
	}
	req := f.TokenRequests()[0]
	fmt.Fprintf(w, "exchange      %s, client auth %s, token_type %q → Type() %q, expires %s\n",
		req.Method, clientAuth(req), tok.Extra("token_type"), tok.Type(), tok.Expiry.Format("2006-01-02 15:04"))
	return tok, apiCall(ctx, w, f, cfg, tok)
}

func apiCall[S scopes.Scope](ctx context.Context, w io.Writer, f *authserver.Fake, cfg *auth.Config[S], tok *oauth2.Token) error {
	res, err := cfg.Client(ctx, tok).Get(f.APIURL)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		return fmt.Errorf("API call: %s", res.Status)
	}
	scheme := "Bearer"
	if cfg.Endpoint.BareToken {
		scheme = "bare token"
	}
	fmt.Fprintf(w, "API call      %s (%s), granted %q\n", res.Status, scheme, body)
	return nil
}

func clientAuth(r authserver.TokenRequest) string {
	switch {
	case r.HasBasic:
		return "HTTP Basic"
	case r.Query.Has("client_secret"):
		return "in the query"
	default:
		return "in the form body"
	}
}

func livepushFlow(ctx context.Context, w io.Writer) error {
	f := authserver.Start(authserver.Livepush(), livepush.Endpoint, redirect)
	defer f.Close()
	cfg := &auth.Config[scopes.Livepush]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, RedirectURL: redirect,
		Scopes: []scopes.Livepush{scopes.LivepushStreamsRead, scopes.LivepushStreamsCreate}, Endpoint: f.Endpoint}
	tok, err := codeFlow(ctx, w, f, cfg)
	if err != nil {
		return err
	}
	next, err := cfg.Refresh(ctx, tok.RefreshToken)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "refresh       new access token: %v\n", next.AccessToken != tok.AccessToken)
	return nil
}

func livestormFlow(ctx context.Context, w io.Writer) error {
	bad := &auth.Config[scopes.Livestorm]{ClientID: "id", RedirectURL: redirect,
		Scopes: []scopes.Livestorm{scopes.LivestormFullWrite, scopes.LivestormEventsRead}, Endpoint: livestorm.Endpoint}
	_, err := bad.AuthCodeURL("state")
	fmt.Fprintf(w, "scope rules   refused before any request: %v\n", err)

	f := authserver.Start(authserver.Livestorm(), livestorm.Endpoint, redirect)
	defer f.Close()
	cfg := &auth.Config[scopes.Livestorm]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, RedirectURL: redirect,
		Scopes: []scopes.Livestorm{scopes.LivestormEventsRead, scopes.LivestormWebhooksWrite}, Endpoint: f.Endpoint}
	_, err = codeFlow(ctx, w, f, cfg)
	return err
}

func dliveFlow(ctx context.Context, w io.Writer) error {
	f := authserver.Start(authserver.DLive(), dlive.Endpoint, redirect)
	defer f.Close()
	cfg := &auth.Config[scopes.DLive]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, RedirectURL: redirect,
		Scopes: []scopes.DLive{scopes.DLiveIdentity, scopes.DLiveChatWrite}, Endpoint: f.Endpoint}
	tok, err := codeFlow(ctx, w, f, cfg)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "zero expiry   the answer said expiry %v: counted as DLive's documented 30 days\n", tok.Extra("expiry"))

	_, err = cfg.Narrow(ctx, tok, scopes.DLiveEmailRead)
	fmt.Fprintf(w, "narrow        to email:read refused before any request: %v\n", errors.Is(err, scopes.ErrNotGranted))
	narrowed, err := cfg.Narrow(ctx, tok, scopes.DLiveIdentity)
	if err != nil {
		return err
	}
	granted, _ := auth.Granted[scopes.DLive](narrowed)
	fmt.Fprintf(w, "narrow        to identity: granted %v, refresh token rotated: %v\n", granted, narrowed.RefreshToken != tok.RefreshToken)
	_, err = cfg.Refresh(ctx, tok.RefreshToken)
	var ae *auth.Error
	if !errors.As(err, &ae) {
		return fmt.Errorf("reusing a spent refresh token: %v", err)
	}
	fmt.Fprintf(w, "reuse         the spent refresh token: %s (no secret in the text: %v)\n", ae.Code, !strings.Contains(err.Error(), tok.RefreshToken))

	app, err := cfg.ClientCredentials(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "app token     client credentials, expires %s\n", app.Expiry.Format("2006-01-02 15:04"))
	return nil
}

func streamdiverFlow(ctx context.Context, w io.Writer) error {
	f := authserver.Start(authserver.Streamdiver(), streamdiver.Endpoint("acme"), redirect)
	defer f.Close()
	cfg := &auth.Config[scopes.Streamdiver]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, Endpoint: f.Endpoint}
	src := cfg.ClientCredentialsTokenSource(ctx)
	tok, err := src.Token()
	if err != nil {
		return err
	}
	u, _ := url.Parse(f.Endpoint.TokenURL)
	fmt.Fprintf(w, "token         POST %s, Keycloak not-before-policy=%v, refresh token: %v\n", u.Path, tok.Extra("not-before-policy"), tok.RefreshToken != "")
	return apiCall(ctx, w, f, cfg, tok)
}
