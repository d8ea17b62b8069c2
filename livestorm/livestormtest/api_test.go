package livestormtest_test

import (
	"context"
	"encoding/json"
	"errors"
	"iter"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/google/uuid"

	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/internal/server"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// The seed records the spec's examples name.
const (
	owner     = "3a7d9e2b-6c4f-4b1a-9d8e-2f5c7b0a1e3d" // Camille Martin, team member
	ada       = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e6a" // a participant of the July cohort
	onboard   = "5c8e4a9b-1d2f-4e3a-9b7c-0a1b2c3d4e5f" // Product onboarding webinar
	july      = "b2f5c9a1-7e4d-4c3b-8a2f-6d1e0c9b8a71" // its July cohort, past
	seedJob   = "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d"
	moderator = "e4b8c2d6-1a3f-4e5b-9c7d-8f0a2b4c6d8e" // Jordan Lee's user
	seedHook  = "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0"
)

// seededEvents is how many events the sandbox starts with: more than a
// page of 50.
const seededEvents = 64

// start starts a sandbox without its rate limit and returns it with a
// client whose token has every scope and that does not pace itself.
func start(t *testing.T) (*livestormtest.Server, *livestorm.Client) {
	t.Helper()
	srv := livestormtest.NewServer(livestormtest.WithoutRateLimit())
	t.Cleanup(srv.Close)
	ctx := context.Background()
	tok := srv.IssueToken(scopes.All[scopes.Livestorm]()...)
	c, err := livestorm.NewClient(srv.Config().TokenSource(ctx, tok), livestorm.WithBaseURL(srv.URL), livestorm.WithoutPacing())
	if err != nil {
		t.Fatal(err)
	}
	return srv, c
}

func all[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// wantError checks that err is Livestorm's JSON:API error with the HTTP
// status and the machine status.
func wantError(t *testing.T, err error, status int, name string) {
	t.Helper()
	var e *livestorm.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v, want a *livestorm.Error %d", err, status)
	}
	if e.StatusCode != status || len(e.Errors) != 1 || e.Errors[0].Status != name {
		t.Errorf("error %d %+v, want %d with one error of status %q", e.StatusCode, e.Errors, status, name)
	}
}

func ptr[T any](v T) *T { return &v }

// getJSON GETs path with the access token and decodes the answer into
// body.
func getJSON(t *testing.T, srv *livestormtest.Server, path, token string, body any) *http.Response {
	t.Helper()
	req, err := http.NewRequest("GET", srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(body); err != nil {
		t.Fatal(err)
	}
	return resp
}

// check fails the test on err, else returns v: check(call())(t).
func check[T any](v T, err error) func(*testing.T) T {
	return func(t *testing.T) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func TestSeed(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	if err := c.Identity.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	me := check(c.Identity.Me(ctx))(t)
	org := check(c.Identity.Organization(ctx))(t)
	e := check(c.Events.Get(ctx, onboard))(t)
	s := check(c.Sessions.Get(ctx, july))(t)
	p := check(c.People.Get(ctx, ada))(t)
	j := check(c.Jobs.Get(ctx, seedJob))(t)
	type seen struct {
		Me, Org, Event, EventOwner, Session, SessionEvent, SessionStatus, Person, Job string
		Sessions, Registrants, Attendees                                              int
	}
	got := seen{
		Me: me.Name, Org: org.Slug,
		Event: e.Title, EventOwner: e.Owner.ID, Sessions: e.SessionsCount,
		Session: s.Name, SessionEvent: s.EventID, SessionStatus: s.Status,
		Registrants: s.RegistrantsCount, Attendees: s.AttendeesCount,
		Person: p.Email, Job: j.Status,
	}
	want := seen{
		Me: "Acme", Org: "acme", Event: "Product onboarding webinar", EventOwner: owner, Sessions: 4,
		Session: "July cohort", SessionEvent: onboard, SessionStatus: "past", Registrants: 6, Attendees: 4,
		Person: "ada.lovelace@example.com", Job: "ended",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("seed (-want +got):\n%s", diff)
	}

	// Every list has something to show.
	lists := map[string]int{
		"chat":       len(all(t, c.Sessions.ListChatMessages(ctx, july, nil))),
		"questions":  len(all(t, c.Sessions.ListQuestions(ctx, july, nil))),
		"recordings": len(all(t, c.Sessions.ListRecordings(ctx, july, nil))),
		"tasks":      len(all(t, c.Jobs.ListTasks(ctx, seedJob, nil))),
		"attributes": len(all(t, c.People.ListAttributes(ctx, nil))),
		"users":      len(all(t, c.Users.List(ctx, nil))),
		"webhooks":   len(all(t, c.Webhooks.List(ctx, nil))),
	}
	wantLists := map[string]int{"chat": 4, "questions": 2, "recordings": 1, "tasks": 2, "attributes": 9, "users": 4, "webhooks": 2}
	if diff := cmp.Diff(wantLists, lists); diff != "" {
		t.Errorf("list lengths (-want +got):\n%s", diff)
	}
}

// The typed iterator pages through every seeded event exactly once, in
// two requests of 50.
func TestEventsAcrossPages(t *testing.T) {
	srv, c := start(t)
	seen := map[string]int{}
	for _, e := range all(t, c.Events.List(context.Background(), nil)) {
		seen[e.ID]++
	}
	if len(seen) != seededEvents {
		t.Errorf("saw %d events, want %d", len(seen), seededEvents)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("event %s seen %d times", id, n)
		}
	}
	if n := srv.Calls(livestorm.OpEventsList); n != 2 {
		t.Errorf("%d requests, want 2 pages", n)
	}
}

// The pages' meta, and the 400 past the last page, on the wire.
func TestPagination(t *testing.T) {
	srv, _ := start(t)
	tok := srv.IssueToken(scopes.LivestormEventsRead).AccessToken
	type answer struct {
		Status int
		Items  int
		Meta   server.PageMeta
		Error  string
	}
	tests := []struct {
		query string
		want  answer
	}{
		{"", answer{Status: 200, Items: 20, Meta: server.PageMeta{CurrentPage: 0, NextPage: ptr(1), RecordCount: 64, PageCount: 4, ItemsPerPage: 20}}},
		{"page[number]=3", answer{Status: 200, Items: 4, Meta: server.PageMeta{CurrentPage: 3, PreviousPage: ptr(2), RecordCount: 64, PageCount: 4, ItemsPerPage: 20}}},
		{"page[size]=50", answer{Status: 200, Items: 50, Meta: server.PageMeta{CurrentPage: 0, NextPage: ptr(1), RecordCount: 64, PageCount: 2, ItemsPerPage: 50}}},
		{"page[number]=1&page[size]=50", answer{Status: 200, Items: 14, Meta: server.PageMeta{CurrentPage: 1, PreviousPage: ptr(0), RecordCount: 64, PageCount: 2, ItemsPerPage: 50}}},
		{"page[number]=2&page[size]=50", answer{Status: 400, Error: "bad_request"}},
		{"page[size]=51", answer{Status: 400, Error: "bad_request"}},
		{"filter[title]=nothing+like+this", answer{Status: 200, Meta: server.PageMeta{RecordCount: 0, PageCount: 1, ItemsPerPage: 20}}},
		{"filter[title]=nothing+like+this&page[number]=1", answer{Status: 400, Error: "bad_request"}},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			var body struct {
				server.EventList
				server.ErrorDocument
			}
			resp := getJSON(t, srv, "/events?"+tt.query, tok, &body)
			got := answer{Status: resp.StatusCode, Items: len(body.Data), Meta: body.Meta}
			if len(body.Errors) > 0 {
				got.Error = body.Errors[0].Status
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("GET /events?%s (-want +got):\n%s", tt.query, diff)
			}
		})
	}
}

