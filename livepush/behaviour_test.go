package livepush_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/apitest"
	"github.com/onair-go/onair/livepush"
)

func TestTypedError(t *testing.T) {
	srv := apitest.NewServer(t, "../specs/livepush.yaml", apitest.WithResponse("getStream", http.StatusNotFound, `{"message":"Stream not found","code":"not_found"}`, nil))
	c, _ := livepush.NewClient(allScopes(), livepush.WithBaseURL(srv.URL))
	_, err := c.Streams.Get(context.Background(), "st_missing")
	var le *livepush.Error
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want *livepush.Error", err)
	}
	if d := cmp.Diff(&livepush.Error{StatusCode: 404, Message: "Stream not found", Code: "not_found"}, le); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if got := err.Error(); got != "livepush: Streams.Get: HTTP 404: Stream not found (not_found)" {
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
	want := []string{"octopus.livepush.io Bearer tok", "squid.livepush.io Bearer tok"}
	if d := cmp.Diff(want, rec.seen); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
