package otelonair_test

import (
	"context"
	"errors"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/otelonair"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/webhook"
)

// Each webhook delivery a receiver handles is a consumer span; a handler
// that fails marks its span with the error, and the sandbox's redelivery
// is a span of its own.
func TestWebhookDelivery(t *testing.T) {
	const secret = "sandbox-webhook-secret-0123456789"
	tl := newTelemetry(t)
	srv := livestormtest.NewServer(livestormtest.WithoutRateLimit(), livestormtest.WithWebhookScale(0))
	defer srv.Close()
	busy := errors.New("the handler is busy: try again")
	var calls atomic.Int32
	rcv, err := livestorm.NewReceiver(secret, func(context.Context, livestorm.Notification) error {
		if calls.Add(1) == 1 {
			return busy
		}
		return nil
	}, webhook.WithHooks(otelonair.Hooks(tl.opts...)))
	if err != nil {
		t.Fatal(err)
	}
	hooks := httptest.NewServer(rcv)
	defer hooks.Close()
	c, err := livestorm.NewClient(srv.Config().TokenSource(t.Context(), srv.IssueToken(scopes.LivestormFullWrite)), livestorm.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.ReconcileWebhooks(t.Context(), hooks.URL+"/hooks/livestorm", secret,
		[]livestorm.WebhookEvent{livestorm.WebhookEventSessionStarted}); err != nil {
		t.Fatal(err)
	}
	if err := srv.Trigger("session.started", ""); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitWebhooks(t.Context()); err != nil {
		t.Fatal(err)
	}

	attrs := map[attribute.Key]any{"messaging.operation.type": "process", "messaging.operation.name": "process", "messaging.system": "livestorm", "onair.provider": "livestorm",
		"onair.event.source": "webhook", "onair.event.name": "session.started"}
	want := []span{
		{Name: "livestorm session.started", Kind: trace.SpanKindConsumer, Attrs: with(attrs, "error.type", "*errors.errorString"),
			Status: codes.Error, Desc: busy.Error(), Events: []string{"exception"}},
		{Name: "livestorm session.started", Kind: trace.SpanKindConsumer, Attrs: attrs},
	}
	got, _ := tl.ended()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("spans (-want +got):\n%s", diff)
	}
}

// Each event a DLive subscription loop receives is a consumer span, and
// the loop's body runs inside it.
func TestSubscriptionEvent(t *testing.T) {
	tl := newTelemetry(t)
	srv := dlivetest.NewServer()
	defer srv.Close()
	ctx := t.Context()
	c, err := dlive.NewClient(srv.Config().TokenSource(ctx, srv.IssueToken(scopes.DLiveRelationshipWrite)),
		dlive.WithBaseURL(srv.URL), dlive.WithSubscriptionURL(srv.SubscriptionURL()), dlive.WithHooks(otelonair.Hooks(tl.opts...)))
	if err != nil {
		t.Fatal(err)
	}
	followed := make(chan error, 1)
	go func() {
		if err := srv.WaitSubscribed(ctx, "dlive-12345678", 1); err != nil {
			followed <- err
			return
		}
		followed <- c.Relationships.Follow(ctx, "dlive-12345678")
	}()
	var inside bool
	for ev, err := range c.Chat.Subscribe(ctx, "dlive-12345678") {
		if err != nil {
			t.Fatal(err)
		}
		if _, ok := ev.(*dlive.ChatFollow); ok {
			for _, s := range tl.spans.Started() {
				inside = inside || s.Name() == "dlive ChatFollow" && s.EndTime().IsZero()
			}
			break
		}
	}
	if err := <-followed; err != nil {
		t.Fatal(err)
	}
	if !inside {
		t.Error("the loop's body ran outside the event's span")
	}

	var events []span
	got, _ := tl.ended()
	for _, s := range got {
		if s.Kind == trace.SpanKindConsumer {
			events = append(events, s)
		}
	}
	want := []span{{Name: "dlive ChatFollow", Kind: trace.SpanKindConsumer, Attrs: map[attribute.Key]any{"messaging.operation.type": "process", "messaging.operation.name": "process", "messaging.system": "dlive",
		"onair.provider": "dlive", "onair.event.source": "subscription", "onair.event.name": "ChatFollow"}}}
	if diff := cmp.Diff(want, events); diff != "" {
		t.Errorf("event spans (-want +got):\n%s", diff)
	}
}
