package livestorm_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/webhook"
)

const sessionBody = `{"data":{"id":"5ac1b3e2-1111-4a2b-9c3d-000000000001","type":"sessions","attributes":{"name":"Launch day","status":"live","event_id":"e1"}}}`

// TestReceiverRefuses sends requests that are no valid delivery: each gets
// its 4xx, and the handler is never called.
func TestReceiverRefuses(t *testing.T) {
	path := "/hooks/livestorm/" + hookSecret + "/session.started"
	tests := []struct {
		name       string
		method     string
		path       string
		body       string
		wantStatus int
	}{
		{"wrong secret", "POST", "/hooks/livestorm/sandbox-webhook-secret-0123456780/session.started", sessionBody, http.StatusNotFound},
		{"secret as a prefix", "POST", "/hooks/livestorm/" + hookSecret[:20] + "/session.started", sessionBody, http.StatusNotFound},
		{"secret longer", "POST", "/hooks/livestorm/" + hookSecret + "x/session.started", sessionBody, http.StatusNotFound},
		{"no secret", "POST", "/hooks/livestorm/session.started", sessionBody, http.StatusNotFound},
		{"root", "POST", "/", sessionBody, http.StatusNotFound},
		{"secret but no event", "POST", "/hooks/livestorm/" + hookSecret + "/", sessionBody, http.StatusNotFound},
		{"unknown event", "POST", "/hooks/livestorm/" + hookSecret + "/session.paused", sessionBody, http.StatusNotFound},
		{"GET", "GET", path, "", http.StatusMethodNotAllowed},
		{"not JSON", "POST", path, "session started", http.StatusBadRequest},
		{"no data", "POST", path, `{"meta":{}}`, http.StatusBadRequest},
		{"data null", "POST", path, `{"data":null}`, http.StatusBadRequest},
		{"data a list", "POST", path, `{"data":[]}`, http.StatusBadRequest},
		{"no id", "POST", path, `{"data":{"type":"sessions","attributes":{"name":"x"}}}`, http.StatusBadRequest},
		{"attribute of the wrong type", "POST", path, `{"data":{"id":"s1","type":"sessions","attributes":{"name":42}}}`, http.StatusBadRequest},
		{"too large", "POST", path, `{"data":{"id":"s1","type":"sessions","attributes":{"name":"` + strings.Repeat("x", 2000) + `"}}}`, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var refused []error
			rcv, err := livestorm.NewReceiver(hookSecret, func(context.Context, livestorm.Notification) error {
				t.Error("the handler was called for a refused request")
				return nil
			}, webhook.WithBodyLimit(1024), webhook.WithErrorHandler(func(err error) { refused = append(refused, err) }))
			if err != nil {
				t.Fatal(err)
			}
			w := httptest.NewRecorder()
			rcv.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body)))
			if w.Code != tt.wantStatus {
				t.Errorf("status %d; want %d", w.Code, tt.wantStatus)
			}
			if len(refused) != 1 {
				t.Fatalf("the error handler got %d errors; want 1", len(refused))
			}
			if msg := refused[0].Error(); strings.Contains(msg, hookSecret) || strings.Contains(w.Body.String(), hookSecret) {
				t.Errorf("the secret shows in the error %q or the answer %q", msg, w.Body)
			}
		})
	}
}

// TestReceiverAnswers checks the answers to valid deliveries: 204 when the
// handler succeeds or the delivery was handled already (also when the
// store could not record it: the work is done), 500 when it fails and 503
// when the deduplication store cannot claim.
func TestReceiverAnswers(t *testing.T) {
	errStore := errors.New("store down")
	tests := []struct {
		name       string
		handlerErr error
		dedup      webhook.Dedup
		deliveries int
		wantStatus []int
		wantCalls  int
	}{
		{"handled", nil, nil, 1, []int{204}, 1},
		{"a redelivery is answered without calling the handler", nil, nil, 2, []int{204, 204}, 1},
		{"handler fails", errors.New("boom"), nil, 2, []int{500, 500}, 2},
		{"dedup store fails", nil, brokenDedup{claimErr: errStore}, 1, []int{503}, 0},
		{"dedup store cannot record a handled delivery", nil, brokenDedup{doneErr: errStore}, 1, []int{204}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			opts := []webhook.Option{}
			if tt.dedup != nil {
				opts = append(opts, webhook.WithDedup(tt.dedup))
			}
			rcv, err := livestorm.NewReceiver(hookSecret, func(_ context.Context, n livestorm.Notification) error {
				calls++
				if _, ok := n.(*livestorm.SessionStarted); !ok {
					t.Errorf("the handler got a %T; want *livestorm.SessionStarted", n)
				}
				return tt.handlerErr
			}, opts...)
			if err != nil {
				t.Fatal(err)
			}
			var got []int
			for range tt.deliveries {
				w := httptest.NewRecorder()
				rcv.ServeHTTP(w, httptest.NewRequest("POST", "/x/"+hookSecret+"/session.started", strings.NewReader(sessionBody)))
				got = append(got, w.Code)
			}
			if diff := cmp.Diff(tt.wantStatus, got); diff != "" {
				t.Errorf("statuses (-want +got):\n%s", diff)
			}
			if calls != tt.wantCalls {
				t.Errorf("handler called %d times; want %d", calls, tt.wantCalls)
			}
		})
	}
}

