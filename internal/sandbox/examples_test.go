package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/apispec"
)

var projectSpecs = []string{"livepush", "livestorm", "streamdiver", "dlive"}

func specPath(name string) string { return "../../specs/" + name + ".yaml" }

// tbRecorder is a testing.TB that keeps Errorf calls instead of failing.
type tbRecorder struct {
	testing.TB
	mu   sync.Mutex
	errs []string
}

func (r *tbRecorder) Errorf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

func (r *tbRecorder) errors() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.errs)
}

// reply is what a request got back.
type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("body %q: %v", r.body, err)
	}
	return v
}

func send(t *testing.T, req *http.Request) reply {
	t.Helper()
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return reply{res.StatusCode, res.Header, b}
}

func newRequest(t *testing.T, method, u, contentType string, body []byte, auth string) *http.Request {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, u, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	return req
}

// get sends an authorized GET of path (with query) to s.
func get(t *testing.T, s *ExampleServer, pathAndQuery string) reply {
	t.Helper()
	return send(t, newRequest(t, http.MethodGet, s.URL+pathAndQuery, "", nil, "Bearer x"))
}

func op(t *testing.T, s *ExampleServer, id string) *apispec.Operation {
	t.Helper()
	for i := range s.spec.Ops {
		if s.spec.Ops[i].ID == id {
			return &s.spec.Ops[i]
		}
	}
	t.Fatalf("no operation %s", id)
	return nil
}

// paramExample is the parameter's example, as the spec's own test sends it.
func paramExample(p *openapi3.Parameter) any {
	if p.Example != nil {
		return p.Example
	}
	for _, name := range slices.Sorted(maps.Keys(p.Examples)) {
		if ex := p.Examples[name]; ex != nil && ex.Value != nil {
			return ex.Value.Value
		}
	}
	if p.Schema != nil && p.Schema.Value != nil {
		return p.Schema.Value.Example
	}
	return nil
}

func scalar(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	default:
		return fmt.Sprint(v)
	}
}

// exampleRequest builds a valid request for o from the spec's examples: path
// parameters, query parameters (only the required ones unless all), header
// parameters and the body.
func exampleRequest(t *testing.T, s *ExampleServer, o *apispec.Operation, all bool) *http.Request {
	t.Helper()
	item := s.spec.Doc.Paths.Value(o.Path)
	params := map[string]*openapi3.Parameter{}
	for _, ps := range []openapi3.Parameters{item.Parameters, o.Op.Parameters} {
		for _, p := range ps {
			params[p.Value.In+" "+p.Value.Name] = p.Value
		}
	}
	path := o.Path
	q := url.Values{}
	h := http.Header{}
	for _, key := range slices.Sorted(maps.Keys(params)) {
		p := params[key]
		ex := paramExample(p)
		if ex == nil {
			t.Fatalf("%s: parameter %s has no example", o.ID, p.Name)
		}
		switch p.In {
		case openapi3.ParameterInPath:
			path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(scalar(ex)))
		case openapi3.ParameterInQuery:
			if !p.Required && !all {
				continue
			}
			list, isList := ex.([]any)
			switch {
			case !isList:
				q.Add(p.Name, scalar(ex))
			case p.Explode == nil || *p.Explode:
				for _, v := range list {
					q.Add(p.Name, scalar(v))
				}
			default:
				var vs []string
				for _, v := range list {
					vs = append(vs, scalar(v))
				}
				q.Add(p.Name, strings.Join(vs, ","))
			}
		case openapi3.ParameterInHeader:
			h.Set(p.Name, scalar(ex))
		}
	}
	u := s.URL + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var contentType string
	var body []byte
	if rb := o.Op.RequestBody; rb != nil {
		mt := slices.Sorted(maps.Keys(rb.Value.Content))[0]
		media := rb.Value.Content[mt]
		contentType, body = encodeBody(t, mt, media)
	}
	req := newRequest(t, o.Method, u, contentType, body, "Bearer x")
	for k, v := range h {
		req.Header[k] = v
	}
	return req
}

