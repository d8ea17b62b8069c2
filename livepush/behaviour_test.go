package livepush_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/livepush"
)

func TestTypedError(t *testing.T) {
	srv := sandbox.NewExampleServer(t, "../specs/livepush.yaml", sandbox.WithResponse("getStream", http.StatusNotFound, `{"message":"Stream not found","code":"not_found"}`, nil))
	c, _ := livepush.NewClient(allScopes(), livepush.WithBaseURL(srv.URL))
	_, err := c.Streams.Get(context.Background(), "st_missing")
	var le *livepush.Error
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want *livepush.Error", err)
	}
	want := &livepush.Error{
		APIError: onair.APIError{StatusCode: 404, Operation: "Streams.Get", Method: "GET", Path: "/streams/st_missing",
			// The body as cleaned of secrets: re-encoded, members in order.
			Body: `{"code":"not_found","message":"Stream not found"}`},
		Message: "Stream not found", Code: "not_found",
	}
	if d := cmp.Diff(want, le, cmpopts.IgnoreFields(onair.APIError{}, "Header")); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	var base *onair.APIError
	if !errors.As(err, &base) || base.StatusCode != 404 {
		t.Errorf("errors.As(*onair.APIError) = %v", base)
	}
	if got := err.Error(); got != "livepush: Streams.Get: HTTP 404 from GET /streams/st_missing: Stream not found (not_found)" {
		t.Errorf("Error() = %q", got)
	}
}

// hostRecorder answers every request and remembers where it went and with
// which Authorization.
type hostRecorder struct {
	mu   sync.Mutex
	seen []string
}

func (h *hostRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.seen = append(h.seen, r.URL.Host+" "+r.Header.Get("Authorization"))
	h.mu.Unlock()
	body := `{"id":"st_1"}`
	if strings.HasSuffix(r.URL.Path, "/account/this") {
		body = `{"id":"u1"}`
	}
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(body)), Request: r}, nil
}

// Without WithBaseURL each operation goes to its own documented host, and
// the token goes along to each of the API's hosts.
func TestOperationsReachTheirHosts(t *testing.T) {
	rec := &hostRecorder{}
	c, err := livepush.NewClient(allScopes(), livepush.WithHTTPClient(&http.Client{Transport: rec}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Streams.Get(context.Background(), "st_1"); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Account.Get(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.VideoImports.InspectMetadata(context.Background(), livepush.InspectMetadataRequest{URL: "https://media.example/talk.mov"}); err != nil {
		t.Fatal(err)
	}
	want := []string{"octopus.livepush.io Bearer tok", "squid.livepush.io Bearer tok", "vod-web-import-api.livepush.io Bearer tok"}
	if d := cmp.Diff(want, rec.seen); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// A redirect from an API host to another host does not take the token.
func TestTokenStaysOnAPIHosts(t *testing.T) {
	var seen []string
	rt := roundTrip(func(r *http.Request) (*http.Response, error) {
		seen = append(seen, r.URL.Host+" "+r.Header.Get("Authorization"))
		if r.URL.Host == "octopus.livepush.io" {
			return &http.Response{StatusCode: http.StatusFound, Header: http.Header{"Location": {"https://elsewhere.example/st_1"}}, Body: http.NoBody, Request: r}, nil
		}
		return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}}, Body: io.NopCloser(strings.NewReader(`{"id":"st_1"}`)), Request: r}, nil
	})
	c, _ := livepush.NewClient(allScopes(), livepush.WithHTTPClient(&http.Client{Transport: rt}))
	if _, err := c.Streams.Get(context.Background(), "st_1"); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"octopus.livepush.io Bearer tok", "elsewhere.example "}, seen); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

// A 429 whose Retry-After is too long to wait for is returned with it.
func TestRetryAfterReported(t *testing.T) {
	srv := sandbox.NewExampleServer(t, "../specs/livepush.yaml", sandbox.WithResponse("getStream", http.StatusTooManyRequests,
		`{"message":"Slow down"}`, http.Header{"Retry-After": {"3600"}}))
	c, _ := livepush.NewClient(allScopes(), livepush.WithBaseURL(srv.URL))
	_, err := c.Streams.Get(context.Background(), "st_1")
	var le *livepush.Error
	if !errors.As(err, &le) || le.RetryAfter != time.Hour || le.StatusCode != 429 {
		t.Fatalf("err = %v; want a 429 *livepush.Error with RetryAfter 1h", err)
	}
}

// IDs that would name another resource are refused before any request.
func TestUnsafeIDs(t *testing.T) {
	srv := sandbox.NewExampleServer(t, "../specs/livepush.yaml")
	c, _ := livepush.NewClient(allScopes(), livepush.WithBaseURL(srv.URL))
	for _, id := range []string{"", ".", ".."} {
		if _, err := c.Streams.Get(context.Background(), id); !errors.Is(err, livepush.ErrBadArgument) {
			t.Errorf("Streams.Get(%q): err = %v, want ErrBadArgument", id, err)
		}
	}
	if n := srv.Count("getStream"); n != 0 {
		t.Errorf("requests = %d, want none", n)
	}
}

type roundTrip func(*http.Request) (*http.Response, error)

func (f roundTrip) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
