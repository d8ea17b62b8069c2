package streamdiver_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/streamdiver"
)

func TestTypedError(t *testing.T) {
	srv := sandbox.NewExampleServer(t, "../specs/streamdiver.yaml", sandbox.WithResponse("createChannel", http.StatusBadRequest,
		`{"status":"fail","data":{"name":"Name is required"}}`, nil))
	c, _ := streamdiver.NewClient(allScopes(), streamdiver.WithBaseURL(srv.URL))
	_, err := c.Channels.Create(context.Background(), streamdiver.CreateChannelRequest{Name: "x"})
	var se *streamdiver.Error
	if !errors.As(err, &se) {
		t.Fatalf("err = %v, want *streamdiver.Error", err)
	}
	want := &streamdiver.Error{
		APIError: onair.APIError{StatusCode: 400, Operation: "Channels.Create", Method: "POST", Path: "/channels",
			// The body as cleaned of secrets: re-encoded, members in order.
			Body: `{"data":{"name":"Name is required"},"status":"fail"}`},
		Status: "fail", Data: map[string]any{"name": "Name is required"},
	}
	if d := cmp.Diff(want, se, cmpopts.IgnoreFields(onair.APIError{}, "Header")); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if got := se.Header.Get("Content-Type"); got != "application/json" {
		t.Errorf("Header Content-Type = %q", got)
	}
}

// Ids are the provider's to choose: whatever a caller passes is sent,
// escaped, and never parsed client-side; only "", "." and "..", which
// would name another resource, are refused before any request.
func TestIDsAreSentAsGiven(t *testing.T) {
	for _, tc := range []struct{ id, wantPath string }{
		{"not-a-uuid", "/v2/media/not-a-uuid"},
		{"6f1c2a9e-0000-4000-8000-000000000001", "/v2/media/6f1c2a9e-0000-4000-8000-000000000001"},
		{"a/b c", "/v2/media/a%2Fb%20c"},
	} {
		rec := &pathRecorder{}
		c, _ := streamdiver.NewClient(allScopes(), streamdiver.WithBaseURL("https://api.example/v2"), streamdiver.WithHTTPClient(&http.Client{Transport: rec}))
		if _, err := c.Media.Get(context.Background(), tc.id); err != nil {
			t.Fatalf("Media.Get(%q): %v", tc.id, err)
		}
		if len(rec.urls) != 1 || !strings.HasSuffix(rec.urls[0], tc.wantPath) {
			t.Errorf("Media.Get(%q) asked for %v, want a URL ending in %s", tc.id, rec.urls, tc.wantPath)
		}
	}
	for _, id := range []string{"", ".", ".."} {
		rec := &pathRecorder{}
		c, _ := streamdiver.NewClient(allScopes(), streamdiver.WithBaseURL("https://api.example/v2"), streamdiver.WithHTTPClient(&http.Client{Transport: rec}))
		_, err := c.Media.Get(context.Background(), id)
		if !errors.Is(err, streamdiver.ErrBadArgument) || len(rec.urls) != 0 {
			t.Errorf("Media.Get(%q) = %v after %d requests, want ErrBadArgument and none", id, err, len(rec.urls))
		}
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