// encodeBody encodes the media type's example.
func encodeBody(t *testing.T, mt string, media *openapi3.MediaType) (string, []byte) {
	t.Helper()
	ex, ok := apispec.Example(media)
	if !ok {
		t.Fatalf("request body %s has no example", mt)
	}
	switch {
	case isJSON(mt):
		b, err := json.Marshal(ex)
		if err != nil {
			t.Fatal(err)
		}
		return mt, b
	case mt == "multipart/form-data":
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		fields, _ := ex.(map[string]any)
		for _, name := range slices.Sorted(maps.Keys(fields)) {
			var prop *openapi3.Schema
			if media.Schema != nil && media.Schema.Value.Properties[name] != nil {
				prop = media.Schema.Value.Properties[name].Value
			}
			if prop != nil && prop.Format == "binary" {
				fw, err := w.CreateFormFile(name, scalar(fields[name]))
				if err != nil {
					t.Fatal(err)
				}
				fmt.Fprint(fw, scalar(fields[name]))
				continue
			}
			if err := w.WriteField(name, scalar(fields[name])); err != nil {
				t.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			t.Fatal(err)
		}
		return w.FormDataContentType(), buf.Bytes()
	case mt == "application/x-www-form-urlencoded":
		v := url.Values{}
		fields, _ := ex.(map[string]any)
		for k, f := range fields {
			v.Set(k, scalar(f))
		}
		return mt, []byte(v.Encode())
	default:
		return mt, []byte(scalar(ex))
	}
}

// checkSuccess checks that r is o's success answer and that its body fits
// the schema.
func checkSuccess(t *testing.T, o *apispec.Operation, r reply) {
	t.Helper()
	if r.status != o.Success {
		t.Fatalf("%s: status %d, want %d; body %s", o.ID, r.status, o.Success, r.body)
	}
	if o.Success == http.StatusNoContent {
		if len(r.body) != 0 {
			t.Errorf("%s: 204 with body %q", o.ID, r.body)
		}
		return
	}
	mt, media := apispec.FirstContent(o.Op.Responses.Status(o.Success).Value)
	if got := r.header.Get("Content-Type"); got != mt {
		t.Errorf("%s: Content-Type %q, want %q", o.ID, got, mt)
	}
	if len(r.body) == 0 {
		t.Fatalf("%s: empty body", o.ID)
	}
	if !isJSON(mt) || media.Schema == nil {
		return
	}
	var v any
	if err := json.Unmarshal(r.body, &v); err != nil {
		t.Fatalf("%s: body is not JSON: %v", o.ID, err)
	}
	if err := media.Schema.Value.VisitJSON(v, openapi3.VisitAsResponse(), openapi3.MultiErrors()); err != nil {
		t.Errorf("%s: body does not fit the schema: %v", o.ID, err)
	}
}

// Every operation of every project spec answers its example to a request
// built from the spec's own examples: the server works for each, and each
// spec's examples agree with each other.
func TestEveryOperationAnswersItsExample(t *testing.T) {
	for _, name := range projectSpecs {
		t.Run(name, func(t *testing.T) {
			s := NewExampleServer(t, specPath(name))
			if len(s.spec.Ops) == 0 {
				t.Fatal("no operations")
			}
			for i := range s.spec.Ops {
				o := &s.spec.Ops[i]
				for _, all := range []bool{false, true} {
					what := "required"
					if all {
						what = "all"
					}
					t.Run(o.ID+"/"+what+"-params", func(t *testing.T) {
						checkSuccess(t, o, send(t, exampleRequest(t, s, o, all)))
					})
				}
			}
			ids := map[string]bool{}
			for _, o := range s.spec.Ops {
				ids[o.ID] = true
				if got := s.Count(o.ID); got != 2 {
					t.Errorf("Count(%s) = %d, want 2", o.ID, got)
				}
			}
			if got := s.Count(""); got != 0 {
				t.Errorf("Count(\"\") = %d, want 0", got)
			}
		})
	}
}

// The server rejects what the spec does not allow, says why and fails the
// test.
func TestRejects(t *testing.T) {
	createEvent := `{"data":{"attributes":{"title":"No type"}}}`
	for _, tc := range []struct {
		name        string
		spec        string
		opts        []ExampleOption
		method      string
		path        string
		contentType string
		body        string
		auth        string
		wantStatus  int
		wantErr     []string // each in the recorded error and in the body
	}{{
		name: "missing required body field", spec: "livestorm",
		method: "POST", path: "/events", contentType: "application/vnd.api+json", body: createEvent, auth: "Bearer x",
		wantStatus: 400, wantErr: []string{"createEvent", `property "type" is missing`},
	}, {
		name: "missing body", spec: "livepush",
		method: "POST", path: "/teams/tm_4Hs8Kx2Nb6Vc/members", contentType: "application/json", auth: "Bearer x",
		wantStatus: 400, wantErr: []string{"addTeamMember", "value is required but missing"},
	}, {
		name: "wrong content type", spec: "dlive",
		method: "POST", path: "/", contentType: "text/plain", body: "query { me { username } }", auth: "x",
		wantStatus: 400, wantErr: []string{"graphql", "Content-Type"},
	}, {
		name: "query parameter of the wrong type", spec: "livestorm",
		method: "GET", path: "/events?page%5Bnumber%5D=first", auth: "Bearer x",
		wantStatus: 400, wantErr: []string{"listEvents", "page[number]"},
	}, {
		name: "page size over the maximum", spec: "streamdiver",
		method: "GET", path: "/uploads?perpage=51", auth: "Bearer x",
		wantStatus: 400, wantErr: []string{"listUploads", "perpage"},
	}, {
		name: "unknown path", spec: "livepush",
		method: "GET", path: "/nope", auth: "Bearer x",
		wantStatus: 404, wantErr: []string{"GET /nope", "matches no path"},
	}, {
		name: "unknown method", spec: "livestorm",
		method: "DELETE", path: "/events", auth: "Bearer x",
		wantStatus: 405, wantErr: []string{"DELETE /events"},
	}, {
		name: "path of another host still served, wrong method", spec: "livepush",
		method: "PUT", path: "/account/this", auth: "Bearer x",
		wantStatus: 405, wantErr: []string{"PUT /account/this"},
	}, {
		name: "missing Authorization", spec: "streamdiver",
		method: "GET", path: "/uploads",
		wantStatus: 401, wantErr: []string{"listUploads", "no Authorization header"},
	}, {
		name: "WithAuth rejects", spec: "dlive",
		opts: []ExampleOption{WithAuth(func(r *http.Request) error {
			if got := r.Header.Get("Authorization"); got != "raw-token" {
				return fmt.Errorf("Authorization %q, want the raw token", got)
			}
			return nil
		})},
		method: "POST", path: "/", contentType: "application/json", body: `{"query":"query { me { username } }"}`, auth: "Bearer raw-token",
		wantStatus: 401, wantErr: []string{"graphql", `Authorization "Bearer raw-token", want the raw token`},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &tbRecorder{TB: t}
			s := NewExampleServer(rec, specPath(tc.spec), tc.opts...)
			r := send(t, newRequest(t, tc.method, s.URL+tc.path, tc.contentType, []byte(tc.body), tc.auth))
			if r.status != tc.wantStatus {
				t.Errorf("status %d, want %d; body %s", r.status, tc.wantStatus, r.body)
			}
			errs := rec.errors()
			if len(errs) != 1 {
				t.Fatalf("recorded %d errors, want 1: %q", len(errs), errs)
			}
			msg, _ := r.json(t)["error"].(string)
			for _, want := range tc.wantErr {
				if !strings.Contains(errs[0], want) {
					t.Errorf("recorded error does not say %q: %s", want, errs[0])
				}
				if !strings.Contains(msg, want) {
					t.Errorf("body does not say %q: %s", want, r.body)
				}
			}
		})
	}
}

