package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/onair-go/onair/internal/apispec"
)

// examples is the responder that answers each operation with the spec's
// own examples (see ExampleServer), or with an answer a test chose.
type examples struct {
	auth  func(*http.Request) error // WithAuth, for the request validation
	mu    sync.Mutex
	fixed map[string]Response   // WithResponse, by operationId
	seqs  map[string][]Response // WithResponseSequence, what is left
}

func (ex *examples) respond(x *exchange) bool {
	if r, ok := ex.next(x.op.ID); ok {
		chosen(x, r)
		return true
	}
	if err := example(x); err != nil {
		return x.refuse(http.StatusInternalServerError, "no_example", fmt.Sprintf("%s: %v", x.name, err))
	}
	return true
}

// next returns the answer a test chose for the operation, if any.
func (ex *examples) next(id string) (Response, bool) {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	if q := ex.seqs[id]; len(q) > 0 {
		ex.seqs[id] = q[1:]
		return q[0], true
	}
	r, ok := ex.fixed[id]
	return r, ok
}

// chosen answers a test's Response, adding a Content-Type: the one the
// spec declares for the status, or for the success status.
func chosen(x *exchange, r Response) {
	a := &x.answer
	maps.Copy(a.header, r.Header)
	if a.header.Get("Content-Type") == "" && r.Body != "" {
		a.header.Set("Content-Type", mediaType(x.op, r.Status, mediaType(x.op, x.op.Success, "application/json")))
	}
	x.skipAnswerBody = r.Body == ""
	a.WriteHeader(r.Status)
	a.Write([]byte(r.Body))
}

// mediaType is the media type o declares for status, or else.
func mediaType(o *apispec.Operation, status int, or string) string {
	if ref := o.Op.Responses.Status(status); ref != nil {
		if mt, _ := apispec.FirstContent(ref.Value); mt != "" {
			return mt
		}
	}
	return or
}

// example answers the operation's success response from the spec's
// examples: its headers', and its body's, paged where the operation
// pages.
func example(x *exchange) error {
	o := x.op
	ref := o.Op.Responses.Status(o.Success)
	if ref == nil || ref.Value == nil {
		return fmt.Errorf("the spec has no %d response", o.Success)
	}
	a := &x.answer
	for _, name := range slices.Sorted(maps.Keys(ref.Value.Headers)) {
		h := ref.Value.Headers[name]
		if h == nil || h.Value == nil || strings.EqualFold(name, "Content-Type") {
			continue
		}
		if v, ok := headerExample(h.Value); ok {
			a.header.Set(name, v)
		}
	}
	mt, media := apispec.FirstContent(ref.Value)
	if o.Success == http.StatusNoContent || media == nil {
		a.WriteHeader(o.Success)
		return nil
	}
	a.header.Set("Content-Type", mt)
	ex, ok := apispec.Example(media)
	if !ok {
		return fmt.Errorf("the %d response %s has no example", o.Success, mt)
	}
	text, isString := ex.(string)
	switch {
	case isString && !isJSON(mt):
		a.WriteHeader(o.Success)
		a.Write([]byte(text))
		return nil
	case !isJSON(mt):
		return fmt.Errorf("the %d response %s has a %T example, want a string", o.Success, mt, ex)
	case !isString && paged(o):
		return examplePage(x, ex)
	}
	return writeJSON(x, ex)
}

// paged reports whether the example server pages o's list: the one place
// the examples know paging styles. A style that pages serves two pages,
// so that iterators end and can be tested across pages.
func paged(o *apispec.Operation) bool {
	return o.Paging != nil && (o.Paging.Style == apispec.PageNumber || o.Paging.Style == apispec.JSendPages)
}

// ExamplePages returns how many pages the example server serves a list
// of o in: 2 where its style pages, else 1.
func ExamplePages(o *apispec.Operation) int {
	if paged(o) {
		return 2
	}
	return 1
}

