package otelonair_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"go.opentelemetry.io/otel/trace"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/otelonair"
)

// echoErr is a transport's error whose text quotes the request, as
// net/http's does for a broken server's answer that echoed it.
type echoErr struct{ msg string }

func (e *echoErr) Error() string { return e.msg }

type echoTransport struct{}

func (echoTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return nil, &echoErr{"malformed answer: " + r.Header.Get("Authorization")}
}

// A call that gets no answer fails on its operation span with the error
// http.Client returns: the transport's own inside a *url.Error, cleaned of
// secrets. Its attempt span sees the transport's error as it is. Both must
// name the same error.type, the transport's, so that an operator can group
// failures by it at either level; a cancelled call reads "canceled", as a
// deadline reads "timeout".
func TestTransportFailureErrorType(t *testing.T) {
	closed := httptest.NewServer(nil)
	closed.Close() // every attempt fails: connection refused
	cases := []struct {
		name    string
		base    string
		client  *http.Client
		cancel  bool // the server cancels the call's context on receiving it
		want    string
		wantAll bool // want on both spans; else only the same type on both
	}{
		{name: "connection refused", base: closed.URL},
		{name: "error quoting the token", base: "http://127.0.0.1:1", client: &http.Client{Transport: echoTransport{}}, want: "*otelonair_test.echoErr", wantAll: true},
		{name: "cancelled in flight", cancel: true, want: "canceled", wantAll: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if tc.cancel {
				srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					cancel()
					<-r.Context().Done()
				}))
				defer srv.Close()
				tc.base = srv.URL
			}
			tl := newTelemetry(t)
			tok := (&oauth2.Token{AccessToken: "tok-a1b2c3d4e5f6", Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": "streams.read"})
			opts := []livepush.Option{livepush.WithBaseURL(tc.base), livepush.WithHooks(otelonair.Hooks(tl.opts...))}
			if tc.client != nil {
				opts = append(opts, livepush.WithHTTPClient(tc.client))
			}
			c, err := livepush.NewClient(oauth2.StaticTokenSource(tok), opts...)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Streams.Get(ctx, "st_a1b2c3d4e5f6g", onair.WithMaxRetries(0)); err == nil {
				t.Fatal("the call succeeded")
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
			switch {
			case op == "" || op != attempt || op == "*url.Error":
				t.Errorf("error.type: operation %q, attempt %q; want the same transport error type on both", op, attempt)
			case tc.wantAll && op != tc.want:
				t.Errorf("error.type %q on both spans, want %q", op, tc.want)
			}
		})
	}
}
