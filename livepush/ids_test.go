package livepush_test

import (
	"context"
	"testing"

	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/livepush"
)

// A listed item's ID is what Get takes: the same string type in models
// and arguments.
func TestGetTakesListedID(t *testing.T) {
	srv := sandbox.NewExampleServer(t, "../specs/livepush.yaml")
	c, err := livepush.NewClient(allScopes(), livepush.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for s, err := range c.Streams.List(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Streams.Get(ctx, s.ID)
		if err != nil || got.ID == "" {
			t.Fatalf("Streams.Get(%q) = %v, %v", s.ID, got, err)
		}
		if calls := srv.Calls("getStream"); len(calls) == 0 || calls[len(calls)-1].Path != "/streams/"+s.ID {
			t.Errorf("Streams.Get(%q) asked for %+v", s.ID, calls)
		}
		break
	}
}
