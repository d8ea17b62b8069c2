package otelonair_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/otelonair"
)

// A call that gets no answer fails with an error that quotes the URL the
// transport sent to. Its query, which url.full leaves out because it may
// carry a secret, must not reach the span's status, its exception event
// or the log's summary of the call through that error.
func TestNoQuerySecretInTransportError(t *testing.T) {
	const token, secret = "tok-a1b2c3d4e5f6", "s3cret-q9w8e7r6"
	srv := httptest.NewServer(nil)
	base := srv.URL
	srv.Close() // every attempt now fails: connection refused
	tl := newTelemetry(t)
	var logged bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tok := (&oauth2.Token{AccessToken: token, Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": "streams.read"})
	c, err := livepush.NewClient(oauth2.StaticTokenSource(tok), livepush.WithBaseURL(base),
		livepush.WithHooks(otelonair.Hooks(tl.opts...)), livepush.WithLogger(l))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Streams.Get(t.Context(), "st_a1b2c3d4e5f6g", onair.WithQuery("signature", secret), onair.WithMaxRetries(0))
	if err == nil {
		t.Fatal("the call to a closed server succeeded")
	}
	var spans strings.Builder
	for _, s := range tl.spans.Ended() {
		fmt.Fprintf(&spans, "%s status %q attrs %v\n", s.Name(), s.Status().Description, s.Attributes())
		for _, e := range s.Events() {
			fmt.Fprintf(&spans, "  event %s %v\n", e.Name, e.Attributes)
		}
	}
	for where, text := range map[string]string{"a span": spans.String(), "the log": logged.String(), "the metrics": fmt.Sprint(tl.metrics(t))} {
		if strings.Contains(text, secret) {
			t.Errorf("the query's secret reached %s:\n%s", where, text)
		}
	}
}
