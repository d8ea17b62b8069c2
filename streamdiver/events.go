package streamdiver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Notification is a webhook delivery decoded: a *PingEvent,
// *MediaCreatedEvent, *MediaUpdatedEvent, *MediaDeletedEvent or
// *MediaRestoredEvent, or an *UnknownNotification for an event onair does
// not know. A type switch tells them apart:
//
//	switch n := n.(type) {
//	case *streamdiver.MediaDeletedEvent:
//		fmt.Println(n.MediaID, n.Permanent)
//	}
//
// Streamdiver documents its events but not their payloads: the shape
// {id, event, createdAt, webhookId, ...} and each event's own fields are
// assumed (specs/streamdiver.yaml).
type Notification interface {
	// Name is the event's name, such as media.created.
	Name() WebhookEvent
	// EventID is the id of the event; a redelivery repeats it.
	EventID() string
}

// Name implements Notification.
func (e *PingEvent) Name() WebhookEvent { return e.Event }

// EventID implements Notification.
func (e *PingEvent) EventID() string { return e.ID }

// Name implements Notification.
func (e *MediaCreatedEvent) Name() WebhookEvent { return e.Event }

// EventID implements Notification.
func (e *MediaCreatedEvent) EventID() string { return e.ID }

// Name implements Notification.
func (e *MediaUpdatedEvent) Name() WebhookEvent { return e.Event }

// EventID implements Notification.
func (e *MediaUpdatedEvent) EventID() string { return e.ID }

// Name implements Notification.
func (e *MediaDeletedEvent) Name() WebhookEvent { return e.Event }

// EventID implements Notification.
func (e *MediaDeletedEvent) EventID() string { return e.ID }

// Name implements Notification.
func (e *MediaRestoredEvent) Name() WebhookEvent { return e.Event }

// EventID implements Notification.
func (e *MediaRestoredEvent) EventID() string { return e.ID }

// UnknownNotification is a delivery of an event onair does not know, kept whole:
// a new Streamdiver event reaches the handler instead of failing.
type UnknownNotification struct {
	ID    string
	Event WebhookEvent
	Raw   json.RawMessage // the delivery's body
}

// Name implements Notification.
func (e *UnknownNotification) Name() WebhookEvent { return e.Event }

// EventID implements Notification.
func (e *UnknownNotification) EventID() string { return e.ID }

// ParseNotification decodes the body of a webhook delivery. It fails on a body
// that is not a JSON object with an id and an event, or whose fields do
// not fit its event. It authenticates nothing: a Receiver checks the
// secret in the URL before it parses.
func ParseNotification(body []byte) (Notification, error) {
	var head struct {
		ID    string       `json:"id"`
		Event WebhookEvent `json:"event"`
	}
	if err := json.Unmarshal(body, &head); err != nil {
		return nil, fmt.Errorf("streamdiver: a webhook delivery is not a JSON object of an event: %w", err)
	}
	if head.ID == "" || head.Event == "" {
		return nil, errors.New("streamdiver: a webhook delivery has no id or no event; send Streamdiver's payload")
	}
	switch head.Event {
	case WebhookEventPing:
		return decodeAs[PingEvent](body)
	case WebhookEventMediaCreated:
		return decodeAs[MediaCreatedEvent](body)
	case WebhookEventMediaUpdated:
		return decodeAs[MediaUpdatedEvent](body)
	case WebhookEventMediaDeleted:
		return decodeAs[MediaDeletedEvent](body)
	case WebhookEventMediaRestored:
		return decodeAs[MediaRestoredEvent](body)
	}
	return &UnknownNotification{ID: head.ID, Event: head.Event, Raw: bytes.Clone(body)}, nil
}

func decodeAs[E any, P interface {
	*E
	Notification
}](body []byte) (Notification, error) {
	e := P(new(E))
	if err := json.Unmarshal(body, e); err != nil {
		return nil, fmt.Errorf("streamdiver: a webhook delivery does not fit its event: %w", err)
	}
	return e, nil
}
