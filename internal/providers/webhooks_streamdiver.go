package providers

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/onair-go/onair/internal/wirelog"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
	"github.com/onair-go/onair/webhook"
)

// streamdiverWebhooks: one URL for every event, the event in the body.
type streamdiverWebhooks struct{}

// streamdiverEvents are the events Streamdiver documents; ping is sent to
// every webhook, subscribed to or not.
func (streamdiverWebhooks) Events() []string {
	return strs([]streamdiver.WebhookEvent{
		streamdiver.WebhookEventMediaCreated, streamdiver.WebhookEventMediaUpdated,
		streamdiver.WebhookEventMediaDeleted, streamdiver.WebhookEventMediaRestored,
		streamdiver.WebhookEventPing,
	})
}

func (streamdiverWebhooks) Receiver(secret string, deliver func(Delivery), refused func(error)) (http.Handler, error) {
	return streamdiver.NewReceiver(secret, func(_ context.Context, n streamdiver.Notification) error {
		deliver(Delivery{Event: string(n.Name()), Summary: streamdiverSummary(n), Value: n})
		return nil
	}, webhook.WithErrorHandler(refused))
}

func (streamdiverWebhooks) URL(base, secret, _ string) (string, error) {
	return streamdiver.WebhookURL(base, secret)
}

// streamdiverSummary is one line about n: the media asset it is about.
func streamdiverSummary(n streamdiver.Notification) string {
	media := func(m streamdiver.Media) string { return fmt.Sprintf("media %s %q", m.ID, m.Name) }
	switch n := n.(type) {
	case *streamdiver.MediaCreatedEvent:
		return media(n.Media)
	case *streamdiver.MediaUpdatedEvent:
		return media(n.Media) + ", changed: " + strings.Join(n.ChangedProperties, ", ")
	case *streamdiver.MediaRestoredEvent:
		return media(n.Media)
	case *streamdiver.MediaDeletedEvent:
		if n.Permanent {
			return "media " + n.MediaID + ", for good"
		}
		return "media " + n.MediaID + ", restorable"
	case *streamdiver.PingEvent:
		return "webhook " + n.WebhookID
	}
	return "event " + n.EventID()
}

func (streamdiverWebhooks) SandboxTrigger(ctx context.Context, base, secret, event string) (Outcome, error) {
	hookURL, err := streamdiver.WebhookURL(base, secret)
	if err != nil {
		return Outcome{}, err
	}
	kind := streamdiver.WebhookEvent(event)
	subscribe := []streamdiver.WebhookEvent{kind}
	if kind == streamdiver.WebhookEventPing { // sent to every webhook, and no subscription's event
		subscribe = []streamdiver.WebhookEvent{streamdiver.WebhookEventMediaCreated}
	}
	srv, err := streamdivertest.NewUnstartedServer(streamdivertest.WithAppName("onair webhooks trigger"))
	if err != nil {
		return Outcome{}, err
	}
	srv.Start()
	defer srv.Close()
	client, err := streamdiver.NewClient(srv.Config().ClientCredentialsTokenSource(ctx), streamdiver.WithBaseURL(srv.URL), streamdiver.WithLogger(wirelog.FromContext(ctx)))
	if err != nil {
		return Outcome{}, err
	}
	hook, err := client.Webhooks.Create(ctx, streamdiver.CreateWebhookRequest{URL: hookURL, Events: subscribe, Description: "onair webhooks trigger"})
	if err != nil {
		return Outcome{}, fmt.Errorf("subscribing: %w", err)
	}
	if err := srv.Trigger(kind); err != nil {
		return Outcome{}, err
	}
	if err := srv.WaitDeliveries(ctx); err != nil {
		return Outcome{}, err
	}
	for l, err := range client.Webhooks.ListLogs(ctx, hook.ID, nil) {
		if err != nil {
			return Outcome{}, err
		}
		o := Outcome{URL: hookURL, Delivered: l.Status == streamdiver.WebhookLogStatusDelivered}
		switch {
		case l.ResponseStatus != 0:
			o.Detail = fmt.Sprintf("answered %d", l.ResponseStatus)
		default:
			o.Detail = "no answer"
		}
		return o, nil
	}
	return Outcome{}, fmt.Errorf("the sandbox logged no delivery of %s", event)
}
