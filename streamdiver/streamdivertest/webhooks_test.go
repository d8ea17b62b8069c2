package streamdivertest

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/streamdiver"
)

var mediaEvents = []streamdiver.WebhookEvent{
	streamdiver.WebhookEventMediaCreated, streamdiver.WebhookEventMediaUpdated,
	streamdiver.WebhookEventMediaDeleted, streamdiver.WebhookEventMediaRestored,
}

// TestWebhookLimit: each user may have only as many active webhooks as
// the tenant settings say; inactive ones do not count.
func TestWebhookLimit(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	if _, err := c.Tenants.UpdateSettings(ctx, streamdiver.UpdateTenantSettingsRequest{MaxActiveWebhooks: onair.Ptr(1)}); err != nil {
		t.Fatal(err)
	}
	create := func(active bool) (*streamdiver.Webhook, error) {
		return c.Webhooks.Create(ctx, streamdiver.CreateWebhookRequest{URL: "http://127.0.0.1:9/hook", Events: mediaEvents, Active: &active})
	}
	first, err := create(true)
	if err != nil {
		t.Fatal(err)
	}
	_, err = create(true)
	wantError(t, err, http.StatusConflict, "status")
	second, err := create(false)
	if err != nil {
		t.Fatalf("an inactive webhook beyond the limit: %v", err)
	}
	_, err = c.Webhooks.Update(ctx, second.ID, streamdiver.UpdateWebhookRequest{Active: onair.Ptr(true)})
	wantError(t, err, http.StatusConflict, "status")

	if _, err := c.Webhooks.Update(ctx, first.ID, streamdiver.UpdateWebhookRequest{Active: onair.Ptr(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Webhooks.Update(ctx, second.ID, streamdiver.UpdateWebhookRequest{Active: onair.Ptr(true)}); err != nil {
		t.Errorf("activating a webhook once another was deactivated: %v", err)
	}
	// Updating the one active webhook keeps it within the limit.
	if _, err := c.Webhooks.Update(ctx, second.ID, streamdiver.UpdateWebhookRequest{Description: onair.Ptr("renamed")}); err != nil {
		t.Errorf("updating the active webhook at the limit: %v", err)
	}
}

func TestWebhookRefusals(t *testing.T) {
	ctx := context.Background()
	_, c := start(t)
	_, err := c.Webhooks.Create(ctx, streamdiver.CreateWebhookRequest{URL: "ftp://example.com/hook", Events: mediaEvents})
	wantError(t, err, http.StatusBadRequest, "url")
	_, err = c.Webhooks.Get(ctx, "no-such-webhook")
	wantError(t, err, http.StatusNotFound, "")
	err = c.Webhooks.Ping(ctx, "no-such-webhook")
	wantError(t, err, http.StatusNotFound, "")
	_, err = c.Webhooks.GetLog(ctx, "6f1c2a9e-0000-4000-8000-000000000020", "no-such-log")
	wantError(t, err, http.StatusNotFound, "")
	err = c.Webhooks.RetryDelivery(ctx, "6f1c2a9e-0000-4000-8000-000000000020", "no-such-log")
	wantError(t, err, http.StatusNotFound, "")
}

// receiver records the bodies POSTed to it.
type receiver struct {
	mu     sync.Mutex
	events []string
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	var e struct{ Event string }
	_ = json.Unmarshal(b, &e) // a body that is no event is recorded as ""
	r.mu.Lock()
	r.events = append(r.events, e.Event)
	r.mu.Unlock()
}

func (r *receiver) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.events
	r.events = nil
	return out
}

// TestWebhookDeliveries: an active webhook gets the events it subscribed
// to and no others, an inactive one none but pings, and a deleted one
// nothing, its logs gone with it.
func TestWebhookDeliveries(t *testing.T) {
	ctx := context.Background()
	srv, c := start(t)
	rcv := &receiver{}
	app := httptest.NewServer(rcv)
	t.Cleanup(app.Close)
	h, err := c.Webhooks.Create(ctx, streamdiver.CreateWebhookRequest{URL: app.URL, Events: []streamdiver.WebhookEvent{streamdiver.WebhookEventMediaDeleted}})
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name string
		act  func() error
		want []string
	}{
		{"not subscribed", func() error { return srv.Trigger(streamdiver.WebhookEventMediaUpdated) }, nil},
		{"subscribed", func() error { return srv.Trigger(streamdiver.WebhookEventMediaDeleted) }, []string{"media.deleted"}},
		{"deactivated", func() error {
			_, err := c.Webhooks.Update(ctx, h.ID, streamdiver.UpdateWebhookRequest{Active: onair.Ptr(false)})
			return cmpOr(err, srv.Trigger(streamdiver.WebhookEventMediaDeleted))
		}, nil},
		{"pinged while inactive", func() error { return c.Webhooks.Ping(ctx, h.ID) }, []string{"ping"}},
		{"deleted", func() error {
			_, err := c.Webhooks.Update(ctx, h.ID, streamdiver.UpdateWebhookRequest{Active: onair.Ptr(true)})
			return cmpOr(err, c.Webhooks.Delete(ctx, h.ID), srv.Trigger(streamdiver.WebhookEventMediaDeleted))
		}, nil},
	}
	for _, s := range steps {
		if err := s.act(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if err := srv.WaitDeliveries(ctx); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(s.want, rcv.take()); diff != "" {
			t.Errorf("%s: deliveries (-want +got):\n%s", s.name, diff)
		}
	}
	_, _, err = c.Webhooks.ListLogsPage(ctx, h.ID, nil)
	wantError(t, err, http.StatusNotFound, "")
}

func cmpOr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// TestWebhookUnreachable logs a delivery nobody answered as failed, with
// no status.
func TestWebhookUnreachable(t *testing.T) {
	ctx := context.Background()
	srv, c := start(t)
	gone := httptest.NewServer(http.NotFoundHandler())
	gone.Close()
	h, err := c.Webhooks.Create(ctx, streamdiver.CreateWebhookRequest{URL: gone.URL, Events: mediaEvents})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Trigger(streamdiver.WebhookEventMediaCreated); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	logs := all(t, c.Webhooks.ListLogs(ctx, h.ID, nil))
	want := []streamdiver.WebhookLog{{WebhookID: h.ID, Event: streamdiver.WebhookEventMediaCreated, Status: streamdiver.WebhookLogStatusFailed, Attempts: 1}}
	for i := range logs {
		logs[i].ID, logs[i].EventID, logs[i].Payload, logs[i].CreatedAt = "", "", nil, want[0].CreatedAt
	}
	if diff := cmp.Diff(want, logs); diff != "" {
		t.Errorf("logs (-want +got):\n%s", diff)
	}
}

func TestTriggerRefusesUnknownEvents(t *testing.T) {
	srv, _ := start(t)
	if err := srv.Trigger("channel.created"); err == nil {
		t.Error("Trigger(channel.created) succeeded; want an error")
	}
}

// TestWebhookMediaCreatedOnUpload: completing an upload creates an asset,
// and the webhook hears of it.
func TestWebhookMediaCreatedOnUpload(t *testing.T) {
	ctx := context.Background()
	srv, c := start(t)
	var mu sync.Mutex
	var got []streamdiver.MediaCreatedEvent
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var e streamdiver.MediaCreatedEvent
		if err := json.NewDecoder(r.Body).Decode(&e); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		got = append(got, e)
		mu.Unlock()
	}))
	t.Cleanup(app.Close)
	if _, err := c.Webhooks.Create(ctx, streamdiver.CreateWebhookRequest{URL: app.URL, Events: mediaEvents}); err != nil {
		t.Fatal(err)
	}
	u, err := c.Uploads.Create(ctx, streamdiver.CreateUploadRequest{FileName: "interview.mov", Type: "put"})
	if err != nil {
		t.Fatal(err)
	}
	done, err := c.Uploads.Complete(ctx, u.ID, streamdiver.CompleteUploadRequest{})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || got[0].Event != streamdiver.WebhookEventMediaCreated || got[0].Media.ID != done.MediaID || got[0].Media.Name != "interview" {
		t.Errorf("deliveries %+v; want one media.created of asset %s", got, done.MediaID)
	}
}

// TestWebhookDeletedDuringDelivery deletes a webhook while its receiver
// is answering: the delivery's outcome leaves no log behind.
func TestWebhookDeletedDuringDelivery(t *testing.T) {
	ctx := context.Background()
	srv, c := start(t)
	arrived, release := make(chan struct{}), make(chan struct{})
	app := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		close(arrived)
		<-release
	}))
	t.Cleanup(app.Close)
	h, err := c.Webhooks.Create(ctx, streamdiver.CreateWebhookRequest{URL: app.URL, Events: mediaEvents})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Trigger(streamdiver.WebhookEventMediaUpdated); err != nil {
		t.Fatal(err)
	}
	<-arrived
	if err := c.Webhooks.Delete(ctx, h.ID); err != nil {
		t.Fatal(err)
	}
	close(release)
	if err := srv.WaitDeliveries(ctx); err != nil {
		t.Fatal(err)
	}
	a := srv.api()
	a.mu.Lock()
	defer a.mu.Unlock()
	if logs := a.logs.Children(h.ID); len(logs) != 0 {
		t.Errorf("a deleted webhook has %d logs: %+v", len(logs), logs)
	}
}
