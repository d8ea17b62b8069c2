package livestormtest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/onair-go/onair/internal/sandbox/probe"
	"github.com/onair-go/onair/internal/sidebyside"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// BenchmarkTypedCall measures typed calls served by the sandbox with
// Livestorm's rate limit off, client and server in one process, next to
// the same call against a bare loopback server answering the same bytes:
// the difference is what the sandbox costs.
func BenchmarkTypedCall(b *testing.B) {
	srv := livestormtest.NewServer(livestormtest.WithoutRateLimit())
	defer srv.Close()
	ctx := context.Background()
	ts := srv.Config().TokenSource(ctx, srv.IssueToken(scopes.LivestormEventsRead))
	// The client's own pacing (5 starts a second) would measure the pacer.
	newClient := func(base string, opts ...livestorm.Option) *livestorm.Client {
		c, err := livestorm.NewClient(ts, append([]livestorm.Option{livestorm.WithBaseURL(base), livestorm.WithoutPacing()}, opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	var id string
	for e, err := range newClient(srv.URL).Events.List(ctx, nil) {
		if err != nil {
			b.Fatal(err)
		}
		id = e.ID
		break
	}
	rec := &sidebyside.Recorder{Base: srv.Client().Transport}
	if _, err := newClient(srv.URL, livestorm.WithHTTPClient(&http.Client{Transport: rec})).Events.Get(ctx, id); err != nil {
		b.Fatal(err)
	}
	bare := sidebyside.Bare(b, rec.Last())
	for _, s := range []struct{ name, url string }{{"sandbox", srv.URL}, {"bare", bare.URL}} {
		client := newClient(s.url)
		b.Run(s.name, func(b *testing.B) {
			probe.Throughput(b, func() error {
				_, err := client.Events.Get(ctx, id)
				return err
			})
		})
	}
}
