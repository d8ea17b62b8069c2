package livestormtest_test

import (
	"net/http"
	"testing"

	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// A Config.Quota that is not positive means Livestorm's own monthly quota
// in the headers, a negative one too: WithMonthlyQuota clamps to 0, but an
// option may set Config.Quota itself, as sandbox.Config's doc invites.
func TestNonPositiveQuotaHeaders(t *testing.T) {
	srv := livestormtest.NewServer(livestormtest.Option(func(c *sandbox.Config) { c.Quota = -1 }))
	defer srv.Close()
	tok := srv.IssueToken(scopes.LivestormIdentityRead).AccessToken
	req, _ := http.NewRequest("GET", srv.URL+"/ping", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("RateLimit-Monthly-Limit"); got != "10000" {
		t.Errorf("RateLimit-Monthly-Limit = %q, want 10000 (Livestorm's quota)", got)
	}
	if got := resp.Header.Get("RateLimit-Monthly-Remaining"); got != "9999" {
		t.Errorf("RateLimit-Monthly-Remaining = %q, want 9999", got)
	}
}
