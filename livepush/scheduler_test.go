package livepush_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/scopes"
)

// Scheduler.SetPlaylist (fidelity-2 Livepush 1) takes videos of the
// stream's library, in order, and no other, against the sandbox.
func TestSchedulerSetPlaylist(t *testing.T) {
	ctx := context.Background()
	srv := livepushtest.NewServer()
	t.Cleanup(srv.Close)
	c, err := livepush.NewClient(oauth2.StaticTokenSource(srv.IssueToken(scopes.LivepushStreamsRead, scopes.LivepushStreamsVideosRead, scopes.LivepushStreamsWrite)),
		livepush.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	var stream string
	var library []string
	for s, err := range c.Streams.List(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for v, err := range c.Videos.List(ctx, s.ID) {
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, v.ID)
		}
		if len(ids) > 0 {
			stream, library = s.ID, ids
			break
		}
	}
	if stream == "" {
		t.Fatal("no seeded stream has a video")
	}

	status := func(err error) int {
		var le *livepush.Error
		if !errors.As(err, &le) {
			return 0
		}
		return le.StatusCode
	}
	tests := []struct {
		name   string
		stream string
		videos []string
		want   int // 0: accepted
	}{
		{"the library's videos", stream, library, 0},
		{"an empty playlist", stream, []string{}, 0},
		{"a video of no library", stream, append([]string{"vid_notInLibrary"}, library...), http.StatusUnprocessableEntity},
		{"an unknown stream", "st_0000000000000", library, http.StatusNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := c.Scheduler.SetPlaylist(ctx, tt.stream, livepush.SetSchedulerPlaylistRequest{Videos: tt.videos})
			if got := status(err); got != tt.want || (tt.want == 0) != (err == nil) {
				t.Errorf("err = %v, want status %d", err, tt.want)
			}
		})
	}
}
