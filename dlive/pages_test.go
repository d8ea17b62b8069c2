package dlive_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/dlive"
)

// The connections whose cursors a lying server makes go round: each
// operation's answer around a pageInfo and a list of items.
var connections = map[string]struct {
	wrap func(conn string) string // the answer around the connection
	item func(id string) string
	list func(c *dlive.Client, after string) iter.Seq2[any, error]
	// page fetches the page after after with the page method: its items
	// and the After of the next page's params, nil after the last.
	page func(c *dlive.Client, after string) ([]any, *string, error)
	id   func(item any) string
}{
	"Livestreams": {
		wrap: func(conn string) string { return `{"data":{"livestreams":` + conn + `}}` },
		item: func(id string) string { return strings.Replace(stream1JSON, "livestream:dlive-12345678+r3Kp2", id, 1) },
		list: func(c *dlive.Client, after string) iter.Seq2[any, error] {
			return anySeq(c.Livestreams.List(context.Background(), &dlive.ListLivestreamsParams{First: 2, After: after}))
		},
		page: func(c *dlive.Client, after string) ([]any, *string, error) {
			items, next, err := c.Livestreams.ListPage(context.Background(), &dlive.ListLivestreamsParams{First: 2, After: after})
			return anySlice(items), afterOf(next, func(p *dlive.ListLivestreamsParams) string { return p.After }), err
		},
		id: func(item any) string { return item.(dlive.Livestream).ID },
	},
	"LivestreamsFollowing": {
		wrap: func(conn string) string { return `{"data":{"livestreamsFollowing":` + conn + `}}` },
		item: func(id string) string { return strings.Replace(stream3JSON, "livestream:dlive-45678901+Lm0aa", id, 1) },
		list: func(c *dlive.Client, after string) iter.Seq2[any, error] {
			return anySeq(c.Livestreams.ListFollowing(context.Background(), &dlive.ListFollowingLivestreamsParams{First: 2, After: after}))
		},
		page: func(c *dlive.Client, after string) ([]any, *string, error) {
			items, next, err := c.Livestreams.ListFollowingPage(context.Background(), &dlive.ListFollowingLivestreamsParams{First: 2, After: after})
			return anySlice(items), afterOf(next, func(p *dlive.ListFollowingLivestreamsParams) string { return p.After }), err
		},
		id: func(item any) string { return item.(dlive.Livestream).ID },
	},
	"Search": {
		wrap: func(conn string) string { return `{"data":{"search":{"users":` + conn + `}}}` },
		item: func(id string) string {
			return `{"id":"` + id + `","username":"u","displayname":"U","avatar":"` + avatar + `","partnerStatus":"NONE"}`
		},
		list: func(c *dlive.Client, after string) iter.Seq2[any, error] {
			return anySeq(c.Users.Search(context.Background(), "pixel", &dlive.SearchUsersParams{First: 2, After: after}))
		},
		page: func(c *dlive.Client, after string) ([]any, *string, error) {
			items, next, err := c.Users.SearchPage(context.Background(), "pixel", &dlive.SearchUsersParams{First: 2, After: after})
			return anySlice(items), afterOf(next, func(p *dlive.SearchUsersParams) string { return p.After }), err
		},
		id: func(item any) string { return item.(dlive.UserSummary).ID },
	},
}

// page is one answer of a lying server: two items and its pageInfo.
func page(op, after, endCursor string, hasNext bool) string {
	items := []string{connections[op].item(after + "/0"), connections[op].item(after + "/1")}
	cursor, _ := json.Marshal(endCursor)
	if endCursor == "" {
		cursor = []byte("null")
	}
	return connections[op].wrap(fmt.Sprintf(`{"pageInfo":{"endCursor":%s,"hasNextPage":%t},"list":[%s]}`,
		cursor, hasNext, strings.Join(items, ",")))
}

func anySlice[T any](items []T) []any {
	out := make([]any, len(items))
	for i, it := range items {
		out[i] = it
	}
	return out
}

