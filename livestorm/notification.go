package livestorm

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Notification is one webhook delivery from Livestorm, decoded: one of
// EventCreated, EventPublished, SessionCreated, SessionStarted,
// SessionEnded, PeopleRegistered, PeopleAttended, PeopleNotAttended,
// PeopleWatchedReplay and JobEnded, the ten events Livestorm documents.
// A Receiver hands them to its handler; switch on the type:
//
//	switch n := n.(type) {
//	case *livestorm.PeopleRegistered:
//		fmt.Println(n.Person.Email)
//	}
type Notification interface {
	// Name is the webhook event the delivery was for.
	Name() WebhookEvent
	// ResourceID is the id of the resource the delivery is about: an
	// event, a session, a person or a job.
	ResourceID() string

	notification() // only this package's types are notifications
}

// EventCreated is the event.created delivery: an event was created.
type EventCreated struct {
	Event Event `json:"event"`
}

// EventPublished is the event.published delivery: an event was published.
type EventPublished struct {
	Event Event `json:"event"`
}

// SessionCreated is the session.created delivery.
type SessionCreated struct {
	Session Session `json:"session"`
}

// SessionStarted is the session.started delivery: a session went live.
type SessionStarted struct {
	Session Session `json:"session"`
}

// SessionEnded is the session.ended delivery.
type SessionEnded struct {
	Session Session `json:"session"`
}

// PeopleRegistered is the people.registered delivery: a person registered
// to a session. Person.RegistrantDetail holds the registration.
type PeopleRegistered struct {
	Person Person `json:"person"`
}

// PeopleAttended is the people.attended delivery: a registrant attended
// a session.
type PeopleAttended struct {
	Person Person `json:"person"`
}

// PeopleNotAttended is the people.not_attended delivery: a session ended
// without the registrant.
type PeopleNotAttended struct {
	Person Person `json:"person"`
}

// PeopleWatchedReplay is the people.watched_replay delivery.
type PeopleWatchedReplay struct {
	Person Person `json:"person"`
}

// JobEnded is the job.ended delivery: an asynchronous job, such as a bulk
// registration, ended.
type JobEnded struct {
	Job Job `json:"job"`
}

func (*EventCreated) Name() WebhookEvent        { return WebhookEventEventCreated }
func (*EventPublished) Name() WebhookEvent      { return WebhookEventEventPublished }
func (*SessionCreated) Name() WebhookEvent      { return WebhookEventSessionCreated }
func (*SessionStarted) Name() WebhookEvent      { return WebhookEventSessionStarted }
func (*SessionEnded) Name() WebhookEvent        { return WebhookEventSessionEnded }
func (*PeopleRegistered) Name() WebhookEvent    { return WebhookEventPeopleRegistered }
func (*PeopleAttended) Name() WebhookEvent      { return WebhookEventPeopleAttended }
func (*PeopleNotAttended) Name() WebhookEvent   { return WebhookEventPeopleNotAttended }
func (*PeopleWatchedReplay) Name() WebhookEvent { return WebhookEventPeopleWatchedReplay }
func (*JobEnded) Name() WebhookEvent            { return WebhookEventJobEnded }

func (n *EventCreated) ResourceID() string        { return n.Event.ID }
func (n *EventPublished) ResourceID() string      { return n.Event.ID }
func (n *SessionCreated) ResourceID() string      { return n.Session.ID }
func (n *SessionStarted) ResourceID() string      { return n.Session.ID }
func (n *SessionEnded) ResourceID() string        { return n.Session.ID }
func (n *PeopleRegistered) ResourceID() string    { return n.Person.ID }
func (n *PeopleAttended) ResourceID() string      { return n.Person.ID }
func (n *PeopleNotAttended) ResourceID() string   { return n.Person.ID }
func (n *PeopleWatchedReplay) ResourceID() string { return n.Person.ID }
func (n *JobEnded) ResourceID() string            { return n.Job.ID }

func (*EventCreated) notification()        {}
func (*EventPublished) notification()      {}
func (*SessionCreated) notification()      {}
func (*SessionStarted) notification()      {}
func (*SessionEnded) notification()        {}
func (*PeopleRegistered) notification()    {}
func (*PeopleAttended) notification()      {}
func (*PeopleNotAttended) notification()   {}
func (*PeopleWatchedReplay) notification() {}
func (*JobEnded) notification()            {}

