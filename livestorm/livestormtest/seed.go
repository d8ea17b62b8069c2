package livestormtest

import (
	_ "embed"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livestorm/internal/server"
)

// Seed records the tests and the generator name. seed.json keeps the ids
// the spec's examples use, so that every operation called with its
// examples finds what it asks for.
const (
	seedOwnerID   = "3a7d9e2b-6c4f-4b1a-9d8e-2f5c7b0a1e3d" // Camille Martin, a team member
	seedPersonID  = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e6a" // Ada Lovelace, a participant
	seedEventID   = "5c8e4a9b-1d2f-4e3a-9b7c-0a1b2c3d4e5f" // Product onboarding webinar
	seedSessionID = "b2f5c9a1-7e4d-4c3b-8a2f-6d1e0c9b8a71" // its July cohort, past
)

// seedCutoff (2026-11-20) is the seeded world's present: sessions planned
// before it have run, the others are upcoming. Statuses are stored, so the
// seed reads the same whenever the tests run.
const seedCutoff = 1795132800

// newAPI returns a fresh store holding the seed data.
func newAPI() *api {
	a := &api{now: time.Now}
	a.seed()
	return a
}

// seedID is a stable id for a seeded record without one in the spec.
func seedID(name string) string {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("https://app.livestorm.co/sandbox/"+name)).String()
}

// seedJSON is Acme's workspace in the API's own JSON: a team of three
// (and an invitation), twenty participants, tags, webhooks, and the
// spec's "Product onboarding webinar" with its sessions, each holding its
// registrations, chat, questions and recordings, and a bulk registration
// job. seed generates the other events from eventTitles.
//
//go:embed seed.json
var seedJSON []byte

type seedData struct {
	Organization     server.Organization      `json:"organization"`
	PeopleAttributes []server.PeopleAttribute `json:"peopleAttributes"`
	Users            []server.User            `json:"users"`
	People           []server.Person          `json:"people"` // the team, then the participants
	Tags             []server.Tag             `json:"tags"`
	Events           []seedEvent              `json:"events"`
	Jobs             []job                    `json:"jobs"`
	Webhooks         []server.Webhook         `json:"webhooks"`
	EventTitles      []string                 `json:"eventTitles"`
}

type seedEvent struct {
	event
	Sessions []seedSession `json:"sessions"`
}

type seedSession struct {
	server.Session
	Registrations []registration       `json:"registrations"` // Session left out
	Chat          []server.ChatMessage `json:"chat"`
	Questions     []server.Question    `json:"questions"`
	Recordings    []server.Recording   `json:"recordings"`
}

// seedRecords is seedJSON read once; the tables copy what they are given.
var seedRecords = table.Seed[seedData](seedJSON)

// seed fills the store with seedJSON's records and 63 generated events of
// one to four sessions over 2024-2027.
func (a *api) seed() {
	d := seedRecords()
	a.org = d.Organization
	a.attributes.PutAll(d.PeopleAttributes, func(p server.PeopleAttribute) string { return p.ID })
	a.users.PutAll(d.Users, func(u server.User) string { return u.ID })
	a.people.PutAll(d.People, func(p server.Person) string { return p.ID })
	a.tags.PutAll(d.Tags, func(t server.Tag) string { return t.ID })
	for _, e := range d.Events {
		a.events.Put(e.Event.ID, e.event)
		for _, s := range e.Sessions {
			a.sessions.Put(s.ID, s.Session)
			for _, r := range s.Registrations {
				r.Session = s.ID
				a.regs.Put(table.Child(s.ID, r.Person), r)
			}
			a.chat.PutAll(s.Chat, func(m server.ChatMessage) string { return table.Child(s.ID, m.ID) })
			a.questions.PutAll(s.Questions, func(q server.Question) string { return table.Child(s.ID, q.ID) })
			a.recordings.PutAll(s.Recordings, func(r server.Recording) string { return table.Child(s.ID, r.ID) })
		}
	}
	a.jobs.PutAll(d.Jobs, func(j job) string { return j.Job.ID })
	a.webhooks.PutAll(d.Webhooks, func(w server.Webhook) string { return w.ID })

	team := a.people.List(func(p server.Person) bool { return table.Deref(p.Attributes.Role) == "team_member" })
	participants := a.people.List(func(p server.Person) bool {
		return p.ID != seedPersonID && table.Deref(p.Attributes.Role) == "participant"
	})
	tags := a.tags.Keys(func(server.Tag) bool { return true })
	for i, title := range d.EventTitles {
		a.seedEvent(i+1, title, team[(i+1)%len(team)], participants, []string{tags[(i+1)%len(tags)], tags[(3*i+2)%len(tags)]})
	}
}

