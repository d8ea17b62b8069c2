package providers

import (
	"context"
	"errors"
	"fmt"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/internal/wirelog"
	"github.com/onair-go/onair/scopes"
)

// demoDLive: the code flow with HTTP Basic, the user read with a bare
// token, a refresh that rotates the single-use refresh token, and an app
// token.
func demoDLive(ctx context.Context, r Report) error {
	srv, err := dlivetest.NewUnstartedServer(dlivetest.WithAutoApprove(), dlivetest.WithAppName("onair demo"))
	if err != nil {
		return err
	}
	srv.Start()
	defer srv.Close()
	r.Header("DLive", "sandbox at "+srv.URL)

	need, err := dlive.LeastPrivilege(dlive.OpUsersMe)
	if err != nil {
		return err
	}
	w := newWire(ctx)
	tctx := w.tokenContext(ctx)
	cfg := srv.Config(need...)
	tok, err := authorize(tctx, cfg, srv.Approve)
	if err != nil {
		return err
	}
	tr, ok := w.last(tokenPath(srv.Endpoint.TokenURL))
	if !ok {
		return fmt.Errorf("token request: %w", errNotObserved)
	}
	r.Step("authorization code with state and PKCE: approved, code exchanged; granted %s, %s", granted[scopes.DLive](tok), lifetime(tok))
	r.Detail("token request: %s with %s; the answer's \"expiry\": %q, read as DLive's documented 30 days", tr.method, tr.clientAuth(), tok.Extra("expiry"))

	client, err := dlive.NewClient(cfg.TokenSource(ctx, tok), dlive.WithBaseURL(srv.URL), dlive.WithHTTPClient(w.client()), dlive.WithLogger(wirelog.FromContext(ctx)))
	if err != nil {
		return err
	}
	me, err := client.Me(ctx)
	if err != nil {
		return err
	}
	call, _ := w.last("/")
	sent := "with Authorization: " + call.auth
	if call.auth == "bare" {
		sent = "with the token bare in Authorization, no scheme, as DLive wants"
	}
	r.Step("Users.Me: %s (%q), sent %s", me.DisplayName, me.Username, sent)

	next, err := cfg.Refresh(tctx, tok.RefreshToken)
	if err != nil {
		return err
	}
	rotated := "the same refresh token"
	if next.RefreshToken != tok.RefreshToken {
		rotated = "a new refresh token, since DLive's are single use"
	}
	if next.AccessToken == tok.AccessToken {
		return errors.New("refresh: the access token did not change")
	}
	r.Step("refresh: a new access token, %s; %s", lifetime(next), rotated)
	_, err = cfg.Refresh(tctx, tok.RefreshToken)
	var ae *auth.Error
	if !errors.As(err, &ae) {
		return fmt.Errorf("reusing a spent refresh token: got %v, want an *auth.Error", err)
	}
	r.Detail("the spent refresh token, sent again: %d %s", ae.StatusCode, ae.Code)

	app, err := cfg.ClientCredentials(tctx)
	if err != nil {
		return err
	}
	r.Step("client credentials: app token, %s, no user", lifetime(app))
	return nil
}
