package livestormtest

import (
	"cmp"
	"context"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/google/uuid"
	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livestorm/internal/server"
)

// event is an event with the ids of its tags. Its sessions live in
// api.sessions; its sessions_count and relationships are derived.
type event struct {
	Event server.Event `json:"event"`
	Tags  []string     `json:"tags"`
}

var notSlug = regexp.MustCompile(`[^a-z0-9]+`)

// slugify makes a URL slug: lower-case ASCII letters and digits joined by
// dashes.
func slugify(s string) string {
	return strings.Trim(notSlug.ReplaceAllString(strings.ToLower(s), "-"), "-")
}

func (a *api) ListEvents(_ context.Context, req server.ListEventsRequestObject) (server.ListEventsResponseObject, error) {
	p := req.Params
	spans, err := newSpans(p.FilterCreatedSince, p.FilterCreatedUntil, p.FilterUpdatedSince, p.FilterUpdatedUntil)
	if err != nil {
		return nil, err
	}
	var tags []string
	for t := range strings.SplitSeq(table.Deref(p.FilterTag), ",") {
		if t = strings.TrimSpace(t); t != "" {
			tags = append(tags, t)
		}
	}
	events := a.events.List(func(e event) bool {
		at := e.Event.Attributes
		return (p.FilterTitle == nil || strings.EqualFold(table.Deref(at.Title), *p.FilterTitle)) &&
			(p.FilterEveryoneCanSpeak == nil || table.Deref(at.EveryoneCanSpeak) == *p.FilterEveryoneCanSpeak) &&
			(p.FilterSchedulingStatus == nil || a.scheduling(e) == string(*p.FilterSchedulingStatus)) &&
			spans[0].has(at.CreatedAt) && spans[1].has(at.UpdatedAt) &&
			(tags == nil || a.tagged(e, tags))
	})
	page, meta, err := paginate(events, p.PageNumber, p.PageSize)
	body := server.EventList{Data: []server.Event{}, Meta: meta}
	var in included
	for _, e := range page {
		body.Data = append(body.Data, a.renderEvent(e))
		if asked(p.Include, "sessions") {
			for _, id := range a.eventSessions(e.Event.ID) {
				a.sessions.View(id, func(s server.Session) { in.add("sessions", id, a.renderSession(s).Attributes) })
			}
		}
		if asked(p.Include, "tags") {
			for _, id := range e.Tags {
				a.tags.View(id, func(t server.Tag) { in.add("tags", id, t.Attributes) })
			}
		}
	}
	body.Included = in.result(p.Include != nil)
	return server.ListEvents200ApplicationVndAPIPlusJSONResponse{Body: body}, err
}

// scheduling is the event's scheduling status, which
// filter[scheduling_status] matches, from its own status and its
// sessions'.
func (a *api) scheduling(e event) string {
	if table.Deref(e.Event.Attributes.Status) == "draft" {
		return "draft"
	}
	has := map[string]bool{}
	for _, id := range a.eventSessions(e.Event.ID) {
		a.sessions.View(id, func(s server.Session) { has[table.Deref(s.Attributes.Status)] = true })
	}
	for _, s := range [...]struct{ session, event string }{ // the first a session has wins
		{"live", "live"}, {"upcoming", "upcoming"}, {"on_demand", "on_demand"},
		{"past", "ended"}, {"past_not_started", "not_started"}, {"canceled", "cancelled"},
	} {
		if has[s.session] {
			return s.event
		}
	}
	return "not_scheduled"
}

// tagged reports whether the event has one of the tag titles, in any case.
func (a *api) tagged(e event, titles []string) bool {
	for _, id := range e.Tags {
		t, _ := a.tags.Get(id)
		if slices.ContainsFunc(titles, func(s string) bool { return strings.EqualFold(s, t.Attributes.Title) }) {
			return true
		}
	}
	return false
}

// eventSessions returns the ids of the event's sessions.
func (a *api) eventSessions(eventID string) []string {
	return a.sessions.Keys(func(s server.Session) bool { return *s.Attributes.EventID == eventID })
}

