package dlive_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"testing"

	"github.com/onair-go/onair/dlive"
)

// The connections whose cursors a lying server makes go round: each
// operation's answer around a pageInfo and a list of items.
var connections = map[string]struct {
	wrap func(conn string) string // the answer around the connection
	item func(id string) string
	list func(c *dlive.Client, after string) iter.Seq2[any, error]
}{
	"Livestreams": {
		wrap: func(conn string) string { return `{"data":{"livestreams":` + conn + `}}` },
		item: func(id string) string { return strings.Replace(stream1JSON, "livestream:dlive-12345678+r3Kp2", id, 1) },
		list: func(c *dlive.Client, after string) iter.Seq2[any, error] {
			return anySeq(c.Livestreams.List(context.Background(), &dlive.LivestreamsListParams{First: 2, After: after}))
		},
	},
	"LivestreamsFollowing": {
		wrap: func(conn string) string { return `{"data":{"livestreamsFollowing":` + conn + `}}` },
		item: func(id string) string { return strings.Replace(stream3JSON, "livestream:dlive-45678901+Lm0aa", id, 1) },
		list: func(c *dlive.Client, after string) iter.Seq2[any, error] {
			return anySeq(c.Livestreams.ListFollowing(context.Background(), &dlive.LivestreamsListFollowingParams{First: 2, After: after}))
		},
	},
	"Search": {
		wrap: func(conn string) string { return `{"data":{"search":{"users":` + conn + `}}}` },
		item: func(id string) string {
			return `{"id":"` + id + `","username":"u","displayname":"U","avatar":"` + avatar + `","partnerStatus":"NONE"}`
		},
		list: func(c *dlive.Client, after string) iter.Seq2[any, error] {
			return anySeq(c.Users.Search(context.Background(), "pixel", &dlive.UsersSearchParams{First: 2, After: after}))
		},
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
