package dlivetest_test

import (
	"context"
	"testing"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/internal/sandbox/probe"
	"github.com/onair-go/onair/scopes"
)

// BenchmarkTypedCall measures typed GraphQL calls served by the sandbox,
// client and server in one process.
func BenchmarkTypedCall(b *testing.B) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	client, err := dlive.NewClient(srv.Config().TokenSource(ctx, srv.IssueToken(scopes.DLiveIdentity)), dlive.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	probe.Throughput(b, func() error {
		_, err := client.Me(ctx)
		return err
	})
}
