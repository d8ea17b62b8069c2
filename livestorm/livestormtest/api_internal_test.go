package livestormtest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/livestorm/internal/server"
)

// What an operation answers shares no memory with the store: changing it
// changes nothing the next call sees.
func TestAnswersAreCopies(t *testing.T) {
	a := newAPI()
	ctx := context.Background()
	get := func() server.Event {
		r, err := a.GetEvent(ctx, server.GetEventRequestObject{ID: seedEventID})
		if err != nil {
			t.Fatal(err)
		}
		return r.(server.GetEvent200ApplicationVndAPIPlusJSONResponse).Body.Data
	}
	first := get()
	want := sandbox.Clone(first) // a snapshot of its own
	*first.Attributes.Title = "changed"
	*(*first.Attributes.Fields)[0].ID = "changed"
	*first.Attributes.Owner.Attributes.Email = "changed"
	(*first.Relationships)["sessions"] = nil
	if diff := cmp.Diff(want, get()); diff != "" {
		t.Errorf("the store changed with an answer (-want +got):\n%s", diff)
	}

	r, err := a.ListSessionPeople(ctx, server.ListSessionPeopleRequestObject{ID: seedSessionID})
	if err != nil {
		t.Fatal(err)
	}
	people := r.(server.ListSessionPeople200ApplicationVndAPIPlusJSONResponse).Body.Data
	(*people[0].Attributes.RegistrantDetail)["attended"] = "changed"
	r2, _ := a.GetSessionPerson(ctx, server.GetSessionPersonRequestObject{ID: seedSessionID, PeopleID: people[0].ID})
	if got := (*r2.(server.GetSessionPerson200ApplicationVndAPIPlusJSONResponse).Body.Data.Attributes.RegistrantDetail)["attended"]; got != true {
		t.Errorf("attended is %v after changing an answer, want true", got)
	}
}

// Concurrent writes and reads keep the store whole (run with -race).
func TestConcurrentUse(t *testing.T) {
	a := newAPI()
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			title := fmt.Sprintf("Parallel event %d", i)
			_, err := a.CreateEvent(ctx, server.CreateEventRequestObject{Body: &server.CreateEventRequest{Data: server.CreateEventData{
				Type: "events", Attributes: server.EventWriteAttributes{Title: &title, OwnerID: onair.Ptr(seedOwnerID)}}}})
			if err != nil {
				t.Error(err)
			}
			if _, err := a.ListEvents(ctx, server.ListEventsRequestObject{Params: server.ListEventsParams{PageSize: onair.Ptr(50)}}); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	r, err := a.ListEvents(ctx, server.ListEventsRequestObject{})
	if err != nil {
		t.Fatal(err)
	}
	meta := r.(server.ListEvents200ApplicationVndAPIPlusJSONResponse).Body.Meta
	if meta.RecordCount != 64+8 {
		t.Errorf("%d events, want %d", meta.RecordCount, 64+8)
	}
	slugs := map[string]bool{}
	for _, e := range a.events.List(nil) {
		if s := *e.Event.Attributes.Slug; slugs[s] {
			t.Errorf("slug %s twice", s)
		} else {
			slugs[s] = true
		}
	}
}
