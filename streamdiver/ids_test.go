package streamdiver_test

import (
	"context"
	"testing"

	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/streamdiver"
)

// A listed item's ID is what Get takes: the same string type in models
// and arguments.
func TestGetTakesListedID(t *testing.T) {
	srv := sandbox.NewExampleServer(t, "../specs/streamdiver.yaml")
	c, err := streamdiver.NewClient(allScopes(), streamdiver.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	media, _, err := c.Media.ListPage(ctx, nil)
	if err != nil || len(media) == 0 {
		t.Fatalf("Media.ListPage: %d items, %v", len(media), err)
	}
	if _, err := c.Media.Get(ctx, media[0].ID); err != nil {
		t.Errorf("Media.Get(%q): %v", media[0].ID, err)
	}
	channels, _, err := c.Channels.ListPage(ctx, nil)
	if err != nil || len(channels) == 0 {
		t.Fatalf("Channels.ListPage: %d items, %v", len(channels), err)
	}
	if _, err := c.Channels.Get(ctx, channels[0].ID); err != nil {
		t.Errorf("Channels.Get(%q): %v", channels[0].ID, err)
	}
	uploads, _, err := c.Uploads.ListPage(ctx, nil)
	if err != nil || len(uploads) == 0 {
		t.Fatalf("Uploads.ListPage: %d items, %v", len(uploads), err)
	}
	if _, err := c.Uploads.Get(ctx, uploads[0].ID); err != nil {
		t.Errorf("Uploads.Get(%q): %v", uploads[0].ID, err)
	}
}
