package livestormtest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// startHooks starts a sandbox with opts and a client with every scope.
func startHooks(t *testing.T, opts ...livestormtest.Option) (*livestormtest.Server, *livestorm.Client) {
	t.Helper()
	srv := livestormtest.NewServer(append([]livestormtest.Option{livestormtest.WithoutRateLimit()}, opts...)...)
	t.Cleanup(srv.Close)
	ctx := context.Background()
	c, err := livestorm.NewClient(srv.Config().TokenSource(ctx, srv.IssueToken(scopes.All[scopes.Livestorm]()...)),
		livestorm.WithBaseURL(srv.URL), livestorm.WithoutPacing())
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

// recorder is a receiver that answers each POST with the next of
// statuses (the last one repeating) and keeps the requests.
type recorder struct {
	mu       sync.Mutex
	statuses []int
	paths    []string
	bodies   []string
	header   http.Header // of the last request
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	status := r.statuses[min(len(r.paths), len(r.statuses)-1)]
	r.paths = append(r.paths, req.URL.Path)
	r.bodies = append(r.bodies, string(b))
	r.header = req.Header.Clone()
	w.WriteHeader(status)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.paths)
}

func subscribe(t *testing.T, c *livestorm.Client, url string, event livestorm.WebhookEvent) livestorm.Webhook {
	t.Helper()
	h, err := c.Webhooks.Create(context.Background(), livestorm.CreateWebhookRequest{URL: url, Event: event})
	if err != nil {
		t.Fatal(err)
	}
	return *h
}

func webhook(t *testing.T, c *livestorm.Client, id string) livestorm.Webhook {
	t.Helper()
	for h, err := range c.Webhooks.List(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		if h.ID == id {
			return h
		}
	}
	t.Fatalf("no webhook %s", id)
	return livestorm.Webhook{}
}

// TestWebhookRetriesThenDisables checks Livestorm's retry rule: a delivery
// the receiver refuses is retried five times, then the subscription is
// disabled, shows so in the listing and receives nothing more.
func TestWebhookRetriesThenDisables(t *testing.T) {
	tests := []struct {
		name         string
		statuses     []int
		wantAttempts int
		wantDisabled bool
	}{
		{"accepted at once", []int{200}, 1, false},
		{"accepted on the last retry", []int{500, 500, 500, 500, 500, 204}, 6, false},
		{"refused six times", []int{500}, 6, true},
		{"a 4xx is a failure too", []int{410}, 6, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, c := startHooks(t, livestormtest.WithWebhookScale(0))
			rec := &recorder{statuses: tt.statuses}
			hooks := httptest.NewServer(rec)
			t.Cleanup(hooks.Close)
			h := subscribe(t, c, hooks.URL+"/started", "session.started")
			if h.Disabled {
				t.Fatalf("a new subscription is disabled: %+v", h)
			}
			if err := srv.Trigger("session.started", ""); err != nil {
				t.Fatal(err)
			}
			if err := srv.WaitWebhooks(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got := rec.count(); got != tt.wantAttempts {
				t.Errorf("%d attempts; want %d", got, tt.wantAttempts)
			}
			if got := webhook(t, c, h.ID).Disabled; got != tt.wantDisabled {
				t.Errorf("disabled = %v; want %v", got, tt.wantDisabled)
			}
			// A disabled subscription receives nothing; an enabled one the
			// next delivery.
			before := rec.count()
			if err := srv.Trigger("session.started", ""); err != nil {
				t.Fatal(err)
			}
			if err := srv.WaitWebhooks(t.Context()); err != nil {
				t.Fatal(err)
			}
			if got, delivered := rec.count()-before, !tt.wantDisabled; delivered != (got > 0) {
				t.Errorf("after the first delivery, %d more attempts; want some: %v", got, delivered)
			}
		})
	}
}

// TestWebhookDeliveryShape checks what a delivery looks like: a JSON POST
// of the resource's JSON:API document, as the API shows the resource.
func TestWebhookDeliveryShape(t *testing.T) {
	srv, c := startHooks(t, livestormtest.WithWebhookScale(0))
	rec := &recorder{statuses: []int{204}}
	hooks := httptest.NewServer(rec)
	t.Cleanup(hooks.Close)
	subscribe(t, c, hooks.URL+"/job", "job.ended")
	if err := srv.Trigger("job.ended", seedJob); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	j, err := c.Jobs.Get(context.Background(), seedJob)
	if err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.bodies) != 1 {
		t.Fatalf("%d deliveries; want 1", len(rec.bodies))
	}
	if ct := rec.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q; want application/json", ct)
	}
	var got struct{ Data livestorm.Job }
	if err := json.Unmarshal([]byte(rec.bodies[0]), &got); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(*j, got.Data); diff != "" {
		t.Errorf("delivered job (-API +delivered):\n%s", diff)
	}
	if !strings.Contains(rec.bodies[0], `"type":"jobs"`) {
		t.Errorf("body %s is not a JSON:API resource of type jobs", rec.bodies[0])
	}
}