// renderEvent completes a stored event with what derives from its sessions
// and tags.
func (a *api) renderEvent(e event) server.Event {
	out := e.Event
	sessions := []any{}
	for _, id := range a.eventSessions(out.ID) {
		sessions = append(sessions, ref("sessions", id))
	}
	tags := []any{}
	for _, id := range e.Tags {
		tags = append(tags, ref("tags", id))
	}
	out.Attributes.SessionsCount = onair.Ptr(len(sessions))
	out.Relationships = &server.Relationships{"sessions": map[string]any{"data": sessions}, "tags": map[string]any{"data": tags}}
	return out
}

// eventFields are an event's registration fields: the email and the
// names, the last name required or not.
func eventFields(lastNameRequired bool) *[]server.EventField {
	var fields []server.EventField
	for i, id := range []string{"email", "first_name", "last_name"} {
		fields = append(fields, server.EventField{ID: &id, Type: onair.Ptr("text"), Order: &i, Required: onair.Ptr(i < 2 || lastNameRequired)})
	}
	return &fields
}

func (a *api) CreateEvent(_ context.Context, req server.CreateEventRequestObject) (server.CreateEventResponseObject, error) {
	d := req.Body.Data
	now := a.now().Unix()
	e := event{Event: server.Event{ID: uuid.NewString(), Type: "events", Attributes: server.EventAttributes{
		EstimatedDuration: onair.Ptr(60), RegistrationPageEnabled: onair.Ptr(true), EveryoneCanSpeak: onair.Ptr(false),
		Language: onair.Ptr("en"), Fields: eventFields(true), ChatEnabled: onair.Ptr(true), QuestionsEnabled: onair.Ptr(true),
		PollsEnabled: onair.Ptr(true), RecordingEnabled: onair.Ptr(true), RecordingPublic: onair.Ptr(false), ShowInCompanyPage: onair.Ptr(true),
	}}}
	if id := d.Attributes.CopyFromEventID; id != nil {
		src, ok := a.events.Get(*id)
		if !ok {
			return nil, errorf(http.StatusUnprocessableEntity, "The event to copy, %s, does not exist.", *id)
		}
		e.Event.Attributes, e.Tags = src.Event.Attributes, src.Tags
		e.Event.Attributes.Slug = nil
	}
	at := &e.Event.Attributes
	at.Status, at.PublishedAt, at.CreatedAt = onair.Ptr("draft"), nil, &now
	if d.Attributes.Title == nil && at.Title == nil {
		return nil, errorf(http.StatusUnprocessableEntity, "An event needs a title.")
	}
	if d.Attributes.OwnerID == nil && at.Owner == nil {
		return nil, errorf(http.StatusUnprocessableEntity, "An event needs an owner_id.")
	}
	if err := a.applyEvent(&e, d.Attributes, now); err != nil {
		return nil, err
	}
	var sessions []server.Session
	if r := d.Relationships; r != nil && r.Sessions != nil {
		for _, s := range *r.Sessions {
			s, err := a.newSession(e, nil, s.Attributes.EstimatedStartedAt, s.Attributes.Timezone)
			if err != nil {
				return nil, err
			}
			sessions = append(sessions, s)
		}
	}
	a.events.Put(e.Event.ID, e)
	for _, s := range sessions {
		a.sessions.Put(s.ID, s)
	}
	out := a.renderEvent(e)
	a.fire("event.created", out)
	for _, s := range sessions {
		a.fire("session.created", a.renderSession(s))
	}
	if table.Deref(out.Attributes.Status) == "published" {
		a.fire("event.published", out)
	}
	return server.CreateEvent201ApplicationVndAPIPlusJSONResponse{Body: server.EventResponse{Data: out}}, nil
}

