package streamdiver_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
	"github.com/onair-go/onair/webhook"
)

const (
	testSecret = "s3cret-of-the-test-receiver"
	keynote    = "6f1c2a9e-0000-4000-8000-000000000001" // a seeded video
)

// inbox is what a test receiver's handler was called with.
type inbox struct {
	mu     sync.Mutex
	events []streamdiver.Notification
	fail   error // returned by the handler while set
}

func (in *inbox) handle(_ context.Context, e streamdiver.Notification) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.events = append(in.events, e)
	return in.fail
}

// take returns the events handled so far and forgets them.
func (in *inbox) take() []streamdiver.Notification {
	in.mu.Lock()
	defer in.mu.Unlock()
	out := in.events
	in.events = nil
	return out
}

func (in *inbox) failWith(err error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.fail = err
}

// webhookTest is a sandbox, a client of it and a receiver it delivers to.
type webhookTest struct {
	srv    *streamdivertest.Server
	client *streamdiver.Client
	inbox  *inbox
	url    string // the receiver's URL with the right secret
}

func newWebhookTest(t testing.TB) *webhookTest {
	t.Helper()
	ctx := context.Background()
	srv := streamdivertest.NewServer()
	t.Cleanup(srv.Close)
	client, err := streamdiver.NewClient(srv.Config().ClientCredentialsTokenSource(srv.Context(ctx)),
		streamdiver.WithBaseURL(srv.URL), streamdiver.WithHTTPClient(srv.Client()))
	if err != nil {
		t.Fatal(err)
	}
	in := &inbox{}
	mux := http.NewServeMux()
	rc, err := streamdiver.NewReceiver(testSecret, in.handle)
	if err != nil {
		t.Fatal(err)
	}
	mux.Handle("POST /hooks/streamdiver/", rc)
	app := httptest.NewServer(mux)
	t.Cleanup(app.Close)
	return &webhookTest{srv: srv, client: client, inbox: in, url: app.URL + "/hooks/streamdiver/" + testSecret}
}

