package livestorm_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/webhook"
)

const hookSecret = "sandbox-webhook-secret-0123456789"

// hookFixture is a sandbox whose webhooks reach a Receiver on a loopback
// httptest server, with Livestorm's retry schedule compressed to nothing.
type hookFixture struct {
	srv    *livestormtest.Server
	client *livestorm.Client
	base   string // where the receiver is mounted

	mu      sync.Mutex
	got     []livestorm.Notification // what the handler was called with
	refused []error                  // what the receiver refused or failed
	handle  func(livestorm.Notification) error
}

func newHookFixture(t *testing.T, handle func(livestorm.Notification) error) *hookFixture {
	t.Helper()
	f := &hookFixture{handle: handle}
	f.srv = livestormtest.NewServer(livestormtest.WithoutRateLimit(), livestormtest.WithWebhookScale(0))
	t.Cleanup(f.srv.Close)
	rcv, err := livestorm.NewReceiver(hookSecret, func(_ context.Context, n livestorm.Notification) error {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.got = append(f.got, n)
		if f.handle != nil {
			return f.handle(n)
		}
		return nil
	}, webhook.WithErrorHandler(func(err error) {
		f.mu.Lock()
		defer f.mu.Unlock()
		f.refused = append(f.refused, err)
	}))
	if err != nil {
		t.Fatal(err)
	}
	hooks := httptest.NewServer(rcv)
	t.Cleanup(hooks.Close)
	f.base = hooks.URL + "/hooks/livestorm"
	ctx := context.Background()
	f.client, err = livestorm.NewClient(f.srv.Config().TokenSource(ctx, f.srv.IssueToken(scopes.LivestormFullWrite)), livestorm.WithBaseURL(f.srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// subscribe subscribes the receiver to events.
func (f *hookFixture) subscribe(t *testing.T, events ...livestorm.WebhookEvent) {
	t.Helper()
	if _, err := f.client.ReconcileWebhooks(context.Background(), f.base, hookSecret, events); err != nil {
		t.Fatal(err)
	}
}

// wait waits until every delivery the sandbox started has ended.
func (f *hookFixture) wait(t *testing.T) {
	t.Helper()
	if err := f.srv.WaitWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func (f *hookFixture) received() []livestorm.Notification {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]livestorm.Notification(nil), f.got...)
}

// webhooks lists the subscriptions under the receiver's base by event
// (the seed has others, to a host of its own).
func (f *hookFixture) webhooks(t *testing.T) map[string][]livestorm.Webhook {
	t.Helper()
	out := map[string][]livestorm.Webhook{}
	for h, err := range f.client.Webhooks.List(context.Background(), nil) {
		if err != nil {
			t.Fatal(err)
		}
		if strings.HasPrefix(h.URL, f.base+"/") {
			out[h.Event] = append(out[h.Event], h)
		}
	}
	return out
}

// delivered sums up a notification for comparison: its event, its Go
// type's name for the event, and the resource it is about.
type delivered struct {
	Name     livestorm.WebhookEvent
	ID       string
	Headline string // the event's title, the session's name, the person's email, the job's status
}

func summary(n livestorm.Notification) delivered {
	d := delivered{Name: n.Name(), ID: n.ResourceID()}
	switch n := n.(type) {
	case *livestorm.EventCreated:
		d.Headline = n.Event.Title
	case *livestorm.EventPublished:
		d.Headline = n.Event.Title + " " + n.Event.Status
	case *livestorm.SessionCreated:
		d.Headline = n.Session.Name
	case *livestorm.SessionStarted:
		d.Headline = n.Session.Name
	case *livestorm.SessionEnded:
		d.Headline = n.Session.Name
	case *livestorm.PeopleRegistered:
		d.Headline = n.Person.Email
	case *livestorm.PeopleAttended:
		d.Headline = n.Person.Email
	case *livestorm.PeopleNotAttended:
		d.Headline = n.Person.Email
	case *livestorm.PeopleWatchedReplay:
		d.Headline = n.Person.Email
	case *livestorm.JobEnded:
		d.Headline = n.Job.Status
	}
	return d
}

// TestReceiverDecodesEveryEvent makes the sandbox deliver each of
// Livestorm's ten webhook events, five by the API changes that fire them
// and five by Trigger, and checks that the receiver decoded each into its
// type, about the resource the change made.
func TestReceiverDecodesEveryEvent(t *testing.T) {
	f := newHookFixture(t, nil)
	f.subscribe(t, livestorm.WebhookEvents()...)
	ctx := context.Background()
	c := f.client

	var owner string
	for p, err := range c.People.List(ctx, &livestorm.ListPeopleParams{FilterRole: livestorm.PersonRoleTeamMember}) {
		if err != nil {
			t.Fatal(err)
		}
		owner = p.ID
		break
	}
	ev, err := c.Events.Create(ctx, livestorm.CreateEventRequest{Title: "Webhooks launch", OwnerID: owner})
	if err != nil {
		t.Fatal(err)
	}
	s, err := c.Events.CreateSession(ctx, ev.ID, livestorm.CreateSessionRequest{Name: "Launch day", EstimatedStartedAt: "2030-01-02 15:00:00", Timezone: "UTC"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Events.Update(ctx, ev.ID, livestorm.UpdateEventRequest{Status: onair.Ptr(livestorm.EventStatusPublished)}); err != nil {
		t.Fatal(err)
	}
	p, err := c.Sessions.Register(ctx, s.ID, livestorm.RegisterPersonRequest{Fields: []livestorm.RegistrationField{{ID: "email", Value: "ada@example.com"}}})
	if err != nil {
		t.Fatal(err)
	}
	f.wait(t) // so that the bulk registration's people.registered comes after Ada's
	j, err := c.Sessions.RegisterBulk(ctx, s.ID, livestorm.BulkRegistrationRequest{Tasks: []livestorm.RegistrationAttributes{
		{Fields: []livestorm.RegistrationField{{ID: "email", Value: "grace@example.com"}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	f.wait(t)
	for _, tr := range []struct{ event, id string }{
		{"session.started", s.ID}, {"session.ended", s.ID},
		{"people.attended", p.ID}, {"people.not_attended", p.ID}, {"people.watched_replay", p.ID},
	} {
		if err := f.srv.Trigger(tr.event, tr.id); err != nil {
			t.Fatal(err)
		}
	}
	f.wait(t)

	got := map[livestorm.WebhookEvent]delivered{}
	for _, n := range f.received() {
		if _, seen := got[n.Name()]; !seen { // people.registered comes twice: Ada's, then the bulk's
			got[n.Name()] = summary(n)
		}
	}
	want := map[livestorm.WebhookEvent]delivered{
		"event.created":         {"event.created", ev.ID, "Webhooks launch"},
		"event.published":       {"event.published", ev.ID, "Webhooks launch published"},
		"session.created":       {"session.created", s.ID, "Launch day"},
		"session.started":       {"session.started", s.ID, "Launch day"},
		"session.ended":         {"session.ended", s.ID, "Launch day"},
		"people.registered":     {"people.registered", p.ID, "ada@example.com"},
		"people.attended":       {"people.attended", p.ID, "ada@example.com"},
		"people.not_attended":   {"people.not_attended", p.ID, "ada@example.com"},
		"people.watched_replay": {"people.watched_replay", p.ID, "ada@example.com"},
		"job.ended":             {"job.ended", j.ID, "ended"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("deliveries (-want +got):\n%s", diff)
	}
	if len(want) != len(livestorm.WebhookEvents()) {
		t.Errorf("the test covers %d events; Livestorm documents %d", len(want), len(livestorm.WebhookEvents()))
	}
	// The registration's detail travels with people.registered.
	for _, n := range f.received() {
		if r, ok := n.(*livestorm.PeopleRegistered); ok && r.Person.RegistrantDetail["attended"] != false {
			t.Errorf("people.registered carries registrant_detail %v; want the registration's, attended false", r.Person.RegistrantDetail)
		}
	}
}

// TestReceiverRefusesWrongSecret subscribes a URL with another secret:
// the receiver refuses every delivery without calling the handler, and
// Livestorm (the sandbox) disables the subscription after its retries.
func TestReceiverRefusesWrongSecret(t *testing.T) {
	f := newHookFixture(t, nil)
	wrong, err := livestorm.WebhookURL(f.base, "not-the-receivers-secret", livestorm.WebhookEventSessionStarted)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.Webhooks.Create(context.Background(), livestorm.CreateWebhookRequest{URL: wrong, Event: livestorm.WebhookEventSessionStarted}); err != nil {
		t.Fatal(err)
	}
	if err := f.srv.Trigger("session.started", ""); err != nil {
		t.Fatal(err)
	}
	f.wait(t)
	if got := f.received(); len(got) != 0 {
		t.Errorf("the handler got %d deliveries to a wrong secret; want none", len(got))
	}
	f.mu.Lock()
	refused := len(f.refused)
	f.mu.Unlock()
	if refused != 6 {
		t.Errorf("the receiver refused %d attempts; want 6, the delivery and Livestorm's five retries", refused)
	}
	hooks := f.webhooks(t)["session.started"]
	if len(hooks) != 1 || !hooks[0].Disabled {
		t.Errorf("subscriptions of session.started = %+v; want one, disabled", hooks)
	}
}

// TestReceiverRedelivery checks deduplication: a delivery is handled
// once however often it comes, unless the handler failed, in which case
// Livestorm's retry is handled again.
func TestReceiverRedelivery(t *testing.T) {
	errFlaky := errors.New("database unavailable")
	tests := []struct {
		name      string
		fail      int // the handler fails its first fail calls
		triggers  int // how often the same delivery is made
		wantCalls int
	}{
		{"a redelivery is handled once", 0, 3, 1},
		{"a failed delivery is handled again on retry", 1, 1, 2},
		{"failures are retried until one succeeds, then deduplicated", 2, 2, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			f := newHookFixture(t, func(livestorm.Notification) error {
				calls++ // under f.mu
				if calls <= tt.fail {
					return errFlaky
				}
				return nil
			})
			f.subscribe(t, livestorm.WebhookEventSessionEnded)
			for range tt.triggers {
				if err := f.srv.Trigger("session.ended", ""); err != nil {
					t.Fatal(err)
				}
				f.wait(t)
			}
			got := f.received()
			if len(got) != tt.wantCalls {
				t.Errorf("the handler was called %d times; want %d", len(got), tt.wantCalls)
			}
			for _, n := range got[1:] {
				if n.ResourceID() != got[0].ResourceID() {
					t.Errorf("deliveries about %s and %s; want one session", got[0].ResourceID(), n.ResourceID())
				}
			}
			if hooks := f.webhooks(t)["session.ended"]; len(hooks) != 1 || hooks[0].Disabled {
				t.Errorf("subscriptions = %+v; want one, enabled: the receiver accepted every delivery in the end", hooks)
			}
		})
	}
}

// TestReconcileRecreatesDisabled lets the receiver fail until the sandbox
// disables the subscription, then checks that ReconcileWebhooks replaces
// it and that deliveries arrive again.
func TestReconcileRecreatesDisabled(t *testing.T) {
	down := true
	f := newHookFixture(t, func(livestorm.Notification) error {
		if down {
			return errors.New("receiver down")
		}
		return nil
	})
	events := []livestorm.WebhookEvent{livestorm.WebhookEventSessionStarted, livestorm.WebhookEventJobEnded}
	f.subscribe(t, events...)
	if err := f.srv.Trigger("session.started", ""); err != nil {
		t.Fatal(err)
	}
	f.wait(t)
	disabled := f.webhooks(t)["session.started"]
	if len(disabled) != 1 || !disabled[0].Disabled {
		t.Fatalf("after failed deliveries: subscriptions %+v; want one, disabled", disabled)
	}
	kept := f.webhooks(t)["job.ended"]

	f.mu.Lock()
	down = false
	f.mu.Unlock()
	ch, err := f.client.ReconcileWebhooks(context.Background(), f.base, hookSecret, events)
	if err != nil {
		t.Fatal(err)
	}
	ids := func(hs []livestorm.Webhook) []string {
		var out []string
		for _, h := range hs {
			out = append(out, h.Event+" "+h.ID)
		}
		return out
	}
	now := f.webhooks(t)["session.started"]
	if len(now) != 1 || now[0].Disabled {
		t.Fatalf("after reconciling: subscriptions %+v; want one, enabled", now)
	}
	wantChanges := [3][]string{ids(now), ids(disabled), ids(kept)}
	if diff := cmp.Diff(wantChanges, [3][]string{ids(ch.Created), ids(ch.Deleted), ids(ch.Kept)}); diff != "" {
		t.Errorf("changes [created deleted kept] (-want +got):\n%s", diff)
	}

	before := len(f.received())
	if err := f.srv.Trigger("session.ended", ""); err != nil { // not subscribed: not delivered
		t.Fatal(err)
	}
	if err := f.srv.Trigger("session.started", ""); err != nil {
		t.Fatal(err)
	}
	f.wait(t)
	got := f.received()[before:]
	if len(got) != 1 || got[0].Name() != livestorm.WebhookEventSessionStarted {
		t.Errorf("after reconciling, the handler got %v; want one session.started", got)
	}
}
