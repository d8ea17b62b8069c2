package streamdivertest_test

import (
	"context"
	"testing"

	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/optest"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

// TestEveryOperation calls each operation of the spec through the typed
// client against a fresh sandbox, with the spec's example arguments.
func TestEveryOperation(t *testing.T) {
	spec, err := apispec.Load(context.Background(), "../../specs/streamdiver.yaml")
	if err != nil {
		t.Fatal(err)
	}
	optest.Sandbox(t, spec, func(t *testing.T, op string) any {
		srv := streamdivertest.NewServer()
		t.Cleanup(srv.Close)
		var need []scopes.Streamdiver
		if alts := streamdiver.Operation(op).Scopes(); len(alts) > 0 {
			need = alts[0]
		}
		c, err := streamdiver.NewClient(srv.Config().TokenSource(context.Background(), srv.IssueToken(need...)), streamdiver.WithBaseURL(srv.URL),
			// Its own connections: another subtest's srv.Close closes the idle
			// connections of http.DefaultTransport, which can break a DELETE
			// in flight here (a DELETE is not replayed).
			streamdiver.WithHTTPClient(srv.Client()))
		if err != nil {
			t.Fatal(err)
		}
		return c
	})
}