// afterOf returns the After of a page method's next params, nil after the
// last page.
func afterOf[P any](next *P, after func(*P) string) *string {
	if next == nil {
		return nil
	}
	a := after(next)
	return &a
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

// A cursor that comes round again, however many pages later, ends every
// cursor listing with an error once each page of the cycle has been read
// once: no cursor asked twice, no item twice.
func TestCursorCyclesEnd(t *testing.T) {
	for _, tc := range []struct {
		start       string // params.After
		lead, cycle int
	}{
		{"", 1, 1},
		{"", 1, 2},
		{"", 3, 4},
		{"", 1, 150}, // 300 items
		{"resume", 0, 1},
		{"resume", 0, 3},
		{"resume", 2, 2},
	} {
		for op, conn := range connections {
			name := fmt.Sprintf("%s from %q, %d pages then a cycle of %d", op, tc.start, tc.lead, tc.cycle)
			// Page k comes after cursor cur(k); the last page of the cycle
			// points back to its first, page lead.
			cur := func(k int) string {
				if k == 0 {
					return tc.start
				}
				return "c" + strconv.Itoa(k)
			}
			answers := defaultAnswers()
			answers[op] = func(vars map[string]any) answer {
				after, _ := vars["after"].(string)
				k := 0
				if after != tc.start {
					k, _ = strconv.Atoi(strings.TrimPrefix(after, "c"))
				}
				next := cur(k + 1)
				if k+1 == tc.lead+tc.cycle {
					next = cur(tc.lead)
				}
				return answer{status: 200, body: page(op, cur(k), next, true)}
			}
			srv := newFakeDLive(t, answers)
			// A bound above every cycle here, so that a cycle missed
			// fails fast.
			c, err := dlive.NewClient(tokenSource(allScopes), dlive.WithBaseURL(srv.URL), dlive.WithMaxPages(1000))
			if err != nil {
				t.Fatal(err)
			}
			items, err := collect(conn.list(c, tc.start))
			if !errors.Is(err, dlive.ErrEndlessPagination) || !strings.Contains(err.Error(), "repeat") {
				t.Errorf("%s: err = %v, want dlive.ErrEndlessPagination about a repeat", name, err)
				continue
			}
			if want := 2 * (tc.lead + tc.cycle); len(items) != want {
				t.Errorf("%s: %d items, want %d", name, len(items), want)
			}
			asked := map[any]int{}
			for _, c := range srv.Calls() {
				asked[c.Vars["after"]]++
			}
			if len(asked) != tc.lead+tc.cycle || len(srv.Calls()) != tc.lead+tc.cycle {
				t.Errorf("%s: %d requests for %d cursors, want %d of each", name, len(srv.Calls()), len(asked), tc.lead+tc.cycle)
			}
		}
	}
}

// A page that says more follow with no cursor to them, and a server that
// hands out fresh cursors forever, end with an error too.
func TestCursorListingsEndWhenTheServerLies(t *testing.T) {
	for _, tc := range []struct {
		name     string
		maxPages int
		next     func(k int) (string, bool) // page k's endCursor and hasNextPage
		pages    int
		says     string
	}{
		{"hasNextPage with a null endCursor", 0, func(k int) (string, bool) {
			if k == 2 {
				return "", true
			}
			return "c" + strconv.Itoa(k+1), true
		}, 3, "gives no cursor"},
		{"fresh cursors forever", 15, func(k int) (string, bool) { return "c" + strconv.Itoa(k+1), true }, 15, "after 15 pages"},
		{"fresh cursors forever, one page allowed", 1, func(k int) (string, bool) { return "c" + strconv.Itoa(k+1), true }, 1, "after 1 page,"},
	} {
		for op, conn := range connections {
			answers := defaultAnswers()
			answers[op] = func(vars map[string]any) answer {
				after, _ := vars["after"].(string)
				k, _ := strconv.Atoi(strings.TrimPrefix(after, "c"))
				next, more := tc.next(k)
				return answer{status: 200, body: page(op, after, next, more)}
			}
			srv := newFakeDLive(t, answers)
			c, err := dlive.NewClient(tokenSource(allScopes), dlive.WithBaseURL(srv.URL), dlive.WithMaxPages(tc.maxPages))
			if err != nil {
				t.Fatal(err)
			}
			items, err := collect(conn.list(c, ""))
			if !errors.Is(err, dlive.ErrEndlessPagination) || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("%s, %s: err = %v; want dlive.ErrEndlessPagination saying %q", tc.name, op, err, tc.says)
			}
			if len(items) != 2*tc.pages || len(srv.Calls()) != tc.pages {
				t.Errorf("%s, %s: %d items after %d requests, want %d after %d", tc.name, op, len(items), len(srv.Calls()), 2*tc.pages, tc.pages)
			}
		}
	}
}