// TestWebhookStateChanges checks which API changes fire which event, and
// that publishing fires event.published once, on the change.
func TestWebhookStateChanges(t *testing.T) {
	srv, c := startHooks(t, livestormtest.WithWebhookScale(0))
	rec := &recorder{statuses: []int{204}}
	hooks := httptest.NewServer(rec)
	t.Cleanup(hooks.Close)
	for _, ev := range livestorm.WebhookEvents() {
		subscribe(t, c, hooks.URL+"/"+string(ev), ev)
	}
	ctx := context.Background()
	published := onair.Ptr(livestorm.EventStatusPublished)
	steps := []struct {
		name string
		do   func() error
		want []string // paths delivered to, sorted
	}{
		{"create an event with a session", func() error {
			_, err := c.Events.Create(ctx, livestorm.CreateEventRequest{Title: "Hooks", OwnerID: owner,
				Sessions: []livestorm.NewEventSession{{EstimatedStartedAt: "2030-01-01 10:00:00", Timezone: "UTC"}}})
			return err
		}, []string{"/event.created", "/session.created"}},
		{"publish", func() error {
			_, err := c.Events.Update(ctx, onboard, livestorm.UpdateEventRequest{Status: published})
			return err
		}, nil}, // the seeded onboarding webinar is published already
		{"register", func() error {
			_, err := c.Sessions.Register(ctx, july, livestorm.RegisterPersonRequest{Fields: []livestorm.RegistrationField{{ID: "email", Value: "new@example.com"}}})
			return err
		}, []string{"/people.registered"}},
		{"unregister", func() error {
			return c.Sessions.UnregisterByEmail(ctx, july, &livestorm.UnregisterSessionPersonByEmailParams{FilterEmail: "new@example.com"})
		}, nil},
		{"bulk register", func() error {
			_, err := c.Sessions.RegisterBulk(ctx, july, livestorm.BulkRegistrationRequest{Tasks: []livestorm.RegistrationAttributes{
				{Fields: []livestorm.RegistrationField{{ID: "email", Value: "bulk@example.com"}}},
			}})
			return err
		}, []string{"/job.ended", "/people.registered"}},
	}
	for _, s := range steps {
		before := rec.count()
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if err := srv.WaitWebhooks(t.Context()); err != nil {
			t.Fatal(err)
		}
		rec.mu.Lock()
		got := sorted(rec.paths[before:])
		rec.mu.Unlock()
		if diff := cmp.Diff(s.want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: deliveries (-want +got):\n%s", s.name, diff)
		}
	}

	// A draft published fires event.published, once.
	ev, err := c.Events.Create(ctx, livestorm.CreateEventRequest{Title: "Draft", OwnerID: owner})
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	before := rec.count()
	for range 2 {
		if _, err := c.Events.Update(ctx, ev.ID, livestorm.UpdateEventRequest{Status: published}); err != nil {
			t.Fatal(err)
		}
	}
	if err := srv.WaitWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	rec.mu.Lock()
	got := rec.paths[before:]
	rec.mu.Unlock()
	if diff := cmp.Diff([]string{"/event.published"}, got); diff != "" {
		t.Errorf("publishing twice (-want +got):\n%s", diff)
	}
}

