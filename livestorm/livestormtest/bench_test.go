package livestormtest_test

import (
	"context"
	"net/http"
	"testing"

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
	newClient := func(base string, hc *http.Client) *livestorm.Client {
		opts := []livestorm.Option{livestorm.WithBaseURL(base), livestorm.WithoutPacing()}
		if hc != nil {
			opts = append(opts, livestorm.WithHTTPClient(hc))
		}
		c, err := livestorm.NewClient(ts, opts...)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	var id string
	for e, err := range newClient(srv.URL, nil).Events.List(ctx, nil) {
		if err != nil {
			b.Fatal(err)
		}
		id = e.ID
		break
	}
	sidebyside.Run(b, srv.URL, srv.Client().Transport, func(base string, hc *http.Client) func() error {
		client := newClient(base, hc)
		return func() error {
			_, err := client.Events.Get(ctx, id)
			return err
		}
	})
}