// Each page method fetches the page after params.After and returns the
// params of the next one with After set to the page's endCursor, or nil
// after the page whose hasNextPage is false; the iterator reads the same
// pages with the same requests.
func TestPageMethods(t *testing.T) {
	for op, conn := range connections {
		t.Run(op, func(t *testing.T) {
			answers := defaultAnswers()
			answers[op] = func(vars map[string]any) answer {
				switch vars["after"] {
				case nil:
					return answer{status: 200, body: page(op, "", "c1", true)}
				case "c1":
					return answer{status: 200, body: page(op, "c1", "c2", false)}
				}
				return answer{status: 400, body: `{"data":null,"errors":[{"message":"unknown cursor"}]}`}
			}
			srv := newFakeDLive(t, answers)
			c := newClient(t, srv, allScopes)

			first, next, err := conn.page(c, "")
			if err != nil || next == nil || *next != "c1" {
				t.Fatalf("first page: next After = %v, err = %v; want c1 and no error", next, err)
			}
			second, next, err := conn.page(c, *next)
			if err != nil || next != nil {
				t.Fatalf("second page: next After = %v, err = %v; want nil (the last page) and no error", next, err)
			}
			var ids []string
			for _, it := range append(first, second...) {
				ids = append(ids, conn.id(it))
			}
			if want := []string{"/0", "/1", "c1/0", "c1/1"}; !slices.Equal(ids, want) {
				t.Errorf("page items = %v, want %v", ids, want)
			}

			all, err := collect(conn.list(c, ""))
			if err != nil {
				t.Fatal(err)
			}
			var listed []string
			for _, it := range all {
				listed = append(listed, conn.id(it))
			}
			if !slices.Equal(listed, ids) {
				t.Errorf("iterator items = %v, want the pages' %v", listed, ids)
			}
			want := []call{
				{Op: op, Vars: map[string]any{"first": 2.0}},
				{Op: op, Vars: map[string]any{"first": 2.0, "after": "c1"}},
			}
			if op == "Search" {
				for i := range want {
					want[i].Vars["text"] = "pixel"
				}
			}
			if d := cmp.Diff(append(want, want...), srv.Calls()); d != "" {
				t.Errorf("requests (-want +got):\n%s", d)
			}
		})
	}
}

// The next page's params keep the filters and the page size, and a nil
// params asks for the first page with the server's defaults.
func TestListPageKeepsParams(t *testing.T) {
	srv := newFakeDLive(t, defaultAnswers())
	c := newClient(t, srv, allScopes)
	ctx := context.Background()
	params := &dlive.ListLivestreamsParams{First: 2, LanguageID: 1, Order: dlive.LivestreamSortOrderTrending}
	items, next, err := c.Livestreams.ListPage(ctx, params)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]dlive.Livestream{stream1, stream2}, items); d != "" {
		t.Errorf("items (-want +got):\n%s", d)
	}
	want := &dlive.ListLivestreamsParams{First: 2, After: "2", LanguageID: 1, Order: dlive.LivestreamSortOrderTrending}
	if d := cmp.Diff(want, next); d != "" {
		t.Errorf("next params (-want +got):\n%s", d)
	}
	if params.After != "" {
		t.Errorf("ListPage changed the caller's params: After = %q", params.After)
	}
	if _, _, err := c.Livestreams.ListPage(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got := srv.Calls()[1].Vars; len(got) != 0 {
		t.Errorf("ListPage(nil) sent variables %v, want none", got)
	}
}

// A page that says more follow but names no cursor fails at the page
// level too, with its items, rather than handing back params that would
// start over.
func TestPageWithoutCursor(t *testing.T) {
	for op, conn := range connections {
		answers := defaultAnswers()
		answers[op] = func(map[string]any) answer { return answer{status: 200, body: page(op, "", "", true)} }
		srv := newFakeDLive(t, answers)
		items, next, err := conn.page(newClient(t, srv, allScopes), "")
		if !errors.Is(err, dlive.ErrEndlessPagination) || !strings.Contains(err.Error(), "gives no cursor") {
			t.Errorf("%s: err = %v, want dlive.ErrEndlessPagination saying the page gives no cursor", op, err)
		}
		if len(items) != 2 || next != nil {
			t.Errorf("%s: %d items and next %v, want the page's 2 items and no next page", op, len(items), next)
		}
	}
}

// Ids are opaque strings: whatever DLive sends decodes, in every list.
func TestListsDecodeAnyID(t *testing.T) {
	ids := []string{"user:ab/c", "livestream:dlive-1+x?y#z", "42", "", "ünï cödé"}
	for op, conn := range connections {
		answers := defaultAnswers()
		answers[op] = func(map[string]any) answer {
			items := make([]string, len(ids))
			for i, id := range ids {
				items[i] = conn.item(id)
			}
			return answer{status: 200, body: conn.wrap(`{"pageInfo":{"endCursor":null,"hasNextPage":false},"list":[` + strings.Join(items, ",") + `]}`)}
		}
		srv := newFakeDLive(t, answers)
		items, err := collect(conn.list(newClient(t, srv, allScopes), ""))
		if err != nil {
			t.Errorf("%s: %v", op, err)
			continue
		}
		var got []string
		for _, it := range items {
			got = append(got, conn.id(it))
		}
		if !slices.Equal(got, ids) {
			t.Errorf("%s: ids = %q, want %q", op, got, ids)
		}
	}
}
