package livestormtest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/onair-go/onair/scopes"
)

// The handlers no longer check enums and ranges themselves: the spec's
// validation must refuse each bad value on every path that reaches them,
// while the same request with a good value passes.
func TestSpecRefusesWhatHandlersNoLongerCheck(t *testing.T) {
	srv, _ := start(t)
	tok := srv.IssueToken(scopes.All[scopes.Livestorm]()...).AccessToken
	send := func(method, path, body string) int {
		t.Helper()
		req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
		if body != "" {
			req.Header.Set("Content-Type", "application/vnd.api+json")
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	event := func(status string) string {
		return `{"data":{"type":"events","attributes":{"status":"` + status + `"}}}`
	}
	user := func(role string) string {
		return `{"data":{"type":"users","attributes":{"email":"new-` + role + `@acme.example","role":"` + role + `"}}}`
	}
	hook := func(ev string) string {
		return `{"data":{"type":"webhooks","attributes":{"url":"https://hooks.acme.example/x","event":"` + ev + `"}}}`
	}
	tests := []struct {
		name              string
		method, good, bad string // paths
		goodBody, badBody string
	}{
		{"event status on PATCH", "PATCH", "/events/" + onboard, "/events/" + onboard, event("published"), event("archived")},
		{"event status on PUT", "PUT", "/events/" + onboard, "/events/" + onboard, event("published"), event("archived")},
		{"user role", "POST", "/users", "/users", user("moderator"), user("owner")},
		{"webhook event", "POST", "/webhooks", "/webhooks", hook("people.registered"), hook("people.exploded")},
		{"page size 0", "GET", "/webhooks?page[size]=1", "/webhooks?page[size]=0", "", ""},
		{"page size 51", "GET", "/webhooks?page[size]=50", "/webhooks?page[size]=51", "", ""},
		{"page number -1", "GET", "/webhooks?page[number]=0", "/webhooks?page[number]=-1", "", ""},
		{"url_expires_in", "GET", "/sessions/" + july + "/recordings?url_expires_in=3600", "/sessions/" + july + "/recordings?url_expires_in=3599", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := send(tt.method, tt.good, tt.goodBody); got >= 300 {
				t.Fatalf("good request answered %d, want 2xx", got)
			}
			if got := send(tt.method, tt.bad, tt.badBody); got != http.StatusBadRequest {
				t.Errorf("bad request answered %d, want 400", got)
			}
		})
	}
}
