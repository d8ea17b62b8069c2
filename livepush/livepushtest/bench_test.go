package livepushtest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/onair-go/onair/internal/sidebyside"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/scopes"
)

// BenchmarkTypedCall measures typed calls served by the sandbox, client
// and server in one process (calls/s is the throughput a test suite
// gets), next to the same call against a bare loopback server answering
// the same bytes: the difference is what the sandbox costs.
func BenchmarkTypedCall(b *testing.B) {
	srv := livepushtest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	ts := srv.Config().TokenSource(ctx, srv.IssueToken(scopes.LivepushStreamsRead))
	newClient := func(base string, hc *http.Client) *livepush.Client {
		opts := []livepush.Option{livepush.WithBaseURL(base)}
		if hc != nil {
			opts = append(opts, livepush.WithHTTPClient(hc))
		}
		c, err := livepush.NewClient(ts, opts...)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	created := firstStream(b, newClient(srv.URL, nil))
	sidebyside.Run(b, srv.URL, srv.Client().Transport, func(base string, hc *http.Client) func() error {
		client := newClient(base, hc)
		return func() error {
			_, err := client.Streams.Get(ctx, created)
			return err
		}
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