// brokenDedup claims every key and fails where told to.
type brokenDedup struct{ claimErr, doneErr error }

func (b brokenDedup) Claim(context.Context, string, time.Duration) (webhook.Claim, error) {
	if b.claimErr != nil {
		return 0, b.claimErr
	}
	return webhook.Claimed, nil
}
func (b brokenDedup) Done(context.Context, string, time.Duration) error { return b.doneErr }
func (b brokenDedup) Release(context.Context, string) error             { return nil }

// TestReceiverWhileHandling is the delivery a redelivery must not lose:
// while delivery A's handler runs, a redelivery of A is answered 409
// without calling the handler, so that Livestorm delivers it again; A's
// handler then fails and A is answered 500; the next redelivery is
// handled.
func TestReceiverWhileHandling(t *testing.T) {
	started, finish := make(chan struct{}), make(chan struct{})
	calls := 0 // the first call blocks; the test reads it once that returned
	var errs []error
	rcv, err := livestorm.NewReceiver(hookSecret, func(context.Context, livestorm.Notification) error {
		calls++
		if calls == 1 {
			close(started)
			<-finish
			return errors.New("database down")
		}
		return nil
	}, webhook.WithErrorHandler(func(err error) { errs = append(errs, err) }))
	if err != nil {
		t.Fatal(err)
	}
	deliver := func() *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		rcv.ServeHTTP(w, httptest.NewRequest("POST", "/x/"+hookSecret+"/session.started", strings.NewReader(sessionBody)))
		return w
	}
	first := make(chan int)
	go func() { first <- deliver().Code }()
	<-started
	redelivery := deliver()
	if redelivery.Code != http.StatusConflict || !strings.Contains(redelivery.Body.String(), "being handled") {
		t.Errorf("a redelivery while handling answered %d %q; want 409 saying it is being handled", redelivery.Code, redelivery.Body)
	}
	close(finish)
	if code := <-first; code != http.StatusInternalServerError {
		t.Errorf("the failed delivery answered %d; want 500", code)
	}
	if calls != 1 {
		t.Errorf("the handler ran %d times before the retry; want once, not for the redelivery", calls)
	}
	if code := deliver().Code; code != http.StatusNoContent || calls != 2 {
		t.Errorf("the retry answered %d, handler ran %d times in all; want 204 and twice", code, calls)
	}
	if code := deliver().Code; code != http.StatusNoContent || calls != 2 {
		t.Errorf("a redelivery after success answered %d, handler ran %d times in all; want 204 and twice", code, calls)
	}
	if len(errs) != 2 {
		t.Errorf("the error handler got %q; want the 409 and the failure", errs)
	}
}

