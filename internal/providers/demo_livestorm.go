package providers

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/onair-go/onair/internal/wirelog"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// demoLivestorm: the code flow with PKCE, a scope set refused before any
// request, events listed across pages, and the rate limit.
func demoLivestorm(ctx context.Context, r Report) error {
	srv, err := livestormtest.NewUnstartedServer(livestormtest.WithAutoApprove(), livestormtest.WithAppName("onair demo"))
	if err != nil {
		return err
	}
	srv.Start()
	defer srv.Close()
	r.Header("Livestorm", "sandbox at "+srv.URL)

	bad := srv.Config(scopes.LivestormFullWrite, scopes.LivestormEventsRead)
	if _, err := bad.AuthCodeURL("state"); err == nil {
		return fmt.Errorf("the scopes %v were accepted", bad.Scopes)
	} else {
		r.Step("scopes full:write + events:read refused before any request:")
		r.Detail("%v", err)
	}

	w := newWire(ctx)
	cfg := srv.Config(scopes.LivestormEventsRead)
	tok, err := authorize(w.tokenContext(ctx), cfg, srv.Approve)
	if err != nil {
		return err
	}
	tr, ok := w.last(tokenPath(srv.Endpoint.TokenURL))
	if !ok {
		return fmt.Errorf("token request: %w", errNotObserved)
	}
	r.Step("authorization code with state and PKCE: approved, code exchanged; granted %s, %s", granted[scopes.Livestorm](tok), lifetime(tok))
	r.Detail("token request: %s with %s; created_at %s kept in the token's Extra", tr.method, tr.clientAuth(), unixTime(tok.Extra("created_at")))

	client, err := livestorm.NewClient(cfg.TokenSource(ctx, tok), livestorm.WithBaseURL(srv.URL), livestorm.WithHTTPClient(w.client()), livestorm.WithLogger(wirelog.FromContext(ctx)))
	if err != nil {
		return err
	}
	n, firstID, first := 0, "", ""
	for ev, err := range client.Events.List(ctx, nil) {
		if err != nil {
			return err
		}
		if n == 0 {
			firstID, first = ev.ID, ev.Title
		}
		n++
	}
	r.Step("Events.List: %d events across %d pages, fetched as the loop asked; the first is %q", n, srv.Calls(livestorm.OpEventsList), first)

	return demoRateLimit(ctx, r, srv, firstID)
}

// demoRateLimit draws Livestorm's 429. A client paces itself to Livestorm's
// 5 requests a second, so one client never draws it; but the limit is per
// token, and two clients that share one token can send 10 at once.
func demoRateLimit(ctx context.Context, r Report, srv *livestormtest.Server, event string) error {
	const calls = 10
	// A token of its own, so that the calls above do not count.
	tok := srv.IssueToken(scopes.LivestormEventsRead)
	cfg := srv.Config(scopes.LivestormEventsRead)
	w := newWire(ctx)
	var clients [2]*livestorm.Client
	for i := range clients {
		c, err := livestorm.NewClient(cfg.TokenSource(ctx, tok), livestorm.WithBaseURL(srv.URL), livestorm.WithHTTPClient(w.client()), livestorm.WithLogger(wirelog.FromContext(ctx)))
		if err != nil {
			return err
		}
		clients[i] = c
	}
	var wg sync.WaitGroup
	errs := make([]error, calls)
	start := time.Now()
	for i := range calls {
		wg.Go(func() {
			_, errs[i] = clients[i%2].Events.Get(withCall(ctx, i+1), event)
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		}
	}

	// What the wire saw: which calls were refused, with what Retry-After,
	// and how long each waited before its next attempt.
	refused, retryAfter := 0, ""
	refusedAt := map[int]time.Time{}
	var longest time.Duration
	for _, e := range w.exchanges() {
		if e.call <= 0 {
			continue
		}
		if t, ok := refusedAt[e.call]; ok {
			longest = max(longest, e.start.Sub(t))
			delete(refusedAt, e.call)
		}
		if e.status == http.StatusTooManyRequests {
			refused++
			retryAfter = e.retryAfter
			refusedAt[e.call] = e.end
		}
	}
	if refused == 0 {
		return fmt.Errorf("rate limit: none of %d calls sent at once on one token was refused", calls)
	}
	r.Step("rate limit: 2 clients sharing one token sent %d Events.Get at once; %d were answered 429 with Retry-After: %s", calls, refused, retryAfter)
	r.Detail("the clients waited as told (%.2fs at most) and retried: %d of %d succeeded in %.2fs", longest.Seconds(), ok, calls, elapsed.Seconds())
	r.Detail("why: each client paces itself to Livestorm's 5 requests a second, but the limit is per token, and they share one")
	if ok != calls {
		for _, err := range errs {
			if err != nil {
				return fmt.Errorf("rate limit: %w", err)
			}
		}
	}
	return nil
}
