package livestormtest

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/livestorm/internal/server"
)

// paginate cuts page[number] out of items as Livestorm does: pages count
// from 0 and hold page[size] items (20 by default, at most 50, as the spec
// says and the sandbox checks); an empty list still has its page 0, and a
// page past the last answers 400.
func paginate[T any](items []T, number, size *int) ([]T, server.PageMeta, error) {
	n, per := table.Deref(number), cmp.Or(table.Deref(size), 20)
	page, at, ok := table.PageNumber(items, n, per)
	if !ok {
		return nil, server.PageMeta{}, errorf(http.StatusBadRequest, "The page you requested does not exist.")
	}
	return page, server.PageMeta{CurrentPage: n, ItemsPerPage: per, PageCount: at.Pages, RecordCount: at.Records,
		PreviousPage: at.Previous(), NextPage: at.Next()}, nil
}

// included gathers the resources an include= parameter sideloads, once
// each, in the order first added.
type included struct {
	table.Table[server.IncludedResource]
}

func (in *included) add(typ, id string, attributes any) {
	if !in.Has(typ + "/" + id) {
		m := table.Remarshal[map[string]any](attributes)
		in.Put(typ+"/"+id, server.IncludedResource{ID: id, Type: typ, Attributes: &m})
	}
}

// result is what goes into a list's included member: nothing when the
// request did not ask, else the (maybe empty) list.
func (in *included) result(asked bool) *[]server.IncludedResource {
	if !asked {
		return nil
	}
	return onair.Ptr(in.List(nil))
}

// includedPeople is the included member of a page of records that name
// people: the people each names, when include asks for them.
func includedPeople[T any, I ~string](a *api, include *[]I, page []T, people func(T) []*string) *[]server.IncludedResource {
	var in included
	if asked(include, "people") {
		for _, v := range page {
			for _, id := range people(v) {
				if id != nil {
					a.people.View(*id, func(p server.Person) { in.add("people", *id, p.Attributes) })
				}
			}
		}
	}
	return in.result(include != nil)
}

func asked[S ~string](include *[]S, name string) bool {
	return include != nil && slices.Contains(*include, S(name))
}

// span is an inclusive range of Unix times, from a pair of filters.
type span struct{ from, to int64 }

// newSpans reads pairs of from and to filters, a span each.
func newSpans(bounds ...*string) ([]span, error) {
	spans := make([]span, len(bounds)/2)
	for i := range spans {
		spans[i] = span{math.MinInt64, math.MaxInt64}
		for j, end := range []*int64{&spans[i].from, &spans[i].to} {
			if b := bounds[2*i+j]; b != nil {
				t, err := filterTime(*b)
				if err != nil {
					return nil, err
				}
				*end = t
			}
		}
	}
	return spans, nil
}

func (s span) has(t *int64) bool {
	if t == nil {
		return s == span{math.MinInt64, math.MaxInt64}
	}
	return *t >= s.from && *t <= s.to
}

// filterTime parses a time filter: Unix seconds or ISO 8601.
func filterTime(v string) (int64, error) {
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return n, nil
	}
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			return t.Unix(), nil
		}
	}
	return 0, errorf(http.StatusBadRequest, "%q is neither Unix seconds nor an ISO 8601 time.", v)
}

// ref is a JSON:API resource identifier.
func ref(typ, id string) map[string]any { return map[string]any{"type": typ, "id": id} }
