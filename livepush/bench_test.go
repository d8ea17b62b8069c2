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
// json.Unmarshal into the same type. Both hit the same loopback server.
//
//	go test -run='^$' -bench=BenchmarkTypedCall -benchmem -count 6 ./livepush/
func BenchmarkTypedCall(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, streamJSON)
	}))
	defer srv.Close()
	tok := (&oauth2.Token{AccessToken: "tok", Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": "streams.read"})
	hc := srv.Client()
	ctx := context.Background()

	b.Run("by-hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/streams/st_a1b2c3d4e5f6g", nil)
			req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
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
	})
	b.Run("onair", func(b *testing.B) {
		c, err := livepush.NewClient(oauth2.StaticTokenSource(tok), livepush.WithBaseURL(srv.URL), livepush.WithHTTPClient(hc))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			s, err := c.Streams.Get(ctx, "st_a1b2c3d4e5f6g")
			if err != nil || s.ID == "" {
				b.Fatalf("%v %v", s, err)
			}
		}
	})
}
