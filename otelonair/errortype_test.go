package otelonair_test

import (
	"net/http/httptest"
	"testing"
	"time"

	"go.opentelemetry.io/otel/trace"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/otelonair"
)

// http.Client wraps a transport's error in *url.Error, which the
// operation sees and the attempt does not: both spans must still name the
// same error.type, the transport's own, so that an operator can group
// failures by it at either level.
func TestTransportFailureErrorTypeAgrees(t *testing.T) {
	srv := httptest.NewServer(nil)
	base := srv.URL
	srv.Close() // every attempt now fails: connection refused
	tl := newTelemetry(t)
	tok := (&oauth2.Token{AccessToken: "tok-a1b2c3d4e5f6", Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": "streams.read"})
	c, err := livepush.NewClient(oauth2.StaticTokenSource(tok), livepush.WithBaseURL(base), livepush.WithHooks(otelonair.Hooks(tl.opts...)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Streams.Get(t.Context(), "st_a1b2c3d4e5f6g", onair.WithMaxRetries(0)); err == nil {
		t.Fatal("the call to a closed server succeeded")
	}
	types := map[trace.SpanKind]string{}
	for _, s := range tl.spans.Ended() {
		for _, a := range s.Attributes() {
			if a.Key == "error.type" {
				types[s.SpanKind()] = a.Value.Emit()
			}
		}
	}
	op, attempt := types[trace.SpanKindInternal], types[trace.SpanKindClient]
	if op == "" || op != attempt || op == "*url.Error" {
		t.Errorf("error.type: operation %q, attempt %q; want the same transport error type on both", op, attempt)
	}
}
