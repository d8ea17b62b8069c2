package streamdivertest

import (
	"context"
	"fmt"

	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/internal/server"
)

// api is the sandbox's fake API, for the methods below.
func (s *Server) api() *api { return s.s.State().(*api) }

// Trigger fires event as if it happened: every active webhook subscribed
// to it (every active webhook, for ping) gets a delivery, logged as the
// API's own are. The media events are about the first media asset that is
// not deleted, whose state does not change: media.updated names its name
// as changed, and media.deleted is a soft deletion.
//
// Deliveries are asynchronous; WaitDeliveries waits for them.
func (s *Server) Trigger(event streamdiver.WebhookEvent) error {
	a := s.api()
	a.mu.Lock()
	defer a.mu.Unlock()
	kind := server.WebhookEvent(event)
	if !kind.Valid() {
		return fmt.Errorf("streamdivertest: %q is no Streamdiver event: trigger ping, media.created, media.updated, media.deleted or media.restored", event)
	}
	if kind == server.WebhookEventPing {
		for _, h := range a.hooks.List(func(h hook) bool { return h.Active }) {
			a.deliver(h.Webhook, a.event(kind, h.ID, nil))
		}
		return nil
	}
	m, ok := a.media.First(func(m asset) bool { return m.live() })
	if !ok {
		return fmt.Errorf("streamdivertest: no media asset to trigger %s about: upload or restore one first", event)
	}
	fields := map[string]any{"media": m.Media}
	switch kind {
	case server.WebhookEventMediaUpdated:
		fields["changedProperties"] = []string{"name"}
	case server.WebhookEventMediaDeleted:
		fields = map[string]any{"mediaId": m.ID, "permanent": false}
	}
	a.emit(kind, fields)
	return nil
}

// WaitDeliveries waits until no webhook delivery is under way, or ctx
// ends: then each delivery's log says how it went.
func (s *Server) WaitDeliveries(ctx context.Context) error {
	if err := s.api().out.Wait(ctx); err != nil {
		return fmt.Errorf("streamdivertest: %w", err)
	}
	return nil
}