// WebhookEvents returns the ten webhook events Livestorm documents, in
// the order of its documentation.
func WebhookEvents() []WebhookEvent {
	return []WebhookEvent{
		WebhookEventEventCreated, WebhookEventSessionCreated, WebhookEventEventPublished,
		WebhookEventPeopleRegistered, WebhookEventSessionStarted, WebhookEventSessionEnded,
		WebhookEventPeopleAttended, WebhookEventPeopleNotAttended, WebhookEventPeopleWatchedReplay,
		WebhookEventJobEnded,
	}
}

// newNotification returns an empty Notification of event, or nil for an
// event Livestorm does not document.
func newNotification(event WebhookEvent) (Notification, any) {
	switch event {
	case WebhookEventEventCreated:
		n := new(EventCreated)
		return n, &n.Event
	case WebhookEventEventPublished:
		n := new(EventPublished)
		return n, &n.Event
	case WebhookEventSessionCreated:
		n := new(SessionCreated)
		return n, &n.Session
	case WebhookEventSessionStarted:
		n := new(SessionStarted)
		return n, &n.Session
	case WebhookEventSessionEnded:
		n := new(SessionEnded)
		return n, &n.Session
	case WebhookEventPeopleRegistered:
		n := new(PeopleRegistered)
		return n, &n.Person
	case WebhookEventPeopleAttended:
		n := new(PeopleAttended)
		return n, &n.Person
	case WebhookEventPeopleNotAttended:
		n := new(PeopleNotAttended)
		return n, &n.Person
	case WebhookEventPeopleWatchedReplay:
		n := new(PeopleWatchedReplay)
		return n, &n.Person
	case WebhookEventJobEnded:
		n := new(JobEnded)
		return n, &n.Job
	}
	return nil, nil
}

// ErrUnknownEvent is returned by ParseNotification for a webhook event
// Livestorm does not document.
var ErrUnknownEvent = errors.New("livestorm: not a documented webhook event; subscribe one of livestorm.WebhookEvents()")

// ParseNotification decodes body, a webhook delivery for event, into its
// Notification. Livestorm names the event in no part of the body, so it
// comes from where the delivery arrived: the URL it was subscribed with
// (Receiver does this). Deliveries are JSON:API documents, {"data": {"id",
// "type", "attributes"}}; one without a data object or its id is refused.
func ParseNotification(event WebhookEvent, body []byte) (Notification, error) {
	n, into := newNotification(event)
	if n == nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownEvent, event)
	}
	// What Livestorm sends decodes in one pass; anything else as the
	// resource's UnmarshalJSON decodes it.
	fields, id, rels := resourceFields(into)
	if fields == nil || !decodeResourceObject(body, true, fields, id, rels) {
		// The resource decodes in place: json fills the pointer an
		// interface holds, and sets the interface to nil for "data": null.
		doc := struct {
			Data any `json:"data"`
		}{into}
		if err := json.Unmarshal(body, &doc); err != nil {
			return nil, fmt.Errorf("livestorm: a %s delivery is not a JSON:API document with a resource: %w", event, err)
		}
		if doc.Data == nil {
			return nil, fmt.Errorf("livestorm: a %s delivery's data is null; Livestorm sends {\"data\": {...}}", event)
		}
	}
	if n.ResourceID() == "" {
		return nil, fmt.Errorf("livestorm: a %s delivery's data has no id; Livestorm sends one with every resource", event)
	}
	return n, nil
}

// resourceFields returns what the UnmarshalJSON of into, a notification's
// resource, passes to decodeResource, so that ParseNotification decodes
// the whole delivery in one pass; nil fields for another type.
func resourceFields(into any) (fields any, id *string, rels *map[string][]string) {
	switch x := into.(type) {
	case *Event:
		type fields Event
		return (*fields)(x), &x.ID, &x.Relationships
	case *Session:
		type fields Session
		return (*fields)(x), &x.ID, &x.Relationships
	case *Person:
		type fields Person
		return (*fields)(x), &x.ID, nil
	case *Job:
		type fields Job
		return (*fields)(x), &x.ID, nil
	}
	return nil, nil, nil
}