// Errors come as a JSON:API document, the sandbox's own and the engine's
// alike.
func TestErrorBodies(t *testing.T) {
	srv, _ := start(t)
	tok := srv.IssueToken(scopes.LivestormEventsRead).AccessToken
	if err := srv.FailOperation(livestorm.OpEventsGet, http.StatusTooManyRequests, 1); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, path, token string
		status            int
		want              livestorm.ErrorObject
	}{
		{"injected 429", "/events/" + onboard, tok, 429, livestorm.ErrorObject{Status: "too_many_requests", Code: "injected_fault", Title: "Too Many Requests"}},
		{"unknown event", "/events/" + uuid.NewString(), tok, 404, livestorm.ErrorObject{Status: "not_found", Title: "Not Found", Detail: "The event you requested could not be found."}},
		{"bad token", "/events", "nope", 401, livestorm.ErrorObject{Status: "unauthorized", Code: "invalid_token", Title: "Unauthorized"}},
		{"missing scope", "/users", tok, 403, livestorm.ErrorObject{Status: "forbidden", Code: "insufficient_scope", Title: "Forbidden"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var doc livestorm.ErrorDocument
			resp := getJSON(t, srv, tt.path, tt.token, &doc)
			if ct := resp.Header.Get("Content-Type"); resp.StatusCode != tt.status || ct != "application/vnd.api+json" {
				t.Errorf("answer %d %s, want %d application/vnd.api+json", resp.StatusCode, ct, tt.status)
			}
			ignoreDetail := cmpopts.IgnoreFields(livestorm.ErrorObject{}, "Detail")
			if tt.want.Detail != "" {
				ignoreDetail = cmp.Options{}
			}
			if len(doc.Errors) != 1 || doc.Errors[0].Detail == "" {
				t.Fatalf("errors %+v, want one with a detail", doc.Errors)
			}
			if diff := cmp.Diff(tt.want, doc.Errors[0], ignoreDetail); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
		})
	}
}

