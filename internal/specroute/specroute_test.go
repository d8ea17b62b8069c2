package specroute

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/apispec"
)

var specNames = []string{"livepush", "livestorm", "streamdiver", "dlive"}

// load loads a spec and serves it at the root, as the sandboxes do.
func load(tb testing.TB, name string) *apispec.Spec {
	tb.Helper()
	spec, err := apispec.Load(context.Background(), "../../specs/"+name+".yaml")
	if err != nil {
		tb.Fatal(err)
	}
	spec.Doc.Servers = nil
	for _, item := range spec.Doc.Paths.Map() {
		item.Servers = nil
		for _, op := range item.Operations() {
			op.Servers = nil
		}
	}
	return spec
}

// outcome is what a router decided, in terms both routers share.
type outcome struct {
	Err    string
	Path   string
	Method string
	OpID   string
	Params map[string]string
}

// requestPaths are the paths tried for every path of a spec: its
// parameters filled in several ways, and near misses around it.
func requestPaths(template string) []string {
	var out []string
	for _, v := range []string{"abc", "a%20b", "a.b", "me", "%2F", "x:y", "-"} {
		p := template
		for strings.Contains(p, "{") {
			i := strings.Index(p, "{")
			j := strings.Index(p, "}")
			p = p[:i] + v + p[j+1:]
		}
		out = append(out, p, p+"/", "/"+p, p+"/x", strings.TrimSuffix(p, "/")+"//", strings.ToUpper(p), p[:len(p)-1], p+"x", "/v1"+p)
	}
	empty := template
	for strings.Contains(empty, "{") {
		i := strings.Index(empty, "{")
		j := strings.Index(empty, "}")
		empty = empty[:i] + empty[j+1:]
	}
	return append(out, empty, template)
}

var methods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "get"}

// TestSameAsGorillamux asks both routers about every path of the four
// specs with every method, and near misses, and wants the same answers.
func TestSameAsGorillamux(t *testing.T) {
	var found, notFound, notAllowed int
	for _, name := range specNames {
		spec := load(t, name)
		kin, err := gorillamux.NewRouter(spec.Doc)
		if err != nil {
			t.Fatal(err)
		}
		ours, err := New(spec)
		if err != nil {
			t.Fatal(err)
		}
		paths := []string{"/", "", "/nothing", "/events/1/2/3/4"}
		for _, p := range spec.Doc.Paths.InMatchingOrder() {
			paths = append(paths, requestPaths(p)...)
		}
		for _, p := range paths {
			u, err := url.Parse("http://127.0.0.1:1" + p)
			if err != nil {
				continue // a near miss that is no URL
			}
			for _, m := range methods {
				req := &http.Request{Method: m, URL: u, Host: u.Host}
				want := kinOutcome(kin, req)
				got := ourOutcome(ours, m, req.URL.EscapedPath())
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s: %s %s (-gorillamux +specroute):\n%s", name, m, p, diff)
				}
				switch want.Err {
				case "":
					found++
					if got.OpID != "" && got.OpID != want.OpID {
						t.Errorf("%s %s: operation %s, want %s", m, p, got.OpID, want.OpID)
					}
				case "404":
					notFound++
				case "405":
					notAllowed++
				}
			}
		}
	}
	t.Logf("%d found, %d not found, %d not allowed", found, notFound, notAllowed)
	if found == 0 || notFound == 0 || notAllowed == 0 {
		t.Errorf("an outcome never happened: the requests test too little")
	}
}

func kinOutcome(r routers.Router, req *http.Request) outcome {
	route, params, err := r.FindRoute(req)
	switch {
	case errors.Is(err, routers.ErrMethodNotAllowed):
		return outcome{Err: "405"}
	case err != nil:
		return outcome{Err: "404"}
	}
	o := outcome{Path: route.Path, Method: route.Method, OpID: route.Operation.OperationID, Params: params}
	if len(o.Params) == 0 {
		o.Params = nil
	}
	return o
}

func ourOutcome(r *Router, method, path string) outcome {
	m, err := r.Find(method, path)
	switch {
	case errors.Is(err, ErrMethodNotAllowed):
		return outcome{Err: "405"}
	case errors.Is(err, ErrNotFound):
		return outcome{Err: "404"}
	case err != nil:
		return outcome{Err: err.Error()}
	}
	o := outcome{Path: m.Route.Path, Method: m.Route.Method, OpID: m.Route.Operation.OperationID}
	if m.Params.Len() > 0 {
		o.Params = m.Params.Map()
	}
	if m.Op != nil && m.Op.Op != m.Route.Operation {
		o.OpID = "apispec operation differs from the route's"
	}
	return o
}

// TestFindDoesNotAllocate: routing is on every request's path.
func TestFindDoesNotAllocate(t *testing.T) {
	r, err := New(load(t, "livestorm"))
	if err != nil {
		t.Fatal(err)
	}
	allocs := testing.AllocsPerRun(100, func() {
		m, err := r.Find("GET", "/events/abc/people/def")
		if err != nil || m.Params.Get("people_id") != "def" {
			t.Fatalf("Find = %v, %v", m, err)
		}
	})
	if allocs != 0 {
		t.Errorf("Find allocates %v times, want 0", allocs)
	}
}

// BenchmarkFind finds Livestorm's GetEvent and Streamdiver's GetMedia with
// gorillamux and with this package, side by side.
func BenchmarkFind(b *testing.B) {
	for _, c := range []struct{ spec, path string }{{"livestorm", "/events/0b1f6ab4-9b7a-4a55-a1f5-1a2b3c4d5e6f"}, {"streamdiver", "/media/9f3c2d1e"}} {
		spec := load(b, c.spec)
		kin, err := gorillamux.NewRouter(spec.Doc)
		if err != nil {
			b.Fatal(err)
		}
		ours, err := New(spec)
		if err != nil {
			b.Fatal(err)
		}
		req := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:1"+c.path, nil)
		b.Run(c.spec+"/gorillamux", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := kin.FindRoute(req); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(c.spec+"/specroute", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ours.Find(req.Method, req.URL.EscapedPath()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