func TestWithAuthAccepts(t *testing.T) {
	s := NewExampleServer(t, specPath("dlive"), WithAuth(func(r *http.Request) error {
		if r.Header.Get("Authorization") != "raw-token" {
			return errors.New("wrong token")
		}
		return nil
	}))
	r := send(t, newRequest(t, "POST", s.URL+"/", "application/json", []byte(`{"query":"query { me { username } }"}`), "raw-token"))
	checkSuccess(t, op(t, s, "graphql"), r)
}

// livestormMeta holds the fields the spec declares for the page-number
// style (x-onair-pagination-styles): the examples set those alone.
type livestormMeta struct {
	CurrentPage int  `json:"current_page"`
	NextPage    *int `json:"next_page"`
}

type livestormList struct {
	Data []struct {
		ID   string `json:"id"`
		Type string `json:"type"`
	} `json:"data"`
	Meta livestormMeta `json:"meta"`
}

func ptr(n int) *int { return &n }

func TestLivestormPages(t *testing.T) {
	rec := &tbRecorder{TB: t}
	s := NewExampleServer(rec, specPath("livestorm"))
	o := op(t, s, "listEvents")
	const id = "5c8e4a9b-1d2f-4e3a-9b7c-0a1b2c3d4e5f" // the example's
	var pages []livestormList
	for _, q := range []string{"", "?page%5Bnumber%5D=1&page%5Bsize%5D=5"} {
		r := get(t, s, "/events"+q)
		checkSuccess(t, o, r)
		var l livestormList
		if err := json.Unmarshal(r.body, &l); err != nil {
			t.Fatal(err)
		}
		pages = append(pages, l)
	}
	if d := cmp.Diff(livestormMeta{0, ptr(1)}, pages[0].Meta); d != "" {
		t.Errorf("page 0 meta (-want +got):\n%s", d)
	}
	if d := cmp.Diff(livestormMeta{1, nil}, pages[1].Meta); d != "" {
		t.Errorf("page 1 meta (-want +got):\n%s", d)
	}
	if len(pages[0].Data) != 1 || pages[0].Data[0].ID != id {
		t.Errorf("page 0 data %+v, want the example's item %s", pages[0].Data, id)
	}
	if len(pages[1].Data) != 1 || pages[1].Data[0].ID == id || !uuidRE.MatchString(pages[1].Data[0].ID) {
		t.Errorf("page 1 data %+v, want one item with another UUID", pages[1].Data)
	}
	if errs := rec.errors(); len(errs) != 0 {
		t.Fatalf("errors: %q", errs)
	}

	r := get(t, s, "/events?page%5Bnumber%5D=2")
	if r.status != http.StatusBadRequest {
		t.Errorf("page 2: status %d, want 400", r.status)
	}
	if got := r.header.Get("Content-Type"); got != "application/vnd.api+json" {
		t.Errorf("page 2: Content-Type %q", got)
	}
	var e struct {
		Errors []struct{ Status string } `json:"errors"`
	}
	if err := json.Unmarshal(r.body, &e); err != nil || len(e.Errors) != 1 || e.Errors[0].Status != "bad_request" {
		t.Errorf("page 2: body %s (%v), want a JSON:API bad_request error", r.body, err)
	}
	errs := rec.errors()
	if len(errs) != 1 || !strings.Contains(errs[0], "listEvents") || !strings.Contains(errs[0], "page[number]=2") {
		t.Errorf("page 2: recorded %q, want one error naming listEvents and page[number]=2", errs)
	}
}

