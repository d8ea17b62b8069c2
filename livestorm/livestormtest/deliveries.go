package livestormtest

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/internal/sandbox/deliver"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/internal/server"
)

// The sandbox delivers webhooks as Livestorm does: a POST of the
// resource's JSON:API document to every enabled subscription of the
// event, retried on Livestorm's schedule while the subscription exists
// and is enabled, and the subscription disabled when its retries are
// spent.
//
// It delivers only to loopback hosts (127.0.0.1, ::1, localhost), over
// http or https, so that tests never reach the network: a subscription to
// any other host is kept, as Livestorm would, and receives nothing, unless
// WithWebhookClient gives the sandbox a client to reach it with. Livestorm
// itself takes only https URLs; the sandbox also takes http on loopback
// hosts, a convenience so that an httptest.Server can receive.

// retrySchedule is Livestorm's; the subscription is disabled after the last.
var retrySchedule = []time.Duration{30 * time.Second, time.Minute, 150 * time.Second, 6 * time.Minute, 12 * time.Minute}

// webhookConfig is what this package's webhook options set, kept in
// sandbox.Config.Extra.
type webhookConfig struct {
	scale  float64
	client *http.Client
}

func hookConfig(c *sandbox.Config) *webhookConfig {
	w, ok := c.Extra.(*webhookConfig)
	if !ok {
		w = &webhookConfig{scale: 1}
		c.Extra = w
	}
	return w
}

// WithWebhookScale multiplies the waits of Livestorm's retry schedule
// (30 s, 1 min, 2 min 30, 6 min, 12 min) by factor: 0 retries at once, so
// that a test sees a failing subscription disabled without waiting.
func WithWebhookScale(factor float64) Option {
	return func(c *sandbox.Config) { hookConfig(c).scale = factor }
}

// WithWebhookClient delivers webhooks with client, to every subscribed
// host, not only to loopback ones: give it a client whose transport
// reaches your test's receiver, or trusts its certificate.
func WithWebhookClient(client *http.Client) Option {
	return func(c *sandbox.Config) { hookConfig(c).client = client }
}

// newDeliverer returns the deliverer of a sandbox configured by c.
func newDeliverer(c sandbox.Config) *deliver.Deliverer {
	w := hookConfig(&c) // c is a copy: a default set here stays here
	opts := []deliver.Option{deliver.WithSchedule(retrySchedule), deliver.WithScale(w.scale)}
	if w.client != nil {
		opts = append(opts, deliver.WithClient(w.client))
	}
	return deliver.New(opts...)
}

// fire delivers event about data, a resource as the API renders it, to
// every enabled subscription of event. a.mu is held.
func (a *api) fire(event string, data any) {
	if a.hooks == nil { // an api of a unit test, without a sandbox around it
		return
	}
	body, err := json.Marshal(map[string]any{"data": data})
	if err != nil {
		panic(fmt.Sprintf("livestormtest: a %s delivery does not marshal: %v", event, err)) // the sandbox's bug: data is the API's own resource
	}
	hooks := a.webhooks.List(func(h server.Webhook) bool {
		return table.Deref(h.Attributes.Event) == event && !table.Deref(h.Attributes.Disabled) &&
			a.hooks.Reaches(table.Deref(h.Attributes.URL))
	})
	for _, h := range hooks {
		id := h.ID
		// Send fails only once the sandbox closed, when nothing is
		// delivered any more.
		_ = a.hooks.Send(deliver.Delivery{
			URL:    *h.Attributes.URL,
			Body:   body,
			Header: http.Header{"User-Agent": {"Livestorm-Webhooks (onair sandbox)"}},
			Done: func(o deliver.Outcome) {
				if !o.Delivered() {
					a.disableWebhook(id)
				}
			},
			Live: func() bool { return a.webhookEnabled(id) },
		})
	}
}

// webhookEnabled reports whether the subscription id still exists and is
// enabled, so that a delivery retries only to such a one.
func (a *api) webhookEnabled(id string) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	h, ok := a.webhooks.Get(id)
	return ok && !table.Deref(h.Attributes.Disabled)
}

// disableWebhook marks the subscription disabled, as Livestorm does once
// a delivery's retries are spent.
func (a *api) disableWebhook(id string) {
	a.mu.Lock()
	defer a.mu.Unlock()
	_, _ = table.Update(&a.webhooks, id, nil, func(h *server.Webhook) error {
		h.Attributes.Disabled = onair.Ptr(true)
		h.Attributes.UpdatedAt = onair.Ptr(a.now().Unix())
		return nil
	})
}

// Trigger makes the sandbox deliver event, one of Livestorm's ten webhook
// events, to its subscriptions, about the resource id: an event for
// event.*, a session for session.*, a person for people.* (with the
// registrant detail of their first registration) and a job for job.ended.
// An empty id picks the first such resource of the seed. Trigger changes
// no state: the resource is delivered as the API shows it now. The sandbox
// itself fires event.created, event.published, session.created,
// people.registered and job.ended when its API makes those changes;
// Trigger is how a test sees the others, which need a live session.
func (s *Server) Trigger(event, id string) error {
	a := s.s.State().(*api)
	a.mu.Lock()
	defer a.mu.Unlock()
	data, err := a.resourceOf(event, id)
	if err != nil {
		return err
	}
	a.fire(event, data)
	return nil
}

// resourceOf renders the resource a delivery of event about id carries:
// the first of its kind when id is empty.
func (a *api) resourceOf(name, id string) (any, error) {
	if !slices.Contains(livestorm.WebhookEvents(), livestorm.WebhookEvent(name)) {
		return nil, fmt.Errorf("livestormtest: %q is not one of Livestorm's webhook events; pass one of livestorm.WebhookEvents()", name)
	}
	is := func(got string) bool { return id == "" || got == id }
	var data any
	kind, _, _ := strings.Cut(name, ".")
	switch kind {
	case "event":
		if e, ok := a.events.First(func(e event) bool { return is(e.Event.ID) }); ok {
			data = a.renderEvent(e)
		}
	case "session":
		if s, ok := a.sessions.First(func(s server.Session) bool { return is(s.ID) }); ok {
			data = a.renderSession(s)
		}
	case "people": // a registrant, else a person registered nowhere
		kind = "person"
		if r, ok := a.regs.First(func(r registration) bool { return r.Detail != nil && is(r.Person) }); ok {
			data, _ = a.registrant(r)
		} else if p, ok := a.people.Get(id); ok {
			data = p
		}
	case "job":
		if j, ok := a.jobs.First(func(j job) bool { return is(j.Job.ID) }); ok {
			data = j.Job
		}
	}
	if data == nil {
		return nil, fmt.Errorf("livestormtest: no %s %q in the sandbox; trigger %s with the id of one, or an empty id", kind, id, name)
	}
	return data, nil
}

// WaitWebhooks blocks until every delivery the sandbox started has ended:
// accepted, or failed its last retry (its subscription then disabled).
// With Livestorm's schedule a failing delivery takes about 22 minutes;
// use WithWebhookScale(0) in tests.
func (s *Server) WaitWebhooks(ctx context.Context) error {
	return s.s.State().(*api).hooks.Wait(ctx)
}
