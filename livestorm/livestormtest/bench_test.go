package livestormtest_test

import (
	"context"
	"testing"

	"github.com/onair-go/onair/internal/sandbox/probe"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// BenchmarkTypedCall measures typed calls served by the sandbox with
// Livestorm's rate limit off, client and server in one process.
func BenchmarkTypedCall(b *testing.B) {
	srv := livestormtest.NewServer(livestormtest.WithoutRateLimit())
	defer srv.Close()
	ctx := context.Background()
	tok := srv.IssueToken(scopes.LivestormEventsRead)
	// The client's own pacing (5 starts a second) would measure the pacer.
	client, err := livestorm.NewClient(srv.Config().TokenSource(ctx, tok), livestorm.WithBaseURL(srv.URL), livestorm.WithoutPacing())
	if err != nil {
		b.Fatal(err)
	}
	var id string
	for e, err := range client.Events.List(ctx, nil) {
		if err != nil {
			b.Fatal(err)
		}
		id = e.ID
		break
	}
	probe.Throughput(b, func() error {
		_, err := client.Events.Get(ctx, id)
		return err
	})
}
