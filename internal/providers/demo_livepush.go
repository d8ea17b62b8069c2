package providers

import (
	"context"
	"errors"
	"fmt"

	"github.com/onair-go/onair/internal/wirelog"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/scopes"
)

// demoLivepush: the code flow in Livepush's dialect, a stream created and
// read back, and a call refused before it is sent.
func demoLivepush(ctx context.Context, r Report) error {
	srv, err := livepushtest.NewUnstartedServer(livepushtest.WithAutoApprove(), livepushtest.WithAppName("onair demo"))
	if err != nil {
		return err
	}
	srv.Start()
	defer srv.Close()
	r.Header("Livepush", "sandbox at "+srv.URL)

	ops := []livepush.Operation{livepush.OpStreamsCreate, livepush.OpStreamsGet}
	need, err := livepush.LeastPrivilege(ops...)
	if err != nil {
		return err
	}
	r.Step("LeastPrivilege(%s, %s) = %s", ops[0], ops[1], scopeList(strs(need)))

	w := newWire(ctx)
	cfg := srv.Config(need...)
	tok, err := authorize(w.tokenContext(ctx), cfg, srv.Approve)
	if err != nil {
		return err
	}
	tr, ok := w.last(tokenPath(srv.Endpoint.TokenURL))
	if !ok {
		return fmt.Errorf("token request: %w", errNotObserved)
	}
	r.Step("authorization code with state and PKCE: approved, code exchanged; granted %s, %s", granted[scopes.Livepush](tok), lifetime(tok))
	r.Detail("token request: %s with %s; the answer's token_type %q is sent as %q", tr.method, tr.clientAuth(), tok.Extra("token_type"), tok.Type())

	client, err := livepush.NewClient(cfg.TokenSource(ctx, tok), livepush.WithBaseURL(srv.URL), livepush.WithHTTPClient(w.client()), livepush.WithLogger(wirelog.FromContext(ctx)))
	if err != nil {
		return err
	}
	created, err := client.Streams.Create(ctx, livepush.CreateStreamRequest{Name: "onair demo", Category: livepush.StreamCategorySimulcast})
	if err != nil {
		return err
	}
	r.Step("Streams.Create: stream %s %q (%s)", created.ID, created.Metadata.Name, created.Metadata.Category)
	got, err := client.Streams.Get(ctx, created.ID)
	if err != nil {
		return err
	}
	call, _ := w.last("/streams/" + created.ID)
	r.Step("Streams.Get %s: %q in zone %s, created %s", got.ID, got.Metadata.Name, got.Zone.Host, got.CreatedAt.UTC().Format("15:04:05"))
	r.Detail("sent with Authorization: %s", call.auth)

	_, err = client.Account.Get(ctx)
	if !errors.Is(err, scopes.ErrNotGranted) {
		return fmt.Errorf("Account.Get without profile.read: got %v, want an error wrapping scopes.ErrNotGranted", err)
	}
	r.Step("Account.Get refused before sending, the sandbox saw %d requests for it:", srv.Calls(livepush.OpAccountGet))
	r.Detail("%v", err)
	return nil
}
