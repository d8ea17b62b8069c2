package livestorm_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/scopes"
)

const spec = "../specs/livestorm.yaml"

func granted(scope string) oauth2.TokenSource {
	return oauth2.StaticTokenSource((&oauth2.Token{AccessToken: "tok", Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": scope}))
}

const eventID = "f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b"

func TestTypedError(t *testing.T) {
	srv := sandbox.NewExampleServer(t, spec, sandbox.WithResponse("getEvent", http.StatusNotFound,
		`{"errors":[{"status":"not_found","title":"Not Found","detail":"The event does not exist"}]}`, nil))
	c, err := livestorm.NewClient(granted("events:read"), livestorm.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Events.Get(context.Background(), eventID)
	var le *livestorm.Error
	if !errors.As(err, &le) {
		t.Fatalf("err = %v, want *livestorm.Error", err)
	}
	title, detail := "Not Found", "The event does not exist"
	want := &livestorm.Error{
		APIError: onair.APIError{StatusCode: 404, Operation: "Events.Get", Method: "GET", Path: "/events/" + eventID},
		Errors:   []livestorm.ErrorObject{{Status: "not_found", Title: title, Detail: detail}},
	}
	if d := cmp.Diff(want, le, cmpopts.IgnoreFields(onair.APIError{}, "Header", "Body")); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if !strings.Contains(err.Error(), "The event does not exist") || !strings.HasPrefix(err.Error(), "livestorm: Events.Get: HTTP 404 from GET /events/"+eventID+": ") {
		t.Errorf("Error() = %q", err)
	}
}

// A 429 is retried after its Retry-After; the caller sees the success.
func TestRetryAfter429(t *testing.T) {
	srv := sandbox.NewExampleServer(t, spec, sandbox.WithResponseSequence("getEvent",
		sandbox.Response{Status: 429, Header: http.Header{"Retry-After": {"0"}}}))
	c, _ := livestorm.NewClient(granted("events:read"), livestorm.WithBaseURL(srv.URL))
	ev, err := c.Events.Get(context.Background(), eventID)
	if err != nil || ev == nil {
		t.Fatalf("Events.Get: %v", err)
	}
	if n := srv.Count("getEvent"); n != 2 {
		t.Errorf("requests = %d, want 2", n)
	}
}

// A call needing a scope the token lacks fails before any request.
func TestPreflightRefusal(t *testing.T) {
	srv := sandbox.NewExampleServer(t, spec)
	c, _ := livestorm.NewClient(granted("events:read"), livestorm.WithBaseURL(srv.URL))
	_, err := c.Events.Create(context.Background(), livestorm.CreateEventRequest{})
	if !errors.Is(err, scopes.ErrNotGranted) || !strings.Contains(err.Error(), "needs scope events:write") {
		t.Fatalf("err = %v, want ErrNotGranted naming events:write", err)
	}
	if n := srv.Count("createEvent"); n != 0 {
		t.Errorf("requests = %d, want none", n)
	}
	// full:write covers it.
	c, _ = livestorm.NewClient(granted("full:write"), livestorm.WithBaseURL(srv.URL))
	for _, err := range c.Events.List(context.Background(), nil) {
		if err != nil {
			t.Fatalf("full:write: %v", err)
		}
	}
}

func TestLeastPrivilege(t *testing.T) {
	got, err := livestorm.LeastPrivilege(livestorm.OpEventsList, livestorm.OpEventsCreate, livestorm.OpIdentityOrganization, livestorm.OpWebhooksList)
	if err != nil {
		t.Fatal(err)
	}
	want := []scopes.Livestorm{scopes.LivestormEventsWrite, scopes.LivestormIdentityRead, scopes.LivestormWebhooksRead}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if _, err := livestorm.LeastPrivilege("Nope.Nothing"); err == nil {
		t.Error("an unknown operation was accepted")
	}
}

func TestNewClientInput(t *testing.T) {
	if _, err := livestorm.NewClient(nil); err == nil || !strings.Contains(err.Error(), "token source is nil") {
		t.Errorf("nil source: %v", err)
	}
	if _, err := livestorm.NewClient(granted(""), livestorm.WithBaseURL("api.livestorm.co/v1")); err == nil {
		t.Error("a relative base URL was accepted")
	}
}

// Livestorm speaks JSON:API: requests ask for its media type.
func TestAcceptsJSONAPI(t *testing.T) {
	srv := sandbox.NewExampleServer(t, spec)
	c, _ := livestorm.NewClient(granted("events:read"), livestorm.WithBaseURL(srv.URL))
	if _, err := c.Events.Get(context.Background(), eventID); err != nil {
		t.Fatal(err)
	}
	if got := srv.Calls("getEvent")[0].Header.Get("Accept"); got != "application/vnd.api+json" {
		t.Errorf("Accept = %q, want application/vnd.api+json", got)
	}
}

// Livestorm's own 403 for a missing scope is a *livestorm.Error with its
// JSON:API body, and still matches scopes.ErrNotGranted; it is not retried.
func TestInsufficientScopeAnswer(t *testing.T) {
	srv := sandbox.NewExampleServer(t, spec, sandbox.WithResponse("getEvent", http.StatusForbidden,
		`{"errors":[{"status":"forbidden","title":"Forbidden","detail":"Missing scope events:read"}]}`,
		http.Header{"Www-Authenticate": {`Bearer realm="Doorkeeper", error="insufficient_scope"`}}))
	c, _ := livestorm.NewClient(granted("events:read"), livestorm.WithBaseURL(srv.URL))
	_, err := c.Events.Get(context.Background(), eventID)
	var le *livestorm.Error
	if !errors.As(err, &le) || le.StatusCode != 403 || !errors.Is(err, scopes.ErrNotGranted) {
		t.Fatalf("err = %v; want a *livestorm.Error 403 matching ErrNotGranted", err)
	}
	if !strings.Contains(err.Error(), "Missing scope events:read") {
		t.Errorf("Error() = %q, want Livestorm's detail", err)
	}
	if n := srv.Count("getEvent"); n != 1 {
		t.Errorf("requests = %d, want 1", n)
	}
}

// The client paces itself: no six requests start within a second.
func TestClientPaces(t *testing.T) {
	var starts []time.Time
	rt := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		starts = append(starts, time.Now())
		return &http.Response{StatusCode: 204, Body: http.NoBody, Request: r}, nil
	})
	c, _ := livestorm.NewClient(granted(""), livestorm.WithHTTPClient(&http.Client{Transport: rt}))
	for range 7 {
		if err := c.Identity.Ping(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	if gap := starts[5].Sub(starts[0]); gap < time.Second {
		t.Errorf("the first and sixth requests started %v apart, want at least a second", gap)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
