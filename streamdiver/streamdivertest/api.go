package streamdivertest

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/internal/sandbox/deliver"
	"github.com/onair-go/onair/internal/sandbox/table"
	"github.com/onair-go/onair/streamdiver/internal/server"
)

// api is the fake Streamdiver API: one tenant's records in memory. The
// handler holds mu while a method of server.StrictServerInterface runs.
type api struct {
	mu sync.Mutex

	uploads     table.Table[server.Upload]
	imports     table.Table[importJob]
	media       table.Table[asset]
	transcripts table.Table[transcript]
	channels    table.Table[server.Channel]
	livestreams table.Table[server.Livestream]
	presets     table.Table[preset]
	downloads   table.Table[download]
	designs     table.Table[server.Design]
	hooks       table.Table[hook]
	logs        table.Table[server.WebhookLog] // table.Child(webhook, log)
	tenant      server.Tenant
	settings    server.TenantSettings

	// out delivers webhooks until the sandbox closes. Its goroutines
	// take mu to log each attempt.
	out *deliver.Deliverer
}

var _ server.StrictServerInterface = (*api)(nil)

// newAPI returns a fake holding the seeded tenant, DefaultTenant.
func newAPI() *api { return newTenantAPI(DefaultTenant) }

// newTenantAPI returns a fake holding the seeded tenant under the
// shortcode of its realm, which its storage and CDN URLs carry too.
func newTenantAPI(shortcode string) *api {
	a := &api{out: deliver.New()}
	a.seed(shortcode)
	return a
}

// handler serves the API at the root path. Requests the generated code
// cannot bind, and answers it cannot write, get Streamdiver's error body.
//
// An operation that fails returns its *apiError as the error, which the
// handler answers; its answer beside a failure goes unread, so that an
// operation may return both as they come.
func (a *api) handler() http.Handler {
	serialized := []server.StrictMiddlewareFunc{table.Serialize[server.StrictHandlerFunc](&a.mu)}
	strict := server.NewStrictHandlerWithOptions(a, serialized, server.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			respondError(w, r, badRequest("body", err.Error()))
		},
		ResponseErrorHandlerFunc: respondError,
	})
	return server.HandlerWithOptions(strict, server.StdHTTPServerOptions{
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			respondError(w, r, badRequest(paramName(err), err.Error()))
		},
	})
}

const success = server.JSendStatusSuccess

// clock is the store's time: UTC to the second, as the seeded records are,
// so that times sort as the strings they are sent as.
func (a *api) clock() *time.Time {
	t := time.Now().UTC().Truncate(time.Second)
	return &t
}

// caller names who sends a request: the user of a user token, else the
// Keycloak service account of the client, which is whom a
// client-credentials token stands for.
func caller(ctx context.Context) string {
	g, _ := sandbox.GrantFrom(ctx)
	if g.User != "" {
		return g.User
	}
	return "service-account-" + g.ClientID
}

// query is what every list of the spec takes; the generated List*Params
// of the plain lists convert to it.
type query struct {
	Page    *int
	PerPage *int
	Sort    *string
	Filter  *string
}

// pageOf filters, sorts and cuts rows as Streamdiver's lists do: filter is
// property=value pairs joined by "+", sort one simple property with ":desc"
// for descending order, page counted from 0, perpage 10 by default (the
// sandbox has checked both against the spec). A page past the end is
// empty.
//
// How a filter matches is not documented; here a text property matches
// when it contains the value, a list when it has it, ignoring case. A
// property the records lack is ignored in filter and sort, as lenient
// list APIs do (the spec's shared examples filter and sort by name even
// where there is none).
func pageOf[T any](rows []T, q query) ([]T, *server.Pagination, error) {
	page, perpage := table.Deref(q.Page), *cmp.Or(q.PerPage, onair.Ptr(10))
	if q.Filter != nil && *q.Filter != "" {
		for _, f := range strings.Split(*q.Filter, "+") {
			name, want, ok := strings.Cut(f, "=")
			if !ok || name == "" {
				return nil, nil, badRequest("filter", fmt.Sprintf("%q is not property=value", f))
			}
			if _, known := property[T](name); known {
				rows = slices.DeleteFunc(rows, func(r T) bool { return !matches(table.Remarshal[map[string]any](r)[name], want) })
			}
		}
	}
	if q.Sort != nil && *q.Sort != "" {
		name, desc := strings.CutSuffix(*q.Sort, ":desc")
		t, known := property[T](name)
		if known && !simple(t) {
			return nil, nil, badRequest("sort", fmt.Sprintf("cannot sort by %q: sort takes one simple property", name))
		}
		if known {
			rows = sortBy(rows, name, desc)
		}
	}
	out, pages := table.JSendPages(rows, page, perpage)
	return out, &server.Pagination{Page: page, PerPage: perpage, Total: len(rows), TotalPages: pages}, nil
}

// sortBy sorts rows by their JSON property name, stably.
func sortBy[T any](rows []T, name string, desc bool) []T {
	type keyed struct {
		row T
		key any
	}
	ks := make([]keyed, len(rows))
	for i, r := range rows {
		ks[i] = keyed{r, table.Remarshal[map[string]any](r)[name]}
	}
	slices.SortStableFunc(ks, func(x, y keyed) int {
		if desc {
			return compare(y.key, x.key)
		}
		return compare(x.key, y.key)
	})
	out := make([]T, len(ks))
	for i := range ks {
		out[i] = ks[i].row
	}
	return out
}

// property returns the type of T's JSON property name.
func property[T any](name string) (reflect.Type, bool) {
	t := reflect.TypeFor[T]()
	for i := range t.NumField() {
		f := t.Field(i)
		if tag, _, _ := strings.Cut(f.Tag.Get("json"), ","); tag == name {
			if f.Type.Kind() == reflect.Pointer {
				return f.Type.Elem(), true
			}
			return f.Type, true
		}
	}
	return nil, false
}

// simple reports whether a property of type t is one Streamdiver sorts by:
// not a list or an object.
func simple(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Slice, reflect.Map:
		return false
	case reflect.Struct:
		return t == reflect.TypeFor[time.Time]()
	}
	return true
}

func matches(v any, want string) bool {
	switch v := v.(type) {
	case string:
		return strings.Contains(strings.ToLower(v), strings.ToLower(want))
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64) == want
	case bool:
		return strconv.FormatBool(v) == want
	case []any:
		return slices.ContainsFunc(v, func(e any) bool { s, ok := e.(string); return ok && strings.EqualFold(s, want) })
	}
	return false
}

// compare orders JSON values of one property: absent values first, text
// ignoring case, false before true.
func compare(x, y any) int {
	if x == nil || y == nil {
		return cmp.Compare(rank(x), rank(y))
	}
	switch x := x.(type) {
	case string:
		y, _ := y.(string)
		return strings.Compare(strings.ToLower(x), strings.ToLower(y))
	case float64:
		y, _ := y.(float64)
		return cmp.Compare(x, y)
	}
	return cmp.Compare(rank(x), rank(y))
}

// rank orders what compare cannot by value: nil, false, anything else.
func rank(v any) int {
	switch v {
	case nil:
		return 0
	case false:
		return 1
	}
	return 2
}

// list points at s, never at a nil slice: the spec's lists are arrays,
// which null is not.
func list[T any](s []T) *[]T {
	if s == nil {
		s = []T{}
	}
	return &s
}
