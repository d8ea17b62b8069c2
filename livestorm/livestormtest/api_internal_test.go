package livestormtest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

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

// Concurrent writes and reads keep the store whole (run with -race). They
// go through the handler, which holds the store's lock for each.
func TestConcurrentUse(t *testing.T) {
	a := newAPI()
	ctx := context.Background()
	h := a.handler()
	serve := func(method, target, body string, want int) {
		req := httptest.NewRequestWithContext(ctx, method, target, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/vnd.api+json")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != want {
			t.Errorf("%s %s: %d %s, want %d", method, target, w.Code, w.Body, want)
		}
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			serve(http.MethodPost, "/events", fmt.Sprintf(`{"data": {"type": "events", "attributes": {"title": "Parallel event %d", "owner_id": %q}}}`, i, seedOwnerID), http.StatusCreated)
			serve(http.MethodGet, "/events?page[size]=50", "", http.StatusOK)
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
