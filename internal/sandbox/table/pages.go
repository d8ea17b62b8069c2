package table

import "strconv"

// The list styles the providers page by. Each cuts a page out of a list
// the fake has filtered and sorted, and says where it stands; what a
// provider defaults to, what it refuses and how it answers are its own.

// Numbered is where a page stands in the "page-number" style: pages
// counted from 0 of Size items each, and an empty list still has its
// page 0 (Livestorm's page[number] and page[size], with meta page_count
// and record_count).
type Numbered struct {
	Number, Size int
	Pages        int // at least 1
	Records      int
}

// Previous is the number of the page before, nil on the first.
func (n Numbered) Previous() *int {
	if n.Number == 0 {
		return nil
	}
	p := n.Number - 1
	return &p
}

// Next is the number of the page after, nil on the last.
func (n Numbered) Next() *int {
	if n.Number >= n.Pages-1 {
		return nil
	}
	p := n.Number + 1
	return &p
}

// PageNumber returns page number (from 0) of items, size items a page
// (size at least 1). ok is false when the list has no such page.
func PageNumber[T any](items []T, number, size int) (page []T, at Numbered, ok bool) {
	at = Numbered{Number: number, Size: size, Pages: max(1, pages(len(items), size)), Records: len(items)}
	if number < 0 || number >= at.Pages {
		return nil, at, false
	}
	return cut(items, number*size, size), at, true
}

// JSendPages returns page (from 0) of items, perPage items a page
// (perPage at least 1), and how many pages there are: the "jsend-pages"
// style of Streamdiver's page and perpage, whose pagination block counts
// no page for an empty list. A page past the last is empty.
func JSendPages[T any](items []T, page, perPage int) ([]T, int) {
	n := pages(len(items), perPage)
	if page < 0 || page >= n {
		// Before multiplying: a far page's page*perPage can wrap round
		// to the start of the list.
		return []T{}, n
	}
	return cut(items, page*perPage, perPage), n
}

// Relay is where a page stands in the "relay" style of connections
// (DLive's first and after): a cursor is the position of an item, from
// 1, and after a cursor comes the item at that index.
type Relay struct {
	StartCursor, EndCursor       *string // nil for an empty page
	HasNextPage, HasPreviousPage bool
}

// RelayPage returns the first items after the item at cursor position
// after (0 for the start), and where the page stands.
func RelayPage[T any](items []T, first, after int) ([]T, Relay) {
	start := min(max(after, 0), len(items))
	page := cut(items, start, first)
	end := start + len(page)
	r := Relay{HasNextPage: end < len(items), HasPreviousPage: start > 0}
	if end > start {
		s, e := strconv.Itoa(start+1), strconv.Itoa(end)
		r.StartCursor, r.EndCursor = &s, &e
	}
	return page, r
}

func pages(total, size int) int { return (total + size - 1) / size }

// cut returns a copy of at most n items from start; never nil.
func cut[T any](items []T, start, n int) []T {
	if start < 0 || start >= len(items) || n <= 0 {
		return []T{}
	}
	return append([]T{}, items[start:min(start+n, len(items))]...)
}
