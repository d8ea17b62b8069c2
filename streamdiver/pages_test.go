package streamdiver_test

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"math"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/onair-go/onair/streamdiver"
)

// lyingServer answers every list with full JSend pages (as many items as
// perpage asks) whose pagination block is pagination(page), or none when
// that is nil.
func lyingServer(t *testing.T, pagination func(page, perpage int) map[string]any) (*httptest.Server, *atomic.Int32) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("page"))
		perpage, _ := strconv.Atoi(r.URL.Query().Get("perpage"))
		var data []map[string]any
		for i := range perpage {
			data = append(data, map[string]any{"id": fmt.Sprintf("00000000-0000-4000-8000-%012d", page*perpage+i), "name": "x"})
		}
		body := map[string]any{"status": "success", "data": data}
		if p := pagination(page, perpage); p != nil {
			body["pagination"] = p
		}
		json.NewEncoder(w).Encode(body)
	}))
	t.Cleanup(srv.Close)
	return srv, &requests
}

func count[T any](seq iter.Seq2[T, error]) (int, error) {
	n := 0
	for _, err := range seq {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

func anySeq[T any](seq iter.Seq2[T, error]) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		for v, err := range seq {
			if !yield(v, err) {
				return
			}
		}
	}
}

// A server whose pagination would never end (totalPages at MaxInt64, or no
// pagination block and every page full) makes a loop over any listing end
// at the bound with an error that says so, each page read once; one that
// answers another page than the one asked for ends it at once.
func TestListingsEndWhenTheServerLies(t *testing.T) {
	perpage := 10
	lists := map[string]func(c *streamdiver.Client) iter.Seq2[any, error]{
		"Channels.List": func(c *streamdiver.Client) iter.Seq2[any, error] {
			return anySeq(c.Channels.List(context.Background(), &streamdiver.ListChannelsParams{PerPage: perpage}))
		},
		"Media.List": func(c *streamdiver.Client) iter.Seq2[any, error] {
			return anySeq(c.Media.List(context.Background(), &streamdiver.ListMediaParams{PerPage: perpage}))
		},
		"Uploads.List": func(c *streamdiver.Client) iter.Seq2[any, error] {
			return anySeq(c.Uploads.List(context.Background(), &streamdiver.ListUploadsParams{PerPage: perpage}))
		},
	}
	for _, tc := range []struct {
		name       string
		maxPages   int
		pagination func(page, perpage int) map[string]any
		pages      int // read, each a request of perpage items
		endless    bool
		requests   int    // when not pages: the last request's page was refused
		says       string // in the error, when not "after <pages> page"
	}{
		{"totalPages at MaxInt64", 30, func(p, n int) map[string]any {
			return map[string]any{"page": p, "perpage": n, "total": math.MaxInt64, "totalPages": math.MaxInt64}
		}, 30, true, 0, ""},
		{"totalPages at MaxInt64, the page ignored", 4, func(_, n int) map[string]any {
			return map[string]any{"page": 0, "perpage": n, "total": math.MaxInt64, "totalPages": math.MaxInt64}
		}, 1, true, 2, "asked for page 1, the answer is page 0"},
		{"no pagination block, every page full", 12, func(int, int) map[string]any { return nil }, 12, true, 0, ""},
		{"one page allowed", 1, func(int, int) map[string]any { return nil }, 1, true, 0, ""},
		{"honest", 0, func(p, n int) map[string]any {
			return map[string]any{"page": p, "perpage": n, "total": 5 * n, "totalPages": 5}
		}, 5, false, 0, ""},
	} {
		for name, list := range lists {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				srv, requests := lyingServer(t, tc.pagination)
				c, err := streamdiver.NewClient(allScopes(), streamdiver.WithBaseURL(srv.URL), streamdiver.WithMaxPages(tc.maxPages))
				if err != nil {
					t.Fatal(err)
				}
				items, err := count(list(c))
				wantRequests := cmp.Or(tc.requests, tc.pages)
				if items != tc.pages*perpage || int(requests.Load()) != wantRequests {
					t.Errorf("%d items after %d requests, want %d after %d", items, requests.Load(), tc.pages*perpage, wantRequests)
				}
				if !tc.endless {
					if err != nil {
						t.Errorf("an honest listing: %v", err)
					}
					return
				}
				says := cmp.Or(tc.says, fmt.Sprintf("after %d page", tc.pages))
				if !errors.Is(err, streamdiver.ErrEndlessPagination) || !strings.Contains(err.Error(), says) ||
					!strings.HasPrefix(err.Error(), "streamdiver: "+name+": ") {
					t.Errorf("err = %v; want streamdiver.ErrEndlessPagination from %s saying %q", err, name, says)
				}
			})
		}
	}
}