// Every livestorm list serves pages 0 and 1, cut to page[size], with
// distinct ids on page 1 that still fit the schema.
func TestLivestormEveryList(t *testing.T) {
	s := NewExampleServer(t, specPath("livestorm"))
	for _, o := range s.spec.Ops {
		if o.Paging == nil || o.Paging.Style != apispec.PageNumber {
			continue
		}
		var ids [2]string
		for page := range 2 {
			req := exampleRequest(t, s, &o, false)
			req.URL.RawQuery = fmt.Sprintf("page%%5Bnumber%%5D=%d&page%%5Bsize%%5D=1", page)
			r := send(t, req)
			checkSuccess(t, &o, r)
			var l livestormList
			if err := json.Unmarshal(r.body, &l); err != nil {
				t.Fatal(err)
			}
			if len(l.Data) != 1 || l.Meta.CurrentPage != page || (l.Meta.NextPage == nil) != (page == 1) {
				t.Errorf("%s page %d size 1: %d items, meta %+v", o.ID, page, len(l.Data), l.Meta)
				continue
			}
			ids[page] = l.Data[0].ID
		}
		if ids[0] == ids[1] {
			t.Errorf("%s: pages 0 and 1 both hold id %q", o.ID, ids[0])
		}
	}
}

type streamdiverList struct {
	Data []struct {
		ID string `json:"id"`
	} `json:"data"`
	Pagination *struct {
		TotalPages int // the field jsend-pages declares
	} `json:"pagination"`
}