// examplePage answers a page of a list cut from the example's items, as
// ExampleServer describes, with the parameters and fields the spec
// declares for the style.
func examplePage(x *exchange, example any) error {
	pg, q := x.op.Paging, x.r.URL.Query()
	numbered := pg.Style == apispec.PageNumber
	page := max(intParam(q, pg.PageParam, 0), 0)
	if page >= 2 {
		msg := fmt.Sprintf("%s: asked for %s=%d, but the list has 2 pages (0 and 1)", x.name, pg.PageParam, page)
		if numbered {
			x.complain(msg)
			return pastTheEnd(x, page)
		}
		x.complain(msg + " and page 1 was short")
	}
	body, items, err := listIn(example, x.op.Result)
	if err != nil {
		return err
	}
	var size0, size1 int // the lengths of pages 0 and 1
	switch {
	case numbered:
		size0 = min(len(items), max(intParam(q, pg.SizeParam, 20), 0))
		size1 = size0
	case len(items) > 0:
		size0 = max(intParam(q, pg.SizeParam, 10), 1)
		size1 = max(min(len(items), size0-1), 1)
	}
	out := []any{}
	if page < 2 {
		out = distinct(items, size0+size1)[page*size0 : size0+page*size1]
	}
	apispec.SetField(body, x.op.Result.Path, out)
	apispec.SetField(body, pg.CurrentField, page)
	if numbered {
		var next any // none after page 1
		if page == 0 {
			next = 1
		}
		apispec.SetField(body, pg.NextField, next)
	} else {
		apispec.SetField(body, pg.TotalPagesField, 2)
	}
	return writeJSON(x, body)
}

// pastTheEnd is the page-number style's answer to a page past the end.
func pastTheEnd(x *exchange, page int) error {
	x.answer.header.Set("Content-Type", mediaType(x.op, http.StatusBadRequest, "application/vnd.api+json"))
	x.answer.WriteHeader(http.StatusBadRequest)
	return json.NewEncoder(&x.answer).Encode(map[string]any{"errors": []any{map[string]any{
		"status": "bad_request",
		"title":  "Bad Request",
		"detail": fmt.Sprintf("The page you requested does not exist (%s has pages 0 and 1, not %d).", x.op.ID, page),
	}}})
}

func writeJSON(x *exchange, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	x.answer.WriteHeader(x.op.Success)
	x.answer.Write(b)
	return nil
}

func headerExample(h *openapi3.Header) (string, bool) {
	v, ok := apispec.Example(&openapi3.MediaType{Example: h.Example, Examples: h.Examples})
	if !ok && h.Schema != nil && h.Schema.Value != nil {
		v, ok = h.Schema.Value.Example, h.Schema.Value.Example != nil
	}
	if f, isFloat := v.(float64); isFloat {
		return strconv.FormatFloat(f, 'f', -1, 64), ok
	}
	return fmt.Sprint(v), ok
}

func isJSON(mediaType string) bool {
	mt, _, _ := strings.Cut(mediaType, ";")
	mt = strings.TrimSpace(strings.ToLower(mt))
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// listIn copies example and returns the copy and the list in it at the
// result's path (dot-separated), which apispec.SetField replaces.
func listIn(example any, res *apispec.Result) (map[string]any, []any, error) {
	if res == nil || res.Path == "" {
		return nil, nil, errors.New("x-onair-result has no path; a paged list must sit in an object")
	}
	c := Clone(example)
	v := c
	for k := range strings.SplitSeq(res.Path, ".") {
		obj, ok := v.(map[string]any)
		if !ok {
			return nil, nil, fmt.Errorf("the example has no object holding %q", res.Path)
		}
		v = obj[k]
	}
	if items, ok := v.([]any); ok {
		return c.(map[string]any), items, nil
	}
	return nil, nil, fmt.Errorf("the example's %q is not a list", res.Path)
}

func intParam(q url.Values, name string, def int) int {
	if n, err := strconv.Atoi(q.Get(name)); err == nil {
		return n
	}
	return def
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// distinct returns n items cycling through items, for pages cut from it.
// Every item whose string "id" would repeat one already used gets a new
// id: a UUID's last four hex digits change, another id gets a "-2",
// "-3"... suffix.
func distinct(items []any, n int) []any {
	used := map[string]bool{}
	out := make([]any, 0, n)
	for i := range n {
		it := Clone(items[i%len(items)])
		if m, ok := it.(map[string]any); ok {
			if id, ok := m["id"].(string); ok {
				if used[id] {
					id = freshID(id, used)
					m["id"] = id
				}
				used[id] = true
			}
		}
		out = append(out, it)
	}
	return out
}

func freshID(id string, used map[string]bool) string {
	if uuidRE.MatchString(id) {
		head, tail := id[:len(id)-4], id[len(id)-4:]
		n, _ := strconv.ParseUint(tail, 16, 16)
		for k := uint64(1); k <= 0xffff; k++ {
			if c := head + fmt.Sprintf("%04x", (n+k)&0xffff); !used[c] {
				return c
			}
		}
	}
	for k := 2; ; k++ {
		if c := id + "-" + strconv.Itoa(k); !used[c] {
			return c
		}
	}
}
