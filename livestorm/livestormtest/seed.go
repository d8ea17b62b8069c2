package livestormtest

import (
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livestorm/internal/server"
)

// The ids of the seed records that the spec's examples use, so that every
// operation called with its examples finds what it asks for.
const (
	seedOrgID       = "7d2e9f4a-3b1c-4d5e-8f6a-9b0c1d2e3f4a"
	seedOwnerID     = "3a7d9e2b-6c4f-4b1a-9d8e-2f5c7b0a1e3d" // Camille Martin, a team member
	seedModeratorID = "e4b8c2d6-1a3f-4e5b-9c7d-8f0a2b4c6d8e" // Jordan Lee's user
	seedPersonID    = "9f1c2d3e-4b5a-4c6d-8e7f-0a1b2c3d4e6a" // Ada Lovelace, a participant
	seedEventID     = "5c8e4a9b-1d2f-4e3a-9b7c-0a1b2c3d4e5f" // Product onboarding webinar
	seedSessionID   = "b2f5c9a1-7e4d-4c3b-8a2f-6d1e0c9b8a71" // its July cohort, past
	seedJobID       = "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d"
	seedWebhookID   = "1e2d3c4b-5a69-4788-97a6-b5c4d3e2f1a0"
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

// seed fills the store with Acme's workspace: a team of three, twenty
// participants, and 64 events of one to four sessions over 2024-2027, the
// first being the spec's "Product onboarding webinar".
func (a *api) seed() {
	a.org = server.Organization{ID: seedOrgID, Type: "organizations",
		Attributes: server.OrganizationAttributes{Name: onair.Ptr("Acme"), Slug: onair.Ptr("acme")}}

	for _, at := range []struct {
		id, name, kind string
		custom         bool
	}{
		{"email", "Email", "text", false}, {"first_name", "First name", "text", false},
		{"last_name", "Last name", "text", false}, {"avatar", "Avatar", "file", false},
		{"company", "Company", "text", true}, {"job_title", "Job title", "text", true},
		{"company_size", "Company size", "select", true}, {"interests", "Interests", "multiple_select", true},
		{"phone_number", "Phone number", "text", true},
	} {
		a.attributes.Put(at.id, server.PeopleAttribute{ID: at.id, Type: "people_attributes",
			Attributes: server.PeopleAttributeAttributes{Name: &at.name, FieldType: &at.kind, Custom: &at.custom}})
	}

	// The team: each member is a person (role team_member) and a user.
	var team []server.Person
	for i, m := range []struct {
		person, user, first, last, zone, role string
		pending                               bool
	}{
		{seedOwnerID, seedID("user/camille"), "Camille", "Martin", "Europe/Paris", "host", false},
		{seedID("person/jordan"), seedModeratorID, "Jordan", "Lee", "America/New_York", "moderator", false},
		{seedID("person/priya"), seedID("user/priya"), "Priya", "Nair", "Europe/London", "host", false},
		{"", seedID("user/sam"), "Sam", "Okafor", "Europe/London", "moderator", true},
	} {
		email := strings.ToLower(m.first+"."+m.last) + "@acme.example"
		u := server.User{ID: m.user, Type: "users", Attributes: server.UserAttributes{
			Email: &email, Role: &m.role, PendingInvite: &m.pending}}
		if !m.pending { // an invitation not yet accepted has no name nor login
			u.Attributes.FirstName, u.Attributes.LastName, u.Attributes.LastLogin = &m.first, &m.last, onair.Ptr(int64(1719500000+3600*i))
			p := person(m.person, "team_member", m.first, m.last, email, m.zone, 1704103200+86400*int64(i))
			p.Attributes.AvatarLink = onair.Ptr("https://cdn.livestorm.co/uploads/avatars/" + slugify(m.first+" "+m.last) + ".png")
			p.Attributes.UpdatedAt = onair.Ptr(int64(1718208000))
			a.people.Put(m.person, p)
			team = append(team, p)
		}
		a.users.Put(m.user, u)
	}

	var participants []server.Person
	for i, p := range []struct{ first, last, email, zone string }{
		{"Ada", "Lovelace", "ada.lovelace@example.com", "America/New_York"},
		{"Katherine", "Johnson", "katherine.johnson@example.com", "America/Chicago"},
		{"Margaret", "Hamilton", "margaret.hamilton@example.com", "America/New_York"},
		{"Noah", "Schmidt", "noah.schmidt@example.de", "Europe/Berlin"},
		{"Sofia", "Rossi", "sofia.rossi@example.it", "Europe/Rome"},
		{"Liam", "O'Brien", "liam.obrien@example.ie", "Europe/Dublin"},
		{"Mei", "Chen", "mei.chen@example.com", "Asia/Singapore"},
		{"Lucas", "Silva", "lucas.silva@example.com.br", "America/Sao_Paulo"},
		{"Aisha", "Khan", "aisha.khan@example.co.uk", "Europe/London"},
		{"Mateo", "García", "mateo.garcia@example.es", "Europe/Madrid"},
		{"Emma", "Dubois", "emma.dubois@example.fr", "Europe/Paris"},
		{"Yuki", "Tanaka", "yuki.tanaka@example.jp", "Asia/Tokyo"},
		{"Oliver", "Smith", "oliver.smith@example.com.au", "Australia/Sydney"},
		{"Hannah", "Müller", "hannah.mueller@example.de", "Europe/Berlin"},
		{"Ethan", "Brown", "ethan.brown@example.ca", "America/Toronto"},
		{"Chloé", "Bernard", "chloe.bernard@example.fr", "Europe/Paris"},
		{"Arjun", "Mehta", "arjun.mehta@example.in", "Asia/Kolkata"},
		{"Zoe", "Williams", "zoe.williams@example.com", "America/Los_Angeles"},
		{"Kwame", "Mensah", "kwame.mensah@example.com.gh", "Africa/Accra"},
		{"Ingrid", "Larsen", "ingrid.larsen@example.no", "Europe/Oslo"},
	} {
		id := seedID("person/" + p.email)
		created := 1705000000 + 777600*int64(i)
		if i == 0 {
			id, created = seedPersonID, 1718630000
		}
		pp := person(id, "participant", p.first, p.last, p.email, p.zone, created)
		a.people.Put(id, pp)
		participants = append(participants, pp)
	}

	var tags []string
	for _, t := range []string{"onboarding", "customers", "product", "partners", "community", "training", "internal"} {
		id := seedID("tag/" + t)
		a.tags.Put(id, server.Tag{ID: id, Type: "tags", Attributes: server.TagAttributes{Title: t}})
		tags = append(tags, id)
	}

	a.seedOnboarding(team[0], participants, tags[:2])
	for i, title := range eventTitles() {
		a.seedEvent(i+1, title, team[(i+1)%len(team)], participants[1:], []string{tags[(i+1)%len(tags)], tags[(3*i+2)%len(tags)]})
	}

	for _, h := range []struct {
		id, event string
		at        int64
	}{
		{seedWebhookID, "people.registered", 1718208000},
		{seedID("webhook/session.ended"), "session.ended", 1718294400},
	} {
		a.webhooks.Put(h.id, server.Webhook{ID: h.id, Type: "webhooks", Attributes: server.WebhookAttributes{
			URL: onair.Ptr("https://hooks.acme.example/livestorm"), Event: onair.Ptr(h.event), CreatedAt: onair.Ptr(h.at), UpdatedAt: onair.Ptr(h.at)}})
	}
}

func person(id, role, first, last, email, zone string, created int64) server.Person {
	return server.Person{ID: id, Type: "people", Attributes: server.PersonAttributes{
		Role: &role, FirstName: &first, LastName: &last, Email: &email, Timezone: &zone,
		CreatedAt: &created, UpdatedAt: &created}}
}

// seedOnboarding seeds the event of the spec's examples, with a past July
// cohort that has registrants, chat, questions, a recording and a bulk
// registration job, and two upcoming cohorts.
func (a *api) seedOnboarding(owner server.Person, people []server.Person, tags []string) {
	e := event{Tags: tags, Event: server.Event{ID: seedEventID, Type: "events", Attributes: server.EventAttributes{
		Title:                   onair.Ptr("Product onboarding webinar"),
		Slug:                    onair.Ptr("product-onboarding-webinar"),
		RegistrationLink:        onair.Ptr("https://app.livestorm.co/acme/product-onboarding-webinar"),
		EstimatedDuration:       onair.Ptr(45),
		RegistrationPageEnabled: onair.Ptr(true),
		EveryoneCanSpeak:        onair.Ptr(false),
		Description:             onair.Ptr("<p>A 45-minute tour of the product for new customers.</p>"),
		Status:                  onair.Ptr("published"),
		Language:                onair.Ptr("en"),
		PublishedAt:             onair.Ptr(int64(1717516800)),
		CreatedAt:               onair.Ptr(int64(1717430400)),
		UpdatedAt:               onair.Ptr(int64(1718208000)),
		Owner:                   &owner,
		Fields: &[]server.EventField{
			{ID: onair.Ptr("email"), Type: onair.Ptr("text"), Order: onair.Ptr(0), Required: onair.Ptr(true)},
			{ID: onair.Ptr("first_name"), Type: onair.Ptr("text"), Order: onair.Ptr(1), Required: onair.Ptr(true)},
			{ID: onair.Ptr("company_size"), Type: onair.Ptr("select"), Order: onair.Ptr(2), Required: onair.Ptr(false)},
		},
		ChatEnabled: onair.Ptr(true), QuestionsEnabled: onair.Ptr(true), PollsEnabled: onair.Ptr(true),
		RecordingEnabled: onair.Ptr(true), RecordingPublic: onair.Ptr(false), ShowInCompanyPage: onair.Ptr(true),
	}}}
	a.events.Put(seedEventID, e)

	july := a.seedSession(e, seedSessionID, "July cohort", "Europe/Paris", 1719838800, 1717430400, 47)
	a.seedSession(e, seedID("session/september-cohort"), "September cohort", "Europe/Paris", 1725282000, 1717430400, 44)
	a.seedSession(e, seedID("session/december-cohort"), "December cohort", "Europe/Paris", 1796652000, 1763596800, 45)
	a.seedSession(e, seedID("session/january-cohort"), "January cohort", "Europe/Paris", 1799676000, 1763596800, 45)

	ada, kate, noah := people[0].ID, people[1].ID, people[3].ID
	for i, p := range people[:6] {
		d := map[string]any{"attended": i%3 != 2, "referrer": "newsletter", "utm_source": "newsletter", "utm_medium": "email", "utm_campaign": "july-webinar"}
		a.regs.Put(table.Child(july, p.ID), registration{Session: july, Person: p.ID, Detail: d})
	}
	for _, m := range []struct {
		id, author, text string
		team             bool
		at               int64
	}{
		{"f0e1d2c3-b4a5-4968-8776-655443322110", ada, "Will the slides be shared after the session?", false, 1719839700},
		{seedID("chat/2"), owner.ID, "Yes: everyone registered gets them by email tomorrow.", true, 1719839760},
		{seedID("chat/3"), kate, "Is there a replay for colleagues who could not join?", false, 1719840900},
		{seedID("chat/4"), owner.ID, "There is, on the same registration page.", true, 1719840960},
	} {
		a.chat.Put(table.Child(july, m.id), server.ChatMessage{ID: m.id, Type: "chat_messages",
			Attributes: server.ChatMessageAttributes{AuthorID: onair.Ptr(m.author), TextContent: onair.Ptr(m.text),
				FromGuestSpeaker: onair.Ptr(false), FromTeamMember: onair.Ptr(m.team), CreatedAt: onair.Ptr(m.at)}})
	}
	answered := server.Question{ID: "a9b8c7d6-e5f4-4a3b-8c2d-1e0f9a8b7c6d", Type: "questions", Attributes: server.QuestionAttributes{
		Question: onair.Ptr("Can we import contacts from a CSV file?"), Response: onair.Ptr("Yes, from the People tab of the event."),
		AskerID: onair.Ptr(ada), ResponderID: &owner.ID,
		CreatedAt: onair.Ptr(int64(1719840300)), UpdatedAt: onair.Ptr(int64(1719840420)), AnsweredAt: onair.Ptr(int64(1719840420))}}
	open := server.Question{ID: seedID("question/2"), Type: "questions", Attributes: server.QuestionAttributes{
		Question: onair.Ptr("Does the CRM integration sync custom fields?"), AskerID: onair.Ptr(noah),
		CreatedAt: onair.Ptr(int64(1719841200)), UpdatedAt: onair.Ptr(int64(1719841200))}}
	for _, q := range []server.Question{answered, open} {
		a.questions.Put(table.Child(july, q.ID), q)
	}
	a.seedRecording(july, "0b1c2d3e-4f5a-4b6c-9d7e-8f9a0b1c2d3e", "product-onboarding-webinar-july-cohort.mp4", 734003200)

	j := job{Job: server.Job{ID: seedJobID, Type: "jobs", Attributes: server.JobAttributes{
		Status: onair.Ptr("ended"), TasksCount: onair.Ptr(2), SucceededCount: onair.Ptr(2), FailedCount: onair.Ptr(0),
		CreatedAt: onair.Ptr(int64(1718631000)), UpdatedAt: onair.Ptr(int64(1718631012)), EndedAt: onair.Ptr(int64(1718631012))}}}
	for i, p := range []string{ada, kate} {
		j.Tasks = append(j.Tasks, server.JobTask{ID: []string{"d4c3b2a1-9f8e-4d7c-a6b5-4c3d2e1f0a9b", seedID("task/2")}[i],
			Type: "tasks", Attributes: server.JobTaskAttributes{Status: onair.Ptr("succeeded"), PersonID: onair.Ptr(p),
				CreatedAt: onair.Ptr(int64(1718631000)), UpdatedAt: onair.Ptr(int64(1718631006 + 6*int64(i)))}})
	}
	a.jobs.Put(seedJobID, j)
}

// seedSession stores a session of e planned at start, run for minutes if
// start is before seedCutoff.
func (a *api) seedSession(e event, id, name, zone string, start, created int64, minutes int) string {
	s := server.Session{ID: id, Type: "sessions", Attributes: server.SessionAttributes{
		EventID: &e.Event.ID, Timezone: &zone, RoomLink: onair.Ptr(roomLink(e.Event.ID, id)),
		EstimatedStartedAt: &start, CreatedAt: &created, UpdatedAt: &created, Type: onair.Ptr("live"),
		Status: onair.Ptr("upcoming"), Duration: onair.Ptr(0),
	}}
	if name != "" {
		s.Attributes.Name = &name
	}
	if start < seedCutoff {
		started := start + 120
		ended := started + 60*int64(minutes)
		s.Attributes.Status, s.Attributes.StartedAt, s.Attributes.EndedAt = onair.Ptr("past"), &started, &ended
		s.Attributes.Duration, s.Attributes.UpdatedAt = onair.Ptr(int(ended-started)), &ended
	}
	a.sessions.Put(id, s)
	return id
}

func (a *api) seedRecording(session, id, file string, size int64) {
	a.recordings.Put(table.Child(session, id), server.Recording{ID: id, Type: "recordings",
		Attributes: server.RecordingAttributes{FileName: &file, FileSize: &size, FileType: onair.Ptr("video"), MimeType: onair.Ptr("video/mp4")}})
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
		Fields: &[]server.EventField{
			{ID: onair.Ptr("email"), Type: onair.Ptr("text"), Order: onair.Ptr(0), Required: onair.Ptr(true)},
			{ID: onair.Ptr("first_name"), Type: onair.Ptr("text"), Order: onair.Ptr(1), Required: onair.Ptr(true)},
			{ID: onair.Ptr("last_name"), Type: onair.Ptr("text"), Order: onair.Ptr(2), Required: onair.Ptr(false)},
		},
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
		id := a.seedSession(e, seedID(fmt.Sprintf("session/%s/%d", slug, j)), "", zone, start, created.Unix()+86400, minutes-3+j)
		switch {
		case i%10 == 7 && j == sessions-1 && sessions > 1: // called off two days before
			s, _ := a.sessions.Get(id)
			s.Attributes.Status, s.Attributes.CanceledAt = onair.Ptr("canceled"), onair.Ptr(start-2*86400)
			s.Attributes.StartedAt, s.Attributes.EndedAt, s.Attributes.Duration = nil, nil, onair.Ptr(0)
			a.sessions.Put(id, s)
		case i == 26 && j == 0: // a recorded launch, replayed on demand
			s, _ := a.sessions.Get(id)
			s.Attributes.Status, s.Attributes.Type = onair.Ptr("on_demand"), onair.Ptr("on_demand")
			a.sessions.Put(id, s)
		case i == 25 && j == 0: // the all-hands split into a breakout room
			room := seedID("session/" + slug + "/breakout")
			a.seedSession(e, room, "Breakout: platform team", zone, start+1800, created.Unix()+86400, 20)
			s, _ := a.sessions.Get(room)
			s.Attributes.BreakoutRoomParentSessionID = onair.Ptr(id)
			a.sessions.Put(room, s)
		}
		s, _ := a.sessions.Get(id)
		past := table.Deref(s.Attributes.Status) == "past"
		if past && table.Deref(e.Event.Attributes.RecordingEnabled) {
			file := fmt.Sprintf("%s-%s.mp4", slug, time.Unix(start, 0).UTC().Format("2006-01-02"))
			a.seedRecording(id, seedID("recording/"+id), file, int64(minutes)*15_600_000)
		}
		for k, p := range people {
			if (k+i+j)%6 != 0 {
				continue
			}
			pid := p.ID
			d := map[string]any{"attended": past && (k+j)%3 != 0, "referrer": []string{"newsletter", "linkedin", "website"}[k%3]}
			a.regs.Put(table.Child(id, pid), registration{Session: id, Person: pid, Detail: d})
		}
	}
}