func TestStreamdiverPages(t *testing.T) {
	rec := &tbRecorder{TB: t}
	s := NewExampleServer(rec, specPath("streamdiver"))
	o := op(t, s, "listUploads")
	list := func(q string) (streamdiverList, reply) {
		t.Helper()
		r := get(t, s, "/uploads"+q)
		checkSuccess(t, o, r)
		var l streamdiverList
		if err := json.Unmarshal(r.body, &l); err != nil {
			t.Fatal(err)
		}
		return l, r
	}
	seen := map[string]bool{}
	for _, tc := range []struct {
		query     string
		wantItems int
		wantPages int
	}{
		{"", 10, 2},
		{"?page=0&perpage=3", 3, 2},
		{"?page=1&perpage=3", 1, 2},
		{"?page=1", 1, 2},
	} {
		l, _ := list(tc.query)
		if len(l.Data) != tc.wantItems {
			t.Errorf("%q: %d items, want %d", tc.query, len(l.Data), tc.wantItems)
		}
		if l.Pagination == nil {
			t.Fatalf("%q: no pagination", tc.query)
		}
		if got := l.Pagination.TotalPages; got != tc.wantPages {
			t.Errorf("%q: totalPages %d, want %d", tc.query, got, tc.wantPages)
		}
		if strings.Contains(tc.query, "perpage=3") {
			for _, it := range l.Data {
				if seen[it.ID] || !uuidRE.MatchString(it.ID) {
					t.Errorf("%q: id %q repeats or is no UUID", tc.query, it.ID)
				}
				seen[it.ID] = true
			}
		}
	}
	if len(seen) != 4 || !seen["6f1c2a9e-0000-4000-8000-000000000003"] {
		t.Errorf("ids over both pages: %v, want 4 distinct ones with the example's", slices.Sorted(maps.Keys(seen)))
	}
	if errs := rec.errors(); len(errs) != 0 {
		t.Fatalf("errors: %q", errs)
	}

	l, _ := list("?page=2&perpage=3")
	if len(l.Data) != 0 {
		t.Errorf("page 2: %d items, want none", len(l.Data))
	}
	errs := rec.errors()
	if len(errs) != 1 || !strings.Contains(errs[0], "listUploads") || !strings.Contains(errs[0], "page=2") {
		t.Errorf("page 2: recorded %q, want one error naming listUploads and page=2", errs)
	}
}

// Every streamdiver list serves a full page 0 and a short page 1.
func TestStreamdiverEveryList(t *testing.T) {
	s := NewExampleServer(t, specPath("streamdiver"))
	for _, o := range s.spec.Ops {
		if o.Paging == nil || o.Paging.Style != apispec.JSendPages {
			continue
		}
		for page, want := range []int{4, 1} {
			req := exampleRequest(t, s, &o, false)
			req.URL.RawQuery = fmt.Sprintf("page=%d&perpage=4", page)
			r := send(t, req)
			checkSuccess(t, &o, r)
			var l struct{ Data []any }
			if err := json.Unmarshal(r.body, &l); err != nil {
				t.Fatal(err)
			}
			if len(l.Data) != want {
				t.Errorf("%s page %d: %d items, want %d", o.ID, page, len(l.Data), want)
			}
		}
	}
}