// applyEvent writes the attributes sent onto the event, checking them
// first; copy_from_event_id matters only on create.
func (a *api) applyEvent(e *event, w server.EventWriteAttributes, now int64) error {
	at, id := &e.Event.Attributes, e.Event.ID
	if w.Title != nil && strings.TrimSpace(*w.Title) == "" {
		return errorf(http.StatusUnprocessableEntity, "The title must not be blank.")
	}
	if w.OwnerID != nil {
		p, ok := a.people.Get(*w.OwnerID)
		if !ok || table.Deref(p.Attributes.Role) != "team_member" {
			return errorf(http.StatusUnprocessableEntity, "The owner must be a team member of the workspace.")
		}
		at.Owner = &p
	}
	was := table.Deref(at.Status)
	table.Patch(at, w)                   // owner_id and copy_from_event_id are no attributes
	if w.Slug != nil || at.Slug == nil { // a new event's slug comes from its title; a taken one gets a suffix
		base := cmp.Or(slugify(table.Deref(w.Slug)), slugify(table.Deref(at.Title)), "event")
		s := base
		for i := 2; a.slugTaken(s, id); i++ {
			s = base + "-" + strconv.Itoa(i)
		}
		at.Slug = &s
	}
	at.RegistrationLink = onair.Ptr("https://app.livestorm.co/" + table.Deref(a.org.Attributes.Slug) + "/" + *at.Slug)
	switch table.Deref(w.Status) {
	case "published":
		if was != "published" {
			at.PublishedAt = &now
		}
	case "draft":
		at.PublishedAt = nil
	}
	at.UpdatedAt = &now
	return nil
}

func (a *api) slugTaken(slug, except string) bool {
	_, taken := a.events.First(func(e event) bool { return e.Event.ID != except && table.Deref(e.Event.Attributes.Slug) == slug })
	return taken
}

func (a *api) GetEvent(_ context.Context, req server.GetEventRequestObject) (server.GetEventResponseObject, error) {
	e, ok := a.events.Get(req.ID)
	if !ok {
		return nil, notFound("event")
	}
	return server.GetEvent200ApplicationVndAPIPlusJSONResponse{Body: server.EventResponse{Data: a.renderEvent(e)}}, nil
}

func (a *api) UpdateEvent(_ context.Context, req server.UpdateEventRequestObject) (server.UpdateEventResponseObject, error) {
	e, err := a.updateEvent(req.ID, req.Body.Data)
	return server.UpdateEvent200ApplicationVndAPIPlusJSONResponse{Body: server.EventResponse{Data: e}}, err
}

// ReplaceEvent is UpdateEvent: the vendor's PUT takes the same body, and
// Rails, which Livestorm runs on, routes both verbs to one action.
func (a *api) ReplaceEvent(_ context.Context, req server.ReplaceEventRequestObject) (server.ReplaceEventResponseObject, error) {
	e, err := a.updateEvent(req.ID, req.Body.Data)
	return server.ReplaceEvent200ApplicationVndAPIPlusJSONResponse{Body: server.EventResponse{Data: e}}, err
}

func (a *api) updateEvent(id string, d server.UpdateEventData) (server.Event, error) {
	var was string
	e, err := table.Update(&a.events, id, notFound("event"), func(e *event) error {
		if d.ID != nil && *d.ID != id {
			return errorf(http.StatusBadRequest, "The body's data.id, %s, is not the event of the URL.", *d.ID)
		}
		was = table.Deref(e.Event.Attributes.Status)
		return a.applyEvent(e, d.Attributes, a.now().Unix())
	})
	if err != nil {
		return server.Event{}, err
	}
	out := a.renderEvent(e)
	if was != "published" && table.Deref(out.Attributes.Status) == "published" {
		a.fire("event.published", out)
	}
	return out, nil
}

// DeleteEvent deletes the event with its sessions and what belongs to
// them; the people stay in the workspace.
func (a *api) DeleteEvent(_ context.Context, req server.DeleteEventRequestObject) (server.DeleteEventResponseObject, error) {
	if !a.events.Delete(req.ID) {
		return nil, notFound("event")
	}
	for _, id := range a.eventSessions(req.ID) {
		a.dropSession(id)
	}
	return server.DeleteEvent204Response{}, nil
}

