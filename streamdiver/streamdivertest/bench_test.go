package streamdivertest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/onair-go/onair/internal/sandbox/probe"
	"github.com/onair-go/onair/internal/sidebyside"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

// BenchmarkTypedCall measures typed calls served by the sandbox, client
// and server in one process, next to the same call against a bare
// loopback server answering the same bytes: the difference is what the
// sandbox costs.
func BenchmarkTypedCall(b *testing.B) {
	srv := streamdivertest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	ts := srv.Config().TokenSource(ctx, srv.IssueToken())
	newClient := func(base string, opts ...streamdiver.Option) *streamdiver.Client {
		c, err := streamdiver.NewClient(ts, append([]streamdiver.Option{streamdiver.WithBaseURL(base)}, opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	var id string
	for m, err := range newClient(srv.URL).Media.List(ctx, nil) {
		if err != nil {
			b.Fatal(err)
		}
		id = m.ID
		break
	}
	rec := &sidebyside.Recorder{Base: srv.Client().Transport}
	if _, err := newClient(srv.URL, streamdiver.WithHTTPClient(&http.Client{Transport: rec})).Media.Get(ctx, id); err != nil {
		b.Fatal(err)
	}
	bare := sidebyside.Bare(b, rec.Last())
	for _, s := range []struct{ name, url string }{{"sandbox", srv.URL}, {"bare", bare.URL}} {
		client := newClient(s.url)
		b.Run(s.name, func(b *testing.B) {
			probe.Throughput(b, func() error {
				_, err := client.Media.Get(ctx, id)
				return err
			})
		})
	}
}