// TestReceiverEventsApart checks that the same body on two event URLs is
// two deliveries: the event is part of the deduplication key.
func TestReceiverEventsApart(t *testing.T) {
	var got []livestorm.WebhookEvent
	rcv, err := livestorm.NewReceiver(hookSecret, func(_ context.Context, n livestorm.Notification) error {
		got = append(got, n.Name())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range []string{"session.started", "session.ended", "session.started"} {
		rcv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/"+hookSecret+"/"+ev, strings.NewReader(sessionBody)))
	}
	if diff := cmp.Diff([]livestorm.WebhookEvent{"session.started", "session.ended"}, got); diff != "" {
		t.Errorf("handled (-want +got):\n%s", diff)
	}
}

// TestReceiverDedupKey checks the key a delivery is claimed by, since a
// store shared by several instances, or kept across a deploy, only
// deduplicates if every version builds the same one.
func TestReceiverDedupKey(t *testing.T) {
	d := &keysDedup{}
	rcv, err := livestorm.NewReceiver(hookSecret, func(context.Context, livestorm.Notification) error { return nil }, webhook.WithDedup(d))
	if err != nil {
		t.Fatal(err)
	}
	rcv.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("POST", "/"+hookSecret+"/session.started", strings.NewReader(sessionBody)))
	sum := sha256.Sum256([]byte(sessionBody))
	if diff := cmp.Diff([]string{"livestorm/session.started/" + hex.EncodeToString(sum[:])}, d.keys); diff != "" {
		t.Errorf("claimed keys (-want +got):\n%s", diff)
	}
}

// keysDedup records the keys claimed and claims each.
type keysDedup struct{ keys []string }

func (d *keysDedup) Claim(_ context.Context, key string, _ time.Duration) (webhook.Claim, error) {
	d.keys = append(d.keys, key)
	return webhook.Claimed, nil
}
func (d *keysDedup) Done(context.Context, string, time.Duration) error { return nil }
func (d *keysDedup) Release(context.Context, string) error             { return nil }

func TestNewReceiverRefuses(t *testing.T) {
	ok := func(context.Context, livestorm.Notification) error { return nil }
	tests := []struct {
		name   string
		secret string
		handle func(context.Context, livestorm.Notification) error
		opts   []webhook.Option
	}{
		{"empty secret", "", ok, nil},
		{"short secret", "short", ok, nil},
		{"secret with a slash", "abcdefgh/ijklmnopqrstu", ok, nil},
		{"no handler", hookSecret, nil, nil},
		{"negative window", hookSecret, ok, []webhook.Option{webhook.WithDedupWindow(-time.Minute)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := livestorm.NewReceiver(tt.secret, tt.handle, tt.opts...)
			if err == nil {
				t.Fatal("NewReceiver succeeded; want an error")
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("error %q shows the secret", err)
			}
		})
	}
}

func TestWebhookURL(t *testing.T) {
	tests := []struct {
		base    string
		secret  string
		event   livestorm.WebhookEvent
		want    string
		wantErr bool
	}{
		{"https://hooks.example.com/livestorm", hookSecret, "people.registered", "https://hooks.example.com/livestorm/" + hookSecret + "/people.registered", false},
		{"https://hooks.example.com/livestorm/", hookSecret, "job.ended", "https://hooks.example.com/livestorm/" + hookSecret + "/job.ended", false},
		{"https://hooks.example.com", hookSecret, "session.started", "https://hooks.example.com/" + hookSecret + "/session.started", false},
		{"https://hooks.example.com/a", "secret with spaces?#", "job.ended", "https://hooks.example.com/a/secret%20with%20spaces%3F%23/job.ended", false},
		{"https://hooks.example.com", hookSecret, "session.paused", "", true},
		{"/relative", hookSecret, "job.ended", "", true},
		{"https://hooks.example.com?q=1", hookSecret, "job.ended", "", true},
		{"https://hooks.example.com", "short", "job.ended", "", true},
	}
	for _, tt := range tests {
		got, err := livestorm.WebhookURL(tt.base, tt.secret, tt.event)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("WebhookURL(%q, %q, %q) = %q, %v; want %q (error %v)", tt.base, tt.secret, tt.event, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestWebhookURLRoundTrip checks that the receiver accepts what
// WebhookURL builds, for every event, even with a secret that needs
// escaping.
func TestWebhookURLRoundTrip(t *testing.T) {
	const secret = "secret with spaces?#%-0123456789"
	for _, ev := range livestorm.WebhookEvents() {
		called := false
		rcv, err := livestorm.NewReceiver(secret, func(_ context.Context, n livestorm.Notification) error {
			called = n.Name() == ev
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		u, err := livestorm.WebhookURL("https://hooks.example.com/livestorm", secret, ev)
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		rcv.ServeHTTP(w, httptest.NewRequest("POST", u, strings.NewReader(`{"data":{"id":"r1","type":"x","attributes":{}}}`)))
		if w.Code != http.StatusNoContent || !called {
			t.Errorf("%s: status %d, handler called %v; want 204 and called", ev, w.Code, called)
		}
	}
}

// TestReceiverStripPrefix serves the receiver under its base with
// http.StripPrefix, which leaves a path without a leading slash: the
// delivery is the receiver's all the same.
func TestReceiverStripPrefix(t *testing.T) {
	called := 0
	rcv, err := livestorm.NewReceiver(hookSecret, func(context.Context, livestorm.Notification) error { called++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/hooks/livestorm/", http.StripPrefix("/hooks/livestorm/", rcv))
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/hooks/livestorm/"+hookSecret+"/session.started", strings.NewReader(sessionBody)))
	if w.Code != http.StatusNoContent || called != 1 {
		t.Errorf("answered %d, handler ran %d times; want 204 and once", w.Code, called)
	}
}

// TestReceiverPrintsNoSecret prints and logs a Receiver every way fmt and
// slog do: the secret must show in none of them.
func TestReceiverPrintsNoSecret(t *testing.T) {
	rcv, err := livestorm.NewReceiver(hookSecret, func(context.Context, livestorm.Notification) error { return nil })
	if err != nil {
		t.Fatal(err)
	}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("receiver", "r", rcv)
	for _, s := range []string{fmt.Sprintf("%v", rcv), fmt.Sprintf("%+v", rcv), fmt.Sprintf("%#v", rcv), fmt.Sprintf("%v", *rcv), fmt.Sprintf("%+v", *rcv), logged.String()} {
		if strings.Contains(s, hookSecret) {
			t.Errorf("the secret shows in %q", s)
		}
	}
}
