package livestorm_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/onair-go/onair/livestorm"
)

// lyingServer answers every list with pages of two resources, whose meta
// is meta(page): the pagination a test makes the server claim.
func lyingServer(t *testing.T, meta func(page int) map[string]any) (*httptest.Server, *atomic.Int32) {
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		page, _ := strconv.Atoi(r.URL.Query().Get("page[number]"))
		var data []map[string]any
		for i := range 2 {
			id := fmt.Sprintf("00000000-0000-4000-8000-%012d", 2*page+i)
			data = append(data, map[string]any{"id": id, "type": "events", "attributes": map[string]any{}})
		}
		w.Header().Set("Content-Type", "application/vnd.api+json")
		json.NewEncoder(w).Encode(map[string]any{"data": data, "meta": meta(page)})
	}))
	t.Cleanup(srv.Close)
	return srv, &requests
}

// count drains a listing: how many items came, and the error that ended it.
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

// A server whose pagination would never end makes a loop over any listing
// end with an error that says so, after each page once: next_page always
// set, a page[number] ignored, a next_page that does not move on.
func TestListingsEndWhenTheServerLies(t *testing.T) {
	lists := map[string]func(c *livestorm.Client) iter.Seq2[any, error]{
		"Events.List": func(c *livestorm.Client) iter.Seq2[any, error] {
			return anySeq(c.Events.List(context.Background(), nil))
		},
		"People.List": func(c *livestorm.Client) iter.Seq2[any, error] {
			return anySeq(c.People.List(context.Background(), nil))
		},
		"Events.ListPeople": func(c *livestorm.Client) iter.Seq2[any, error] {
			return anySeq(c.Events.ListPeople(context.Background(), "00000000-0000-4000-8000-000000000000", nil))
		},
	}
	for _, tc := range []struct {
		name     string
		maxPages int // 0: the default
		meta     func(page int) map[string]any
		requests int
		items    int
		says     string // in the error; "" for no error
	}{
		{"next_page always set", 25, func(p int) map[string]any { return map[string]any{"current_page": p, "next_page": p + 1} },
			25, 50, "the server still announced more after 25 pages"},
		{"next_page always set, one page allowed", 1, func(p int) map[string]any { return map[string]any{"current_page": p, "next_page": p + 1} },
			1, 2, "after 1 page,"},
		{"next_page always set, no current_page", 3, func(p int) map[string]any { return map[string]any{"next_page": p + 1} },
			3, 6, "after 3 pages"},
		{"page[number] ignored", 0, func(int) map[string]any { return map[string]any{"current_page": 0, "next_page": 1} },
			2, 2, "asked for page 1, the answer is page 0"},
		{"next_page is this page", 0, func(p int) map[string]any { return map[string]any{"current_page": p, "next_page": p} },
			1, 2, "page 0 names page 0 as the next"},
		{"next_page goes back", 0, func(p int) map[string]any { return map[string]any{"current_page": p, "next_page": min(p+1, 3) % 3} },
			3, 6, "page 2 names page 0 as the next"},
		{"honest", 0, func(p int) map[string]any {
			m := map[string]any{"current_page": p, "next_page": p + 1}
			if p == 3 {
				m["next_page"] = nil
			}
			return m
		}, 4, 8, ""},
	} {
		for name, list := range lists {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				srv, requests := lyingServer(t, tc.meta)
				c, err := livestorm.NewClient(granted("events:read"), livestorm.WithBaseURL(srv.URL),
					livestorm.WithoutPacing(), livestorm.WithMaxPages(tc.maxPages))
				if err != nil {
					t.Fatal(err)
				}
				items, err := count(list(c))
				if items != tc.items || int(requests.Load()) != tc.requests {
					t.Errorf("%d items after %d requests, want %d after %d", items, requests.Load(), tc.items, tc.requests)
				}
				if tc.says == "" {
					if err != nil {
						t.Errorf("an honest listing: %v", err)
					}
					return
				}
				if !errors.Is(err, livestorm.ErrEndlessPagination) || !strings.Contains(err.Error(), tc.says) ||
					!strings.HasPrefix(err.Error(), "livestorm: "+name+": ") {
					t.Errorf("err = %v; want livestorm.ErrEndlessPagination from %s saying %q", err, name, tc.says)
				}
			})
		}
	}
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