// TestWebhookLoopbackOnly checks that the sandbox never reaches the
// network on its own: a subscription to another host receives nothing
// (and so is never disabled), unless WithWebhookClient gives a client.
func TestWebhookLoopbackOnly(t *testing.T) {
	const remote = "https://hooks.remote.example/livestorm/job"
	t.Run("without a client", func(t *testing.T) {
		srv, c := startHooks(t, livestormtest.WithWebhookScale(0))
		h := subscribe(t, c, remote, "job.ended")
		if err := srv.Trigger("job.ended", ""); err != nil {
			t.Fatal(err)
		}
		if err := srv.WaitWebhooks(t.Context()); err != nil {
			t.Fatal(err)
		}
		// An attempt could not have reached the host: it would have
		// failed and disabled the subscription.
		if webhook(t, c, h.ID).Disabled {
			t.Error("the sandbox tried to deliver to a remote host")
		}
	})
	t.Run("with a client", func(t *testing.T) {
		rec := &recorder{statuses: []int{200}}
		client := &http.Client{Transport: roundTripper(func(req *http.Request) (*http.Response, error) {
			w := httptest.NewRecorder()
			rec.ServeHTTP(w, req)
			return w.Result(), nil
		})}
		srv, c := startHooks(t, livestormtest.WithWebhookScale(0), livestormtest.WithWebhookClient(client))
		subscribe(t, c, remote, "job.ended")
		if err := srv.Trigger("job.ended", ""); err != nil {
			t.Fatal(err)
		}
		if err := srv.WaitWebhooks(t.Context()); err != nil {
			t.Fatal(err)
		}
		rec.mu.Lock()
		defer rec.mu.Unlock()
		if diff := cmp.Diff([]string{"/livestorm/job"}, rec.paths); diff != "" {
			t.Errorf("delivered (-want +got):\n%s", diff)
		}
	})
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestWebhookURLsAccepted(t *testing.T) {
	tests := []struct {
		url string
		ok  bool
	}{
		{"https://hooks.example.com/livestorm", true},
		{"https://127.0.0.1:8443/livestorm", true},
		{"http://127.0.0.1:8080/livestorm", true},
		{"http://[::1]:8080/livestorm", true},
		{"http://localhost:8080/livestorm", true},
		{"http://hooks.example.com/livestorm", false},
		{"http://10.0.0.1/livestorm", false},
		{"ftp://127.0.0.1/livestorm", false},
	}
	_, c := startHooks(t)
	for _, tt := range tests {
		_, err := c.Webhooks.Create(context.Background(), livestorm.CreateWebhookRequest{URL: tt.url, Event: "job.ended"})
		if (err == nil) != tt.ok {
			t.Errorf("subscribing %s: %v; want accepted %v", tt.url, err, tt.ok)
		}
	}
}

func TestTriggerRefuses(t *testing.T) {
	srv, _ := startHooks(t)
	tests := []struct{ event, id string }{
		{"session.paused", ""},
		{"event.created", "no-such-event"},
		{"session.started", "no-such-session"},
		{"people.attended", "no-such-person"},
		{"job.ended", "no-such-job"},
	}
	for _, tt := range tests {
		if err := srv.Trigger(tt.event, tt.id); err == nil {
			t.Errorf("Trigger(%q, %q) succeeded; want an error", tt.event, tt.id)
		}
	}
}

// TestCloseStopsDeliveries checks that Close ends a delivery waiting for
// its next retry (Livestorm's first is 30 s away) instead of waiting for
// it, and stops its goroutine.
func TestCloseStopsDeliveries(t *testing.T) {
	srv, c := startHooks(t)
	first := make(chan struct{})
	var once sync.Once
	hooks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		once.Do(func() { close(first) })
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(hooks.Close)
	subscribe(t, c, hooks.URL, "job.ended")
	if err := srv.Trigger("job.ended", ""); err != nil {
		t.Fatal(err)
	}
	<-first
	srv.Close() // returns once the delivery's goroutine ended; a hang fails the test by its timeout
	if err := srv.WaitWebhooks(t.Context()); err != nil {
		t.Errorf("WaitWebhooks after Close: %v", err)
	}
}

func sorted(s []string) []string {
	out := append([]string(nil), s...)
	slices.Sort(out)
	return out
}

// TestWebhookDeletedNotRetried checks that a delivery whose subscription
// was deleted after a failed attempt is not retried: the subscriber asked
// for nothing more.
func TestWebhookDeletedNotRetried(t *testing.T) {
	srv, c := startHooks(t, livestormtest.WithWebhookScale(0))
	var id string
	var mu sync.Mutex
	attempts := 0
	hooks := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		attempts++
		if attempts == 1 {
			if err := c.Webhooks.Delete(r.Context(), id); err != nil {
				t.Errorf("deleting the subscription: %v", err)
			}
		}
		w.WriteHeader(http.StatusServiceUnavailable)
	}))
	t.Cleanup(hooks.Close)
	id = subscribe(t, c, hooks.URL, "job.ended").ID
	if err := srv.Trigger("job.ended", ""); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if attempts != 1 {
		t.Errorf("%d attempts; want 1, the one before the subscription was deleted", attempts)
	}
}
