package livepush_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
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

// BenchmarkTypedCall compares Streams.Get through the whole stack (scope
// check, auth transport, retries, typed decode) with what a user would
// write by hand: an http.Client request with a Bearer header, then
// json.Unmarshal into the same type. Both hit the same loopback server on
// the same transport. The two alternate, round after round (by-hand,
// onair, by-hand#01, onair#01, …), so that a change in the machine's load
// weighs on both alike; compare the medians of each name's rounds:
//
//	go test -run='^$' -bench=BenchmarkTypedCall -benchmem -benchtime=20000x ./livepush/
func BenchmarkTypedCall(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, streamJSON)
	}))
	defer srv.Close()
	tok := (&oauth2.Token{AccessToken: "tok", Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": "streams.read"})
	hc := srv.Client()
	ctx := context.Background()

	c, err := livepush.NewClient(oauth2.StaticTokenSource(tok), livepush.WithBaseURL(srv.URL), livepush.WithHTTPClient(hc))
	if err != nil {
		b.Fatal(err)
	}
	for range rounds {
		b.Run("by-hand", func(b *testing.B) { byHand(b, ctx, hc, srv.URL, tok.AccessToken) })
		b.Run("onair", func(b *testing.B) { typed(b, ctx, c) })
	}
}

// rounds is how many times each side of BenchmarkTypedCall runs.
const rounds = 10

func byHand(b *testing.B, ctx context.Context, hc *http.Client, base, token string) {
	b.ReportAllocs()
	for b.Loop() {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/streams/st_a1b2c3d4e5f6g", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		res, err := hc.Do(req)
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
}

func typed(b *testing.B, ctx context.Context, c *livepush.Client) {
	b.ReportAllocs()
	for b.Loop() {
		s, err := c.Streams.Get(ctx, "st_a1b2c3d4e5f6g")
		if err != nil || s.ID == "" {
			b.Fatalf("%v %v", s, err)
		}
	}
}
