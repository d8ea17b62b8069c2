package streamdiver_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
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

// Streamdiver's ids are UUIDs today, but the client never parses them: an
// id of another form is sent as given, and one in an answer decodes.
func TestOpaqueID(t *testing.T) {
	rec := &pathRecorder{body: `{"status":"success","data":{"id":"asset-42","name":"Keynote","type":"video","channelIds":["main"]}}`}
	c, _ := streamdiver.NewClient(allScopes(), streamdiver.WithHTTPClient(&http.Client{Transport: rec}))
	m, err := c.Media.Get(context.Background(), "asset-42")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"https://api.streamdiver.com/v2/media/asset-42"}, rec.urls); d != "" {
		t.Errorf("URLs (-want +got):\n%s", d)
	}
	if m.ID != "asset-42" || !slices.Equal(m.ChannelIDs, []string{"main"}) {
		t.Errorf("got ID %q, channels %v; want the answer's ids", m.ID, m.ChannelIDs)
	}
}

// pathRecorder answers every request with body, or a JSend success with
// a media asset, and remembers the URLs asked for.
type pathRecorder struct {
	body string
	urls []string
}

func (p *pathRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	p.urls = append(p.urls, r.URL.String())
	body := p.body
	if body == "" {
		body = `{"status":"success","data":{"id":"6f1c2a9e-0000-4000-8000-000000000001","name":"Keynote","type":"video"}}`
	}
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
