package livestormtest

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livestorm/internal/server"
)

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

func (a *api) ListEventSessions(_ context.Context, req server.ListEventSessionsRequestObject) (server.ListEventSessionsResponseObject, error) {
	if !a.events.Has(req.ID) {
		return nil, notFound("event")
	}
	list, err := a.listSessions(table.Remarshal[server.ListSessionsParams](req.Params), req.ID) // the same parameters
	return server.ListEventSessions200ApplicationVndAPIPlusJSONResponse{Body: list}, err
}

func (a *api) ListSessions(_ context.Context, req server.ListSessionsRequestObject) (server.ListSessionsResponseObject, error) {
	list, err := a.listSessions(req.Params, "")
	return server.ListSessions200ApplicationVndAPIPlusJSONResponse{Body: list}, err
}

// listSessions lists the sessions the filters keep, of one event or ("")
// of all; breakout rooms only when asked for.
func (a *api) listSessions(p server.ListSessionsParams, eventID string) (server.SessionList, error) {
	spans, err := newSpans(p.FilterDateFrom, p.FilterDateTo, p.FilterCreatedSince, p.FilterCreatedUntil,
		p.FilterUpdatedSince, p.FilterUpdatedUntil)
	if err != nil {
		return server.SessionList{}, err
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
	draft := false
	a.events.View(table.Deref(s.Attributes.EventID), func(e event) { draft = table.Deref(e.Event.Attributes.Status) == "draft" })
	if draft {
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
	out := a.renderSession(s)
	a.fire("session.created", out)
	return server.CreateEventSession201ApplicationVndAPIPlusJSONResponse{Body: server.SessionResponse{Data: out}}, nil
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
	return plannedSession(e, uuid.NewString(), name, tz, at, a.now().Unix(), a.plannedStatus(at)), nil
}

// plannedSession is a live session of e planned at start, which has not
// run.
func plannedSession(e event, id string, name *string, zone string, start, created int64, status string) server.Session {
	return server.Session{ID: id, Type: "sessions", Attributes: server.SessionAttributes{
		EventID: &e.Event.ID, Name: name, Status: &status, Timezone: &zone, Type: onair.Ptr("live"), Duration: onair.Ptr(0),
		RoomLink:           onair.Ptr("https://app.livestorm.co/p/" + e.Event.ID + "/live?s=" + id),
		EstimatedStartedAt: &start, CreatedAt: &created, UpdatedAt: &created,
	}}
}

// plannedStatus is the status of a session that has not run yet.
func (a *api) plannedStatus(start int64) string {
	if start > a.now().Unix() {
		return "upcoming"
	}
	return "past_not_started"
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
	return server.UpdateSession200ApplicationVndAPIPlusJSONResponse{Body: server.SessionResponse{Data: s}}, err
}

// ReplaceSession is UpdateSession, as ReplaceEvent is UpdateEvent.
func (a *api) ReplaceSession(_ context.Context, req server.ReplaceSessionRequestObject) (server.ReplaceSessionResponseObject, error) {
	s, err := a.updateSession(req.ID, req.Body.Data)
	return server.ReplaceSession200ApplicationVndAPIPlusJSONResponse{Body: server.SessionResponse{Data: s}}, err
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
	at.Name = cmp.Or(w.Name, at.Name)
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
	in := includedPeople(a, req.Params.Include, page, func(m server.ChatMessage) []*string { return []*string{m.Attributes.AuthorID} })
	return server.ListSessionChatMessages200ApplicationVndAPIPlusJSONResponse{Body: server.ChatMessageList{Data: page, Meta: meta, Included: in}}, err
}

func (a *api) ListSessionQuestions(_ context.Context, req server.ListSessionQuestionsRequestObject) (server.ListSessionQuestionsResponseObject, error) {
	if !a.sessions.Has(req.ID) {
		return nil, notFound("session")
	}
	page, meta, err := paginate(a.questions.Children(req.ID), req.Params.PageNumber, req.Params.PageSize)
	in := includedPeople(a, req.Params.Include, page, func(q server.Question) []*string { return []*string{q.Attributes.AskerID, q.Attributes.ResponderID} })
	return server.ListSessionQuestions200ApplicationVndAPIPlusJSONResponse{Body: server.QuestionList{Data: page, Meta: meta, Included: in}}, err
}

// ListSessionRecordings signs each recording's URL for url_expires_in
// seconds (12 hours by default, from one hour to a week as the spec says
// and the sandbox checks).
func (a *api) ListSessionRecordings(_ context.Context, req server.ListSessionRecordingsRequestObject) (server.ListSessionRecordingsResponseObject, error) {
	ttl := cmp.Or(table.Deref(req.Params.URLExpiresIn), 43200)
	if !a.sessions.Has(req.ID) {
		return nil, notFound("session")
	}
	page, meta, err := paginate(a.recordings.Children(req.ID), req.Params.PageNumber, req.Params.PageSize)
	expires := strconv.FormatInt(a.now().Unix()+int64(ttl), 10)
	for i, r := range page {
		sum := sha256.Sum256([]byte(r.ID + expires)) // stands in for a signature
		sig := hex.EncodeToString(sum[:5])
		page[i].Attributes.URL = onair.Ptr("https://recordings.livestorm.co/" + req.ID[:8] + "/" + table.Deref(r.Attributes.FileName) +
			"?Expires=" + expires + "&Signature=" + sig)
	}
	return server.ListSessionRecordings200ApplicationVndAPIPlusJSONResponse{Body: server.RecordingList{Data: page, Meta: meta}}, err
}
