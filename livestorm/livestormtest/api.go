package livestormtest

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	_ "time/tzdata" // sessions are scheduled in IANA time zones, wherever the tests run

	"github.com/google/uuid"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livestorm/internal/server"
)

// api is Livestorm's API over an in-memory store: one workspace with its
// team, events and their sessions, registrants, chat, questions,
// recordings, jobs and webhooks. The handler holds mu while an operation
// runs, and the tables hand out copies, so that no answer shares memory
// with the store.
type api struct {
	mu  sync.Mutex
	now func() time.Time

	org        server.Organization
	people     table.Table[server.Person] // participants and team members, without registrant_detail
	users      table.Table[server.User]
	events     table.Table[event]
	sessions   table.Table[server.Session] // their counts are derived on the way out
	regs       table.Table[registration]   // by table.Child(session, person)
	chat       table.Table[server.ChatMessage]
	questions  table.Table[server.Question]
	recordings table.Table[server.Recording] // their URL is signed on the way out
	jobs       table.Table[job]
	tags       table.Table[server.Tag]
	webhooks   table.Table[server.Webhook]
	attributes table.Table[server.PeopleAttribute]
}

var _ server.StrictServerInterface = (*api)(nil)

// event is an event with the ids of its tags. Its sessions live in
// api.sessions; its sessions_count and relationships are derived.
type event struct {
	Event server.Event
	Tags  []string
}

// registration is a person's registration to a session. Detail is the
// registrant_detail it shows; nil for a speaker added with the session,
// who is no registrant.
type registration struct {
	Session, Person string
	Detail          map[string]any
}

// job is a bulk registration and the results of its tasks.
type job struct {
	Job   server.Job
	Tasks []server.JobTask
}

// handler serves the API at the root path, answering errors in Livestorm's
// JSON:API shape.
func (a *api) handler() http.Handler {
	return server.HandlerWithOptions(
		server.NewStrictHandlerWithOptions(a, []server.StrictMiddlewareFunc{table.Serialize[server.StrictHandlerFunc](&a.mu)}, server.StrictHTTPServerOptions{
			RequestErrorHandlerFunc:  badRequest,
			ResponseErrorHandlerFunc: respondError,
		}),
		server.StdHTTPServerOptions{ErrorHandlerFunc: badRequest},
	)
}

// convert copies v into a T through JSON.
func convert[T any](v any) T {
	var c T
	b, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil {
		panic("livestormtest: copying a record: " + err.Error()) // a bug in the store, not user input
	}
	return c
}

// paginate cuts page[number] out of items as Livestorm does: pages count
// from 0 and hold page[size] items (20 by default, at most 50); an empty
// list still has its page 0, and a page past the last answers 400.
func paginate[T any](items []T, number, size *int) ([]T, server.PageMeta, error) {
	n, per := 0, 20
	if number != nil {
		n = *number
	}
	if size != nil {
		per = *size
	}
	if n < 0 || per < 1 || per > 50 {
		return nil, server.PageMeta{}, errorf(http.StatusBadRequest, "page[number] must be 0 or more, and page[size] from 1 to 50.")
	}
	pages := max(1, (len(items)+per-1)/per)
	if n >= pages {
		return nil, server.PageMeta{}, errorf(http.StatusBadRequest, "The page you requested does not exist.")
	}
	meta := server.PageMeta{CurrentPage: n, ItemsPerPage: per, PageCount: pages, RecordCount: len(items)}
	if n > 0 {
		meta.PreviousPage = onair.Ptr(n - 1)
	}
	if n < pages-1 {
		meta.NextPage = onair.Ptr(n + 1)
	}
	return append([]T{}, items[n*per:min(len(items), (n+1)*per)]...), meta, nil
}

// included gathers the resources an include= parameter sideloads, once
// each.
type included struct {
	seen map[string]bool
	list []server.IncludedResource
}

func (in *included) add(typ, id string, attributes any) {
	if in.seen == nil {
		in.seen = map[string]bool{}
	}
	if in.seen[typ+"/"+id] {
		return
	}
	in.seen[typ+"/"+id] = true
	m := convert[map[string]any](attributes)
	in.list = append(in.list, server.IncludedResource{ID: id, Type: typ, Attributes: &m})
}

// result is what goes into a list's included member: nothing when the
// request did not ask, else the (maybe empty) list.
func (in *included) result(asked bool) *[]server.IncludedResource {
	if !asked {
		return nil
	}
	return onair.Ptr(append([]server.IncludedResource{}, in.list...))
}

func (a *api) includePeople(in *included, ids ...*string) {
	for _, id := range ids {
		if id == nil {
			continue
		}
		if p, ok := a.people.Get(*id); ok {
			in.add("people", *id, p.Attributes)
		}
	}
}

func asked[S ~string](include *[]S, name string) bool {
	return include != nil && slices.Contains(*include, S(name))
}

// span is an inclusive range of Unix times, from a pair of filters.
type span struct{ from, to int64 }

func newSpan(from, to *string) (span, error) {
	s := span{math.MinInt64, math.MaxInt64}
	var err error
	if from != nil {
		if s.from, err = filterTime(*from); err != nil {
			return s, err
		}
	}
	if to != nil {
		s.to, err = filterTime(*to)
	}
	return s, err
}

func (s span) has(t *int64) bool {
	if t == nil {
		return s == span{math.MinInt64, math.MaxInt64}
	}
	return *t >= s.from && *t <= s.to
}

// filterTime parses a time filter: Unix seconds or ISO 8601.
func filterTime(v string) (int64, error) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.Unix(), nil
		}
	}
	return 0, errorf(http.StatusBadRequest, "%q is neither Unix seconds nor an ISO 8601 time.", v)
}

