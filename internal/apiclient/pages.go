package apiclient

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"iter"

	"github.com/onair-go/onair/scopes"
)

// DefaultMaxPages bounds the pages one loop over a listing reads, unless
// the client says otherwise (WithMaxPages). No honest listing of these
// APIs comes near it: it is the whole monthly quota of the strictest of
// them, and at the 50 items a page the iterators ask for by default it is
// half a million items, more than any of these accounts lists at once. A server
// whose pagination never ends costs this many requests, then an error.
// The generated WithMaxPages doc states the number: change both.
const DefaultMaxPages = 10_000

// ErrEndlessPagination reports a listing whose server would have had the
// iterator read pages forever: a cursor seen before, a page that is not
// the one asked for or that names no later page as the next, or more
// pages than the bound. The iterator yields it rather than stopping
// quietly, since a quiet stop would pass a partial listing off as whole.
var ErrEndlessPagination = errors.New("pagination does not end")

// Paging is what an iterator needs from its client.
type Paging struct {
	Op       string // provider and operation, for errors: "<provider>: Events.List"
	MaxPages int    // DefaultMaxPages when less than 1
}

// Paging returns the paging of the client's operation op.
func (c *Client[S]) Paging(op string) Paging {
	return Paging{Op: c.cfg.Provider + ": " + op, MaxPages: c.cfg.MaxPages}
}

func (pg Paging) max() int {
	if pg.MaxPages < 1 {
		return DefaultMaxPages
	}
	return pg.MaxPages
}

// tooMany is the error of a listing that reached the bound.
func (pg Paging) tooMany() error {
	n := fmt.Sprintf("%d pages", pg.max())
	if pg.max() == 1 {
		n = "1 page"
	}
	return fmt.Errorf("%s: %w: the server still announced more after %s, the most one loop reads; "+
		"narrow the listing with filters, or raise the bound with WithMaxPages if it is really that long",
		pg.Op, ErrEndlessPagination, n)
}

// Cursor is Walk for cursor pagination (Relay's first/after): fetch gets
// the cursor after which to continue, start first ("" for the beginning).
// A cursor that comes round again ends the sequence with an error, however
// many pages the cycle spans.
func Cursor[T any](pg Paging, start string, fetch func(after string) (items []T, next string, more bool, err error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		// Digests of the cursors followed, and the page each came with
		// (-1: start): bounded by the pages, whatever a cursor's length.
		seen := map[[sha256.Size]byte]int{}
		if start != "" {
			seen[sha256.Sum256([]byte(start))] = -1
		}
		after := start
		for page := 0; ; page++ {
			if page == pg.max() {
				yield(zero, pg.tooMany())
				return
			}
			items, next, more, err := fetch(after)
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if err != nil {
				yield(zero, err)
				return
			}
			if !more {
				return
			}
			if next == "" {
				yield(zero, fmt.Errorf("%s: %w: page %d says more pages follow but gives no cursor to them; report the answer to the provider",
					pg.Op, ErrEndlessPagination, page))
				return
			}
			key := sha256.Sum256([]byte(next))
			if before, ok := seen[key]; ok {
				yield(zero, fmt.Errorf("%s: %w: the cursor after page %d is %s, so the pages would repeat forever; report the answer to the provider",
					pg.Op, ErrEndlessPagination, page, cursorOrigin(before)))
				return
			}
			seen[key] = page
			after = next
		}
	}
}

func cursorOrigin(page int) string {
	if page < 0 {
		return "the one the loop started after"
	}
	return fmt.Sprintf("the one after page %d", page)
}

