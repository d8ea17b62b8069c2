package otelonair_test

import (
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/otelonair"
	"github.com/onair-go/onair/scopes"
)

const streamID = "st_4kX9mQ2pL7vRz" // in livepushtest's seed

// callErr in a span's Desc stands for the text of the call's error.
const callErr = "(the call's error)"

// A typed call makes an operation span with an attempt span under it per
// HTTP request, and the metrics of the call: a call that succeeds at once,
// a 503 retried after its Retry-After, and an answer that is an error.
func TestOperation(t *testing.T) {
	type want struct {
		spans   []span
		metrics map[string][]point
	}
	opAttrs := func(extra ...any) map[attribute.Key]any {
		m := map[attribute.Key]any{
			"onair.provider": "livepush", "onair.operation": "Streams.Get",
			"http.request.method": "GET", "url.template": "/streams/{streamId}", "server.address": "127.0.0.1",
		}
		for i := 0; i < len(extra); i += 2 {
			m[attribute.Key(extra[i].(string))] = extra[i+1]
		}
		return m
	}
	attemptAttrs := func(extra ...any) map[attribute.Key]any {
		m := map[attribute.Key]any{
			"http.request.method": "GET", "url.template": "/streams/{streamId}", "server.address": "127.0.0.1", "url.scheme": "http",
		}
		for i := 0; i < len(extra); i += 2 {
			m[attribute.Key(extra[i].(string))] = extra[i+1]
		}
		return m
	}
	// The attempt metric's attributes are the span's but url.full and the
	// resend count.
	metricOf := func(m map[attribute.Key]any) map[attribute.Key]any {
		out := map[attribute.Key]any{}
		for k, v := range m {
			if k != "http.request.resend_count" {
				out[k] = v
			}
		}
		return out
	}
	who := map[attribute.Key]any{"onair.provider": "livepush", "onair.operation": "Streams.Get"}
	ok200 := attemptAttrs("http.response.status_code", int64(200))
	failed503 := attemptAttrs("http.response.status_code", int64(503), "error.type", "503")
	retried200 := attemptAttrs("http.response.status_code", int64(200), "http.request.resend_count", int64(1))
	for _, tc := range []struct {
		name      string
		id        string
		fail      int // 503s before the answer
		wantErr   bool
		want      want
		retryWait time.Duration // at least
	}{
		{
			name: "ok", id: streamID,
			want: want{
				spans: []span{
					{Name: "GET /streams/{streamId}", Kind: trace.SpanKindClient, Parent: "livepush Streams.Get", Attrs: ok200},
					{Name: "livepush Streams.Get", Kind: trace.SpanKindInternal, Attrs: opAttrs("http.response.status_code", int64(200), "onair.retry.count", int64(0))},
				},
				metrics: map[string][]point{
					"http.client.request.duration":    {{Attrs: metricOf(ok200), N: 1}},
					"onair.client.operation.duration": {{Attrs: with(who, "http.response.status_code", int64(200)), N: 1}},
				},
			},
		},
		{
			name: "503 retried", id: streamID, fail: 1, retryWait: time.Second, // the sandbox's Retry-After
			want: want{
				spans: []span{
					{Name: "GET /streams/{streamId}", Kind: trace.SpanKindClient, Parent: "livepush Streams.Get", Attrs: failed503, Status: codes.Error},
					{Name: "GET /streams/{streamId}", Kind: trace.SpanKindClient, Parent: "livepush Streams.Get", Attrs: retried200},
					{Name: "livepush Streams.Get", Kind: trace.SpanKindInternal, Attrs: opAttrs("http.response.status_code", int64(200), "onair.retry.count", int64(1))},
				},
				metrics: map[string][]point{
					"http.client.request.duration":    {{Attrs: metricOf(failed503), N: 1}, {Attrs: metricOf(retried200), N: 1}},
					"onair.client.operation.duration": {{Attrs: with(who, "http.response.status_code", int64(200)), N: 1}},
					"onair.client.retries":            {{Attrs: who, N: 1}},
				},
			},
		},
		{
			name: "404", id: "st_missing00000", wantErr: true,
			want: want{
				spans: []span{
					{Name: "GET /streams/{streamId}", Kind: trace.SpanKindClient, Parent: "livepush Streams.Get",
						Attrs: attemptAttrs("http.response.status_code", int64(404), "error.type", "404"), Status: codes.Error},
					{Name: "livepush Streams.Get", Kind: trace.SpanKindInternal,
						Attrs:  opAttrs("http.response.status_code", int64(404), "onair.retry.count", int64(0), "error.type", "404"),
						Status: codes.Error, Desc: callErr, Events: []string{"exception"}},
				},
				metrics: map[string][]point{
					"http.client.request.duration":    {{Attrs: metricOf(attemptAttrs("http.response.status_code", int64(404), "error.type", "404")), N: 1}},
					"onair.client.operation.duration": {{Attrs: with(who, "http.response.status_code", int64(404), "error.type", "404"), N: 1}},
				},
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tl := newTelemetry(t)
			srv := livepushtest.NewServer()
			defer srv.Close()
			c, err := livepush.NewClient(srv.Config().TokenSource(t.Context(), srv.IssueToken(scopes.LivepushStreamsRead)),
				livepush.WithBaseURL(srv.URL), livepush.WithHooks(otelonair.Hooks(tl.opts...)))
			if err != nil {
				t.Fatal(err)
			}
			if tc.fail > 0 {
				if err := srv.FailOperation(livepush.OpStreamsGet, 503, tc.fail); err != nil {
					t.Fatal(err)
				}
			}
			_, err = c.Streams.Get(t.Context(), tc.id)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Streams.Get: %v, want error %v", err, tc.wantErr)
			}

			got, full := tl.ended()
			want := slices.Clone(tc.want.spans)
			for i := range want {
				if want[i].Desc == callErr {
					want[i].Desc = err.Error()
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("spans (-want +got):\n%s", diff)
			}
			port := srv.URL[strings.LastIndex(srv.URL, ":")+1:]
			for _, a := range full["GET /streams/{streamId}"] {
				if u := srv.URL + "/streams/" + tc.id; a["url.full"] != u {
					t.Errorf("url.full %v, want %s", a["url.full"], u)
				}
				if strconv.FormatInt(a["server.port"].(int64), 10) != port {
					t.Errorf("attempt's server.port %v, want %s", a["server.port"], port)
				}
			}
			op := full["livepush Streams.Get"][0]
			if strconv.FormatInt(op["server.port"].(int64), 10) != port {
				t.Errorf("operation's server.port %v, want %s", op["server.port"], port)
			}
			if !atLeast(op["onair.retry.wait"], tc.retryWait) {
				t.Errorf("onair.retry.wait %v s, want at least %v", op["onair.retry.wait"], tc.retryWait)
			}
			if op["onair.pace.wait"] != 0.0 {
				t.Errorf("onair.pace.wait %v s for a client that does not pace", op["onair.pace.wait"])
			}

			if diff := cmp.Diff(tc.want.metrics, tl.metrics(t), ignoreSums); diff != "" {
				t.Errorf("metrics (-want +got):\n%s", diff)
			}
		})
	}
}

// with returns m with the extra keys and values added.
func with(m map[attribute.Key]any, extra ...any) map[attribute.Key]any {
	out := maps.Clone(m)
	for i := 0; i < len(extra); i += 2 {
		out[attribute.Key(extra[i].(string))] = extra[i+1]
	}
	return out
}
