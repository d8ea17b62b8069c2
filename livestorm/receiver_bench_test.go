package livestorm_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/webhook"
)

// BenchmarkReceiver measures deliveries received per second: the path
// and secret checked, the body read, hashed, deduplicated and decoded, the
// handler called. The bodies are ones the sandbox delivered. Run it on one
// core:
//
//	go test -run '^$' -bench BenchmarkReceiver -benchmem -cpu 1 ./livestorm
func BenchmarkReceiver(b *testing.B) {
	bodies := sandboxBodies(b, "event.created", "session.started", "people.registered", "job.ended")
	for _, ev := range []string{"event.created", "session.started", "people.registered", "job.ended"} {
		b.Run(ev, func(b *testing.B) {
			rcv, err := livestorm.NewReceiver(hookSecret, func(context.Context, livestorm.Notification) error { return nil },
				webhook.WithDedup(forgetful{webhook.NewMemoryDedup()}))
			if err != nil {
				b.Fatal(err)
			}
			body := bodies[ev]
			r := bytes.NewReader(body)
			req := httptest.NewRequest("POST", "/hooks/livestorm/"+hookSecret+"/"+ev, nil)
			w := &discard{}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				r.Reset(body)
				req.Body = io.NopCloser(r)
				w.code = 0
				rcv.ServeHTTP(w, req)
				if w.code != http.StatusNoContent {
					b.Fatalf("status %d", w.code)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
		})
	}
}

// forgetful claims and marks done in a real store, releasing at once, so
// that every iteration pays for deduplication and is handled, not skipped
// as a redelivery of the last.
type forgetful struct{ *webhook.MemoryDedup }

func (f forgetful) Claim(ctx context.Context, key string, lease time.Duration) (webhook.Claim, error) {
	claim, err := f.MemoryDedup.Claim(ctx, key, lease)
	if err == nil {
		err = f.Release(ctx, key)
	}
	return claim, err
}

func (f forgetful) Done(ctx context.Context, key string, window time.Duration) error {
	if err := f.MemoryDedup.Done(ctx, key, window); err != nil {
		return err
	}
	return f.MemoryDedup.Release(ctx, key)
}

type discard struct {
	h    http.Header
	code int
}

func (d *discard) Header() http.Header {
	if d.h == nil {
		d.h = http.Header{}
	}
	return d.h
}
func (d *discard) Write(p []byte) (int, error) { return len(p), nil }
func (d *discard) WriteHeader(code int)        { d.code = code }

// sandboxBodies has the sandbox deliver each event once to a server that
// keeps the raw bodies.
func sandboxBodies(b *testing.B, events ...string) map[string][]byte {
	b.Helper()
	srv := livestormtest.NewServer(livestormtest.WithoutRateLimit())
	defer srv.Close()
	var mu sync.Mutex
	bodies := map[string][]byte{}
	raw := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies[r.URL.Path[1:]] = body
		mu.Unlock()
	}))
	defer raw.Close()
	ctx := context.Background()
	c, err := livestorm.NewClient(srv.Config().TokenSource(ctx, srv.IssueToken(scopes.LivestormFullWrite)), livestorm.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	for _, ev := range events {
		if _, err := c.Webhooks.Create(ctx, livestorm.CreateWebhookRequest{URL: raw.URL + "/" + ev, Event: livestorm.WebhookEvent(ev)}); err != nil {
			b.Fatal(err)
		}
		if err := srv.Trigger(ev, ""); err != nil {
			b.Fatal(err)
		}
	}
	if err := srv.WaitWebhooks(ctx); err != nil {
		b.Fatal(err)
	}
	for _, ev := range events {
		if len(bodies[ev]) == 0 {
			b.Fatalf("the sandbox delivered no %s", ev)
		}
	}
	return bodies
}
