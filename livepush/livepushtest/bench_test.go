package livepushtest_test

import (
	"context"
	"testing"

	"github.com/onair-go/onair/internal/sandbox/probe"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/scopes"
)

// BenchmarkTypedCall measures typed calls served by the sandbox, client
// and server in one process; calls/s is the throughput a test suite gets.
func BenchmarkTypedCall(b *testing.B) {
	srv := livepushtest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	tok := srv.IssueToken(scopes.LivepushStreamsRead)
	client, err := livepush.NewClient(srv.Config().TokenSource(ctx, tok), livepush.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	created := firstStream(b, client)
	probe.Throughput(b, func() error {
		_, err := client.Streams.Get(ctx, created)
		return err
	})
}

func firstStream(b *testing.B, c *livepush.Client) string {
	for s, err := range c.Streams.List(context.Background()) {
		if err != nil {
			b.Fatal(err)
		}
		return s.ID
	}
	b.Fatal("no seeded stream")
	return ""
}

// BenchmarkNewServer measures starting and stopping a sandbox, which a
// test that wants fresh state pays each time.
func BenchmarkNewServer(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		livepushtest.NewServer().Close()
	}
}