// newSeedSession returns a session of e planned at start, run for minutes if
// start is before seedCutoff.
func newSeedSession(e event, id string, name *string, zone string, start, created int64, minutes int) server.Session {
	s := plannedSession(e, id, name, zone, start, created, "upcoming")
	if start < seedCutoff {
		started := start + 120
		ended := started + 60*int64(minutes)
		s.Attributes.Status, s.Attributes.StartedAt, s.Attributes.EndedAt = onair.Ptr("past"), &started, &ended
		s.Attributes.Duration, s.Attributes.UpdatedAt = onair.Ptr(int(ended-started)), &ended
	}
	return s
}

// seedEvent stores the i-th generated event: created every 15 days from
// January 2024, with up to four weekly sessions from a month or more later,
// some of them canceled, and registrants drawn from people.
func (a *api) seedEvent(i int, title string, owner server.Person, people []server.Person, tags []string) {
	created := time.Date(2024, 1, 8, 9, 0, 0, 0, time.UTC).AddDate(0, 0, 15*i)
	slug := slugify(title)
	status, published := "published", onair.Ptr(created.Unix()+86400)
	if i%16 == 15 {
		status, published = "draft", nil
	}
	language := "en"
	switch {
	case i%9 == 4:
		language = "fr"
	case i%13 == 6:
		language = "de"
	}
	minutes := []int{30, 45, 60, 90}[i%4]
	e := event{Tags: tags, Event: server.Event{ID: seedID("event/" + slug), Type: "events", Attributes: server.EventAttributes{
		Title: &title, Slug: &slug, RegistrationLink: onair.Ptr("https://app.livestorm.co/acme/" + slug),
		EstimatedDuration: &minutes, RegistrationPageEnabled: onair.Ptr(true), EveryoneCanSpeak: onair.Ptr(i%7 == 3),
		Description: onair.Ptr("<p>" + title + ", live with the Acme team.</p>"), Status: &status, Language: &language,
		PublishedAt: published, CreatedAt: onair.Ptr(created.Unix()), UpdatedAt: onair.Ptr(created.Unix() + 3*86400), Owner: &owner,
		Fields:      eventFields(false),
		ChatEnabled: onair.Ptr(true), QuestionsEnabled: onair.Ptr(i%5 != 0), PollsEnabled: onair.Ptr(i%3 != 0),
		RecordingEnabled: onair.Ptr(i%6 != 5), RecordingPublic: onair.Ptr(i%4 == 0), ShowInCompanyPage: onair.Ptr(status == "published"),
	}}}
	a.events.Put(e.Event.ID, e)

	zone := table.Deref(owner.Attributes.Timezone)
	sessions := 1 + i%4
	if i%21 == 20 {
		sessions = 0 // not scheduled yet
	}
	first := created.AddDate(0, 0, 30+30*(i%5)).Truncate(24 * time.Hour).Add(15 * time.Hour)
	for j := range sessions {
		start := first.AddDate(0, 0, 7*j).Unix()
		s := newSeedSession(e, seedID(fmt.Sprintf("session/%s/%d", slug, j)), nil, zone, start, created.Unix()+86400, minutes-3+j)
		id, at := s.ID, &s.Attributes
		switch {
		case i%10 == 7 && j == sessions-1 && sessions > 1: // called off two days before
			at.Status, at.CanceledAt = onair.Ptr("canceled"), onair.Ptr(start-2*86400)
			at.StartedAt, at.EndedAt, at.Duration = nil, nil, onair.Ptr(0)
		case i == 26 && j == 0: // a recorded launch, replayed on demand
			at.Status, at.Type = onair.Ptr("on_demand"), onair.Ptr("on_demand")
		}
		a.sessions.Put(id, s)
		if i == 25 && j == 0 { // the all-hands split into a breakout room
			room := newSeedSession(e, seedID("session/"+slug+"/breakout"), onair.Ptr("Breakout: platform team"), zone, start+1800, created.Unix()+86400, 20)
			room.Attributes.BreakoutRoomParentSessionID = &id
			a.sessions.Put(room.ID, room)
		}
		past := table.Deref(at.Status) == "past"
		if past && table.Deref(e.Event.Attributes.RecordingEnabled) {
			file := fmt.Sprintf("%s-%s.mp4", slug, time.Unix(start, 0).UTC().Format("2006-01-02"))
			rec, size := seedID("recording/"+id), int64(minutes)*15_600_000
			a.recordings.Put(table.Child(id, rec), server.Recording{ID: rec, Type: "recordings", Attributes: server.RecordingAttributes{
				FileName: &file, FileSize: &size, FileType: onair.Ptr("video"), MimeType: onair.Ptr("video/mp4")}})
		}
		for k, p := range people {
			if (k+i+j)%6 != 0 {
				continue
			}
			d := map[string]any{"attended": past && (k+j)%3 != 0, "referrer": []string{"newsletter", "linkedin", "website"}[k%3]}
			a.regs.Put(table.Child(id, p.ID), registration{Session: id, Person: p.ID, Detail: d})
		}
	}
}
