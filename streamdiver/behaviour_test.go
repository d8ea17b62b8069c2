package streamdiver_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
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

// pathRecorder answers every request with a JSend success and remembers
// the URLs asked for.
type pathRecorder struct{ urls []string }

func (p *pathRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	p.urls = append(p.urls, r.URL.String())
	body := `{"status":"success","data":{"id":"6f1c2a9e-0000-4000-8000-000000000001","name":"Keynote","type":"video"}}`
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

// The base path /v2, from the spec's server or from WithBaseURL, stays in
// every request's URL.
func TestBasePathKept(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []streamdiver.Option
		want string
	}{
		{"spec server", nil, "https://api.streamdiver.com/v2/media/6f1c2a9e-0000-4000-8000-000000000001"},
		{"WithBaseURL", []streamdiver.Option{streamdiver.WithBaseURL("https://media.example/v2")}, "https://media.example/v2/media/6f1c2a9e-0000-4000-8000-000000000001"},
		{"WithBaseURL with a slash", []streamdiver.Option{streamdiver.WithBaseURL("https://media.example/v2/")}, "https://media.example/v2/media/6f1c2a9e-0000-4000-8000-000000000001"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &pathRecorder{}
			c, err := streamdiver.NewClient(allScopes(), append(tc.opts, streamdiver.WithHTTPClient(&http.Client{Transport: rec}))...)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.Media.Get(context.Background(), "6f1c2a9e-0000-4000-8000-000000000001"); err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff([]string{tc.want}, rec.urls); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}