// LeastPrivilege returns a smallest valid scope set that lets every
// operation run: for each operation, the alternative that adds the fewest
// scopes to what earlier ones already need. It returns nil when no scope
// is needed.
func LeastPrivilege[S scopes.Scope](needs ...[][]S) ([]S, error) {
	var set []S
	for _, alts := range needs {
		if len(alts) == 0 || slicesAnyCovered(set, alts) {
			continue
		}
		best := scopes.Missing(set, alts[0])
		for _, alt := range alts[1:] {
			if m := scopes.Missing(set, alt); len(m) < len(best) {
				best = m
			}
		}
		set = append(set, best...)
	}
	if len(set) == 0 {
		return nil, nil
	}
	// A scope a later one implies is redundant (events:write covers
	// events:read, added earlier for another operation).
	for i := 0; i < len(set); {
		rest := append(append([]S(nil), set[:i]...), set[i+1:]...)
		if scopes.Covers(rest, set[i]) {
			set = rest
			continue
		}
		i++
	}
	if err := scopes.Validate(set...); err != nil {
		return nil, err
	}
	return set, nil
}

func slicesAnyCovered[S scopes.Scope](set []S, alts [][]S) bool {
	for _, alt := range alts {
		if len(scopes.Missing(set, alt)) == 0 {
			return true
		}
	}
	return false
}

// Data is an envelope whose payload is under "data" (JSON:API, JSend).
type Data[T any] struct {
	Data T `json:"data"`
}

// NumberedPage returns the items of a page-number answer to page, and
// whether a page follows: the answer's own number (current, nil when it
// does not say) and the next page's (next, nil after the last), read from
// the fields the spec names. It fails when the answer says it is another
// page (the server ignored the page parameter), returning no items, or
// when it names as the next a page that does not come after it, returning
// its items: following either would read the same pages forever.
func NumberedPage[T any](page int, items []T, current, next *int) ([]T, bool, error) {
	if current != nil && *current != page {
		return nil, false, fmt.Errorf("%w: asked for page %d, the answer is page %d; report it to the provider", ErrEndlessPagination, page, *current)
	}
	if next == nil {
		return items, false, nil
	}
	if *next <= page {
		return items, false, fmt.Errorf("%w: page %d names page %d as the next; report it to the provider", ErrEndlessPagination, page, *next)
	}
	return items, true, nil
}

// CountedPage checks one page of a jsend-pages listing and reports
// whether a page after it exists: per the answer's count of pages
// (totalPages, nil or 0 when the answer has no pagination block), else
// when the page was full (items of size). An answer that names another
// page than the one asked for (current) ends the listing with
// ErrEndlessPagination, so that a server that ignores the page number is
// not read again and again; a count that never ends is stopped by Walk's
// bound.
func CountedPage[T any](page, size int, items []T, current, totalPages *int) ([]T, bool, error) {
	if current != nil && *current != page {
		return nil, false, fmt.Errorf("%w: asked for page %d, the answer is page %d; report it to the provider", ErrEndlessPagination, page, *current)
	}
	if totalPages != nil && *totalPages > 0 {
		return items, page+1 < *totalPages, nil
	}
	return items, size > 0 && len(items) >= size, nil
}

// Walk yields the items of the page first asks for, then of each page
// the one before names as the next, until a page names none. fetch
// returns a page's items and what to ask for next (nil after the last
// page). An error is yielded once, after any items fetch returned with
// it, and ends the sequence; so does reading more than pg's bound of
// pages.
func Walk[T, P any](pg Paging, first *P, fetch func(*P) ([]T, *P, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		var zero T
		next := first
		for page := 0; ; page++ {
			if page == pg.max() {
				yield(zero, pg.tooMany())
				return
			}
			items, after, err := fetch(next)
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if err != nil {
				yield(zero, err)
				return
			}
			if after == nil {
				return
			}
			next = after
		}
	}
}

// One yields the items of a listing that comes in one answer, then the
// error fetching it, if any.
func One[T any](fetch func() ([]T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		items, err := fetch()
		for _, it := range items {
			if !yield(it, nil) {
				return
			}
		}
		if err != nil {
			var zero T
			yield(zero, err)
		}
	}
}
