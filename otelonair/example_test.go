package otelonair_test

import (
	"context"
	"fmt"
	"log"

	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/otelonair"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

// A client and its token source, instrumented: the first call fetches an
// application token (a refresh of the client-credentials grant), then
// sends its request. Here the spans are kept in memory to be printed; a
// program exports them, and leaves out WithTracerProvider to use the
// global provider that its OpenTelemetry setup installed.
func Example() {
	ctx := context.Background()
	srv := streamdivertest.NewServer(streamdivertest.WithTenant("acme"))
	defer srv.Close()

	spans := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(spans))
	defer tp.Shutdown(ctx)

	ts := srv.Config().ClientCredentialsTokenSource(ctx,
		auth.WithHooks(otelonair.AuthHooks(otelonair.WithTracerProvider(tp))))
	client, err := streamdiver.NewClient(ts,
		streamdiver.WithHooks(otelonair.Hooks(otelonair.WithTracerProvider(tp))),
		streamdiver.WithBaseURL(srv.URL)) // leave out outside the sandbox
	if err != nil {
		log.Fatal(err)
	}
	for _, err := range client.Media.List(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		break
	}

	for _, s := range spans.GetSpans() {
		fmt.Printf("%s (%s)\n", s.Name, s.SpanKind)
	}
	// Output:
	// streamdiver token refresh (internal)
	// GET /media (client)
	// streamdiver Media.List (internal)
}