// eventTitles are the generated events', after the spec's own.
func eventTitles() []string {
	return []string{
		"Quarterly product update", "Customer success masterclass", "Getting started with analytics",
		"Advanced reporting workshop", "Security and compliance briefing", "Partner enablement session",
		"Weekly live demo", "Admin office hours", "Integrations deep dive", "API for developers",
		"Automation playbook", "Sales kickoff 2025", "Webinar best practices", "Hybrid events summit",
		"Marketing attribution 101", "Building a content calendar", "Employee onboarding town hall",
		"Remote team rituals", "Data privacy in 2025", "Scaling customer support", "Lead nurturing strategies",
		"Product roadmap preview", "User research roundtable", "Design system showcase", "Engineering all-hands",
		"Mobile app launch", "Pricing and packaging Q&A", "Community meetup: Paris", "Community meetup: Berlin",
		"Community meetup: London", "Certification program kickoff", "Onboarding for admins",
		"Accessibility in virtual events", "Measuring webinar ROI", "Customer advisory board",
		"Holiday campaign planning", "Year in review", "Spring release tour", "Summer release tour",
		"Autumn release tour", "Winter release tour", "Live coding: dashboards", "Live coding: webhooks",
		"Ask me anything with the CEO", "Investor update", "Hiring open house", "Diversity and inclusion panel",
		"Sustainability report launch", "Partner summit", "Reseller training", "Healthcare industry roundtable",
		"Financial services roundtable", "Education industry roundtable", "Retail industry roundtable",
		"Churn reduction workshop", "Upsell playbook", "Customer story: Northwind", "Customer story: Contoso",
		"Migration clinic", "Release notes live", "Internal training: new features", "Crisis communication drill",
		"Team offsite kickoff",
	}
}
