package apiclient

import (
	"errors"
	"fmt"
	"iter"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// drain collects a sequence's items and the error that ended it.
func drain[T any](seq iter.Seq2[T, error]) ([]T, error) {
	var out []T
	for v, err := range seq {
		if err != nil {
			return out, err
		}
		out = append(out, v)
	}
	return out, nil
}

var testPaging = Paging{Op: "test: Things.List"}

// walkNumbered walks numbered pages as the generated page methods do: each
// returns the number of the next page, or nil after the last.
func walkNumbered[T any](pg Paging, fetch func(page int) ([]T, bool, error)) iter.Seq2[T, error] {
	return Walk(pg, new(int), func(page *int) ([]T, *int, error) {
		items, more, err := fetch(*page)
		if !more {
			return items, nil, err
		}
		next := *page + 1
		return items, &next, err
	})
}

func TestPagesStopAtTheLastPage(t *testing.T) {
	var asked []int
	seq := walkNumbered(testPaging, func(page int) ([]int, bool, error) {
		asked = append(asked, page)
		return []int{page * 10, page*10 + 1}, page < 2, nil
	})
	got, err := drain(seq)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]int{0, 1, 10, 11, 20, 21}, got); d != "" {
		t.Errorf("items (-want +got):\n%s", d)
	}
	if d := cmp.Diff([]int{0, 1, 2}, asked); d != "" {
		t.Errorf("pages asked (-want +got):\n%s", d)
	}
	// Breaking early asks for nothing more.
	asked = nil
	for range seq {
		break
	}
	if d := cmp.Diff([]int{0}, asked); d != "" {
		t.Errorf("after break, pages asked (-want +got):\n%s", d)
	}
}

// An empty page that says more follow is not the end: stopping there would
// lose the pages after it.
func TestPagesGoOnPastAnEmptyPage(t *testing.T) {
	got, err := drain(walkNumbered(testPaging, func(page int) ([]int, bool, error) {
		if page == 0 {
			return nil, true, nil
		}
		return []int{page}, page < 2, nil
	}))
	if err != nil || !cmp.Equal([]int{1, 2}, got) {
		t.Errorf("got %v, %v; want [1 2]", got, err)
	}
}

// A server that always announces another page is read up to the bound,
// each page once, and the iteration ends with an error that says so; a
// listing exactly as long as the bound is read whole without one.
func TestPagesBound(t *testing.T) {
	for _, max := range []int{0, -1, 1, 2, 7, 100} {
		want := max
		if max < 1 {
			want = DefaultMaxPages
		}
		pg := Paging{Op: "test: Things.List", MaxPages: max}
		for _, honest := range []bool{false, true} {
			requests := 0
			got, err := drain(walkNumbered(pg, func(page int) ([]int, bool, error) {
				requests++
				return []int{page}, !honest || page+1 < want, nil
			}))
			if len(got) != want || requests != want {
				t.Errorf("MaxPages %d, honest %v: %d items after %d requests, want %d of each", max, honest, len(got), requests, want)
			}
			if honest {
				if err != nil {
					t.Errorf("MaxPages %d: a listing of exactly %d pages: %v", max, want, err)
				}
				continue
			}
			if !errors.Is(err, ErrEndlessPagination) {
				t.Fatalf("MaxPages %d: err = %v, want ErrEndlessPagination", max, err)
			}
			for _, part := range []string{"test: Things.List: ", fmt.Sprintf("after %d page", want), "WithMaxPages"} {
				if !strings.Contains(err.Error(), part) {
					t.Errorf("MaxPages %d: %q does not say %q", max, err, part)
				}
			}
		}
	}
}

