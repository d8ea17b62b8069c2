package livepush_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/livepush"
)

// streamJSON is a GET /streams/{id} answer as the spec's example has it.
const streamJSON = `{"id":"st_a1b2c3d4e5f6g","chatId":"mc_a1b2c3d4e5f6","embedId":"em_a1b2c3d4e5f6","createdAt":"2026-11-20T09:30:00Z",` +
	`"isDisabled":false,"metadata":{"name":"Sunday service","category":"simulcast"},"config":{"pullUrlMaxRetry":5,"recordingTier":"rise"},` +
	`"destinations":[{"id":"pb_a1b2c3d4e","label":"YouTube main","appName":"youtube","rtmpBase":"rtmp://a.rtmp.youtube.com/live2","isDisabled":false,"updatedAt":"2026-11-20T09:35:00Z"}],` +
	`"zone":{"category":"public","host":"stream.livepush.io","isPublic":true,"isDefault":true},"unsafeContent":false,"hasValidated":true}`

// typedCallBench is Streams.Get through the whole stack (scope check, auth
// transport, retries, typed decode) and what a user would write by hand
// (an http.Client request with a Bearer header, then json.Unmarshal into
// the same type), on the same transport against the same loopback server.
type typedCallBench struct {
	ctx   context.Context
	hc    *http.Client
	base  string
	token string
	c     *livepush.Client
}

func newTypedCallBench(b *testing.B) *typedCallBench {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, streamJSON)
	}))
	b.Cleanup(srv.Close)
	tok := (&oauth2.Token{AccessToken: "tok", Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": "streams.read"})
	hc := srv.Client()
	c, err := livepush.NewClient(oauth2.StaticTokenSource(tok), livepush.WithBaseURL(srv.URL), livepush.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	return &typedCallBench{ctx: context.Background(), hc: hc, base: srv.URL, token: tok.AccessToken, c: c}
}

func (t *typedCallBench) byHand(b *testing.B) {
	req, _ := http.NewRequestWithContext(t.ctx, http.MethodGet, t.base+"/streams/st_a1b2c3d4e5f6g", nil)
	req.Header.Set("Authorization", "Bearer "+t.token)
	res, err := t.hc.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	var s livepush.Stream
	if err != nil || res.StatusCode != 200 || json.Unmarshal(body, &s) != nil || s.ID == "" {
		b.Fatalf("%d %v", res.StatusCode, err)
	}
}

func (t *typedCallBench) typed(b *testing.B) {
	s, err := t.c.Streams.Get(t.ctx, "st_a1b2c3d4e5f6g")
	if err != nil || s.ID == "" {
		b.Fatalf("%v %v", s, err)
	}
}

// BenchmarkTypedCall times the two calls side by side: every iteration
// makes one of each, in turns of order, so that a change in the machine's
// load weighs on both alike. It reports each one's ns/op and their ratio.
//
//	go test -run='^$' -bench='BenchmarkTypedCall' -benchmem -benchtime=40000x -count 5 ./livepush/
func BenchmarkTypedCall(b *testing.B) {
	t := newTypedCallBench(b)
	var hand, typed time.Duration
	i := 0
	for b.Loop() {
		first, second, a, z := t.byHand, t.typed, &hand, &typed
		if i%2 == 1 {
			first, second, a, z = t.typed, t.byHand, &typed, &hand
		}
		t0 := time.Now()
		first(b)
		t1 := time.Now()
		second(b)
		*a += t1.Sub(t0)
		*z += time.Since(t1)
		i++
	}
	b.ReportMetric(0, "ns/op") // the pair's total says nothing
	b.ReportMetric(float64(hand.Nanoseconds())/float64(b.N), "by-hand-ns/op")
	b.ReportMetric(float64(typed.Nanoseconds())/float64(b.N), "onair-ns/op")
	b.ReportMetric(float64(typed)/float64(hand), "onair/by-hand")
}

// BenchmarkTypedCallAllocs counts each call's allocations apart.
//
//	go test -run='^$' -bench='BenchmarkTypedCallAllocs' -benchmem ./livepush/
func BenchmarkTypedCallAllocs(b *testing.B) {
	t := newTypedCallBench(b)
	b.Run("by-hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			t.byHand(b)
		}
	})
	b.Run("onair", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			t.typed(b)
		}
	})
}

// memoryTransport answers every request with streamJSON, without a network.
type memoryTransport struct{}

func (memoryTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(streamJSON)), Request: r}, nil
}

// BenchmarkTypedCallOverhead is BenchmarkTypedCall on a transport that
// answers from memory: what is left is each side's own work, which the
// network otherwise hides.
//
//	go test -run='^$' -bench='BenchmarkTypedCallOverhead' -benchmem -count 5 ./livepush/
func BenchmarkTypedCallOverhead(b *testing.B) {
	tok := (&oauth2.Token{AccessToken: "tok", Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": "streams.read"})
	hc := &http.Client{Transport: memoryTransport{}}
	c, err := livepush.NewClient(oauth2.StaticTokenSource(tok), livepush.WithBaseURL("https://api.example"), livepush.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	t := &typedCallBench{ctx: context.Background(), hc: hc, base: "https://api.example", token: tok.AccessToken, c: c}
	b.Run("by-hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			t.byHand(b)
		}
	})
	b.Run("onair", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			t.typed(b)
		}
	})
}