// An event goes through create, get, list, update, replace and delete; its
// sessions go with it.
func TestEventRoundTrip(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	created, err := c.Events.Create(ctx, livestorm.CreateEventRequest{
		OwnerID: owner, Title: "Release party", Status: "published", ChatEnabled: ptr(true),
		Sessions: []livestorm.NewEventSession{{EstimatedStartedAt: "2031-03-01 18:00:00", Timezone: "Europe/Berlin"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := created.ID
	at := created
	if at.Slug != "release-party" || at.Status != "published" || at.PublishedAt == 0 || at.SessionsCount != 1 ||
		at.Owner.ID != owner || at.RegistrationLink != "https://app.livestorm.co/acme/release-party" {
		t.Errorf("created %+v", at)
	}
	got, err := c.Events.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(created, got); diff != "" {
		t.Errorf("get after create (-want +got):\n%s", diff)
	}
	listed := all(t, c.Events.List(ctx, &livestorm.ListEventsParams{FilterTitle: "RELEASE PARTY"}))
	if diff := cmp.Diff([]livestorm.Event{*created}, listed); diff != "" {
		t.Errorf("list by title (-want +got):\n%s", diff)
	}
	sessions := all(t, c.Events.ListSessions(ctx, id, nil))
	if len(sessions) != 1 || sessions[0].EstimatedStartedAt != 1930150800 || sessions[0].Status != "upcoming" {
		t.Fatalf("sessions %+v, want one upcoming at 2031-03-01 17:00 UTC", sessions)
	}

	updated, err := c.Events.Update(ctx, id, livestorm.UpdateEventRequest{Title: ptr("Release party (postponed)"), ChatEnabled: ptr(false)})
	if err != nil {
		t.Fatal(err)
	}
	want := *created
	want.Title, want.ChatEnabled, want.UpdatedAt = "Release party (postponed)", false, updated.UpdatedAt
	if diff := cmp.Diff(&want, updated); diff != "" {
		t.Errorf("update changed more than it was told (-want +got):\n%s", diff)
	}
	replaced, err := c.Events.Replace(ctx, id, livestorm.UpdateEventRequest{Slug: ptr("Product onboarding webinar")})
	if err != nil {
		t.Fatal(err)
	}
	if replaced.Slug != "product-onboarding-webinar-2" || replaced.Title != "Release party (postponed)" {
		t.Errorf("replaced: slug %q title %q, want the taken slug suffixed and the title kept", replaced.Slug, replaced.Title)
	}

	if err := c.Events.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	_, err = c.Events.Get(ctx, id)
	wantError(t, err, 404, "not_found")
	_, err = c.Sessions.Get(ctx, sessions[0].ID)
	wantError(t, err, 404, "not_found")
	wantError(t, c.Events.Delete(ctx, id), 404, "not_found")
}

func TestCreateEventRefusals(t *testing.T) {
	_, c := start(t)
	tests := []struct {
		name string
		w    livestorm.CreateEventRequest
		s    []livestorm.NewEventSession
	}{
		{"no title", livestorm.CreateEventRequest{OwnerID: owner}, nil},
		{"no owner", livestorm.CreateEventRequest{Title: "Town hall"}, nil},
		{"a participant as owner", livestorm.CreateEventRequest{Title: "Town hall", OwnerID: ada}, nil},
		{"an unknown time zone", livestorm.CreateEventRequest{Title: "Town hall", OwnerID: owner},
			[]livestorm.NewEventSession{{EstimatedStartedAt: "2031-03-01 18:00:00", Timezone: "Mars/Olympus"}}},
		{"a session without a start", livestorm.CreateEventRequest{Title: "Town hall", OwnerID: owner},
			[]livestorm.NewEventSession{{}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := tt.w
			req.Sessions = tt.s
			_, err := c.Events.Create(context.Background(), req)
			wantError(t, err, 422, "unprocessable_entity")
		})
	}
	if n := len(all(t, c.Events.List(context.Background(), nil))); n != seededEvents {
		t.Errorf("%d events after refused creations, want %d", n, seededEvents)
	}
}

// A session goes through create, get, list, update, replace and delete.
func TestSessionRoundTrip(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	s, err := c.Events.CreateSession(ctx, onboard, livestorm.CreateSessionRequest{
		Name: "March cohort", EstimatedStartedAt: "2031-03-03 10:00:00",
		People: []livestorm.SessionPersonLink{{ID: owner, Role: "host"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	id := s.ID
	// The owner's time zone by default: 10:00 in Paris is 09:00 UTC.
	if s.Timezone != "Europe/Paris" || s.EstimatedStartedAt != 1930294800 || s.EventID != onboard ||
		s.RegistrantsCount != 0 || s.RoomLink != "https://app.livestorm.co/p/"+onboard+"/live?s="+id {
		t.Errorf("created %+v", s)
	}
	got, err := c.Sessions.Get(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(s, got); diff != "" {
		t.Errorf("get after create (-want +got):\n%s", diff)
	}
	speakers := all(t, c.Sessions.ListPeople(ctx, id, nil))
	if len(speakers) != 1 || speakers[0].ID != owner || speakers[0].RegistrantDetail != nil {
		t.Errorf("people of the new session %+v, want the host without registrant_detail", speakers)
	}
	ids := func(ss []livestorm.Session) (out []string) {
		for _, s := range ss {
			out = append(out, s.ID)
		}
		return out
	}
	if got := ids(all(t, c.Events.ListSessions(ctx, onboard, &livestorm.ListEventSessionsParams{FilterStatus: livestorm.SessionStatus("upcoming")}))); len(got) != 3 || got[2] != id {
		t.Errorf("upcoming sessions of the event %v, want the two seeded cohorts and %s", got, id)
	}

	updated, err := c.Sessions.Update(ctx, id, livestorm.UpdateSessionRequest{EstimatedStartedAt: ptr("2031-03-03 10:00:00"), Timezone: ptr("America/New_York")})
	if err != nil {
		t.Fatal(err)
	}
	if updated.EstimatedStartedAt != 1930316400 || updated.Name != "March cohort" {
		t.Errorf("rescheduled to %d named %q, want 10:00 in New York (15:00 UTC) and the name kept", updated.EstimatedStartedAt, updated.Name)
	}
	replaced, err := c.Sessions.Replace(ctx, id, livestorm.UpdateSessionRequest{Name: ptr("March cohort (US)"), EstimatedStartedAt: ptr("2020-01-01 10:00:00")})
	if err != nil {
		t.Fatal(err)
	}
	if replaced.Name != "March cohort (US)" || replaced.Status != "past_not_started" {
		t.Errorf("replaced: %q %s, want the new name and past_not_started", replaced.Name, replaced.Status)
	}
	_, err = c.Sessions.Update(ctx, id, livestorm.UpdateSessionRequest{EstimatedStartedAt: ptr("next Tuesday")})
	wantError(t, err, 422, "unprocessable_entity")

	if err := c.Sessions.Delete(ctx, id); err != nil {
		t.Fatal(err)
	}
	_, err = c.Sessions.Get(ctx, id)
	wantError(t, err, 404, "not_found")
	for _, err := range c.Sessions.ListPeople(ctx, id, nil) {
		wantError(t, err, 404, "not_found")
	}
	_, err = c.Sessions.Update(ctx, id, livestorm.UpdateSessionRequest{})
	wantError(t, err, 404, "not_found")
	e, err := c.Events.Get(ctx, onboard)
	if err != nil {
		t.Fatal(err)
	}
	if e.SessionsCount != 4 {
		t.Errorf("the event has %d sessions after the delete, want its 4 seeded", e.SessionsCount)
	}
}

// A registration goes through register, get, list, update, unregister;
// registering twice is a conflict.
func TestRegistrationRoundTrip(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	form := livestorm.RegisterPersonRequest{
		Fields: []livestorm.RegistrationField{
			{ID: "email", Value: "grace.hopper@example.com"}, {ID: "first_name", Value: "Grace"},
			{ID: "last_name", Value: "Hopper"}, {ID: "interests", Value: []string{"compilers"}},
		},
		UTMSource: "newsletter",
	}
	p, err := c.Sessions.Register(ctx, july, form)
	if err != nil {
		t.Fatal(err)
	}
	id := p.ID
	wantDetail := map[string]any{"attended": false, "utm_source": "newsletter", "fields": map[string]any{"interests": []any{"compilers"}}}
	if p.Role != "participant" || p.LastName != "Hopper" || p.RegistrantDetail == nil {
		t.Fatalf("registered %+v", p)
	}
	if diff := cmp.Diff(wantDetail, p.RegistrantDetail); diff != "" {
		t.Errorf("registrant_detail (-want +got):\n%s", diff)
	}
	got, err := c.Sessions.GetPerson(ctx, july, id)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(p, got); diff != "" {
		t.Errorf("get after register (-want +got):\n%s", diff)
	}
	byEmail := all(t, c.Sessions.ListPeople(ctx, july, &livestorm.ListSessionPeopleParams{FilterEmail: "Grace.Hopper@example.com"}))
	if diff := cmp.Diff([]livestorm.Person{*p}, byEmail); diff != "" {
		t.Errorf("list by email (-want +got):\n%s", diff)
	}
	if _, err := c.People.Get(ctx, id); err != nil {
		t.Errorf("the registrant is not among the workspace's people: %v", err)
	}
	if _, err := c.Events.GetPerson(ctx, onboard, id); err != nil {
		t.Errorf("the registrant is not among the event's people: %v", err)
	}
	_, err = c.Sessions.Register(ctx, july, form)
	wantError(t, err, 409, "conflict")

	updated, err := c.Sessions.UpdatePerson(ctx, july, id, livestorm.UpdateRegistrationRequest{Fields: &[]livestorm.RegistrationField{{ID: "last_name", Value: "Murray Hopper"}}})
	if err != nil {
		t.Fatal(err)
	}
	if updated.LastName != "Murray Hopper" || updated.FirstName != "Grace" {
		t.Errorf("updated names %q %q", updated.FirstName, updated.LastName)
	}
	_, err = c.Sessions.UpdatePerson(ctx, july, id, livestorm.UpdateRegistrationRequest{Fields: &[]livestorm.RegistrationField{{ID: "email", Value: "ada.lovelace@example.com"}}})
	wantError(t, err, 422, "unprocessable_entity")

	if err := c.Sessions.Unregister(ctx, july, id); err != nil {
		t.Fatal(err)
	}
	_, err = c.Sessions.GetPerson(ctx, july, id)
	wantError(t, err, 404, "not_found")
	wantError(t, c.Sessions.Unregister(ctx, july, id), 404, "not_found")

	// Registering again finds the person by email; unregistering by email.
	again, err := c.Sessions.Register(ctx, july, form)
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != p.ID {
		t.Errorf("registering the same email made a new person %s, want %s", again.ID, p.ID)
	}
	if err := c.Sessions.UnregisterByEmail(ctx, july, &livestorm.UnregisterSessionPersonByEmailParams{FilterEmail: "grace.hopper@example.com"}); err != nil {
		t.Fatal(err)
	}
	err = c.Sessions.UnregisterByEmail(ctx, july, &livestorm.UnregisterSessionPersonByEmailParams{FilterEmail: "grace.hopper@example.com"})
	wantError(t, err, 404, "not_found")

	_, err = c.Sessions.Register(ctx, july, livestorm.RegisterPersonRequest{Fields: []livestorm.RegistrationField{{ID: "first_name", Value: "Nobody"}}})
	wantError(t, err, 422, "unprocessable_entity")
}

// A person, a session's registrant or an event's person is found only
// under its own parent.
func TestSubresourcesBelongToTheirParent(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	var other livestorm.Session
	for _, s := range all(t, c.Events.ListSessions(ctx, onboard, nil)) {
		if s.ID != july {
			other = s
		}
	}
	otherEvent := all(t, c.Events.List(ctx, &livestorm.ListEventsParams{FilterTitle: "Quarterly product update"}))
	if len(otherEvent) != 1 {
		t.Fatalf("%d events named Quarterly product update", len(otherEvent))
	}
	_, err := c.Sessions.GetPerson(ctx, other.ID, ada)
	wantError(t, err, 404, "not_found")
	_, err = c.Events.GetPerson(ctx, otherEvent[0].ID, ada)
	wantError(t, err, 404, "not_found")
	if _, err := c.Events.GetPerson(ctx, onboard, ada); err != nil {
		t.Errorf("Ada is not a person of her own event: %v", err)
	}
	if n := len(all(t, c.Sessions.ListChatMessages(ctx, other.ID, nil))); n != 0 {
		t.Errorf("another session shows %d chat messages of the July cohort", n)
	}
	for _, err := range c.Sessions.ListQuestions(ctx, uuid.NewString(), nil) {
		wantError(t, err, 404, "not_found")
	}
	_, err = c.Jobs.Get(ctx, uuid.NewString())
	wantError(t, err, 404, "not_found")
	_, err = c.People.Get(ctx, uuid.NewString())
	wantError(t, err, 404, "not_found")
}

// Sideloads: include=people adds the authors, include=sessions the
// sessions; without include there is no included member.
func TestInclude(t *testing.T) {
	srv, _ := start(t)
	tok := srv.IssueToken(scopes.LivestormEventsRead).AccessToken
	tests := []struct {
		path string
		want []string // type/id of the included resources; nil for no member
	}{
		{"/sessions/" + july + "/chat_messages?include=people", []string{"people/" + ada, "people/" + owner, "people/" + seedPerson("katherine.johnson@example.com")}},
		{"/sessions/" + july + "/chat_messages", nil},
		{"/events?filter[title]=Product+onboarding+webinar&include=tags", []string{"tags/" + seedTag("onboarding"), "tags/" + seedTag("customers")}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			var body struct {
				Included *[]server.IncludedResource
			}
			getJSON(t, srv, tt.path, tok, &body)
			var got []string
			if body.Included != nil {
				got = []string{}
				for _, r := range *body.Included {
					got = append(got, r.Type+"/"+r.ID)
				}
			}
			if diff := cmp.Diff(tt.want, got, cmpopts.SortSlices(strings.Compare)); diff != "" {
				t.Errorf("included (-want +got):\n%s", diff)
			}
		})
	}
}

// seedPerson and seedTag are the seed's stable ids for records the spec
// does not name.
func seedPerson(email string) string { return seedID("person/" + email) }
func seedTag(title string) string    { return seedID("tag/" + title) }
func seedID(name string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://app.livestorm.co/sandbox/"+name)).String()
}

func TestBulkRegistration(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	task := func(email string) livestorm.RegistrationAttributes {
		return livestorm.RegistrationAttributes{Fields: []livestorm.RegistrationField{{ID: "email", Value: email}}}
	}
	j, err := c.Sessions.RegisterBulk(ctx, july, livestorm.BulkRegistrationRequest{Tasks: []livestorm.RegistrationAttributes{
		task("alan.turing@example.com"), task("ada.lovelace@example.com"), task(""),
	}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Jobs.Get(ctx, j.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(j, got); diff != "" {
		t.Errorf("get after create (-want +got):\n%s", diff)
	}
	counts := [4]int{j.TasksCount, j.SucceededCount, j.FailedCount}
	if j.Status != "ended" || counts != [4]int{3, 1, 2} {
		t.Errorf("job %s with tasks/succeeded/failed %v, want ended with 3/1/2", j.Status, counts)
	}
	var statuses []string
	for _, task := range all(t, c.Jobs.ListTasks(ctx, j.ID, nil)) {
		statuses = append(statuses, task.Status)
		if task.Status == "succeeded" {
			if _, err := c.Sessions.GetPerson(ctx, july, task.PersonID); err != nil {
				t.Errorf("the task's person is not registered: %v", err)
			}
		}
	}
	if diff := cmp.Diff([]string{"succeeded", "failed", "failed"}, statuses); diff != "" {
		t.Errorf("task statuses (-want +got):\n%s", diff)
	}
}

func TestTags(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	tagged := func(title string) int {
		return len(all(t, c.Events.List(ctx, &livestorm.ListEventsParams{FilterTag: title})))
	}
	tag := livestorm.TagRequest{Title: "Webinar-Series"}
	if n := tagged("webinar-series"); n != 0 {
		t.Fatalf("%d events tagged before tagging", n)
	}
	got, err := c.Events.AddTag(ctx, onboard, tag)
	if err != nil {
		t.Fatal(err)
	}
	again, err := c.Events.AddTag(ctx, onboard, livestorm.TagRequest{Title: "webinar-series"})
	if err != nil {
		t.Fatal(err)
	}
	if again.ID != got.ID {
		t.Errorf("tagging twice made two tags, %s and %s", got.ID, again.ID)
	}
	if n := tagged("nothing, WEBINAR-SERIES"); n != 1 {
		t.Errorf("%d events tagged webinar-series, want 1", n)
	}
	if err := c.Events.RemoveTag(ctx, onboard, tag); err != nil {
		t.Fatal(err)
	}
	if n := tagged("webinar-series"); n != 0 {
		t.Errorf("%d events tagged after untagging", n)
	}
	wantError(t, c.Events.RemoveTag(ctx, onboard, tag), 404, "not_found")
}

func TestUsers(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	invite := livestorm.InviteUserRequest{Email: "alex.morgan@acme.example", Role: "host"}
	u, err := c.Users.Invite(ctx, invite)
	if err != nil {
		t.Fatal(err)
	}
	pending := all(t, c.Users.List(ctx, &livestorm.ListUsersParams{FilterPendingInvite: ptr(true)}))
	var emails []string
	for _, p := range pending {
		emails = append(emails, p.Email)
	}
	if diff := cmp.Diff([]string{"sam.okafor@acme.example", "alex.morgan@acme.example"}, emails); diff != "" {
		t.Errorf("pending invites (-want +got):\n%s", diff)
	}
	invite.Email = "Jordan.Lee@acme.example"
	_, err = c.Users.Invite(ctx, invite)
	wantError(t, err, 422, "unprocessable_entity")
	if err := c.Users.Delete(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	wantError(t, c.Users.Delete(ctx, u.ID), 404, "not_found")
	if err := c.Users.Delete(ctx, moderator); err != nil {
		t.Fatal(err)
	}
	if n := len(all(t, c.Users.List(ctx, &livestorm.ListUsersParams{FilterRole: livestorm.UserRole("moderator")}))); n != 1 {
		t.Errorf("%d moderators left, want the pending one", n)
	}
}

func TestWebhooks(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	hook := func(url string) livestorm.CreateWebhookRequest {
		return livestorm.CreateWebhookRequest{URL: url, Event: "session.started"}
	}
	h, err := c.Webhooks.Create(ctx, hook("https://example.com/hooks/livestorm"))
	if err != nil {
		t.Fatal(err)
	}
	if h.Event != "session.started" || h.URL != "https://example.com/hooks/livestorm" || h.CreatedAt == 0 {
		t.Errorf("created %+v", h)
	}
	listed := all(t, c.Webhooks.List(ctx, nil))
	if len(listed) != 3 || listed[2].ID != h.ID {
		t.Errorf("listed %d webhooks, want the 2 seeded and the new one last", len(listed))
	}
	_, err = c.Webhooks.Create(ctx, hook("http://example.com/hooks/livestorm"))
	wantError(t, err, 422, "unprocessable_entity")
	if err := c.Webhooks.Delete(ctx, h.ID); err != nil {
		t.Fatal(err)
	}
	wantError(t, c.Webhooks.Delete(ctx, h.ID), 404, "not_found")
	if err := c.Webhooks.Delete(ctx, seedHook); err != nil {
		t.Fatal(err)
	}
	if n := len(all(t, c.Webhooks.List(ctx, nil))); n != 1 {
		t.Errorf("%d webhooks left, want 1", n)
	}
}

// Filters narrow lists as their names say.
func TestFilters(t *testing.T) {
	_, c := start(t)
	ctx := context.Background()
	count := func(seq iter.Seq2[livestorm.Person, error]) int { return len(all(t, seq)) }
	tests := []struct {
		name string
		got  func() int
		want int
	}{
		{"team members", func() int {
			return count(c.People.List(ctx, &livestorm.ListPeopleParams{FilterRole: livestorm.PersonRole("team_member")}))
		}, 3},
		{"a person by email, in any case", func() int {
			return count(c.People.List(ctx, &livestorm.ListPeopleParams{FilterEmail: "ADA.Lovelace@example.com"}))
		}, 1},
		{"attendees of the July cohort", func() int {
			return count(c.Sessions.ListPeople(ctx, july, &livestorm.ListSessionPeopleParams{FilterAttended: ptr(true)}))
		}, 4},
		{"participants of the onboarding webinar", func() int {
			return count(c.Events.ListPeople(ctx, onboard, &livestorm.ListEventPeopleParams{FilterRole: livestorm.PersonRole("participant")}))
		}, 6},
		{"hosts", func() int {
			return len(all(t, c.Users.List(ctx, &livestorm.ListUsersParams{FilterRole: livestorm.UserRole("host")})))
		}, 2},
		{"draft events", func() int {
			return len(all(t, c.Events.List(ctx, &livestorm.ListEventsParams{FilterSchedulingStatus: livestorm.EventSchedulingStatus("draft")})))
		}, 4},
		{"events created in 2024", func() int {
			return len(all(t, c.Events.List(ctx, &livestorm.ListEventsParams{FilterCreatedSince: "2024-01-01", FilterCreatedUntil: "2024-12-31T23:59:59Z"})))
		}, 24},
		{"sessions on demand", func() int {
			return len(all(t, c.Sessions.List(ctx, &livestorm.ListSessionsParams{FilterStatus: livestorm.SessionStatus("on_demand")})))
		}, 1},
		{"breakout rooms", func() int {
			with := all(t, c.Sessions.List(ctx, &livestorm.ListSessionsParams{FilterIncludeBreakoutRooms: ptr(true)}))
			return len(with) - len(all(t, c.Sessions.List(ctx, nil)))
		}, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.got(); got != tt.want {
				t.Errorf("%d, want %d", got, tt.want)
			}
		})
	}
	// Sessions planned in July 2024, the July cohort among them.
	july2024 := all(t, c.Sessions.List(ctx, &livestorm.ListSessionsParams{FilterDateFrom: "2024-07-01", FilterDateTo: "1722470399"}))
	var found bool
	for _, s := range july2024 {
		found = found || s.ID == july
		if at := s.EstimatedStartedAt; at < 1719792000 || at > 1722470399 {
			t.Errorf("session %s planned at %d, outside July 2024", s.ID, at)
		}
	}
	if !found {
		t.Errorf("the July cohort is not among the %d sessions of July 2024", len(july2024))
	}
	for _, err := range c.Events.List(ctx, &livestorm.ListEventsParams{FilterCreatedSince: "last week"}) {
		wantError(t, err, 400, "bad_request")
	}
}

func TestRecordingURLs(t *testing.T) {
	_, c := start(t)
	recs := all(t, c.Sessions.ListRecordings(context.Background(), july, &livestorm.ListSessionRecordingsParams{URLExpiresIn: 3600}))
	if len(recs) != 1 || !strings.HasPrefix(recs[0].URL, "https://recordings.livestorm.co/b2f5c9a1/product-onboarding-webinar-july-cohort.mp4?Expires=") {
		t.Errorf("recordings %+v", recs)
	}
}
