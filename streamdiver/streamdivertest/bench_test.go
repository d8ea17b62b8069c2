package streamdivertest_test

import (
	"context"
	"net/http"
	"testing"

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
	newClient := func(base string, hc *http.Client) *streamdiver.Client {
		opts := []streamdiver.Option{streamdiver.WithBaseURL(base)}
		if hc != nil {
			opts = append(opts, streamdiver.WithHTTPClient(hc))
		}
		c, err := streamdiver.NewClient(ts, opts...)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	var id string
	for m, err := range newClient(srv.URL, nil).Media.List(ctx, nil) {
		if err != nil {
			b.Fatal(err)
		}
		id = m.ID
		break
	}
	sidebyside.Run(b, srv.URL, srv.Client().Transport, func(base string, hc *http.Client) func() error {
		client := newClient(base, hc)
		return func() error {
			_, err := client.Media.Get(ctx, id)
			return err
		}
	})
}