func TestCursorStops(t *testing.T) {
	pages := map[string]struct {
		items []string
		next  string
		more  bool
	}{"": {[]string{"a"}, "c1", true}, "c1": {[]string{"b"}, "c2", false}}
	var asked []string
	got, err := drain(Cursor(testPaging, "", func(after string) ([]string, string, bool, error) {
		asked = append(asked, after)
		p := pages[after]
		return p.items, p.next, p.more, nil
	}))
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]string{"a", "b"}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	if d := cmp.Diff([]string{"", "c1"}, asked); d != "" {
		t.Errorf("cursors asked (-want +got):\n%s", d)
	}
}

// A cursor that comes round again, after any number of pages, ends the
// iteration with an error once every page of the cycle has been read
// once: no item twice, no cursor asked twice.
func TestCursorCycles(t *testing.T) {
	for _, tc := range []struct {
		start    string
		lead     int // pages before the cycle
		cycle    int // pages in it
		perPage  int
		wantFrom string // where the error says the cursor was first seen
	}{
		{"", 1, 1, 1, "after page 0"},
		{"", 1, 2, 3, "after page 0"},
		{"", 3, 1, 2, "after page 2"},
		{"", 5, 7, 1, "after page 4"},
		{"", 1, 5000, 2, "after page 0"}, // 10,000 items
		{"", 2, DefaultMaxPages - 2, 1, "after page 1"},
		{"resume", 0, 1, 1, "started after"},
		{"resume", 0, 4, 1, "started after"},
		{"resume", 2, 3, 1, "after page 1"},
	} {
		name := fmt.Sprintf("start %q, %d pages then a cycle of %d", tc.start, tc.lead, tc.cycle)
		// Page k comes after cursor cur(k); the last page of the cycle
		// points back to its first, page lead.
		cur := func(k int) string {
			if k == 0 {
				return tc.start
			}
			return "c" + strconv.Itoa(k)
		}
		asked := map[string]int{}
		got, err := drain(Cursor(testPaging, tc.start, func(after string) ([]string, string, bool, error) {
			asked[after]++
			k := 0
			if after != tc.start {
				k, _ = strconv.Atoi(strings.TrimPrefix(after, "c"))
			}
			var items []string
			for i := range tc.perPage {
				items = append(items, fmt.Sprintf("%d.%d", k, i))
			}
			next := cur(k + 1)
			if k+1 == tc.lead+tc.cycle {
				next = cur(tc.lead)
			}
			return items, next, true, nil
		}))
		if !errors.Is(err, ErrEndlessPagination) || !strings.Contains(err.Error(), "repeat") || !strings.Contains(err.Error(), tc.wantFrom) {
			t.Errorf("%s: err = %v, want ErrEndlessPagination about a repeat of the cursor %s", name, err, tc.wantFrom)
			continue
		}
		if !strings.HasPrefix(err.Error(), "test: Things.List: ") {
			t.Errorf("%s: %q does not name the operation", name, err)
		}
		if want := (tc.lead + tc.cycle) * tc.perPage; len(got) != want {
			t.Errorf("%s: %d items, want %d", name, len(got), want)
		}
		seen := map[string]bool{}
		for _, it := range got {
			if seen[it] {
				t.Errorf("%s: item %s yielded twice", name, it)
			}
			seen[it] = true
		}
		for c, n := range asked {
			if n > 1 {
				t.Errorf("%s: cursor %q asked %d times", name, c, n)
			}
		}
	}
}

// A page that says more follow but gives no cursor would start the
// listing over: an error, not a quiet end.
func TestCursorMoreWithoutCursor(t *testing.T) {
	got, err := drain(Cursor(testPaging, "", func(after string) ([]int, string, bool, error) {
		if after == "" {
			return []int{1}, "c1", true, nil
		}
		return []int{2}, "", true, nil
	}))
	if !errors.Is(err, ErrEndlessPagination) || !cmp.Equal([]int{1, 2}, got) {
		t.Errorf("got %v, %v; want [1 2] then ErrEndlessPagination", got, err)
	}
}

