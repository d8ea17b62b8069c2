package dlivetest_test

import (
	"context"
	"testing"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/scopes"
)

// TestCalls: calls are counted per GraphQL operation, injected faults
// included.
func TestCalls(t *testing.T) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	c, err := dlive.NewClient(srv.Config().TokenSource(ctx, srv.IssueToken(scopes.DLiveIdentity)), dlive.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.FailOperation(dlive.OpUsersMe, 500, 1); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Me(ctx); err == nil {
		t.Error("the injected fault did not fail Me")
	}
	if _, err := c.Me(ctx); err != nil {
		t.Fatal(err)
	}
	if got := srv.Calls(dlive.OpUsersMe); got != 2 {
		t.Errorf("Calls(OpUsersMe) = %d, want 2", got)
	}
	if got := srv.Calls(dlive.OpUsersGet); got != 0 {
		t.Errorf("Calls(OpUsersGet) = %d, want 0", got)
	}
}