// startTime parses a session's planned start as the vendor's samples send
// it, "YYYY-MM-DD HH:MM:SS" in the session's time zone, or as Unix seconds
// as one public client does.
func startTime(v, zone string) (int64, error) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, nil
	}
	loc, err := location(zone)
	if err != nil {
		return 0, err
	}
	for _, layout := range []string{time.DateTime, "2006-01-02T15:04:05", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, v, loc); err == nil {
			return t.Unix(), nil
		}
	}
	return 0, errorf(http.StatusUnprocessableEntity, "estimated_started_at %q is not a time like 2024-07-01 15:00:00.", v)
}

func location(zone string) (*time.Location, error) {
	loc, err := time.LoadLocation(zone)
	if err != nil || zone == "" || zone == "Local" {
		return nil, errorf(http.StatusUnprocessableEntity, "%q is not an IANA time zone.", zone)
	}
	return loc, nil
}

// slugify makes a URL slug: lower-case ASCII letters and digits joined by
// dashes.
func slugify(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}

func httpsURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && u.Scheme == "https" && u.Host != ""
}

// ref is a JSON:API resource identifier.
func ref(typ, id string) map[string]any { return map[string]any{"type": typ, "id": id} }

// Identity

func (a *api) GetPing(context.Context, server.GetPingRequestObject) (server.GetPingResponseObject, error) {
	return server.GetPing204Response{}, nil
}

// GetMe answers the workspace, as Livestorm's documentation of /me shows
// (see the spec).
func (a *api) GetMe(context.Context, server.GetMeRequestObject) (server.GetMeResponseObject, error) {
	return server.GetMe200ApplicationVndAPIPlusJSONResponse{Body: server.OrganizationResponse{Data: sandbox.Clone(a.org)}}, nil
}

func (a *api) GetOrganization(context.Context, server.GetOrganizationRequestObject) (server.GetOrganizationResponseObject, error) {
	return server.GetOrganization200ApplicationVndAPIPlusJSONResponse{Body: server.OrganizationResponse{Data: sandbox.Clone(a.org)}}, nil
}

// Events

