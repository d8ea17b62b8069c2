// Package optest runs every operation of a spec through a provider's typed
// client against internal/sandbox's example server: the arguments come
// from the spec's examples, and the typed result must equal the example
// answer. A facade missing for an operation, or disagreeing with the spec,
// fails that operation's subtest.
package optest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/sandbox"
)

// Run tests every operation of the spec at specPath. newClient returns the
// provider's *Client for a base URL.
func Run(t *testing.T, specPath string, newClient func(baseURL string) (any, error)) {
	spec, err := apispec.Load(context.Background(), specPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range spec.Ops {
		t.Run(o.Service+"."+o.FacadeMethod, func(t *testing.T) {
			srv := sandbox.NewExampleServer(t, specPath)
			client, err := newClient(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			params, out := callOp(t, spec, o, client)
			pages := check(t, o, out)
			calls := srv.Calls(o.ID)
			if len(calls) != pages {
				t.Fatalf("the server saw %d requests for %s, want %d", len(calls), o.ID, pages)
			}
			sent(t, o, params, calls[0])
		})
	}
}

// callOp calls o's method on client, a provider's *Client, with the
// spec's example arguments, and returns the operation's parameters and
// the call's results.
func callOp(t *testing.T, spec *apispec.Spec, o apispec.Operation, client any) (openapi3.Parameters, []reflect.Value) {
	t.Helper()
	svc := reflect.ValueOf(client).Elem().FieldByName(o.Service)
	if !svc.IsValid() {
		t.Fatalf("the client has no service %s", o.Service)
	}
	m := svc.MethodByName(o.FacadeMethod)
	if !m.IsValid() {
		t.Fatalf("%s has no method %s", o.Service, o.FacadeMethod)
	}
	// A new slice: subtests run in parallel and share the spec.
	params := slices.Concat(spec.Doc.Paths.Value(o.Path).Parameters, o.Op.Parameters)
	return params, m.Call(args(t, o, params, m.Type()))
}

var pathParam = regexp.MustCompile(`\{([^}]+)\}`)

// args builds a call's arguments from the operation's examples.
func args(t *testing.T, o apispec.Operation, params openapi3.Parameters, mt reflect.Type) []reflect.Value {
	examples := map[string]any{}
	query := map[string]any{}
	for _, p := range params {
		examples[p.Value.Name] = p.Value.Example
		if p.Value.In == "query" {
			query[p.Value.Name] = p.Value.Example
		}
	}
	var path []any
	for _, m := range pathParam.FindAllStringSubmatch(o.Path, -1) {
		path = append(path, examples[m[1]])
	}
	var body any
	if rb := o.Op.RequestBody; rb != nil {
		for _, c := range rb.Value.Content {
			body = c.Example
		}
	}

	in := []reflect.Value{reflect.ValueOf(context.Background())}
	for i := 1; i < mt.NumIn(); i++ {
		pt := mt.In(i)
		switch {
		case pt == reflect.TypeFor[io.Reader]():
			if mt.In(i-1).Kind() == reflect.String && len(path) == 0 { // multipart: contentType, body
				r, ct := multipartBody(t, body)
				in[len(in)-1] = reflect.ValueOf(ct)
				in = append(in, reflect.ValueOf(r))
				continue
			}
			in = append(in, reflect.ValueOf(bytes.NewReader([]byte("raw body"))))
		case mt.IsVariadic() && i == mt.NumIn()-1: // per-call options
			// Query parameters the spec sends with onair.WithQuery.
			for _, p := range params {
				if opt, _ := p.Value.Extensions["x-onair-query-option"].(bool); opt && p.Value.Example != nil {
					in = append(in, reflect.ValueOf(onair.WithQuery(p.Value.Name, fmt.Sprint(p.Value.Example))))
				}
			}
		case pt.Kind() == reflect.Pointer && pt.Elem().Kind() == reflect.Struct && strings.HasSuffix(pt.Elem().Name(), "Params"):
			v := reflect.New(pt.Elem())
			setQuery(t, query, v.Elem())
			in = append(in, v)
		case pt.Kind() == reflect.Struct || pt.Kind() == reflect.Map || pt.Kind() == reflect.Slice:
			v := reflect.New(pt)
			decode(t, body, v.Interface())
			in = append(in, v.Elem())
		default: // a path parameter, or the content type of a raw body
			if len(path) == 0 {
				in = append(in, reflect.Zero(pt))
				continue
			}
			v := reflect.New(pt)
			decode(t, path[0], v.Interface())
			if pt.Kind() == reflect.String {
				v.Elem().SetString(fmt.Sprint(path[0]))
			}
			path = path[1:]
			in = append(in, v.Elem())
		}
	}
	return in
}

// setQuery sets each field of a params struct whose query tag names an
// example's parameter to that example.
func setQuery(t *testing.T, query map[string]any, v reflect.Value) {
	t.Helper()
	for i := 0; i < v.NumField(); i++ {
		ex, ok := query[v.Type().Field(i).Tag.Get("query")]
		if !ok || ex == nil {
			continue
		}
		f := v.Field(i)
		target := f.Addr()
		if f.Kind() == reflect.Pointer {
			f.Set(reflect.New(f.Type().Elem()))
			target = f
		}
		decode(t, ex, target.Interface())
	}
}

func decode(t testing.TB, example, into any) {
	t.Helper()
	if example == nil {
		return
	}
	b, err := json.Marshal(example)
	if err != nil {
		t.Fatal(err)
	}
	if s, ok := example.(string); ok {
		if _, isString := into.(*string); !isString {
			if json.Unmarshal(b, into) != nil {
				json.Unmarshal([]byte(s), into)
			}
			return
		}
	}
	if err := json.Unmarshal(b, into); err != nil {
		t.Fatalf("decoding the example %s into %T: %v", b, into, err)
	}
}

// multipartBody encodes an example object as multipart/form-data.
func multipartBody(t *testing.T, example any) (io.Reader, string) {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fields, _ := example.(map[string]any)
	for k, v := range fields {
		fw, err := w.CreateFormFile(k, k+".bin")
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprint(fw, v)
	}
	w.Close()
	return &buf, w.FormDataContentType()
}

// check compares a call's results with the example answer and returns
// how many requests the call should have made.
func check(t *testing.T, o apispec.Operation, out []reflect.Value) int {
	t.Helper()
	got, ok := result(t, o.ID, out)
	if !ok {
		return 1
	}
	example := successExample(o)
	res := o.Result
	if res != nil && res.Path != "" {
		if m, ok := example.(map[string]any); ok {
			example = m[res.Path]
		}
	}
	switch {
	case got.Kind() == reflect.Func: // iter.Seq2[T, error]
		items := collect(t, got)
		want := reflect.New(reflect.SliceOf(got.Type().In(0).In(0)))
		decode(t, example, want.Interface())
		n := min(want.Elem().Len(), items.Len())
		if items.Len() == 0 {
			t.Fatalf("%s yielded nothing", o.ID)
		}
		if d := cmp.Diff(want.Elem().Slice(0, n).Interface(), items.Slice(0, n).Interface(), exportAll); d != "" {
			t.Errorf("%s items (-example +got):\n%s", o.ID, d)
		}
		pages := sandbox.ExamplePages(&o)
		if pages > 1 && items.Len() <= n {
			t.Errorf("%s yielded %d items: the second page was not fetched", o.ID, items.Len())
		}
		return pages
	case got.Type() == reflect.TypeFor[[]byte]():
		if s, ok := example.(string); ok && string(got.Bytes()) != s {
			t.Errorf("%s: body %q, want %q", o.ID, got.Bytes(), s)
		}
		return 1
	default:
		want := reflect.New(got.Type().Elem())
		decode(t, example, want.Interface())
		if d := cmp.Diff(want.Interface(), got.Interface(), exportAll); d != "" {
			t.Errorf("%s result (-example +got):\n%s", o.ID, d)
		}
		return 1
	}
}

// result fails the test on a call's error and returns its first result,
// if it has one besides the error.
func result(t *testing.T, call string, out []reflect.Value) (reflect.Value, bool) {
	t.Helper()
	last := out[len(out)-1]
	if last.Type() == reflect.TypeFor[error]() {
		if err, _ := last.Interface().(error); err != nil {
			t.Fatalf("%s: %v", call, err)
		}
		if len(out) == 1 {
			return reflect.Value{}, false
		}
	}
	return out[0], true
}

// collect drains an iter.Seq2[T, error] through reflection.
func collect(t *testing.T, seq reflect.Value) reflect.Value {
	yieldType := seq.Type().In(0)
	items := reflect.MakeSlice(reflect.SliceOf(yieldType.In(0)), 0, 0)
	yield := reflect.MakeFunc(yieldType, func(a []reflect.Value) []reflect.Value {
		if err, _ := a[1].Interface().(error); err != nil {
			t.Errorf("iteration: %v", err)
			return []reflect.Value{reflect.ValueOf(false)}
		}
		items = reflect.Append(items, a[0])
		return []reflect.Value{reflect.ValueOf(true)}
	})
	seq.Call([]reflect.Value{yield})
	return items
}

func successExample(o apispec.Operation) any {
	_, media := o.SuccessContent()
	ex, _ := apispec.Example(media)
	return ex
}

// exportAll lets cmp look into generated unions' unexported fields.
var exportAll = cmp.Exporter(func(reflect.Type) bool { return true })

// pagingParam reports whether the iterators set the query parameter
// themselves: the page or size the spec declares for o's style.
func pagingParam(o apispec.Operation, name string) bool {
	return o.Paging != nil && name != "" && (name == o.Paging.PageParam || name == o.Paging.SizeParam)
}

// sent checks that the request carried the call's arguments: each path
// example in the path, each scalar query example in the query, and the
// body example as the body.
func sent(t testing.TB, o apispec.Operation, params openapi3.Parameters, c sandbox.Call) {
	t.Helper()
	for _, p := range params {
		v := p.Value
		switch {
		case v.In == "path":
			if !strings.Contains(c.Path, fmt.Sprint(v.Example)) {
				t.Errorf("%s: path %s lacks the %s %v", o.ID, c.Path, v.Name, v.Example)
			}
		case v.In == "query" && !pagingParam(o, v.Name):
			switch ex := v.Example.(type) {
			case string, bool, float64, int:
				got := c.Query.Get(v.Name)
				if got == "" && v.Schema != nil && reflect.DeepEqual(ex, v.Schema.Value.Default) {
					continue // leaving a default out asks for it as well
				}
				if got != fmt.Sprint(ex) {
					t.Errorf("%s: query %s = %q, want %v", o.ID, v.Name, got, ex)
				}
			}
		}
	}
	rb := o.Op.RequestBody
	if rb == nil {
		return
	}
	for mt, content := range rb.Value.Content {
		if !strings.Contains(mt, "json") || content.Example == nil {
			continue
		}
		var got any
		if err := json.Unmarshal(c.Body, &got); err != nil {
			t.Fatalf("%s: the body is not JSON: %v", o.ID, err)
		}
		var want any
		decode(t, content.Example, &want)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s: body (-example +sent):\n%s", o.ID, d)
		}
	}
}

// Sandbox calls every operation of spec through the typed client that
// newClient returns, against a provider's sandbox, with the spec's example
// arguments. Each call must succeed; a result must not be nil and a list
// must yield at least one item, so the sandbox's seeded data covers every
// example. newClient starts a fresh sandbox for the operation (named
// Service.Method) and returns a client with a token of its scopes.
func Sandbox(t *testing.T, spec *apispec.Spec, newClient func(t *testing.T, op string) any) {
	for _, o := range spec.Ops {
		name := o.Service + "." + o.FacadeMethod
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			client := newClient(t, name)
			_, out := callOp(t, spec, o, client)
			got, ok := result(t, name+" with the spec's example arguments", out)
			switch {
			case !ok: // an error alone, nil
			case got.Kind() == reflect.Func: // iter.Seq2[T, error]
				if items := collect(t, got); items.Len() == 0 {
					t.Errorf("%s yielded nothing: seed the sandbox", name)
				}
			case got.Kind() == reflect.Pointer && got.IsNil():
				t.Errorf("%s returned nil", name)
			}
		})
	}
}

