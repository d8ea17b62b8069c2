package streamdiver_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/apitest"
	"github.com/onair-go/onair/streamdiver"
)

func TestTypedError(t *testing.T) {
	srv := apitest.NewServer(t, "../specs/streamdiver.yaml", apitest.WithResponse("createChannel", http.StatusBadRequest,
		`{"status":"fail","data":{"name":"Name is required"}}`, nil))
	c, _ := streamdiver.NewClient(allScopes(), streamdiver.WithBaseURL(srv.URL))
	_, err := c.Channels.Create(context.Background(), streamdiver.CreateChannelRequest{Name: "x"})
	var se *streamdiver.Error
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want *streamdiver.Error", err)
	}
	want := &streamdiver.Error{StatusCode: 400, Status: "fail", Data: map[string]any{"name": "Name is required"}}
	if d := cmp.Diff(want, se); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// An id that is not a UUID is refused with a clear error before any request.
func TestMalformedID(t *testing.T) {
	srv := apitest.NewServer(t, "../specs/streamdiver.yaml")
	c, _ := streamdiver.NewClient(allScopes(), streamdiver.WithBaseURL(srv.URL))
	_, err := c.Media.Get(context.Background(), "not-a-uuid")
	if !errors.Is(err, streamdiver.ErrBadArgument) || err.Error() != `streamdiver: Media.Get: bad argument: mediaID "not-a-uuid" is not a UUID` {
		t.Fatalf("err = %v", err)
	}
	if n := srv.Count("getMedia"); n != 0 {
		t.Errorf("requests = %d, want none", n)
	}
}
