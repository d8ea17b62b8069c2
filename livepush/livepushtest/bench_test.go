package livepushtest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/onair-go/onair/internal/sandbox/probe"
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
	newClient := func(base string, opts ...livepush.Option) *livepush.Client {
		c, err := livepush.NewClient(ts, append([]livepush.Option{livepush.WithBaseURL(base)}, opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	created := firstStream(b, newClient(srv.URL))
	rec := &sidebyside.Recorder{Base: srv.Client().Transport}
	if _, err := newClient(srv.URL, livepush.WithHTTPClient(&http.Client{Transport: rec})).Streams.Get(ctx, created); err != nil {
		b.Fatal(err)
	}
	bare := sidebyside.Bare(b, rec.Last())
	for _, s := range []struct{ name, url string }{{"sandbox", srv.URL}, {"bare", bare.URL}} {
		client := newClient(s.url)
		b.Run(s.name, func(b *testing.B) {
			probe.Throughput(b, func() error {
				_, err := client.Streams.Get(ctx, created)
				return err
			})
		})
	}
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
