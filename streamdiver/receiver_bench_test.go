package streamdiver_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/webhook"
)

// BenchmarkReceiver measures deliveries received per second: the secret
// checked, the body read, deduplicated and decoded, the handler called.
// The bodies are ones the sandbox delivered. Run it on one core:
//
//	go test -run '^$' -bench BenchmarkReceiver -benchmem -cpu 1 ./streamdiver
func BenchmarkReceiver(b *testing.B) {
	bodies := sandboxBodies(b)
	for _, ev := range []streamdiver.WebhookEvent{
		streamdiver.WebhookEventMediaCreated, streamdiver.WebhookEventMediaUpdated,
		streamdiver.WebhookEventMediaDeleted, streamdiver.WebhookEventMediaRestored,
	} {
		b.Run(string(ev), func(b *testing.B) {
			rc, err := streamdiver.NewReceiver(testSecret, func(context.Context, streamdiver.Notification) error { return nil },
				webhook.WithDedup(forgetful{webhook.NewMemoryDedup()}))
			if err != nil {
				b.Fatal(err)
			}
			body := bodies[ev]
			if body == nil {
				b.Fatalf("the sandbox delivered no %s", ev)
			}
			r := bytes.NewReader(body)
			req := httptest.NewRequest(http.MethodPost, "/hooks/streamdiver/"+testSecret, nil)
			w := &discard{}
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				r.Reset(body)
				req.Body = io.NopCloser(r)
				w.code = 0
				rc.ServeHTTP(w, req)
				if w.code != http.StatusNoContent {
					b.Fatalf("status %d", w.code)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "deliveries/s")
		})
	}
}

// sandboxBodies has the sandbox deliver each media event and returns the
// bodies by event.
func sandboxBodies(b *testing.B) map[streamdiver.WebhookEvent][]byte {
	var mu sync.Mutex
	bodies := map[streamdiver.WebhookEvent][]byte{}
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		e, err := streamdiver.ParseNotification(body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		bodies[e.Name()] = body
		mu.Unlock()
	}))
	defer app.Close()
	w := newWebhookTest(b)
	w.subscribe(b, app.URL)
	for _, ev := range []streamdiver.WebhookEvent{
		streamdiver.WebhookEventMediaCreated, streamdiver.WebhookEventMediaUpdated,
		streamdiver.WebhookEventMediaDeleted, streamdiver.WebhookEventMediaRestored,
	} {
		if err := w.srv.Trigger(ev); err != nil {
			b.Fatal(err)
		}
	}
	w.settle(b)
	mu.Lock()
	defer mu.Unlock()
	return bodies
}

// forgetful claims and marks done in a real store, releasing at once, so
// that every iteration pays for deduplication and is handled, not skipped
// as a redelivery of the last.
type forgetful struct{ *webhook.MemoryDedup }

func (f forgetful) Claim(ctx context.Context, key string, lease time.Duration) (webhook.Claim, error) {
	claim, err := f.MemoryDedup.Claim(ctx, key, lease)
	if err == nil {
		err = f.MemoryDedup.Release(ctx, key)
	}
	return claim, err
}

func (f forgetful) Done(ctx context.Context, key string, window time.Duration) error {
	if err := f.MemoryDedup.Done(ctx, key, window); err != nil {
		return err
	}
	return f.MemoryDedup.Release(ctx, key)
}

// discard is a ResponseWriter that keeps only the status.
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
