package providers

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/onair-go/onair/internal/sandbox/deliver"
	"github.com/onair-go/onair/internal/wirelog"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/webhook"
)

// livestormWebhooks: one subscription per event, the event in the URL.
type livestormWebhooks struct{}

func (livestormWebhooks) Events() []string { return strs(livestorm.WebhookEvents()) }

func (livestormWebhooks) Receiver(secret string, deliver func(Delivery), refused func(error)) (http.Handler, error) {
	return livestorm.NewReceiver(secret, func(_ context.Context, n livestorm.Notification) error {
		deliver(Delivery{Event: string(n.Name()), Summary: livestormSummary(n), Value: n})
		return nil
	}, webhook.WithErrorHandler(refused))
}

func (livestormWebhooks) URL(base, secret, event string) (string, error) {
	return livestorm.WebhookURL(base, secret, livestorm.WebhookEvent(event))
}

// livestormSummary is one line about n: the resource and what names it.
func livestormSummary(n livestorm.Notification) string {
	switch n := n.(type) {
	case *livestorm.EventCreated:
		return fmt.Sprintf("event %s %q", n.Event.ID, n.Event.Title)
	case *livestorm.EventPublished:
		return fmt.Sprintf("event %s %q", n.Event.ID, n.Event.Title)
	case *livestorm.SessionCreated:
		return livestormSession(n.Session)
	case *livestorm.SessionStarted:
		return livestormSession(n.Session)
	case *livestorm.SessionEnded:
		return livestormSession(n.Session)
	case *livestorm.PeopleRegistered:
		return livestormPerson(n.Person)
	case *livestorm.PeopleAttended:
		return livestormPerson(n.Person)
	case *livestorm.PeopleNotAttended:
		return livestormPerson(n.Person)
	case *livestorm.PeopleWatchedReplay:
		return livestormPerson(n.Person)
	case *livestorm.JobEnded:
		return fmt.Sprintf("job %s, %s", n.Job.ID, n.Job.Status)
	}
	return n.ResourceID()
}

func livestormSession(s livestorm.Session) string {
	return fmt.Sprintf("session %s of event %s, %s", s.ID, s.EventID, s.Status)
}

func livestormPerson(p livestorm.Person) string {
	name := strings.TrimSpace(p.FirstName + " " + p.LastName)
	return fmt.Sprintf("person %s %s <%s>", p.ID, name, p.Email)
}

func (livestormWebhooks) SandboxTrigger(ctx context.Context, base, secret, event string) (Outcome, error) {
	hookURL, err := livestorm.WebhookURL(base, secret, livestorm.WebhookEvent(event))
	if err != nil {
		return Outcome{}, err
	}
	if !deliver.Loopback(hookURL) { // the sandbox skips other hosts, which would read as delivered
		return Outcome{}, errors.New("the Livestorm sandbox delivers only to loopback hosts, such as 127.0.0.1")
	}
	// Retries at once: a delivery nobody receives ends at once, its
	// subscription disabled, rather than after Livestorm's 22 minutes.
	srv, err := livestormtest.NewUnstartedServer(livestormtest.WithWebhookScale(0), livestormtest.WithAppName("onair webhooks trigger"))
	if err != nil {
		return Outcome{}, err
	}
	srv.Start()
	defer srv.Close()
	client, err := livestorm.NewClient(srv.Config().TokenSource(ctx, srv.IssueToken(scopes.LivestormFullWrite)), livestorm.WithBaseURL(srv.URL), livestorm.WithLogger(wirelog.FromContext(ctx)))
	if err != nil {
		return Outcome{}, err
	}
	hook, err := client.Webhooks.Create(ctx, livestorm.CreateWebhookRequest{Event: livestorm.WebhookEvent(event), URL: hookURL})
	if err != nil {
		return Outcome{}, fmt.Errorf("subscribing: %w", err)
	}
	if err := srv.Trigger(event, ""); err != nil {
		return Outcome{}, err
	}
	if err := srv.WaitWebhooks(ctx); err != nil {
		return Outcome{}, err
	}
	// Livestorm tells a delivery's failure only by disabling its
	// subscription once the retries are spent.
	for h, err := range client.Webhooks.List(ctx, nil) {
		if err != nil {
			return Outcome{}, err
		}
		if h.ID == hook.ID {
			if h.Disabled {
				return Outcome{URL: hookURL, Detail: "no answer of 2xx after 5 retries: the sandbox disabled the subscription"}, nil
			}
			return Outcome{URL: hookURL, Delivered: true, Detail: "answered 2xx"}, nil
		}
	}
	return Outcome{}, fmt.Errorf("the subscription %s is no longer listed", hook.ID)
}
