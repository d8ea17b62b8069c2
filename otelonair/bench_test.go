package otelonair_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/otelonair"
)

// streamJSON is a GET /streams/{id} answer as the spec's example has it,
// the one livepush's BenchmarkTypedCall decodes.
const streamJSON = `{"id":"st_a1b2c3d4e5f6g","chatId":"mc_a1b2c3d4e5f6","embedId":"em_a1b2c3d4e5f6","createdAt":"2026-11-20T09:30:00Z",` +
	`"isDisabled":false,"metadata":{"name":"Sunday service","category":"simulcast"},"config":{"pullUrlMaxRetry":5,"recordingTier":"rise"},` +
	`"destinations":[{"id":"pb_a1b2c3d4e","label":"YouTube main","appName":"youtube","rtmpBase":"rtmp://a.rtmp.youtube.com/live2","isDisabled":false,"updatedAt":"2026-11-20T09:35:00Z"}],` +
	`"zone":{"category":"public","host":"stream.livepush.io","isPublic":true,"isDefault":true},"unsafeContent":false,"hasValidated":true}`

// discard is a span exporter that drops every span.
type discard struct{}

func (discard) ExportSpans(context.Context, []sdktrace.ReadOnlySpan) error { return nil }
func (discard) Shutdown(context.Context) error                             { return nil }

// instrumentedBench is one typed Streams.Get without hooks and one with
// otelonair's, on SDK providers whose spans are batched and dropped and
// whose metrics wait for a reader that never collects, against the same
// loopback server.
type instrumentedBench struct {
	ctx         context.Context
	plain, otel *livepush.Client
}

func newInstrumentedBench(b *testing.B) *instrumentedBench {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, streamJSON)
	}))
	b.Cleanup(srv.Close)
	return newInstrumentedBenchOn(b, srv.URL, srv.Client())
}

// memoryTransport answers every request with streamJSON, without a network.
type memoryTransport struct{}

func (memoryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Status: "200 OK", Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(streamJSON)), Request: r}, nil
}

func newInstrumentedBenchOn(b *testing.B, baseURL string, hc *http.Client) *instrumentedBench {
	tp := sdktrace.NewTracerProvider(sdktrace.WithBatcher(discard{}))
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
	b.Cleanup(func() {
		tp.Shutdown(context.Background())
		mp.Shutdown(context.Background())
	})
	tok := (&oauth2.Token{AccessToken: "tok", Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": "streams.read"})
	newClient := func(opts ...livepush.Option) *livepush.Client {
		c, err := livepush.NewClient(oauth2.StaticTokenSource(tok),
			append(opts, livepush.WithBaseURL(baseURL), livepush.WithHTTPClient(hc))...)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	return &instrumentedBench{
		ctx:   context.Background(),
		plain: newClient(),
		otel:  newClient(livepush.WithHooks(otelonair.Hooks(otelonair.WithTracerProvider(tp), otelonair.WithMeterProvider(mp)))),
	}
}

func (t *instrumentedBench) call(b *testing.B, c *livepush.Client) {
	s, err := c.Streams.Get(t.ctx, "st_a1b2c3d4e5f6g")
	if err != nil || s.ID == "" {
		b.Fatalf("%v %v", s, err)
	}
}

// BenchmarkInstrumentedCall times a typed call without hooks and one with
// otelonair's side by side: every iteration makes one of each, in turns of
// order, so that a change in the machine's load weighs on both alike. It
// reports each one's ns/op and their ratio.
//
//	go test -run='^$' -bench='BenchmarkInstrumentedCall$' -benchmem -benchtime=40000x -count 5 ./otelonair/
func BenchmarkInstrumentedCall(b *testing.B) {
	sideBySide(b, newInstrumentedBench(b))
}

// BenchmarkInstrumentedCallOverhead is BenchmarkInstrumentedCall on a
// transport that answers from memory: what is left is the client's own
// work and the instrumentation's, which the network otherwise hides.
//
//	go test -run='^$' -bench='BenchmarkInstrumentedCallOverhead' -benchmem -benchtime=100000x -count 5 ./otelonair/
func BenchmarkInstrumentedCallOverhead(b *testing.B) {
	sideBySide(b, newInstrumentedBenchOn(b, "https://api.example", &http.Client{Transport: memoryTransport{}}))
}

func sideBySide(b *testing.B, t *instrumentedBench) {
	var plain, otel time.Duration
	i := 0
	for b.Loop() {
		first, second, a, z := t.plain, t.otel, &plain, &otel
		if i%2 == 1 {
			first, second, a, z = t.otel, t.plain, &otel, &plain
		}
		t0 := time.Now()
		t.call(b, first)
		t1 := time.Now()
		t.call(b, second)
		*a += t1.Sub(t0)
		*z += time.Since(t1)
		i++
	}
	b.ReportMetric(0, "ns/op") // the pair's total says nothing
	b.ReportMetric(float64(plain.Nanoseconds())/float64(b.N), "no-hooks-ns/op")
	b.ReportMetric(float64(otel.Nanoseconds())/float64(b.N), "otel-ns/op")
	b.ReportMetric(float64(otel)/float64(plain), "otel/no-hooks")
}

// BenchmarkInstrumentedCallAllocs counts each call's allocations apart.
//
//	go test -run='^$' -bench='BenchmarkInstrumentedCallAllocs' -benchmem ./otelonair/
func BenchmarkInstrumentedCallAllocs(b *testing.B) {
	benchApart(b, newInstrumentedBench(b))
}

func benchApart(b *testing.B, t *instrumentedBench) {
	b.Run("no-hooks", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			t.call(b, t.plain)
		}
	})
	b.Run("otel", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			t.call(b, t.otel)
		}
	})
}
