package livepushtest_test

import (
	"context"
	"testing"

	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/optest"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/scopes"
)

// TestEveryOperation calls each operation of the spec through the typed
// client against a fresh sandbox, with the spec's example arguments.
func TestEveryOperation(t *testing.T) {
	spec, err := apispec.Load(context.Background(), "../../specs/livepush.yaml")
	if err != nil {
		t.Fatal(err)
	}
	optest.Sandbox(t, spec, func(t *testing.T, op string) any {
		srv := livepushtest.NewServer()
		t.Cleanup(srv.Close)
		var need []scopes.Livepush
		if alts := livepush.Operation(op).Scopes(); len(alts) > 0 {
			need = alts[0]
		}
		c, err := livepush.NewClient(srv.Config().TokenSource(context.Background(), srv.IssueToken(need...)), livepush.WithBaseURL(srv.URL),
			// Its own connections: another subtest's srv.Close closes the idle
			// connections of http.DefaultTransport, which can break a DELETE
			// in flight here (a DELETE is not replayed).
			livepush.WithHTTPClient(srv.Client()))
		if err != nil {
			t.Fatal(err)
		}
		return c
	})
}
