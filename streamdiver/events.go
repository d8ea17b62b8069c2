package streamdiver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
)

// Event is a webhook delivery decoded: a PingEvent, MediaCreatedEvent,
// MediaUpdatedEvent, MediaDeletedEvent or MediaRestoredEvent, or an
// UnknownEvent for an event onair does not know. A type switch tells them
// apart.
//
// Streamdiver documents its events but not their payloads: the shape
// {id, event, createdAt, webhookId, ...} and each event's own fields are
// assumed (specs/streamdiver.yaml).
type Event interface {
	// Kind is the event's name, such as media.created.
	Kind() WebhookEvent
	// EventID is the id of the event; a redelivery repeats it.
	EventID() string
}

// Kind implements Event.
func (e PingEvent) Kind() WebhookEvent { return e.Event }

// EventID implements Event.
func (e PingEvent) EventID() string { return e.ID }

// Kind implements Event.
func (e MediaCreatedEvent) Kind() WebhookEvent { return e.Event }

// EventID implements Event.
func (e MediaCreatedEvent) EventID() string { return e.ID }

// Kind implements Event.
func (e MediaUpdatedEvent) Kind() WebhookEvent { return e.Event }

// EventID implements Event.
func (e MediaUpdatedEvent) EventID() string { return e.ID }

// Kind implements Event.
func (e MediaDeletedEvent) Kind() WebhookEvent { return e.Event }

// EventID implements Event.
func (e MediaDeletedEvent) EventID() string { return e.ID }

// Kind implements Event.
func (e MediaRestoredEvent) Kind() WebhookEvent { return e.Event }

// EventID implements Event.
func (e MediaRestoredEvent) EventID() string { return e.ID }

// UnknownEvent is a delivery of an event onair does not know, kept whole:
// a new Streamdiver event reaches the handler instead of failing.
type UnknownEvent struct {
	ID    string
	Event WebhookEvent
	Raw   json.RawMessage // the delivery's body
}

// Kind implements Event.
func (e UnknownEvent) Kind() WebhookEvent { return e.Event }

// EventID implements Event.
func (e UnknownEvent) EventID() string { return e.ID }

// DecodeEvent decodes the body of a webhook delivery. It fails on a body
// that is not a JSON object with an id and an event, or whose fields do
// not fit its event.
func DecodeEvent(body []byte) (Event, error) {
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
	return UnknownEvent{ID: head.ID, Event: head.Event, Raw: bytes.Clone(body)}, nil
}

func decodeAs[E Event](body []byte) (Event, error) {
	var e E
	if err := json.Unmarshal(body, &e); err != nil {
		return nil, fmt.Errorf("streamdiver: a webhook delivery does not fit its event: %w", err)
	}
	return e, nil
}