func (a *api) ListEventPeople(_ context.Context, req server.ListEventPeopleRequestObject) (server.ListEventPeopleResponseObject, error) {
	e, ok := a.events.Get(req.ID)
	if !ok {
		return nil, notFound("event")
	}
	f := req.Params
	people := slices.DeleteFunc(a.eventPeople(e), func(p server.Person) bool { return !hasRoleAndEmail(p, f.FilterRole, f.FilterEmail) })
	page, meta, err := paginate(people, req.Params.PageNumber, req.Params.PageSize)
	return server.ListEventPeople200ApplicationVndAPIPlusJSONResponse{Body: server.PersonList{Data: page, Meta: meta}}, err
}

func (a *api) GetEventPerson(_ context.Context, req server.GetEventPersonRequestObject) (server.GetEventPersonResponseObject, error) {
	e, ok := a.events.Get(req.ID)
	if !ok {
		return nil, notFound("event")
	}
	people := a.eventPeople(e)
	i := slices.IndexFunc(people, func(p server.Person) bool { return p.ID == req.PeopleID })
	if i < 0 {
		return nil, notFound("person of this event")
	}
	return server.GetEventPerson200ApplicationVndAPIPlusJSONResponse{Body: server.PersonResponse{Data: people[i]}}, nil
}

// eventPeople is the event's owner, then everyone registered to or
// speaking at one of its sessions, each once, with the registrant_detail
// of their first registration.
func (a *api) eventPeople(e event) []server.Person {
	out := []server.Person{}
	seen := map[string]bool{}
	if o := e.Event.Attributes.Owner; o != nil {
		if p, ok := a.people.Get(o.ID); ok {
			out, seen[o.ID] = append(out, p), true
		}
	}
	sessions := map[string]bool{}
	for _, id := range a.eventSessions(e.Event.ID) {
		sessions[id] = true
	}
	for _, r := range a.regs.List(func(r registration) bool { return sessions[r.Session] }) {
		if p, ok := a.registrant(r); ok && !seen[r.Person] {
			out, seen[r.Person] = append(out, p), true
		}
	}
	return out
}

func (a *api) AddEventTag(_ context.Context, req server.AddEventTagRequestObject) (server.AddEventTagResponseObject, error) {
	e, ok := a.events.Get(req.ID)
	if !ok {
		return nil, notFound("event")
	}
	title := strings.TrimSpace(req.Body.Data.Attributes.Title)
	if title == "" {
		return nil, errorf(http.StatusUnprocessableEntity, "A tag needs a title.")
	}
	t, ok := a.tagByTitle(title)
	if !ok { // new to the workspace
		t = server.Tag{ID: uuid.NewString(), Type: "tags", Attributes: server.TagAttributes{Title: title}}
		a.tags.Put(t.ID, t)
	}
	if !slices.Contains(e.Tags, t.ID) {
		e.Tags = append(e.Tags, t.ID)
		a.events.Put(req.ID, e)
	}
	return server.AddEventTag201ApplicationVndAPIPlusJSONResponse{Body: server.TagResponse{Data: t}}, nil
}

// RemoveEventTag unassigns the tag from the event; it stays in the
// workspace.
func (a *api) RemoveEventTag(_ context.Context, req server.RemoveEventTagRequestObject) (server.RemoveEventTagResponseObject, error) {
	_, err := table.Update(&a.events, req.ID, notFound("event"), func(e *event) error {
		t, ok := a.tagByTitle(strings.TrimSpace(req.Body.Data.Attributes.Title))
		if !ok || !slices.Contains(e.Tags, t.ID) {
			return notFound("tag of this event")
		}
		e.Tags = slices.DeleteFunc(e.Tags, func(id string) bool { return id == t.ID })
		return nil
	})
	return server.RemoveEventTag204Response{}, err
}

func (a *api) tagByTitle(title string) (server.Tag, bool) {
	return a.tags.First(func(t server.Tag) bool { return strings.EqualFold(t.Attributes.Title, title) })
}
