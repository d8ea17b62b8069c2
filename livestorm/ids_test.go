package livestorm_test

import (
	"context"
	"testing"

	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/livestorm"
)

// A listed item's ID is what Get takes: the same string type in models
// and arguments.
func TestGetTakesListedID(t *testing.T) {
	srv := sandbox.NewExampleServer(t, spec)
	c, err := livestorm.NewClient(allScopes(), livestorm.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	events, _, err := c.Events.ListPage(ctx, nil)
	if err != nil || len(events) == 0 {
		t.Fatalf("Events.ListPage: %d events, %v", len(events), err)
	}
	if _, err := c.Events.Get(ctx, events[0].ID); err != nil {
		t.Errorf("Events.Get(%q): %v", events[0].ID, err)
	}
	sessions, _, err := c.Sessions.ListPage(ctx, nil)
	if err != nil || len(sessions) == 0 {
		t.Fatalf("Sessions.ListPage: %d sessions, %v", len(sessions), err)
	}
	if _, err := c.Sessions.Get(ctx, sessions[0].ID); err != nil {
		t.Errorf("Sessions.Get(%q): %v", sessions[0].ID, err)
	}
	people, _, err := c.People.ListPage(ctx, nil)
	if err != nil || len(people) == 0 {
		t.Fatalf("People.ListPage: %d people, %v", len(people), err)
	}
	if _, err := c.People.Get(ctx, people[0].ID); err != nil {
		t.Errorf("People.Get(%q): %v", people[0].ID, err)
	}
	for _, op := range []string{"getEvent", "getSession", "getPerson"} {
		if srv.Count(op) != 1 {
			t.Errorf("%s was called %d times, want 1", op, srv.Count(op))
		}
	}
}
