package livestormtest

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/google/uuid"
	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livestorm/internal/server"
)

// registration is a person's registration to a session. Detail is the
// registrant_detail it shows; nil for a speaker added with the session,
// who is no registrant.
type registration struct {
	Session string         `json:"session,omitempty"`
	Person  string         `json:"person"`
	Detail  map[string]any `json:"detail"`
}

// registrant is the person of a registration, with its registrant_detail.
func (a *api) registrant(r registration) (server.Person, bool) {
	p, ok := a.people.Get(r.Person)
	if ok && r.Detail != nil {
		p.Attributes.RegistrantDetail = &r.Detail
	}
	return p, ok
}

func (a *api) ListSessionPeople(_ context.Context, req server.ListSessionPeopleRequestObject) (server.ListSessionPeopleResponseObject, error) {
	p := req.Params
	spans, err := newSpans(p.FilterCreatedSince, p.FilterCreatedUntil, p.FilterUpdatedSince, p.FilterUpdatedUntil)
	if err != nil {
		return nil, err
	}
	if !a.sessions.Has(req.ID) {
		return nil, notFound("session")
	}
	people := []server.Person{}
	for _, r := range a.regs.Children(req.ID) {
		pr, ok := a.registrant(r)
		if ok && hasRoleAndEmail(pr, p.FilterRole, p.FilterEmail) &&
			(p.FilterAttended == nil || (r.Detail["attended"] == true) == *p.FilterAttended) &&
			spans[0].has(pr.Attributes.CreatedAt) && spans[1].has(pr.Attributes.UpdatedAt) {
			people = append(people, pr)
		}
	}
	page, meta, err := paginate(people, p.PageNumber, p.PageSize)
	return server.ListSessionPeople200ApplicationVndAPIPlusJSONResponse{Body: server.PersonList{Data: page, Meta: meta}}, err
}

func (a *api) GetSessionPerson(_ context.Context, req server.GetSessionPersonRequestObject) (server.GetSessionPersonResponseObject, error) {
	r, err := table.Find(&a.regs, table.Child(req.ID, req.PeopleID), notFound("person of this session"))
	p, _ := a.registrant(r)
	return server.GetSessionPerson200ApplicationVndAPIPlusJSONResponse{Body: server.PersonResponse{Data: p}}, err
}

func (a *api) RegisterSessionPerson(_ context.Context, req server.RegisterSessionPersonRequestObject) (server.RegisterSessionPersonResponseObject, error) {
	if !a.sessions.Has(req.ID) {
		return nil, notFound("session")
	}
	p, err := a.register(req.ID, req.Body.Data.Attributes)
	return server.RegisterSessionPerson201ApplicationVndAPIPlusJSONResponse{Body: server.PersonResponse{Data: p}}, err
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
	a.fire("job.ended", j.Job)
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
	p = a.putRegistrant(p, registration{Session: session, Person: p.ID, Detail: detail(nil, r, f)})
	a.fire("people.registered", p)
	return p, nil
}

// putRegistrant stores the person and their registration, and returns the
// registrant.
func (a *api) putRegistrant(p server.Person, r registration) server.Person {
	a.people.Put(p.ID, p)
	a.regs.Put(table.Child(r.Session, p.ID), r)
	p, _ = a.registrant(r)
	return p
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
	return server.UpdateSessionPerson200ApplicationVndAPIPlusJSONResponse{Body: server.PersonResponse{Data: a.putRegistrant(p, r)}}, nil
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
	email = strings.TrimSpace(email)
	return a.people.First(func(p server.Person) bool { return strings.EqualFold(table.Deref(p.Attributes.Email), email) })
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