// Fresh cursors forever stop at the bound.
func TestCursorBound(t *testing.T) {
	for _, max := range []int{0, 1, 3, 50} {
		want := max
		if max < 1 {
			want = DefaultMaxPages
		}
		requests := 0
		got, err := drain(Cursor(Paging{Op: "test: Things.List", MaxPages: max}, "", func(after string) ([]int, string, bool, error) {
			requests++
			return []int{requests}, "c" + strconv.Itoa(requests), true, nil
		}))
		if !errors.Is(err, ErrEndlessPagination) || !strings.Contains(err.Error(), "WithMaxPages") || len(got) != want || requests != want {
			t.Errorf("MaxPages %d: %d items after %d requests, err %v; want %d of each and ErrEndlessPagination", max, len(got), requests, err, want)
		}
	}
}

func TestNumberedPage(t *testing.T) {
	n := func(i int) *int { return &i }
	for _, tc := range []struct {
		name          string
		page          int
		current, next *int
		items         bool // the answer's items are returned
		more          bool
		wantErr       bool
	}{
		{"a next page", 0, n(0), n(1), true, true, false},
		{"the last page", 3, n(3), nil, true, false, false},
		{"no current_page", 2, nil, n(3), true, true, false},
		{"another page than asked", 3, n(0), n(1), false, false, true},
		{"another page than asked, the last", 1, n(0), nil, false, false, true},
		{"the next is this one", 2, n(2), n(2), true, false, true},
		{"the next is before", 2, n(2), n(0), true, false, true},
		{"the next is negative", 0, nil, n(-1), true, false, true},
	} {
		items, more, err := NumberedPage(tc.page, []int{1, 2}, tc.current, tc.next)
		if (len(items) > 0) != tc.items || more != tc.more || (err != nil) != tc.wantErr || (err != nil && !errors.Is(err, ErrEndlessPagination)) {
			t.Errorf("%s: NumberedPage(%d) = %v, %v, %v; want items %v, more %v, error %v", tc.name, tc.page, items, more, err, tc.items, tc.more, tc.wantErr)
		}
	}
}

// Items fetch returns with an error are yielded before it.
func TestPagesYieldItemsBeforeTheError(t *testing.T) {
	boom := errors.New("boom")
	got, err := drain(walkNumbered(testPaging, func(page int) ([]int, bool, error) {
		if page == 0 {
			return []int{1, 2}, true, nil
		}
		return []int{3}, true, boom
	}))
	if !errors.Is(err, boom) || !cmp.Equal([]int{1, 2, 3}, got) {
		t.Errorf("got %v, %v; want [1 2 3] then boom", got, err)
	}
}

func TestCountedPage(t *testing.T) {
	n := func(i int) *int { return &i }
	for _, tc := range []struct {
		name             string
		page, size, have int
		current, total   *int
		want, endless    bool
	}{
		{"full page, no count", 0, 2, 2, nil, nil, true, false},
		{"short page, no count", 0, 2, 1, nil, nil, false, false},
		{"count of 0 is no count", 0, 2, 2, nil, n(0), true, false},
		{"the count says last", 0, 2, 2, n(0), n(1), false, false},
		{"the count says more after a short page", 1, 2, 1, n(1), n(3), true, false},
		{"past the count", 5, 2, 2, nil, n(3), false, false},
		{"no size, no count", 0, 0, 2, nil, nil, false, false},
		{"the answer is another page", 1, 2, 2, n(0), n(3), false, true},
	} {
		items, more, err := CountedPage(tc.page, tc.size, make([]int, tc.have), tc.current, tc.total)
		if got := errors.Is(err, ErrEndlessPagination); got != tc.endless {
			t.Errorf("%s: error %v, want ErrEndlessPagination: %v", tc.name, err, tc.endless)
		}
		if more != tc.want || (!tc.endless && len(items) != tc.have) {
			t.Errorf("%s: CountedPage(%d, %d, %d items, %v, %v) = %d items, %v; want %d items, %v", tc.name, tc.page, tc.size, tc.have, tc.current, tc.total, len(items), more, tc.have, tc.want)
		}
	}
}
