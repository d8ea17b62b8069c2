package dlivetest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/internal/sandbox/probe"
	"github.com/onair-go/onair/internal/sidebyside"
	"github.com/onair-go/onair/scopes"
)

// BenchmarkTypedCall measures typed GraphQL calls served by the sandbox,
// client and server in one process, next to the same call against a bare
// loopback server answering the same bytes: the difference is what the
// sandbox costs.
func BenchmarkTypedCall(b *testing.B) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	ts := srv.Config().TokenSource(ctx, srv.IssueToken(scopes.DLiveIdentity))
	newClient := func(base string, opts ...dlive.Option) *dlive.Client {
		c, err := dlive.NewClient(ts, append([]dlive.Option{dlive.WithBaseURL(base)}, opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	rec := &sidebyside.Recorder{Base: srv.Client().Transport}
	if _, err := newClient(srv.URL, dlive.WithHTTPClient(&http.Client{Transport: rec})).Me(ctx); err != nil {
		b.Fatal(err)
	}
	bare := sidebyside.Bare(b, rec.Last())
	for _, s := range []struct{ name, url string }{{"sandbox", srv.URL}, {"bare", bare.URL}} {
		client := newClient(s.url)
		b.Run(s.name, func(b *testing.B) {
			probe.Throughput(b, func() error {
				_, err := client.Me(ctx)
				return err
			})
		})
	}
}