func (a *api) ListEvents(_ context.Context, req server.ListEventsRequestObject) (server.ListEventsResponseObject, error) {
	p := req.Params
	created, err := newSpan(p.FilterCreatedSince, p.FilterCreatedUntil)
	if err != nil {
		return nil, err
	}
	updated, err := newSpan(p.FilterUpdatedSince, p.FilterUpdatedUntil)
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
			created.has(at.CreatedAt) && updated.has(at.UpdatedAt) &&
			(tags == nil || a.tagged(e, tags))
	})
	page, meta, err := paginate(events, p.PageNumber, p.PageSize)
	if err != nil {
		return nil, err
	}
	body := server.EventList{Data: []server.Event{}, Meta: meta}
	var in included
	for _, e := range page {
		body.Data = append(body.Data, a.renderEvent(e))
		if asked(p.Include, "sessions") {
			for _, id := range a.eventSessions(e.Event.ID) {
				s, _ := a.sessions.Get(id)
				in.add("sessions", id, a.renderSession(s).Attributes)
			}
		}
		if asked(p.Include, "tags") {
			for _, id := range e.Tags {
				if t, ok := a.tags.Get(id); ok {
					in.add("tags", id, t.Attributes)
				}
			}
		}
	}
	body.Included = in.result(p.Include != nil)
	return server.ListEvents200ApplicationVndAPIPlusJSONResponse{Body: body}, nil
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
		s, _ := a.sessions.Get(id)
		has[table.Deref(s.Attributes.Status)] = true
	}
	switch {
	case has["live"]:
		return "live"
	case has["upcoming"]:
		return "upcoming"
	case has["on_demand"]:
		return "on_demand"
	case has["past"]:
		return "ended"
	case has["past_not_started"]:
		return "not_started"
	case has["canceled"]:
		return "cancelled"
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

func (a *api) CreateEvent(_ context.Context, req server.CreateEventRequestObject) (server.CreateEventResponseObject, error) {
	d := req.Body.Data
	now := a.now().Unix()
	e := event{Event: server.Event{ID: uuid.NewString(), Type: "events", Attributes: server.EventAttributes{
		EstimatedDuration:       onair.Ptr(60),
		RegistrationPageEnabled: onair.Ptr(true),
		EveryoneCanSpeak:        onair.Ptr(false),
		Language:                onair.Ptr("en"),
		Fields: &[]server.EventField{
			{ID: onair.Ptr("email"), Type: onair.Ptr("text"), Order: onair.Ptr(0), Required: onair.Ptr(true)},
			{ID: onair.Ptr("first_name"), Type: onair.Ptr("text"), Order: onair.Ptr(1), Required: onair.Ptr(true)},
			{ID: onair.Ptr("last_name"), Type: onair.Ptr("text"), Order: onair.Ptr(2), Required: onair.Ptr(true)},
		},
		ChatEnabled:       onair.Ptr(true),
		QuestionsEnabled:  onair.Ptr(true),
		PollsEnabled:      onair.Ptr(true),
		RecordingEnabled:  onair.Ptr(true),
		RecordingPublic:   onair.Ptr(false),
		ShowInCompanyPage: onair.Ptr(true),
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
	return server.CreateEvent201ApplicationVndAPIPlusJSONResponse{Body: server.EventResponse{Data: a.renderEvent(e)}}, nil
}

// applyEvent writes the attributes sent onto the event, checking them
// first; copy_from_event_id matters only on create.
func (a *api) applyEvent(e *event, w server.EventWriteAttributes, now int64) error {
	at, id := &e.Event.Attributes, e.Event.ID
	if w.Title != nil && strings.TrimSpace(*w.Title) == "" {
		return errorf(http.StatusUnprocessableEntity, "The title must not be blank.")
	}
	if w.Status != nil && !w.Status.Valid() {
		return errorf(http.StatusBadRequest, "status must be draft or published.")
	}
	if w.OwnerID != nil {
		p, ok := a.people.Get(*w.OwnerID)
		if !ok || table.Deref(p.Attributes.Role) != "team_member" {
			return errorf(http.StatusUnprocessableEntity, "The owner must be a team member of the workspace.")
		}
		at.Owner = &p
	}
	if w.Title != nil {
		at.Title = w.Title
	}
	if w.Slug != nil || at.Slug == nil { // a new event's slug comes from its title; a taken one gets a suffix
		base := cmp.Or(slugify(table.Deref(w.Slug)), slugify(table.Deref(at.Title)), "event")
		s := base
		for i := 2; a.slugTaken(s, id); i++ {
			s = base + "-" + strconv.Itoa(i)
		}
		at.Slug = &s
	}
	at.RegistrationLink = onair.Ptr("https://app.livestorm.co/" + table.Deref(a.org.Attributes.Slug) + "/" + *at.Slug)
	if w.Status != nil {
		if *w.Status == "published" && table.Deref(at.Status) != "published" {
			at.PublishedAt = &now
		}
		if *w.Status == "draft" {
			at.PublishedAt = nil
		}
		at.Status = onair.Ptr(string(*w.Status))
	}
	if w.Description != nil {
		at.Description = w.Description
	}
	for _, f := range []struct{ to, from **bool }{
		{&at.EveryoneCanSpeak, &w.EveryoneCanSpeak},
		{&at.RecordingEnabled, &w.RecordingEnabled},
		{&at.RecordingPublic, &w.RecordingPublic},
		{&at.ShowInCompanyPage, &w.ShowInCompanyPage},
		{&at.ChatEnabled, &w.ChatEnabled},
		{&at.QuestionsEnabled, &w.QuestionsEnabled},
		{&at.PollsEnabled, &w.PollsEnabled},
	} {
		if *f.from != nil {
			*f.to = *f.from
		}
	}
	at.UpdatedAt = &now
	return nil
}

func (a *api) slugTaken(slug, except string) bool {
	return len(a.events.List(func(e event) bool {
		return e.Event.ID != except && table.Deref(e.Event.Attributes.Slug) == slug
	})) > 0
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
	if err != nil {
		return nil, err
	}
	return server.UpdateEvent200ApplicationVndAPIPlusJSONResponse{Body: server.EventResponse{Data: e}}, nil
}

// ReplaceEvent is UpdateEvent: the vendor's PUT takes the same body, and
// Rails, which Livestorm runs on, routes both verbs to one action.
func (a *api) ReplaceEvent(_ context.Context, req server.ReplaceEventRequestObject) (server.ReplaceEventResponseObject, error) {
	e, err := a.updateEvent(req.ID, req.Body.Data)
	if err != nil {
		return nil, err
	}
	return server.ReplaceEvent200ApplicationVndAPIPlusJSONResponse{Body: server.EventResponse{Data: e}}, nil
}

func (a *api) updateEvent(id string, d server.UpdateEventData) (server.Event, error) {
	e, ok := a.events.Get(id)
	if !ok {
		return server.Event{}, notFound("event")
	}
	if d.ID != nil && *d.ID != id {
		return server.Event{}, errorf(http.StatusBadRequest, "The body's data.id, %s, is not the event of the URL.", *d.ID)
	}
	if err := a.applyEvent(&e, d.Attributes, a.now().Unix()); err != nil {
		return server.Event{}, err
	}
	a.events.Put(id, e)
	return a.renderEvent(e), nil
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
	people := slices.DeleteFunc(a.eventPeople(e), func(p server.Person) bool {
		return req.Params.FilterRole != nil && table.Deref(p.Attributes.Role) != string(*req.Params.FilterRole)
	})
	page, meta, err := paginate(people, req.Params.PageNumber, req.Params.PageSize)
	if err != nil {
		return nil, err
	}
	return server.ListEventPeople200ApplicationVndAPIPlusJSONResponse{Body: server.PersonList{Data: page, Meta: meta}}, nil
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

// registrant is the person of a registration, with its registrant_detail.
func (a *api) registrant(r registration) (server.Person, bool) {
	p, ok := a.people.Get(r.Person)
	if ok && r.Detail != nil {
		p.Attributes.RegistrantDetail = &r.Detail
	}
	return p, ok
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
	e, ok := a.events.Get(req.ID)
	if !ok {
		return nil, notFound("event")
	}
	t, ok := a.tagByTitle(strings.TrimSpace(req.Body.Data.Attributes.Title))
	if !ok || !slices.Contains(e.Tags, t.ID) {
		return nil, notFound("tag of this event")
	}
	e.Tags = slices.DeleteFunc(e.Tags, func(id string) bool { return id == t.ID })
	a.events.Put(req.ID, e)
	return server.RemoveEventTag204Response{}, nil
}

func (a *api) tagByTitle(title string) (server.Tag, bool) {
	tags := a.tags.List(func(t server.Tag) bool { return strings.EqualFold(t.Attributes.Title, title) })
	if len(tags) == 0 {
		return server.Tag{}, false
	}
	return tags[0], true
}

// Sessions

func (a *api) ListEventSessions(_ context.Context, req server.ListEventSessionsRequestObject) (server.ListEventSessionsResponseObject, error) {
	p := convert[server.ListSessionsParams](req.Params) // the same parameters
	if !a.events.Has(req.ID) {
		return nil, notFound("event")
	}
	list, err := a.listSessions(p, req.ID)
	if err != nil {
		return nil, err
	}
	return server.ListEventSessions200ApplicationVndAPIPlusJSONResponse{Body: list}, nil
}

func (a *api) ListSessions(_ context.Context, req server.ListSessionsRequestObject) (server.ListSessionsResponseObject, error) {
	list, err := a.listSessions(req.Params, "")
	if err != nil {
		return nil, err
	}
	return server.ListSessions200ApplicationVndAPIPlusJSONResponse{Body: list}, nil
}

// listSessions lists the sessions the filters keep, of one event or ("")
// of all; breakout rooms only when asked for.
func (a *api) listSessions(p server.ListSessionsParams, eventID string) (server.SessionList, error) {
	var spans [3]span
	for i, pair := range [][2]*string{
		{p.FilterDateFrom, p.FilterDateTo},
		{p.FilterCreatedSince, p.FilterCreatedUntil},
		{p.FilterUpdatedSince, p.FilterUpdatedUntil},
	} {
		var err error
		if spans[i], err = newSpan(pair[0], pair[1]); err != nil {
			return server.SessionList{}, err
		}
	}
	sessions := a.sessions.List(func(s server.Session) bool {
		at := s.Attributes
		return (eventID == "" || table.Deref(at.EventID) == eventID) &&
			spans[0].has(at.EstimatedStartedAt) && spans[1].has(at.CreatedAt) && spans[2].has(at.UpdatedAt) &&
			(table.Deref(p.FilterIncludeBreakoutRooms) || at.BreakoutRoomParentSessionID == nil) &&
			(p.FilterStatus == nil || a.sessionStatus(s) == string(*p.FilterStatus))
	})
	page, meta, err := paginate(sessions, p.PageNumber, p.PageSize)
	for i, s := range page {
		page[i] = a.renderSession(s)
	}
	return server.SessionList{Data: page, Meta: meta}, err
}

// sessionStatus is the session's status as shown: its own, or draft while
// its event is a draft.
func (a *api) sessionStatus(s server.Session) string {
	if e, _ := a.events.Get(table.Deref(s.Attributes.EventID)); table.Deref(e.Event.Attributes.Status) == "draft" {
		return "draft"
	}
	return table.Deref(s.Attributes.Status)
}

// renderSession completes a stored session with its status and counts.
func (a *api) renderSession(s server.Session) server.Session {
	id := s.ID
	registrants := len(a.regs.Keys(func(r registration) bool { return r.Session == id && r.Detail != nil }))
	attendees := len(a.regs.Keys(func(r registration) bool { return r.Session == id && r.Detail["attended"] == true }))
	s.Attributes.RegistrantsCount, s.Attributes.AttendeesCount = &registrants, &attendees
	s.Attributes.Status = onair.Ptr(a.sessionStatus(s))
	return s
}

func (a *api) CreateEventSession(_ context.Context, req server.CreateEventSessionRequestObject) (server.CreateEventSessionResponseObject, error) {
	d := req.Body.Data
	e, ok := a.events.Get(req.ID)
	if !ok {
		return nil, notFound("event")
	}
	s, err := a.newSession(e, d.Attributes.Name, d.Attributes.EstimatedStartedAt, d.Attributes.Timezone)
	if err != nil {
		return nil, err
	}
	var speakers []string
	if d.Relationships != nil && d.Relationships.People != nil {
		for _, l := range *d.Relationships.People {
			if !a.people.Has(l.Data.ID) {
				return nil, errorf(http.StatusUnprocessableEntity, "The person %s does not exist.", l.Data.ID)
			}
			speakers = append(speakers, l.Data.ID)
		}
	}
	a.sessions.Put(s.ID, s)
	for _, p := range speakers {
		a.regs.Put(table.Child(s.ID, p), registration{Session: s.ID, Person: p})
	}
	return server.CreateEventSession201ApplicationVndAPIPlusJSONResponse{Body: server.SessionResponse{Data: a.renderSession(s)}}, nil
}

// newSession makes a session of the event, in the owner's time zone unless
// told otherwise; it does not store it.
func (a *api) newSession(e event, name, start, zone *string) (server.Session, error) {
	tz := cmp.Or(table.Deref(table.Deref(e.Event.Attributes.Owner).Attributes.Timezone), "UTC")
	if zone != nil {
		tz = *zone
	}
	if _, err := location(tz); err != nil {
		return server.Session{}, err
	}
	if start == nil {
		return server.Session{}, errorf(http.StatusUnprocessableEntity, "A session needs an estimated_started_at.")
	}
	at, err := startTime(*start, tz)
	if err != nil {
		return server.Session{}, err
	}
	id, now := uuid.NewString(), a.now().Unix()
	return server.Session{ID: id, Type: "sessions", Attributes: server.SessionAttributes{
		EventID:            &e.Event.ID,
		Name:               name,
		Status:             onair.Ptr(a.plannedStatus(at)),
		Timezone:           &tz,
		RoomLink:           onair.Ptr(roomLink(e.Event.ID, id)),
		Duration:           onair.Ptr(0),
		EstimatedStartedAt: &at,
		CreatedAt:          &now,
		UpdatedAt:          &now,
		Type:               onair.Ptr("live"),
	}}, nil
}

// plannedStatus is the status of a session that has not run yet.
func (a *api) plannedStatus(start int64) string {
	if start > a.now().Unix() {
		return "upcoming"
	}
	return "past_not_started"
}

func roomLink(event, session string) string {
	return "https://app.livestorm.co/p/" + event + "/live?s=" + session
}

func (a *api) GetSession(_ context.Context, req server.GetSessionRequestObject) (server.GetSessionResponseObject, error) {
	s, ok := a.sessions.Get(req.ID)
	if !ok {
		return nil, notFound("session")
	}
	return server.GetSession200ApplicationVndAPIPlusJSONResponse{Body: server.SessionResponse{Data: a.renderSession(s)}}, nil
}

func (a *api) UpdateSession(_ context.Context, req server.UpdateSessionRequestObject) (server.UpdateSessionResponseObject, error) {
	s, err := a.updateSession(req.ID, req.Body.Data)
	if err != nil {
		return nil, err
	}
	return server.UpdateSession200ApplicationVndAPIPlusJSONResponse{Body: server.SessionResponse{Data: s}}, nil
}

// ReplaceSession is UpdateSession, as ReplaceEvent is UpdateEvent.
func (a *api) ReplaceSession(_ context.Context, req server.ReplaceSessionRequestObject) (server.ReplaceSessionResponseObject, error) {
	s, err := a.updateSession(req.ID, req.Body.Data)
	if err != nil {
		return nil, err
	}
	return server.ReplaceSession200ApplicationVndAPIPlusJSONResponse{Body: server.SessionResponse{Data: s}}, nil
}

// updateSession renames or reschedules a session. embed_url is accepted
// and dropped: no session attribute shows it.
func (a *api) updateSession(id string, d server.UpdateSessionData) (server.Session, error) {
	s, ok := a.sessions.Get(id)
	if !ok {
		return server.Session{}, notFound("session")
	}
	if d.ID != nil && *d.ID != id {
		return server.Session{}, errorf(http.StatusBadRequest, "The body's data.id, %s, is not the session of the URL.", *d.ID)
	}
	at, w := &s.Attributes, d.Attributes
	if w.Timezone != nil {
		if _, err := location(*w.Timezone); err != nil {
			return server.Session{}, err
		}
		at.Timezone = w.Timezone
	}
	if w.EstimatedStartedAt != nil {
		start, err := startTime(*w.EstimatedStartedAt, table.Deref(at.Timezone))
		if err != nil {
			return server.Session{}, err
		}
		at.EstimatedStartedAt = &start
		if st := table.Deref(at.Status); st == "upcoming" || st == "past_not_started" {
			at.Status = onair.Ptr(a.plannedStatus(start))
		}
	}
	if w.Name != nil {
		at.Name = w.Name
	}
	at.UpdatedAt = onair.Ptr(a.now().Unix())
	a.sessions.Put(id, s)
	return a.renderSession(s), nil
}

func (a *api) DeleteSession(_ context.Context, req server.DeleteSessionRequestObject) (server.DeleteSessionResponseObject, error) {
	if !a.sessions.Has(req.ID) {
		return nil, notFound("session")
	}
	a.dropSession(req.ID)
	return server.DeleteSession204Response{}, nil
}

// dropSession deletes a session with its registrations, chat, questions
// and recordings.
func (a *api) dropSession(id string) {
	a.sessions.Delete(id)
	a.regs.DeleteChildren(id)
	a.chat.DeleteChildren(id)
	a.questions.DeleteChildren(id)
	a.recordings.DeleteChildren(id)
}

func (a *api) ListSessionChatMessages(_ context.Context, req server.ListSessionChatMessagesRequestObject) (server.ListSessionChatMessagesResponseObject, error) {
	if !a.sessions.Has(req.ID) {
		return nil, notFound("session")
	}
	page, meta, err := paginate(a.chat.Children(req.ID), req.Params.PageNumber, req.Params.PageSize)
	if err != nil {
		return nil, err
	}
	var in included
	if asked(req.Params.Include, "people") {
		for _, m := range page {
			a.includePeople(&in, m.Attributes.AuthorID)
		}
	}
	return server.ListSessionChatMessages200ApplicationVndAPIPlusJSONResponse{Body: server.ChatMessageList{
		Data: page, Meta: meta, Included: in.result(req.Params.Include != nil),
	}}, nil
}

func (a *api) ListSessionQuestions(_ context.Context, req server.ListSessionQuestionsRequestObject) (server.ListSessionQuestionsResponseObject, error) {
	if !a.sessions.Has(req.ID) {
		return nil, notFound("session")
	}
	page, meta, err := paginate(a.questions.Children(req.ID), req.Params.PageNumber, req.Params.PageSize)
	if err != nil {
		return nil, err
	}
	var in included
	if asked(req.Params.Include, "people") {
		for _, q := range page {
			a.includePeople(&in, q.Attributes.AskerID, q.Attributes.ResponderID)
		}
	}
	return server.ListSessionQuestions200ApplicationVndAPIPlusJSONResponse{Body: server.QuestionList{
		Data: page, Meta: meta, Included: in.result(req.Params.Include != nil),
	}}, nil
}

// ListSessionRecordings signs each recording's URL for url_expires_in
// seconds (12 hours by default).
func (a *api) ListSessionRecordings(_ context.Context, req server.ListSessionRecordingsRequestObject) (server.ListSessionRecordingsResponseObject, error) {
	ttl := 43200
	if v := req.Params.URLExpiresIn; v != nil {
		if *v < 3600 || *v > 604800 {
			return nil, errorf(http.StatusBadRequest, "url_expires_in must be from 3600 to 604800 seconds.")
		}
		ttl = *v
	}
	if !a.sessions.Has(req.ID) {
		return nil, notFound("session")
	}
	page, meta, err := paginate(a.recordings.Children(req.ID), req.Params.PageNumber, req.Params.PageSize)
	if err != nil {
		return nil, err
	}
	expires := strconv.FormatInt(a.now().Unix()+int64(ttl), 10)
	for i, r := range page {
		sum := sha256.Sum256([]byte(r.ID + expires)) // stands in for a signature
		sig := hex.EncodeToString(sum[:5])
		page[i].Attributes.URL = onair.Ptr("https://recordings.livestorm.co/" + req.ID[:8] + "/" + table.Deref(r.Attributes.FileName) +
			"?Expires=" + expires + "&Signature=" + sig)
	}
	return server.ListSessionRecordings200ApplicationVndAPIPlusJSONResponse{Body: server.RecordingList{Data: page, Meta: meta}}, nil
}

// Registrations

func (a *api) ListSessionPeople(_ context.Context, req server.ListSessionPeopleRequestObject) (server.ListSessionPeopleResponseObject, error) {
	p := req.Params
	created, err := newSpan(p.FilterCreatedSince, p.FilterCreatedUntil)
	if err != nil {
		return nil, err
	}
	updated, err := newSpan(p.FilterUpdatedSince, p.FilterUpdatedUntil)
	if err != nil {
		return nil, err
	}
	if !a.sessions.Has(req.ID) {
		return nil, notFound("session")
	}
	people := []server.Person{}
	for _, r := range a.regs.Children(req.ID) {
		pr, ok := a.registrant(r)
		at := pr.Attributes
		if ok && (p.FilterRole == nil || table.Deref(at.Role) == string(*p.FilterRole)) &&
			(p.FilterAttended == nil || (r.Detail["attended"] == true) == *p.FilterAttended) &&
			(p.FilterEmail == nil || strings.EqualFold(table.Deref(at.Email), *p.FilterEmail)) &&
			created.has(at.CreatedAt) && updated.has(at.UpdatedAt) {
			people = append(people, pr)
		}
	}
	page, meta, err := paginate(people, p.PageNumber, p.PageSize)
	if err != nil {
		return nil, err
	}
	return server.ListSessionPeople200ApplicationVndAPIPlusJSONResponse{Body: server.PersonList{Data: page, Meta: meta}}, nil
}

func (a *api) GetSessionPerson(_ context.Context, req server.GetSessionPersonRequestObject) (server.GetSessionPersonResponseObject, error) {
	r, ok := a.regs.Get(table.Child(req.ID, req.PeopleID))
	if !ok {
		return nil, notFound("person of this session")
	}
	p, _ := a.registrant(r)
	return server.GetSessionPerson200ApplicationVndAPIPlusJSONResponse{Body: server.PersonResponse{Data: p}}, nil
}

func (a *api) RegisterSessionPerson(_ context.Context, req server.RegisterSessionPersonRequestObject) (server.RegisterSessionPersonResponseObject, error) {
	if !a.sessions.Has(req.ID) {
		return nil, notFound("session")
	}
	p, err := a.register(req.ID, req.Body.Data.Attributes)
	if err != nil {
		return nil, err
	}
	return server.RegisterSessionPerson201ApplicationVndAPIPlusJSONResponse{Body: server.PersonResponse{Data: p}}, nil
}

// RegisterSessionPeopleBulk runs the job at once: the answer is the ended
// job, and each task says how its registration went.
func (a *api) RegisterSessionPeopleBulk(_ context.Context, req server.RegisterSessionPeopleBulkRequestObject) (server.RegisterSessionPeopleBulkResponseObject, error) {
	if !a.sessions.Has(req.ID) {
		return nil, notFound("session")
	}
	now := a.now().Unix()
	j := job{Job: server.Job{ID: uuid.NewString(), Type: "jobs"}}
	ok := 0
	for _, t := range req.Body.Data.Attributes.Tasks {
		task := server.JobTask{ID: uuid.NewString(), Type: "tasks", Attributes: server.JobTaskAttributes{
			Status: onair.Ptr("succeeded"), CreatedAt: &now, UpdatedAt: &now,
		}}
		if p, err := a.register(req.ID, t); err != nil {
			task.Attributes.Status, task.Attributes.Error = onair.Ptr("failed"), onair.Ptr(err.Error())
		} else {
			task.Attributes.PersonID = &p.ID
			ok++
		}
		j.Tasks = append(j.Tasks, task)
	}
	j.Job.Attributes = server.JobAttributes{
		Status: onair.Ptr("ended"), TasksCount: onair.Ptr(len(j.Tasks)), SucceededCount: onair.Ptr(ok), FailedCount: onair.Ptr(len(j.Tasks) - ok),
		CreatedAt: &now, UpdatedAt: &now, EndedAt: &now,
	}
	a.jobs.Put(j.Job.ID, j)
	return server.RegisterSessionPeopleBulk201ApplicationVndAPIPlusJSONResponse{Body: server.JobResponse{Data: j.Job}}, nil
}

// register registers to the session the person the form describes,
// adding them to the workspace when their email is new and updating them
// otherwise.
func (a *api) register(session string, r server.RegistrationAttributes) (server.Person, error) {
	f := form(r.Fields)
	email, _ := f["email"].(string)
	if strings.TrimSpace(email) == "" {
		return server.Person{}, errorf(http.StatusUnprocessableEntity, "The email field is required.")
	}
	now := a.now().Unix()
	p, found := a.personByEmail(email)
	if !found {
		p = server.Person{ID: uuid.NewString(), Type: "people", Attributes: server.PersonAttributes{
			Role: onair.Ptr("participant"), CreatedAt: &now, Timezone: onair.Ptr("UTC"),
		}}
	} else if a.regs.Has(table.Child(session, p.ID)) {
		return server.Person{}, errorf(http.StatusConflict, "This person is already registered to this session.")
	}
	if err := applyForm(&p, f); err != nil {
		return server.Person{}, err
	}
	p.Attributes.UpdatedAt = &now
	reg := registration{Session: session, Person: p.ID, Detail: detail(nil, r, f)}
	a.people.Put(reg.Person, p)
	a.regs.Put(table.Child(session, reg.Person), reg)
	p, _ = a.registrant(reg)
	return p, nil
}

func (a *api) UpdateSessionPerson(_ context.Context, req server.UpdateSessionPersonRequestObject) (server.UpdateSessionPersonResponseObject, error) {
	d := req.Body.Data
	r, ok := a.regs.Get(table.Child(req.ID, req.PeopleID))
	if !ok {
		return nil, notFound("person of this session")
	}
	if d.ID != nil && *d.ID != req.PeopleID {
		return nil, errorf(http.StatusBadRequest, "The body's data.id, %s, is not the person of the URL.", *d.ID)
	}
	p, _ := a.people.Get(req.PeopleID)
	f := form(d.Attributes.Fields)
	if email, ok := f["email"].(string); ok {
		if other, found := a.personByEmail(email); found && other.ID != p.ID {
			return nil, errorf(http.StatusUnprocessableEntity, "Another person already has the email %s.", email)
		}
	}
	if err := applyForm(&p, f); err != nil {
		return nil, err
	}
	p.Attributes.UpdatedAt = onair.Ptr(a.now().Unix())
	r.Detail = detail(r.Detail, d.Attributes, f)
	a.people.Put(req.PeopleID, p)
	a.regs.Put(table.Child(req.ID, req.PeopleID), r)
	p, _ = a.registrant(r)
	return server.UpdateSessionPerson200ApplicationVndAPIPlusJSONResponse{Body: server.PersonResponse{Data: p}}, nil
}

func (a *api) UnregisterSessionPerson(_ context.Context, req server.UnregisterSessionPersonRequestObject) (server.UnregisterSessionPersonResponseObject, error) {
	if !a.regs.Delete(table.Child(req.ID, req.PeopleID)) {
		return nil, notFound("person of this session")
	}
	return server.UnregisterSessionPerson204Response{}, nil
}

func (a *api) UnregisterSessionPersonByEmail(_ context.Context, req server.UnregisterSessionPersonByEmailRequestObject) (server.UnregisterSessionPersonByEmailResponseObject, error) {
	if !a.sessions.Has(req.ID) {
		return nil, notFound("session")
	}
	p, ok := a.personByEmail(req.Params.FilterEmail)
	if !ok || !a.regs.Delete(table.Child(req.ID, p.ID)) {
		return nil, notFound("person of this session")
	}
	return server.UnregisterSessionPersonByEmail204Response{}, nil
}

func (a *api) personByEmail(email string) (server.Person, bool) {
	people := a.people.List(func(p server.Person) bool {
		return strings.EqualFold(table.Deref(p.Attributes.Email), strings.TrimSpace(email))
	})
	if len(people) == 0 {
		return server.Person{}, false
	}
	return people[0], true
}

// form reads registration fields by their slug.
func form(fields []server.RegistrationField) map[string]any {
	f := map[string]any{}
	for _, x := range fields {
		f[x.ID] = x.Value
	}
	return f
}

// personFields are the fields that set the person's own attributes; the
// others are the event's custom questions.
var personFields = []string{"email", "first_name", "last_name", "avatar", "timezone"}

// applyForm sets the person's own attributes from a registration form.
func applyForm(p *server.Person, f map[string]any) error {
	at := &p.Attributes
	for _, id := range personFields {
		v, ok := f[id]
		if !ok {
			continue
		}
		s, ok := v.(string)
		if !ok {
			return errorf(http.StatusUnprocessableEntity, "The %s field takes a string.", id)
		}
		s = strings.TrimSpace(s)
		switch id {
		case "email":
			if s == "" {
				return errorf(http.StatusUnprocessableEntity, "The email field is required.")
			}
			at.Email = &s
		case "first_name":
			at.FirstName = &s
		case "last_name":
			at.LastName = &s
		case "avatar":
			if u, err := url.Parse(s); err != nil || u.Scheme != "https" && u.Scheme != "http" || u.Host == "" {
				return errorf(http.StatusUnprocessableEntity, "The avatar field takes the public URL of an image.")
			}
			at.AvatarLink = &s
		case "timezone":
			if _, err := location(s); err != nil {
				return err
			}
			at.Timezone = &s
		}
	}
	return nil
}

// detail merges a registration's source and custom fields into its
// registrant_detail.
func detail(d map[string]any, r server.RegistrationAttributes, f map[string]any) map[string]any {
	if d == nil {
		d = map[string]any{"attended": false}
	}
	for k, v := range map[string]*string{
		"referrer": r.Referrer, "utm_source": r.UTMSource, "utm_medium": r.UTMMedium,
		"utm_campaign": r.UTMCampaign, "utm_term": r.UTMTerm, "utm_content": r.UTMContent,
	} {
		if v != nil {
			d[k] = *v
		}
	}
	custom, _ := d["fields"].(map[string]any)
	for id, v := range f {
		if !slices.Contains(personFields, id) {
			if custom == nil {
				custom = map[string]any{}
			}
			custom[id] = v
		}
	}
	if custom != nil {
		d["fields"] = custom
	}
	return d
}

// People

func (a *api) ListPeople(_ context.Context, req server.ListPeopleRequestObject) (server.ListPeopleResponseObject, error) {
	p := req.Params
	people := a.people.List(func(x server.Person) bool {
		return (p.FilterRole == nil || table.Deref(x.Attributes.Role) == string(*p.FilterRole)) &&
			(p.FilterEmail == nil || strings.EqualFold(table.Deref(x.Attributes.Email), *p.FilterEmail))
	})
	page, meta, err := paginate(people, p.PageNumber, p.PageSize)
	if err != nil {
		return nil, err
	}
	return server.ListPeople200ApplicationVndAPIPlusJSONResponse{Body: server.PersonList{Data: page, Meta: meta}}, nil
}

func (a *api) GetPerson(_ context.Context, req server.GetPersonRequestObject) (server.GetPersonResponseObject, error) {
	p, ok := a.people.Get(req.ID)
	if !ok {
		return nil, notFound("person")
	}
	return server.GetPerson200ApplicationVndAPIPlusJSONResponse{Body: server.PersonResponse{Data: p}}, nil
}

func (a *api) ListPeopleAttributes(_ context.Context, req server.ListPeopleAttributesRequestObject) (server.ListPeopleAttributesResponseObject, error) {
	page, meta, err := paginate(a.attributes.List(nil), req.Params.PageNumber, req.Params.PageSize)
	if err != nil {
		return nil, err
	}
	return server.ListPeopleAttributes200ApplicationVndAPIPlusJSONResponse{Body: server.PeopleAttributeList{Data: page, Meta: meta}}, nil
}

// Jobs

func (a *api) GetJob(_ context.Context, req server.GetJobRequestObject) (server.GetJobResponseObject, error) {
	j, ok := a.jobs.Get(req.ID)
	if !ok {
		return nil, notFound("job")
	}
	return server.GetJob200ApplicationVndAPIPlusJSONResponse{Body: server.JobResponse{Data: j.Job}}, nil
}

func (a *api) ListJobTasks(_ context.Context, req server.ListJobTasksRequestObject) (server.ListJobTasksResponseObject, error) {
	j, ok := a.jobs.Get(req.ID)
	if !ok {
		return nil, notFound("job")
	}
	page, meta, err := paginate(j.Tasks, req.Params.PageNumber, req.Params.PageSize)
	if err != nil {
		return nil, err
	}
	return server.ListJobTasks200ApplicationVndAPIPlusJSONResponse{Body: server.JobTaskList{Data: page, Meta: meta}}, nil
}

// Users

func (a *api) ListUsers(_ context.Context, req server.ListUsersRequestObject) (server.ListUsersResponseObject, error) {
	p := req.Params
	users := a.users.List(func(u server.User) bool {
		return (p.FilterPendingInvite == nil || table.Deref(u.Attributes.PendingInvite) == *p.FilterPendingInvite) &&
			(p.FilterRole == nil || table.Deref(u.Attributes.Role) == string(*p.FilterRole)) &&
			(p.FilterEmail == nil || strings.EqualFold(table.Deref(u.Attributes.Email), *p.FilterEmail))
	})
	page, meta, err := paginate(users, p.PageNumber, p.PageSize)
	if err != nil {
		return nil, err
	}
	return server.ListUsers200ApplicationVndAPIPlusJSONResponse{Body: server.UserList{Data: page, Meta: meta}}, nil
}

// InviteUser adds a pending team member; an email already on the team
// answers 422.
func (a *api) InviteUser(_ context.Context, req server.InviteUserRequestObject) (server.InviteUserResponseObject, error) {
	w := req.Body.Data.Attributes
	email := strings.TrimSpace(w.Email)
	if !w.Role.Valid() {
		return nil, errorf(http.StatusBadRequest, "role must be host or moderator.")
	}
	if !strings.Contains(email, "@") {
		return nil, errorf(http.StatusUnprocessableEntity, "%q is not an email address.", w.Email)
	}
	if len(a.users.List(func(u server.User) bool { return strings.EqualFold(table.Deref(u.Attributes.Email), email) })) > 0 {
		return nil, errorf(http.StatusUnprocessableEntity, "%s is already a member of the team.", email)
	}
	u := server.User{ID: uuid.NewString(), Type: "users", Attributes: server.UserAttributes{
		Email: &email, Role: onair.Ptr(string(w.Role)), PendingInvite: onair.Ptr(true),
	}}
	a.users.Put(u.ID, u)
	return server.InviteUser201ApplicationVndAPIPlusJSONResponse{Body: server.UserResponse{Data: u}}, nil
}

func (a *api) DeleteUser(_ context.Context, req server.DeleteUserRequestObject) (server.DeleteUserResponseObject, error) {
	if !a.users.Delete(req.ID) {
		return nil, notFound("user")
	}
	return server.DeleteUser204Response{}, nil
}

// Webhooks

func (a *api) ListWebhooks(_ context.Context, req server.ListWebhooksRequestObject) (server.ListWebhooksResponseObject, error) {
	page, meta, err := paginate(a.webhooks.List(nil), req.Params.PageNumber, req.Params.PageSize)
	if err != nil {
		return nil, err
	}
	return server.ListWebhooks200ApplicationVndAPIPlusJSONResponse{Body: server.WebhookList{Data: page, Meta: meta}}, nil
}

// CreateWebhook subscribes an HTTPS URL, as Livestorm delivers only there.
// The sandbox records the subscription and delivers nothing.
func (a *api) CreateWebhook(_ context.Context, req server.CreateWebhookRequestObject) (server.CreateWebhookResponseObject, error) {
	w := req.Body.Data.Attributes
	if !w.Event.Valid() {
		return nil, errorf(http.StatusBadRequest, "%q is not a webhook event.", w.Event)
	}
	if !httpsURL(w.URL) {
		return nil, errorf(http.StatusUnprocessableEntity, "The webhook URL must be an https URL.")
	}
	now := a.now().Unix()
	h := server.Webhook{ID: uuid.NewString(), Type: "webhooks", Attributes: server.WebhookAttributes{
		URL: &w.URL, Event: onair.Ptr(string(w.Event)), CreatedAt: &now, UpdatedAt: &now,
	}}
	a.webhooks.Put(h.ID, h)
	return server.CreateWebhook201ApplicationVndAPIPlusJSONResponse{Body: server.WebhookResponse{Data: h}}, nil
}

func (a *api) DeleteWebhook(_ context.Context, req server.DeleteWebhookRequestObject) (server.DeleteWebhookResponseObject, error) {
	if !a.webhooks.Delete(req.ID) {
		return nil, notFound("webhook")
	}
	return server.DeleteWebhook204Response{}, nil
}