func TestWithResponse(t *testing.T) {
	notFound := `{"errors":[{"status":"not_found","title":"Not Found"}]}`
	for _, tc := range []struct {
		name       string
		status     int
		body       string
		header     http.Header
		wantCT     string
		wantErrors int
	}{
		{"declared status, valid body", 404, notFound, nil, "application/vnd.api+json", 0},
		{"declared status, own content type", 404, notFound, http.Header{"Content-Type": {"application/vnd.api+json; charset=utf-8"}}, "application/vnd.api+json; charset=utf-8", 0},
		{"declared status, body against the spec", 404, `{"message":"gone"}`, nil, "application/vnd.api+json", 1},
		{"undeclared status, not validated", 418, `{"anything":true}`, nil, "application/vnd.api+json", 0},
		{"429 with Retry-After", 429, `{"errors":[{"status":"too_many_requests"}]}`, http.Header{"Retry-After": {"3"}}, "application/vnd.api+json", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &tbRecorder{TB: t}
			s := NewExampleServer(rec, specPath("livestorm"), WithResponse("getEvent", tc.status, tc.body, tc.header))
			o := op(t, s, "getEvent")
			r := send(t, exampleRequest(t, s, o, true))
			got := []any{r.status, string(r.body), r.header.Get("Content-Type"), len(rec.errors())}
			want := []any{tc.status, tc.body, tc.wantCT, tc.wantErrors}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got):\n%s\nerrors: %q", d, rec.errors())
			}
			for k := range tc.header {
				if r.header.Get(k) != tc.header.Get(k) {
					t.Errorf("header %s = %q, want %q", k, r.header.Get(k), tc.header.Get(k))
				}
			}
			if tc.wantErrors > 0 && !strings.Contains(rec.errors()[0], "getEvent") {
				t.Errorf("error does not name getEvent: %s", rec.errors()[0])
			}
			// Other operations answer as usual.
			checkSuccess(t, op(t, s, "listEvents"), get(t, s, "/events"))
			// The request is still validated.
			send(t, newRequest(t, "GET", s.URL+"/events/x", "", nil, ""))
			if n := len(rec.errors()); n != tc.wantErrors+1 {
				t.Errorf("an unauthorized request recorded %d errors, want 1", n-tc.wantErrors)
			}
		})
	}
}

func TestWithResponseSequence(t *testing.T) {
	busy := Response{Status: 429, Body: `{"status":"error","message":"slow down"}`, Header: http.Header{"Retry-After": {"1"}}}
	unavailable := Response{Status: 503, Body: "down"}
	gone := `{"status":"fail","message":"gone"}`
	for _, tc := range []struct {
		name string
		opts []ExampleOption
		want []int
	}{
		{"then the example", []ExampleOption{WithResponseSequence("getMedia", busy, unavailable)}, []int{429, 503, 200, 200}},
		{"then WithResponse", []ExampleOption{WithResponseSequence("getMedia", busy), WithResponse("getMedia", 404, gone, nil)}, []int{429, 404, 404}},
		{"sequences add up", []ExampleOption{WithResponseSequence("getMedia", busy), WithResponseSequence("getMedia", busy)}, []int{429, 429, 200}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &tbRecorder{TB: t}
			s := NewExampleServer(rec, specPath("streamdiver"), tc.opts...)
			o := op(t, s, "getMedia")
			// An invalid request does not use up the sequence.
			if r := send(t, newRequest(t, "GET", s.URL+"/media/6f1c2a9e-0000-4000-8000-000000000001", "", nil, "")); r.status != 401 {
				t.Errorf("unauthorized: status %d", r.status)
			}
			var got []int
			for range tc.want {
				r := send(t, exampleRequest(t, s, o, false))
				got = append(got, r.status)
				if r.status == 429 && r.header.Get("Retry-After") != "1" {
					t.Errorf("429 without Retry-After: %v", r.header)
				}
				if r.status == 200 {
					checkSuccess(t, o, r)
				}
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("statuses (-want +got):\n%s", d)
			}
			if n := s.Count("getMedia"); n != len(tc.want)+1 {
				t.Errorf("Count = %d, want %d", n, len(tc.want)+1)
			}
			if errs := rec.errors(); len(errs) != 1 || !strings.Contains(errs[0], "getMedia") {
				t.Errorf("errors %q, want the unauthorized request's", errs)
			}
		})
	}
}

