package apiclient

import (
	"iter"

	"github.com/onair-go/onair/scopes"
)

// Pages yields the items of page 0, 1, 2… as fetch returns them, until
// fetch says there is no next page, so that no page that does not exist is
// ever asked for. An error is yielded once and ends the sequence.
func Pages[T any](fetch func(page int) (items []T, more bool, err error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		for page := 0; ; page++ {
			items, more, err := fetch(page)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if !more || len(items) == 0 {
				return
			}
		}
	}
}

// Cursor is Pages for cursor pagination (Relay's first/after): fetch gets
// the cursor after which to continue, "" first.
func Cursor[T any](fetch func(after string) (items []T, next string, more bool, err error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		after := ""
		for {
			items, next, more, err := fetch(after)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, it := range items {
				if !yield(it, nil) {
					return
				}
			}
			if !more || next == "" || next == after {
				return
			}
			after = next
		}
	}
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

// LivestormPage is a page of a Livestorm list: JSON:API data with meta.
type LivestormPage[T any] struct {
	Data []T `json:"data"`
	Meta struct {
		NextPage *int `json:"next_page"`
	} `json:"meta"`
}

// JSendPage is a page of a Streamdiver list: a JSend envelope whose
// pagination block, when sent, says how many pages there are.
type JSendPage[T any] struct {
	Data       []T `json:"data"`
	Pagination *struct {
		TotalPages int `json:"totalPages"`
	} `json:"pagination"`
}

// More reports whether a page after page exists: per the pagination block
// when the answer has one, else when the page was full.
func (p *JSendPage[T]) More(page, size int) bool {
	if p.Pagination != nil && p.Pagination.TotalPages > 0 {
		return page+1 < p.Pagination.TotalPages
	}
	return size > 0 && len(p.Data) >= size
}
