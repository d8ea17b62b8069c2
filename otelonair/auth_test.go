package otelonair_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/otelonair"
	"github.com/onair-go/onair/scopes"
)

// expired is a sandbox user's token, with a refresh token, made due for a
// refresh.
func expired(t *testing.T, srv *livepushtest.Server) *oauth2.Token {
	t.Helper()
	cfg := srv.Config(scopes.LivepushStreamsRead)
	authURL, err := cfg.AuthCodeURL("state-0123456789")
	if err != nil {
		t.Fatal(err)
	}
	code, err := srv.Approve(t.Context(), authURL)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cfg.Exchange(srv.Context(t.Context()), code)
	if err != nil {
		t.Fatal(err)
	}
	tok.Expiry = time.Now().Add(-time.Minute)
	return tok
}

// Each refresh of a token source is a span and is counted by outcome:
// one the provider answers, one it refuses, and, with a store, the wait
// for the store's lock as a child span.
func TestRefresh(t *testing.T) {
	refreshAttrs := func(adopted bool, extra ...any) map[attribute.Key]any {
		return with(map[attribute.Key]any{"onair.provider": "livepush", "onair.auth.grant": "refresh_token", "onair.auth.adopted": adopted}, extra...)
	}
	counted := func(outcome string, extra ...any) map[attribute.Key]any {
		return with(map[attribute.Key]any{"onair.provider": "livepush", "onair.auth.grant": "refresh_token", "onair.auth.outcome": outcome}, extra...)
	}
	const refused = "*auth.ReauthorizeError"
	for _, tc := range []struct {
		name    string
		fault   bool
		store   bool
		wantErr bool
		spans   []span
		counts  []point
	}{
		{
			name:   "refreshed",
			spans:  []span{{Name: "livepush token refresh", Kind: trace.SpanKindInternal, Attrs: refreshAttrs(false)}},
			counts: []point{{Attrs: counted("refreshed"), N: 1}},
		},
		{
			name: "refused", fault: true, wantErr: true,
			spans: []span{{Name: "livepush token refresh", Kind: trace.SpanKindInternal, Attrs: refreshAttrs(false, "error.type", refused),
				Status: codes.Error, Desc: callErr, Events: []string{"exception"}}},
			counts: []point{{Attrs: counted("failed", "error.type", refused), N: 1}},
		},
		{
			name: "with a store", store: true,
			spans: []span{
				{Name: "livepush token store lock", Kind: trace.SpanKindInternal, Parent: "livepush token refresh", Attrs: map[attribute.Key]any{"onair.provider": "livepush"}},
				{Name: "livepush token refresh", Kind: trace.SpanKindInternal, Attrs: refreshAttrs(false)},
			},
			counts: []point{{Attrs: counted("refreshed"), N: 1}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tl := newTelemetry(t)
			srv := livepushtest.NewServer()
			defer srv.Close()
			old := expired(t, srv)
			if tc.fault {
				srv.FailToken(livepushtest.InvalidGrant())
			}
			opts := []auth.TokenSourceOption{auth.WithHooks(otelonair.AuthHooks(tl.opts...))}
			if tc.store {
				opts = append(opts, auth.WithStore(auth.NewMemoryStore(), "livepush/user"))
			}
			ts := srv.Config().TokenSource(srv.Context(t.Context()), old, opts...)
			_, err := ts.Token()
			if (err != nil) != tc.wantErr {
				t.Fatalf("Token: %v, want error %v", err, tc.wantErr)
			}
			got, _ := tl.ended()
			want := tc.spans
			for i := range want {
				if want[i].Desc == callErr {
					want[i].Desc = err.Error()
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("spans (-want +got):\n%s", diff)
			}
			metrics := tl.metrics(t)
			if diff := cmp.Diff(tc.counts, metrics["onair.auth.refreshes"]); diff != "" {
				t.Errorf("onair.auth.refreshes (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.counts, metrics["onair.auth.refresh.duration"], ignoreSums); diff != "" {
				t.Errorf("onair.auth.refresh.duration (-want +got):\n%s", diff)
			}
			if tc.store {
				// The lock's span starts when the source asked for the lock,
				// within the refresh.
				ro := tl.spans.Ended()
				lock, refresh := ro[0], ro[1]
				if lock.StartTime().Before(refresh.StartTime()) || lock.EndTime().After(refresh.EndTime()) || lock.EndTime().Before(lock.StartTime()) {
					t.Errorf("lock span %v–%v is not within the refresh's %v–%v",
						lock.StartTime(), lock.EndTime(), refresh.StartTime(), refresh.EndTime())
				}
			}
		})
	}
}

// Two sources of one stored key: the second finds the token the first
// stored and adopts it instead of asking the provider.
func TestRefreshAdopted(t *testing.T) {
	tl := newTelemetry(t)
	srv := livepushtest.NewServer()
	defer srv.Close()
	st := auth.NewMemoryStore()
	ctx := srv.Context(t.Context())
	old := expired(t, srv)
	hooks := auth.WithHooks(otelonair.AuthHooks(tl.opts...))
	first := srv.Config().TokenSource(ctx, old, hooks, auth.WithStore(st, "livepush/user"))
	second := srv.Config().TokenSource(ctx, old, hooks, auth.WithStore(st, "livepush/user"))
	a, err := first.Token()
	if err != nil {
		t.Fatal(err)
	}
	b, err := second.Token()
	if err != nil {
		t.Fatal(err)
	}
	if a.AccessToken != b.AccessToken {
		t.Fatal("the second source did not take the first one's token")
	}
	var refreshes []any
	got, _ := tl.ended()
	for _, s := range got {
		if s.Name == "livepush token refresh" {
			refreshes = append(refreshes, s.Attrs["onair.auth.adopted"])
		}
	}
	if diff := cmp.Diff([]any{false, true}, refreshes); diff != "" {
		t.Errorf("onair.auth.adopted of the refreshes (-want +got):\n%s", diff)
	}
	counted := func(outcome string) map[attribute.Key]any {
		return map[attribute.Key]any{"onair.provider": "livepush", "onair.auth.grant": "refresh_token", "onair.auth.outcome": outcome}
	}
	want := []point{{Attrs: counted("adopted"), N: 1}, {Attrs: counted("refreshed"), N: 1}}
	if diff := cmp.Diff(want, tl.metrics(t)["onair.auth.refreshes"]); diff != "" {
		t.Errorf("onair.auth.refreshes (-want +got):\n%s", diff)
	}
}
