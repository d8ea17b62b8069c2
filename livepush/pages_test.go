package livepush_test

import (
	"context"
	"fmt"
	"iter"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"

	"github.com/onair-go/onair/livepush"
)

func anySeq[T any](seq iter.Seq2[T, error]) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		for v, err := range seq {
			if !yield(v, err) {
				return
			}
		}
	}
}

// Livepush lists answer whole, in one request: an answer that hints at
// more pages (a Link to the next, a page count or a cursor in its headers)
// is read once, and the loop ends after its items, however high the bound
// of pages.
func TestListingsAreOneRequestWhateverTheServerSays(t *testing.T) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := requests.Add(1)
		w.Header().Set("Link", fmt.Sprintf(`<%s?page=%d&cursor=c%d>; rel="next"`, r.URL.Path, n+1, n))
		w.Header().Set("X-Total-Pages", "9223372036854775807")
		w.Header().Set("X-Next-Cursor", fmt.Sprintf("c%d", n))
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `[{"id":"a%d"},{"id":"b%d"},{"id":"c%d"}]`, n, n, n)
	}))
	defer srv.Close()
	c, err := livepush.NewClient(allScopes(), livepush.WithBaseURL(srv.URL), livepush.WithMaxPages(1<<30))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for name, list := range map[string]iter.Seq2[any, error]{
		"Account.ListSubscriptions":  anySeq(c.Account.ListSubscriptions(ctx)),
		"Streams.List":               anySeq(c.Streams.List(ctx)),
		"Destinations.List":          anySeq(c.Destinations.List(ctx)),
		"Destinations.ListForStream": anySeq(c.Destinations.ListForStream(ctx, "st_1")),
		"Videos.List":                anySeq(c.Videos.List(ctx, "st_1")),
		"VideoImports.ListQueued":    anySeq(c.VideoImports.ListQueued(ctx)),
		"Recordings.List":            anySeq(c.Recordings.List(ctx)),
		"Regions.List":               anySeq(c.Regions.List(ctx)),
		"Teams.List":                 anySeq(c.Teams.List(ctx)),
		"Billing.ListInvoices":       anySeq(c.Billing.ListInvoices(ctx)),
	} {
		requests.Store(0)
		items := 0
		for _, err := range list {
			if err != nil {
				t.Errorf("%s: %v", name, err)
				break
			}
			items++
		}
		if items != 3 || requests.Load() != 1 {
			t.Errorf("%s: %d items after %d requests, want 3 after 1", name, items, requests.Load())
		}
	}
}
