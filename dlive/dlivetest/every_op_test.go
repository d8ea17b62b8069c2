package dlivetest_test

import (
	"context"
	"testing"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/optest"
	"github.com/onair-go/onair/scopes"
)

// TestEveryOperation calls each operation of the spec through the typed
// client against a fresh sandbox, with the spec's example arguments. The
// spec's one operation is the GraphQL envelope, which needs no scope of its
// own: its example, query Me, needs what Users.Me does.
func TestEveryOperation(t *testing.T) {
	spec, err := apispec.Load(context.Background(), "../../specs/dlive.yaml")
	if err != nil {
		t.Fatal(err)
	}
	optest.Sandbox(t, spec, func(t *testing.T, op string) any {
		srv := dlivetest.NewServer()
		t.Cleanup(srv.Close)
		need := dlive.Operation(op).Scopes()
		if dlive.Operation(op) == dlive.OpGraphQLDo {
			need = dlive.OpUsersMe.Scopes()
		}
		var scope []scopes.DLive
		if len(need) > 0 {
			scope = need[0]
		}
		c, err := dlive.NewClient(srv.Config().TokenSource(context.Background(), srv.IssueToken(scope...)), dlive.WithBaseURL(srv.URL),
			// Its own connections: another subtest's srv.Close closes the idle
			// connections of http.DefaultTransport, which can break a DELETE
			// in flight here (a DELETE is not replayed).
			dlive.WithHTTPClient(srv.Client()))
		if err != nil {
			t.Fatal(err)
		}
		return c
	})
}
