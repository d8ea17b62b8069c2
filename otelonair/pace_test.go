package otelonair_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/otelonair"
	"github.com/onair-go/onair/scopes"
)

// gate is a livestorm.Pacer that holds every request for d: a pacer whose
// wait is known, so that the test can bound what was measured.
type gate struct{ d time.Duration }

func (g gate) Pace(ctx context.Context, _ int, _ time.Duration) (func(), error) {
	select {
	case <-time.After(g.d):
		return func() {}, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// A paced Livestorm call answered 429 is retried after its Retry-After:
// the 429 is counted, the retry too, and the pacer's wait before each
// attempt is the call's pace wait, on its span and in the pacing metric.
func TestRateLimitedAndPaced(t *testing.T) {
	const hold = 20 * time.Millisecond
	tl := newTelemetry(t)
	srv := livestormtest.NewServer()
	defer srv.Close()
	c, err := livestorm.NewClient(srv.Config().TokenSource(t.Context(), srv.IssueToken(scopes.LivestormIdentityRead)),
		livestorm.WithBaseURL(srv.URL), livestorm.WithPacer(gate{hold}), livestorm.WithHooks(otelonair.Hooks(tl.opts...)))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.FailOperation(livestorm.OpIdentityPing, 429, 1); err != nil {
		t.Fatal(err)
	}
	if err := c.Identity.Ping(t.Context()); err != nil {
		t.Fatal(err)
	}

	got, full := tl.ended()
	attempt := map[attribute.Key]any{"http.request.method": "GET", "url.template": "/ping", "server.address": "127.0.0.1", "url.scheme": "http"}
	refused := with(attempt, "http.response.status_code", int64(429), "error.type", "429")
	retried := with(attempt, "http.response.status_code", int64(204), "http.request.resend_count", int64(1))
	who := map[attribute.Key]any{"onair.provider": "livestorm", "onair.operation": "Identity.Ping"}
	want := []span{
		{Name: "GET /ping", Kind: trace.SpanKindClient, Parent: "livestorm Identity.Ping", Attrs: refused, Status: codes.Error},
		{Name: "GET /ping", Kind: trace.SpanKindClient, Parent: "livestorm Identity.Ping", Attrs: retried},
		{Name: "livestorm Identity.Ping", Kind: trace.SpanKindInternal, Attrs: with(who, "http.request.method", "GET", "url.template", "/ping",
			"server.address", "127.0.0.1", "http.response.status_code", int64(204), "onair.retry.count", int64(1))},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("spans (-want +got):\n%s", diff)
	}
	op := full["livestorm Identity.Ping"][0]
	if !atLeast(op["onair.pace.wait"], 2*hold) {
		t.Errorf("onair.pace.wait %v s, want at least %v: the pacer held each of 2 attempts", op["onair.pace.wait"], 2*hold)
	}
	if !atLeast(op["onair.retry.wait"], time.Second) {
		t.Errorf("onair.retry.wait %v s, want at least the Retry-After of 1s", op["onair.retry.wait"])
	}

	metrics := tl.metrics(t)
	wantMetrics := map[string][]point{
		"http.client.request.duration":    {{Attrs: refused, N: 1}, {Attrs: attempt204(attempt), N: 1}},
		"onair.client.operation.duration": {{Attrs: with(who, "http.response.status_code", int64(204)), N: 1}},
		"onair.client.retries":            {{Attrs: who, N: 1}},
		"onair.client.rate_limited":       {{Attrs: who, N: 1}},
		"onair.client.pace.duration":      {{Attrs: who, N: 1}},
	}
	if diff := cmp.Diff(wantMetrics, metrics, ignoreSums); diff != "" {
		t.Errorf("metrics (-want +got):\n%s", diff)
	}
	if p := metrics["onair.client.pace.duration"]; len(p) == 1 && p[0].Sum < (2*hold).Seconds() {
		t.Errorf("onair.client.pace.duration sums %v s, want at least %v", p[0].Sum, 2*hold)
	}
}

// With Livestorm's own pacing, calls past its 5 a second wait for the
// budget instead of drawing 429s: each call's wait is in the pacing metric.
func TestRealPacing(t *testing.T) {
	tl := newTelemetry(t)
	srv := livestormtest.NewServer()
	defer srv.Close()
	c, err := livestorm.NewClient(srv.Config().TokenSource(t.Context(), srv.IssueToken(scopes.LivestormIdentityRead)),
		livestorm.WithBaseURL(srv.URL), livestorm.WithHooks(otelonair.Hooks(tl.opts...)))
	if err != nil {
		t.Fatal(err)
	}
	const calls = 6
	for range calls {
		if err := c.Identity.Ping(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	metrics := tl.metrics(t)
	who := map[attribute.Key]any{"onair.provider": "livestorm", "onair.operation": "Identity.Ping"}
	want := []point{{Attrs: who, N: calls}}
	if diff := cmp.Diff(want, metrics["onair.client.pace.duration"], ignoreSums); diff != "" {
		t.Errorf("onair.client.pace.duration (-want +got):\n%s", diff)
	}
	if n := len(metrics["onair.client.rate_limited"]); n != 0 {
		t.Errorf("%d 429s counted; the pacer should have kept the calls within the limit", n)
	}
}

// attempt204 is a's attributes with a 204 answer (Ping has no body).
func attempt204(a map[attribute.Key]any) map[attribute.Key]any {
	return with(a, "http.response.status_code", int64(204))
}
