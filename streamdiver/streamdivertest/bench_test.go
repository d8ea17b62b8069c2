package streamdivertest_test

import (
	"context"
	"testing"

	"github.com/onair-go/onair/internal/sandbox/probe"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

// BenchmarkTypedCall measures typed calls served by the sandbox, client
// and server in one process.
func BenchmarkTypedCall(b *testing.B) {
	srv := streamdivertest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	client, err := streamdiver.NewClient(srv.Config().TokenSource(ctx, srv.IssueToken()), streamdiver.WithBaseURL(srv.URL))
	if err != nil {
		b.Fatal(err)
	}
	var id string
	for m, err := range client.Media.List(ctx, nil) {
		if err != nil {
			b.Fatal(err)
		}
		id = m.ID
		break
	}
	probe.Throughput(b, func() error {
		_, err := client.Media.Get(ctx, id)
		return err
	})
}