// subscribe creates an active webhook of every media event to url.
func (w *webhookTest) subscribe(t testing.TB, url string) *streamdiver.Webhook {
	t.Helper()
	h, err := w.client.Webhooks.Create(context.Background(), streamdiver.CreateWebhookRequest{
		URL: url,
		Events: []streamdiver.WebhookEvent{
			streamdiver.WebhookEventMediaCreated, streamdiver.WebhookEventMediaUpdated,
			streamdiver.WebhookEventMediaDeleted, streamdiver.WebhookEventMediaRestored,
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// settle waits for the sandbox's deliveries and returns the events the
// receiver handled meanwhile.
func (w *webhookTest) settle(t testing.TB) []streamdiver.Notification {
	t.Helper()
	if err := w.srv.WaitDeliveries(t.Context()); err != nil {
		t.Fatal(err)
	}
	return w.inbox.take()
}

// logs returns the webhook's delivery logs.
func (w *webhookTest) logs(t *testing.T, hookID string) []streamdiver.WebhookLog {
	t.Helper()
	var out []streamdiver.WebhookLog
	for l, err := range w.client.Webhooks.ListLogs(context.Background(), hookID, nil) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, l)
	}
	return out
}

// ignoreEnvelope leaves out what differs between deliveries (the event
// id, the time, the webhook) and the asset's timestamps.
var ignoreEnvelope = cmp.Options{
	cmpopts.IgnoreFields(streamdiver.PingEvent{}, "ID", "CreatedAt", "WebhookID"),
	cmpopts.IgnoreFields(streamdiver.MediaCreatedEvent{}, "ID", "CreatedAt", "WebhookID"),
	cmpopts.IgnoreFields(streamdiver.MediaUpdatedEvent{}, "ID", "CreatedAt", "WebhookID"),
	cmpopts.IgnoreFields(streamdiver.MediaDeletedEvent{}, "ID", "CreatedAt", "WebhookID"),
	cmpopts.IgnoreFields(streamdiver.MediaRestoredEvent{}, "ID", "CreatedAt", "WebhookID"),
	cmpopts.IgnoreFields(streamdiver.Media{}, "CreatedAt", "UpdatedAt", "PlaylistURL", "ThumbnailURL", "Description", "Duration", "FileSize", "Tags", "ChannelIDs"),
}

// TestReceiverDecodesSandboxDeliveries changes the sandbox through the
// API and checks that each media event arrives, decoded as its type, at
// the receiver.
func TestReceiverDecodesSandboxDeliveries(t *testing.T) {
	ctx := context.Background()
	w := newWebhookTest(t)
	hook := w.subscribe(t, w.url)
	video := func(name, status string) streamdiver.Media {
		return streamdiver.Media{ID: keynote, Name: name, Type: streamdiver.MediaTypeVideo, Status: status}
	}
	tests := []struct {
		name string
		act  func() error
		want []streamdiver.Notification
	}{
		{"update", func() error {
			_, err := w.client.Media.Update(ctx, keynote, streamdiver.UpdateMediaRequest{Name: onair.Ptr("Keynote (final)")})
			return err
		}, []streamdiver.Notification{&streamdiver.MediaUpdatedEvent{
			Event: streamdiver.WebhookEventMediaUpdated, Media: video("Keynote (final)", "ready"), ChangedProperties: []string{"name"},
		}}},
		{"soft delete", func() error { return w.client.Media.Delete(ctx, keynote, nil) },
			[]streamdiver.Notification{&streamdiver.MediaDeletedEvent{Event: streamdiver.WebhookEventMediaDeleted, MediaID: keynote, Permanent: false}}},
		{"restore", func() error { _, err := w.client.Media.Recover(ctx, keynote); return err },
			[]streamdiver.Notification{&streamdiver.MediaRestoredEvent{Event: streamdiver.WebhookEventMediaRestored, Media: video("Keynote (final)", "ready")}}},
		{"create", func() error { return w.srv.Trigger(streamdiver.WebhookEventMediaCreated) },
			[]streamdiver.Notification{&streamdiver.MediaCreatedEvent{Event: streamdiver.WebhookEventMediaCreated, Media: video("Keynote (final)", "ready")}}},
		{"ping", func() error { return w.client.Webhooks.Ping(ctx, hook.ID) },
			[]streamdiver.Notification{&streamdiver.PingEvent{Event: streamdiver.WebhookEventPing}}},
		{"permanent delete", func() error {
			return w.client.Media.Delete(ctx, keynote, &streamdiver.DeleteMediaParams{HardDelete: true})
		}, []streamdiver.Notification{&streamdiver.MediaDeletedEvent{Event: streamdiver.WebhookEventMediaDeleted, MediaID: keynote, Permanent: true}}},
	}
	for _, tt := range tests {
		if err := tt.act(); err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		got := w.settle(t)
		if diff := cmp.Diff(tt.want, got, ignoreEnvelope); diff != "" {
			t.Errorf("%s: events (-want +got):\n%s", tt.name, diff)
		}
		for _, e := range got {
			if e.EventID() == "" {
				t.Errorf("%s: %s arrived without an id", tt.name, e.Name())
			}
		}
	}
	// Every delivery was logged as delivered.
	logs := w.logs(t, hook.ID)
	if len(logs) != len(tests) {
		t.Errorf("%d delivery logs; want %d, one per event", len(logs), len(tests))
	}
	for _, l := range logs {
		if l.Status != streamdiver.WebhookLogStatusDelivered || l.ResponseStatus != http.StatusNoContent || l.Attempts != 1 {
			t.Errorf("log of %s: status %s, answer %d, %d attempts; want delivered, 204, 1", l.Event, l.Status, l.ResponseStatus, l.Attempts)
		}
	}
}

// TestReceiverRefusesWrongSecret subscribes a URL with another secret:
// the receiver refuses the delivery without calling the handler, and the
// log says so.
func TestReceiverRefusesWrongSecret(t *testing.T) {
	w := newWebhookTest(t)
	hook := w.subscribe(t, strings.TrimSuffix(w.url, testSecret)+"not-"+testSecret)
	if err := w.srv.Trigger(streamdiver.WebhookEventMediaUpdated); err != nil {
		t.Fatal(err)
	}
	if got := w.settle(t); len(got) != 0 {
		t.Errorf("the handler got %d events from a wrong secret; want none", len(got))
	}
	logs := w.logs(t, hook.ID)
	if len(logs) != 1 || logs[0].Status != streamdiver.WebhookLogStatusFailed || logs[0].ResponseStatus != http.StatusNotFound {
		t.Errorf("logs %+v; want one failed delivery answered 404", logs)
	}
}

// TestReceiverRedelivery retries deliveries through the API: one that was
// handled is not handled again; one whose handler failed (answered 500,
// logged failed) is, and then succeeds.
func TestReceiverRedelivery(t *testing.T) {
	ctx := context.Background()
	w := newWebhookTest(t)
	hook := w.subscribe(t, w.url)

	if err := w.srv.Trigger(streamdiver.WebhookEventMediaUpdated); err != nil {
		t.Fatal(err)
	}
	first := w.settle(t)
	if len(first) != 1 {
		t.Fatalf("%d events handled; want 1", len(first))
	}
	logs := w.logs(t, hook.ID)
	if err := w.client.Webhooks.RetryDelivery(ctx, hook.ID, logs[0].ID); err != nil {
		t.Fatal(err)
	}
	if again := w.settle(t); len(again) != 0 {
		t.Errorf("a redelivery of %s was handled again: %d events", first[0].EventID(), len(again))
	}
	l, err := w.client.Webhooks.GetLog(ctx, hook.ID, logs[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	if l.Attempts != 2 || l.Status != streamdiver.WebhookLogStatusDelivered || l.EventID != first[0].EventID() {
		t.Errorf("log after the retry: %d attempts, %s, event %s; want 2, delivered, %s", l.Attempts, l.Status, l.EventID, first[0].EventID())
	}

	// A failing handler makes the delivery fail; its retry is handled.
	w.inbox.failWith(errors.New("database down"))
	if err := w.srv.Trigger(streamdiver.WebhookEventMediaDeleted); err != nil {
		t.Fatal(err)
	}
	failed := w.settle(t)
	if len(failed) != 1 {
		t.Fatalf("%d events handled; want 1", len(failed))
	}
	var log streamdiver.WebhookLog
	for _, l := range w.logs(t, hook.ID) {
		if l.EventID == failed[0].EventID() {
			log = l
		}
	}
	if log.Status != streamdiver.WebhookLogStatusFailed || log.ResponseStatus != http.StatusInternalServerError {
		t.Fatalf("log of a failed handler: %s, %d; want failed, 500", log.Status, log.ResponseStatus)
	}
	w.inbox.failWith(nil)
	if err := w.client.Webhooks.RetryDelivery(ctx, hook.ID, log.ID); err != nil {
		t.Fatal(err)
	}
	retried := w.settle(t)
	if len(retried) != 1 || retried[0].EventID() != failed[0].EventID() {
		t.Errorf("the retry of a failed delivery handled %v; want %s once", retried, failed[0].EventID())
	}
	if l, err := w.client.Webhooks.GetLog(ctx, hook.ID, log.ID); err != nil || l.Status != streamdiver.WebhookLogStatusDelivered {
		t.Errorf("log after the retry: %+v, %v; want delivered", l, err)
	}
}

// TestReceiverRefusals posts what is no valid delivery straight to the
// receiver: each is refused with its status, and the handler never runs.
func TestReceiverRefusals(t *testing.T) {
	const event = `{"id":"e1","event":"media.deleted","createdAt":"2024-05-21T09:30:00Z","webhookId":"w","mediaId":"m","permanent":true}`
	tests := []struct {
		name, method, path, body string
		want                     int
	}{
		{"wrong secret", http.MethodPost, "/hooks/wrong", event, http.StatusNotFound},
		{"no secret", http.MethodPost, "/", event, http.StatusNotFound},
		{"secret as a prefix", http.MethodPost, "/hooks/" + testSecret + "x", event, http.StatusNotFound},
		{"secret then more", http.MethodPost, "/hooks/" + testSecret + "/x", event, http.StatusNotFound},
		{"GET with a wrong secret", http.MethodGet, "/hooks/wrong", "", http.StatusNotFound},
		{"GET", http.MethodGet, "/hooks/" + testSecret, "", http.StatusMethodNotAllowed},
		{"not JSON", http.MethodPost, "/hooks/" + testSecret, "event=media.deleted", http.StatusBadRequest},
		{"no id", http.MethodPost, "/hooks/" + testSecret, `{"event":"media.deleted"}`, http.StatusBadRequest},
		{"no event", http.MethodPost, "/hooks/" + testSecret, `{"id":"e1"}`, http.StatusBadRequest},
		{"wrong field type", http.MethodPost, "/hooks/" + testSecret, `{"id":"e1","event":"media.deleted","permanent":"yes"}`, http.StatusBadRequest},
		{"too large", http.MethodPost, "/hooks/" + testSecret, event + strings.Repeat(" ", 100), http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			called := false
			var refusals []error
			rc := mustReceiver(t, func(context.Context, streamdiver.Notification) error { called = true; return nil },
				webhook.WithBodyLimit(int64(len(event))), webhook.WithErrorHandler(func(err error) { refusals = append(refusals, err) }))
			rec := httptest.NewRecorder()
			rc.ServeHTTP(rec, httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body)))
			if rec.Code != tt.want {
				t.Errorf("answered %d; want %d", rec.Code, tt.want)
			}
			if called {
				t.Error("the handler ran")
			}
			if len(refusals) != 1 {
				t.Errorf("the error handler got %v; want the one refusal", refusals)
			}
			for _, err := range refusals {
				if strings.Contains(err.Error(), testSecret) || strings.Contains(rec.Body.String(), testSecret) {
					t.Errorf("the refusal %q (answer %q) shows the secret", err, rec.Body)
				}
			}
		})
	}
}

// TestReceiverUnknownEvent hands an event onair does not know to the
// handler whole, and answers it as handled.
func TestReceiverUnknownEvent(t *testing.T) {
	body := `{"id":"e2","event":"channel.created","channel":{"id":"c1"}}`
	var got streamdiver.Notification
	rc := mustReceiver(t, func(_ context.Context, e streamdiver.Notification) error { got = e; return nil })
	rec := httptest.NewRecorder()
	rc.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/hooks/"+testSecret, strings.NewReader(body)))
	if rec.Code != http.StatusNoContent {
		t.Errorf("answered %d; want 204", rec.Code)
	}
	want := &streamdiver.UnknownNotification{ID: "e2", Event: "channel.created", Raw: []byte(body)}
	if diff := cmp.Diff(streamdiver.Notification(want), got); diff != "" {
		t.Errorf("event (-want +got):\n%s", diff)
	}
}

// failingDedup is a dedup store that is down.
type failingDedup struct{}

func (failingDedup) Claim(context.Context, string, time.Duration) (webhook.Claim, error) {
	return 0, errors.New("store down")
}
func (failingDedup) Done(context.Context, string, time.Duration) error { return nil }
func (failingDedup) Release(context.Context, string) error             { return nil }

// TestReceiverDedupDown answers 503 when it cannot tell a redelivery,
// without calling the handler, so that the delivery is retried.
func TestReceiverDedupDown(t *testing.T) {
	called := false
	rc := mustReceiver(t, func(context.Context, streamdiver.Notification) error { called = true; return nil },
		webhook.WithDedup(failingDedup{}))
	rec := httptest.NewRecorder()
	rc.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/hooks/"+testSecret, strings.NewReader(`{"id":"e3","event":"ping"}`)))
	if rec.Code != http.StatusServiceUnavailable || called {
		t.Errorf("answered %d, handler ran: %v; want 503 without the handler", rec.Code, called)
	}
}

// TestReceiverWhileHandling is the delivery a redelivery must not lose:
// while event A's handler runs, a redelivery of A is answered 409 without
// calling the handler, so that it is retried; A's handler then fails and
// A is answered 500; the next redelivery is handled, and the one after
// is answered as handled.
func TestReceiverWhileHandling(t *testing.T) {
	started, finish := make(chan struct{}), make(chan struct{})
	calls := 0 // the first call blocks; the test reads it once that returned
	var errs []error
	rc := mustReceiver(t, func(context.Context, streamdiver.Notification) error {
		calls++
		if calls == 1 {
			close(started)
			<-finish
			return errors.New("database down")
		}
		return nil
	}, webhook.WithErrorHandler(func(err error) { errs = append(errs, err) }))
	deliver := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		rc.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/hooks/"+testSecret, strings.NewReader(`{"id":"e4","event":"ping"}`)))
		return rec
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

// recordlessDedup claims every key and cannot mark one done.
type recordlessDedup struct{}

func (recordlessDedup) Claim(context.Context, string, time.Duration) (webhook.Claim, error) {
	return webhook.Claimed, nil
}
func (recordlessDedup) Done(context.Context, string, time.Duration) error {
	return errors.New("store down")
}
func (recordlessDedup) Release(context.Context, string) error { return nil }

// TestReceiverDedupCannotRecord answers 204 to an event handled whose
// store could not record it: the work is done, and a 500 would have a
// retry handle it again. The error handler hears of it.
func TestReceiverDedupCannotRecord(t *testing.T) {
	calls := 0
	var errs []error
	rc := mustReceiver(t, func(context.Context, streamdiver.Notification) error { calls++; return nil },
		webhook.WithDedup(recordlessDedup{}), webhook.WithErrorHandler(func(err error) { errs = append(errs, err) }))
	rec := httptest.NewRecorder()
	rc.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/hooks/"+testSecret, strings.NewReader(`{"id":"e5","event":"ping"}`)))
	if rec.Code != http.StatusNoContent || calls != 1 || len(errs) != 1 || !errors.Is(errs[0], webhook.ErrNotRecorded) {
		t.Errorf("answered %d, handler ran %d times, errors %q; want 204, once, and ErrNotRecorded", rec.Code, calls, errs)
	}
}

func mustReceiver(t *testing.T, handle func(context.Context, streamdiver.Notification) error, opts ...webhook.Option) *streamdiver.Receiver {
	t.Helper()
	rc, err := streamdiver.NewReceiver(testSecret, handle, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return rc
}

// TestNewReceiverRefuses: a secret a forger could guess, no handler or no
// window (a negative one; zero is the default) is a mistake found at once, not on the first delivery.
func TestNewReceiverRefuses(t *testing.T) {
	ok := func(context.Context, streamdiver.Notification) error { return nil }
	tests := []struct {
		name   string
		secret string
		handle func(context.Context, streamdiver.Notification) error
		opts   []webhook.Option
	}{
		{"short secret", "short", ok, nil},
		{"secret with a slash", "abcdefgh/ijklmnopq", ok, nil},
		{"no handler", testSecret, nil, nil},
		{"negative window", testSecret, ok, []webhook.Option{webhook.WithDedupWindow(-time.Minute)}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := streamdiver.NewReceiver(tt.secret, tt.handle, tt.opts...); err == nil {
				t.Error("NewReceiver succeeded; want an error")
			} else if strings.Contains(err.Error(), tt.secret) && tt.secret != testSecret {
				t.Errorf("the error %q shows the secret", err)
			}
		})
	}
}

func TestWebhookURL(t *testing.T) {
	tests := []struct {
		base, want string
		ok         bool
	}{
		{"https://hooks.example.com/streamdiver", "https://hooks.example.com/streamdiver/" + testSecret, true},
		{"https://hooks.example.com/streamdiver/", "https://hooks.example.com/streamdiver/" + testSecret, true},
		{"https://hooks.example.com", "https://hooks.example.com/" + testSecret, true},
		{"/streamdiver", "", false},
		{"https://hooks.example.com/streamdiver?x=1", "", false},
	}
	for _, tt := range tests {
		got, err := streamdiver.WebhookURL(tt.base, testSecret)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("WebhookURL(%q) = %q, %v; want %q (ok: %v)", tt.base, got, err, tt.want, tt.ok)
		}
	}
}

// TestReceiverStripPrefix serves the receiver under its base with
// http.StripPrefix, which leaves the bare secret as the path: the
// delivery is the receiver's all the same.
func TestReceiverStripPrefix(t *testing.T) {
	called := 0
	rc := mustReceiver(t, func(context.Context, streamdiver.Notification) error { called++; return nil })
	mux := http.NewServeMux()
	mux.Handle("/hooks/", http.StripPrefix("/hooks/", rc))
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/hooks/"+testSecret, strings.NewReader(`{"id":"e4","event":"ping"}`)))
	if rec.Code != http.StatusNoContent || called != 1 {
		t.Errorf("answered %d, handler ran %d times; want 204 and once", rec.Code, called)
	}
}

// TestReceiverPrintsNoSecret prints and logs a Receiver every way fmt and
// slog do: the secret must show in none of them.
func TestReceiverPrintsNoSecret(t *testing.T) {
	rc := mustReceiver(t, func(context.Context, streamdiver.Notification) error { return nil })
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("receiver", "r", rc)
	for _, s := range []string{fmt.Sprintf("%v", rc), fmt.Sprintf("%+v", rc), fmt.Sprintf("%#v", rc), fmt.Sprintf("%v", *rc), fmt.Sprintf("%+v", *rc), logged.String()} {
		if strings.Contains(s, testSecret) {
			t.Errorf("the secret shows in %q", s)
		}
	}
}