func TestUnknownOperationInOption(t *testing.T) {
	for _, opt := range []ExampleOption{
		WithResponse("nope", 200, "", nil),
		WithResponseSequence("nope", Response{Status: 200}),
	} {
		ft := &fatalRecorder{TB: t}
		func() {
			defer func() {
				if r := recover(); r != errFatal {
					panic(r)
				}
			}()
			NewExampleServer(ft, specPath("dlive"), opt)
		}()
		if !strings.Contains(ft.msg, `"nope"`) {
			t.Errorf("Fatalf said %q, want the operation named", ft.msg)
		}
	}
}

var errFatal = errors.New("fatal")

type fatalRecorder struct {
	testing.TB
	msg string
}

func (f *fatalRecorder) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	panic(errFatal)
}

func TestCallsRecordRequests(t *testing.T) {
	rec := &tbRecorder{TB: t}
	s := NewExampleServer(rec, specPath("livepush"))
	body := `{"email":"sam@example.com","role":"member"}`
	req := newRequest(t, "POST", s.URL+"/teams/tm_4Hs8Kx2Nb6Vc/members?x=1", "application/json", []byte(body), "Bearer tok")
	checkSuccess(t, op(t, s, "addTeamMember"), send(t, req))
	get(t, s, "/account/this")
	get(t, s, "/nowhere?a=b")

	type call struct {
		Method, Path string
		Query        url.Values
		Auth, Body   string
	}
	summary := func(cs []Call) []call {
		var out []call
		for _, c := range cs {
			out = append(out, call{c.Method, c.Path, c.Query, c.Header.Get("Authorization"), string(c.Body)})
		}
		return out
	}
	for _, tc := range []struct {
		id   string
		want []call
	}{
		{"addTeamMember", []call{{"POST", "/teams/tm_4Hs8Kx2Nb6Vc/members", url.Values{"x": {"1"}}, "Bearer tok", body}}},
		{"getAccount", []call{{"GET", "/account/this", url.Values{}, "Bearer x", ""}}},
		{"", []call{{"GET", "/nowhere", url.Values{"a": {"b"}}, "Bearer x", ""}}},
		{"listTeams", nil},
	} {
		if d := cmp.Diff(tc.want, summary(s.Calls(tc.id))); d != "" {
			t.Errorf("Calls(%q) (-want +got):\n%s", tc.id, d)
		}
		if got := s.Count(tc.id); got != len(tc.want) {
			t.Errorf("Count(%q) = %d, want %d", tc.id, got, len(tc.want))
		}
	}
	// The unknown path is the only error.
	if errs := rec.errors(); len(errs) != 1 || !strings.Contains(errs[0], "/nowhere") {
		t.Errorf("errors %q", errs)
	}
	// Calls returns copies.
	s.Calls("getAccount")[0].Path = "changed"
	if s.Calls("getAccount")[0].Path != "/account/this" {
		t.Error("Calls shares its slice")
	}
}

func TestConcurrentRequests(t *testing.T) {
	s := NewExampleServer(t, specPath("streamdiver"), WithResponseSequence("getMedia", Response{Status: 429, Header: http.Header{"Retry-After": {"1"}}}))
	o := op(t, s, "getMedia")
	const n = 20
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		req := exampleRequest(t, s, o, true)
		wg.Go(func() {
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			io.Copy(io.Discard, res.Body)
			res.Body.Close()
			statuses[i] = res.StatusCode
		})
	}
	wg.Wait()
	counts := map[int]int{}
	for _, st := range statuses {
		counts[st]++
	}
	if d := cmp.Diff(map[int]int{200: n - 1, 429: 1}, counts); d != "" {
		t.Errorf("statuses (-want +got):\n%s", d)
	}
	if got := s.Count("getMedia"); got != n {
		t.Errorf("Count = %d, want %d", got, n)
	}
}

func TestCloseTwice(t *testing.T) {
	s := NewExampleServer(t, specPath("dlive"))
	s.Close()
	s.Close()
}
