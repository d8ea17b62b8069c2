package onair_test

import (
	"slices"
	"testing"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// The README's observability snippet traces the listing: a span for the
// operation, one for each HTTP attempt under it.
func TestREADMEObservability(t *testing.T) {
	srv := livestormtest.NewServer()
	defer srv.Close()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	defer tp.Shutdown(t.Context())
	ctx := srv.Context(t.Context())
	cfg := srv.Config(scopes.LivestormEventsRead)
	if err := readmeObservability(ctx, tp, srv, cfg, srv.IssueToken(scopes.LivestormEventsRead)); err != nil {
		t.Fatal(err)
	}
	var op sdktrace.ReadOnlySpan
	var names []string
	for _, s := range spans.Ended() {
		names = append(names, s.Name())
		if s.Name() == "livestorm Events.List" {
			op = s
		}
	}
	if op == nil {
		t.Fatalf("no span livestorm Events.List among %q", names)
	}
	if !slices.ContainsFunc(spans.Ended(), func(s sdktrace.ReadOnlySpan) bool {
		return s.Name() == "GET /events" && s.Parent().SpanID() == op.SpanContext().SpanID()
	}) {
		t.Errorf("no attempt span GET /events (the sandbox has no /v1) under the operation's, among %q", names)
	}
}
