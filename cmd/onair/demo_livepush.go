package main

import (
	"context"
	"errors"
	"fmt"
	"net/url"

	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/scopes"
)

// demoLivepush: the code flow in Livepush's dialect, a stream created and
// read back, and a call refused before it is sent.
func demoLivepush(ctx context.Context, r *report) error {
	srv, err := livepushtest.NewUnstartedServer(livepushtest.WithAutoApprove(), livepushtest.WithAppName("onair demo"))
	if err != nil {
		return err
	}
	srv.Start()
	defer srv.Close()
	r.header("Livepush", "sandbox at "+srv.URL)

	ops := []livepush.Operation{livepush.OpStreamsCreate, livepush.OpStreamsGet}
	need, err := livepush.LeastPrivilege(ops...)
	if err != nil {
		return err
	}
	r.step("LeastPrivilege(%s, %s) = %s", ops[0], ops[1], scopeList(strs(need)))

	w := &wire{}
	cfg := srv.Config(need...)
	tok, err := authorize(w.tokenContext(ctx), cfg, srv.Approve)
	if err != nil {
		return err
	}
	tr, ok := w.last(tokenPath(srv.Endpoint.TokenURL))
	if !ok {
		return fmt.Errorf("token request: %w", errNotObserved)
	}
	r.step("authorization code with state and PKCE: approved, code exchanged; granted %s, %s", granted[scopes.Livepush](tok), lifetime(tok))
	r.detail("token request: %s with %s; the answer's token_type %q is sent as %q", tr.method, tr.clientAuth(), tok.Extra("token_type"), tok.Type())

	client, err := livepush.NewClient(cfg.TokenSource(ctx, tok), livepush.WithBaseURL(srv.URL), livepush.WithHTTPClient(w.client()))
	if err != nil {
		return err
	}
	created, err := client.Streams.Create(ctx, livepush.CreateStreamRequest{Name: "onair demo", Category: livepush.StreamCategorySimulcast})
	if err != nil {
		return err
	}
	r.step("Streams.Create: stream %s %q (%s)", created.ID, created.Metadata.Name, created.Metadata.Category)
	got, err := client.Streams.Get(ctx, created.ID)
	if err != nil {
		return err
	}
	call, _ := w.last("/streams/" + created.ID)
	r.step("Streams.Get %s: %q in zone %s, created %s", got.ID, got.Metadata.Name, got.Zone.Host, got.CreatedAt.UTC().Format("15:04:05"))
	r.detail("sent with Authorization: %s", call.auth)

	_, err = client.Account.Get(ctx)
	if !errors.Is(err, scopes.ErrNotGranted) {
		return fmt.Errorf("Account.Get without profile.read: got %v, want an error wrapping scopes.ErrNotGranted", err)
	}
	r.step("Account.Get refused before sending, the sandbox saw %d requests for it:", srv.Calls(livepush.OpAccountGet))
	r.detail("%v", err)
	return nil
}

// tokenPath is the path of a token URL, which the wire notes.
func tokenPath(tokenURL string) string {
	u, err := url.Parse(tokenURL)
	if err != nil {
		return tokenURL
	}
	return u.Path
}