// OpaqueIDs feeds each list operation of the spec at specPath its example
// answer with every id replaced by one that is no UUID nor number (with a
// slash, a colon and a space), and checks that the items decode with those
// ids: ids are the provider's to choose, and the client never parses one.
func OpaqueIDs(t *testing.T, specPath string, newClient func(baseURL string) (any, error)) {
	spec, err := apispec.Load(context.Background(), specPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, o := range spec.Ops {
		if o.Result == nil || !o.Result.List {
			continue
		}
		t.Run(o.Service+"."+o.FacadeMethod, func(t *testing.T) {
			var answer any // a copy, whose ids can change
			decode(t, successExample(o), &answer)
			data := answer
			if o.Result.Path != "" {
				data = answer.(map[string]any)[o.Result.Path]
			}
			var ids []string
			replaceIDs(data, &ids)
			if len(ids) == 0 {
				t.Skipf("%s's example has no ids", o.ID)
			}
			endPages(&o, answer)
			body, _ := json.Marshal(answer)
			srv := sandbox.NewExampleServer(t, specPath, sandbox.WithResponse(o.ID, o.Success, string(body), nil))
			client, err := newClient(srv.URL)
			if err != nil {
				t.Fatal(err)
			}
			_, out := callOp(t, spec, o, client)
			items := collect(t, out[0])
			// Every id of the answer's items is in the decoded items.
			encoded, err := json.Marshal(items.Interface())
			if err != nil {
				t.Fatal(err)
			}
			for _, id := range ids {
				if !strings.Contains(string(encoded), id) {
					t.Errorf("%s: the id %q of the answer is not in the decoded items %s", o.ID, id, encoded)
				}
			}
			want := reflect.New(items.Type())
			decode(t, data, want.Interface())
			if d := cmp.Diff(want.Elem().Interface(), items.Interface(), exportAll); d != "" {
				t.Errorf("%s items with opaque ids (-want +got):\n%s", o.ID, d)
			}
			for i := 0; i < items.Len(); i++ {
				item := reflect.Indirect(items.Index(i))
				if f := item.FieldByName("ID"); f.IsValid() && f.Kind() == reflect.String && !strings.HasPrefix(f.String(), "id:") {
					t.Errorf("%s item %d has ID %q, not the answer's opaque id", o.ID, i, f.String())
				}
			}
		})
	}
}

// replaceIDs gives every string id of v (a member named id, *Id or *_id)
// an opaque value, and appends the values to ids.
func replaceIDs(v any, ids *[]string) {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			x := v[k]
			if s, ok := x.(string); ok && s != "" && (k == "id" || strings.HasSuffix(k, "Id") || strings.HasSuffix(k, "_id")) {
				id := fmt.Sprintf("id:%d/opaque %s", len(*ids)+1, k)
				*ids = append(*ids, id)
				v[k] = id
				continue
			}
			replaceIDs(x, ids)
		}
	case []any:
		for _, x := range v {
			replaceIDs(x, ids)
		}
	}
}

// endPages makes a paged answer its listing's last page, so that the
// iterator stops after it.
func endPages(o *apispec.Operation, v any) {
	m, ok := v.(map[string]any)
	if !ok || o.Paging == nil {
		return
	}
	switch o.Paging.Style {
	case apispec.PageNumber:
		apispec.SetField(m, o.Paging.NextField, nil)
	case apispec.JSendPages:
		apispec.SetField(m, o.Paging.TotalPagesField, 1)
	}
}
