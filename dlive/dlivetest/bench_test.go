package dlivetest_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
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
	newClient := func(base string, hc *http.Client) *dlive.Client {
		opts := []dlive.Option{dlive.WithBaseURL(base)}
		if hc != nil {
			opts = append(opts, dlive.WithHTTPClient(hc))
		}
		c, err := dlive.NewClient(ts, opts...)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	sidebyside.Run(b, srv.URL, srv.Client().Transport, func(base string, hc *http.Client) func() error {
		client := newClient(base, hc)
		return func() error {
			_, err := client.Me(ctx)
			return err
		}
	})
}
