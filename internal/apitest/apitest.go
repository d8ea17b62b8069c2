// Package apitest serves an OpenAPI spec for tests: it validates every
// request and every response against the spec and answers with the spec's
// own examples.
//
// A test starts a server for one of the project's specs and points a client
// at Server.URL, which stands in for every server the spec names (top-level,
// path-level and operation-level). Each request is matched to its operation
// and validated with kin-openapi: a request the spec does not allow answers
// 400 (401 when only the Authorization check failed) and fails the test
// through tb.Errorf, naming the operationId and what is wrong. A valid
// request answers the operation's success response with the media type's
// example and the examples of its declared headers; the answer is validated
// too, so a spec whose examples do not fit its schemas fails as well.
//
// Lists answer two pages so that iterators terminate and can be tested
// across pages, following the operation's x-onair-pagination:
//
//   - livestorm: page[number] 0 and 1 each carry the example's data items
//     (at most page[size]); meta says there are two pages. A later page
//     answers 400 with a JSON:API error, as Livestorm does, and fails the
//     test.
//   - streamdiver: page 0 holds exactly perpage items, page 1 fewer (at
//     least one); pagination says there are two pages. A later page answers
//     an empty list and fails the test.
//   - relay and none: the example as it is.
//
// Repeated items get distinct string ids (a UUID keeps its format; only its
// last hex digits change), so a test can tell the pages apart.
//
// Every request is recorded (see Server.Calls); options make an operation
// answer something else (WithResponse, WithResponseSequence) or replace the
// Authorization check (WithAuth).
package apitest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/onair-go/onair/internal/apispec"
)

// Server is a running test server for one spec.
type Server struct {
	// URL is the base URL (http://127.0.0.1:port, no trailing slash) a
	// client uses in place of all of the spec's servers.
	URL string

	tb     testing.TB
	srv    *httptest.Server
	spec   *apispec.Spec
	router routers.Router
	ops    map[*openapi3.Operation]*apispec.Operation
	byID   map[string]*apispec.Operation
	auth   func(*http.Request) error

	mu    sync.Mutex
	calls map[string][]Call
	fixed map[string]Response   // WithResponse
	seqs  map[string][]Response // WithResponseSequence, what is left
}

// Call is one request the server received.
type Call struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
	Body         []byte
}

// Response is an answer chosen by a test instead of the spec's example.
// Body is sent as is; without a Content-Type in Header, a non-empty body
// gets the media type the spec declares for the status (or for the success
// status, or application/json). An empty body is allowed even where the
// spec declares content.
type Response struct {
	Status int
	Body   string
	Header http.Header
}

// Option configures a Server.
type Option func(*config)

type config struct {
	fixed map[string]Response
	seqs  map[string][]Response
	auth  func(*http.Request) error
}

// WithResponse makes the operation answer status, body and header instead
// of its example, for every request (after any WithResponseSequence
// answers). The request is still validated. The answer is validated against
// the spec when the operation declares the status; an undeclared status is
// sent without validation.
func WithResponse(operationID string, status int, body string, header http.Header) Option {
	return func(c *config) {
		c.fixed[operationID] = Response{Status: status, Body: body, Header: header}
	}
}

// WithResponseSequence makes the operation answer responses, one per valid
// request and in order, then fall back to its normal answer (WithResponse,
// or the example). For retry tests: a 429 then the example, for instance.
func WithResponseSequence(operationID string, responses ...Response) Option {
	return func(c *config) {
		c.seqs[operationID] = append(c.seqs[operationID], responses...)
	}
}

// WithAuth replaces the default Authorization check, which accepts any
// request with a non-empty Authorization header. It is called for each
// security scheme the operation's requirements name, until one passes; an
// error rejects the request with 401 and fails the test.
func WithAuth(check func(r *http.Request) error) Option {
	return func(c *config) { c.auth = check }
}

func defaultAuth(r *http.Request) error {
	if r.Header.Get("Authorization") == "" {
		return errors.New("no Authorization header")
	}
	return nil
}

// NewServer loads and checks the spec at specPath (see apispec.Load) and
// starts a server for it on 127.0.0.1, closed when the test ends. Problems
// with the spec or the options stop the test. A spec is loaded once per
// test binary (again when the file changes); servers share it read-only.
func NewServer(tb testing.TB, specPath string, opts ...Option) *Server {
	tb.Helper()
	cfg := config{fixed: map[string]Response{}, seqs: map[string][]Response{}, auth: defaultAuth}
	for _, o := range opts {
		o(&cfg)
	}
	spec, err := loadSpec(tb, specPath)
	if err != nil {
		tb.Fatalf("apitest: %v", err)
	}
	router, err := gorillamux.NewRouter(spec.Doc)
	if err != nil {
		tb.Fatalf("apitest: %s: building the router: %v", specPath, err)
	}
	s := &Server{
		tb:     tb,
		spec:   spec,
		router: router,
		ops:    map[*openapi3.Operation]*apispec.Operation{},
		byID:   map[string]*apispec.Operation{},
		auth:   cfg.auth,
		calls:  map[string][]Call{},
		fixed:  cfg.fixed,
		seqs:   cfg.seqs,
	}
	for i := range spec.Ops {
		o := &spec.Ops[i]
		s.ops[o.Op] = o
		s.byID[o.ID] = o
	}
	for _, id := range slices.Sorted(maps.Keys(cfg.fixed)) {
		if s.byID[id] == nil {
			tb.Fatalf("apitest: WithResponse: %s has no operation %q", specPath, id)
		}
	}
	for _, id := range slices.Sorted(maps.Keys(cfg.seqs)) {
		if s.byID[id] == nil {
			tb.Fatalf("apitest: WithResponseSequence: %s has no operation %q", specPath, id)
		}
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	s.URL = s.srv.URL
	tb.Cleanup(s.Close)
	return s
}

// specs caches loaded specs by absolute path: loading and checking a spec
// takes longer than most tests, and servers only read it.
var specs = struct {
	sync.Mutex
	m map[string]cachedSpec
}{m: map[string]cachedSpec{}}

type cachedSpec struct {
	mod  time.Time
	size int64
	spec *apispec.Spec
}

// loadSpec loads and checks the spec at path, once per test binary unless
// the file changes, with every server list cleared so that one base URL
// serves every path.
func loadSpec(tb testing.TB, path string) (*apispec.Spec, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(abs)
	if err != nil {
		return nil, err
	}
	specs.Lock()
	defer specs.Unlock()
	if c, ok := specs.m[abs]; ok && c.mod.Equal(fi.ModTime()) && c.size == fi.Size() {
		return c.spec, nil
	}
	spec, err := apispec.Load(tb.Context(), path)
	if err != nil {
		return nil, err
	}
	spec.Doc.Servers = nil
	for _, item := range spec.Doc.Paths.Map() {
		item.Servers = nil
		for _, op := range item.Operations() {
			op.Servers = nil
		}
	}
	specs.m[abs] = cachedSpec{mod: fi.ModTime(), size: fi.Size(), spec: spec}
	return spec, nil
}

// Close shuts the server down, waiting for requests in flight. It is called
// when the test ends; calling it again does nothing.
func (s *Server) Close() { s.srv.Close() }

// Calls returns the requests received for the operation, in the order they
// arrived, including those that failed validation. Requests that match no
// operation are recorded under the empty operationID.
func (s *Server) Calls(operationID string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls[operationID])
}

// Count returns how many requests the operation received (see Calls).
func (s *Server) Count(operationID string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.calls[operationID])
}

func (s *Server) record(id string, r *http.Request, body []byte) {
	c := Call{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body}
	s.mu.Lock()
	s.calls[id] = append(s.calls[id], c)
	s.mu.Unlock()
}

// next returns the answer a test chose for the operation, if any.
func (s *Server) next(id string) (Response, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if q := s.seqs[id]; len(q) > 0 {
		s.seqs[id] = q[1:]
		return q[0], true
	}
	r, ok := s.fixed[id]
	return r, ok
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.tb.Errorf("apitest: %s %s: reading the request body: %v", r.Method, r.URL.Path, err)
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "apitest: reading the request body: " + err.Error()})
		return
	}
	setBody(r, body)

	route, pathParams, err := s.router.FindRoute(r)
	if err != nil {
		s.record("", r, body)
		status := http.StatusNotFound
		msg := fmt.Sprintf("apitest: %s %s matches no path of %s", r.Method, r.URL.Path, s.spec.Path)
		if errors.Is(err, routers.ErrMethodNotAllowed) {
			status = http.StatusMethodNotAllowed
			msg = fmt.Sprintf("apitest: %s %s: the path of %s has no %s operation", r.Method, r.URL.Path, s.spec.Path, r.Method)
		}
		s.tb.Errorf("%s", msg)
		writeJSON(w, status, map[string]any{"error": msg})
		return
	}
	op := s.ops[route.Operation]
	if op == nil { // a method apispec does not read (HEAD, OPTIONS...)
		s.record("", r, body)
		msg := fmt.Sprintf("apitest: %s %s: the spec's operation is not one apitest serves", r.Method, r.URL.Path)
		s.tb.Errorf("%s", msg)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]any{"error": msg})
		return
	}
	s.record(op.ID, r, body)
	where := fmt.Sprintf("%s (%s %s)", op.ID, r.Method, r.URL.Path)

	in := &openapi3filter.RequestValidationInput{
		Request:    r,
		PathParams: pathParams,
		Route:      route,
		Options: &openapi3filter.Options{
			MultiError: true,
			AuthenticationFunc: func(_ context.Context, ai *openapi3filter.AuthenticationInput) error {
				return s.auth(ai.RequestValidationInput.Request)
			},
		},
	}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		status := http.StatusBadRequest
		if authOnly(err) {
			status = http.StatusUnauthorized
		}
		s.tb.Errorf("apitest: %s: the request does not match the spec: %v", where, err)
		writeJSON(w, status, map[string]any{
			"error":       fmt.Sprintf("apitest: %s: the request does not match the spec: %v", where, err),
			"operationId": op.ID,
		})
		return
	}
	setBody(r, body) // validation may have consumed or rewritten it

	var resp answer
	outOpts := &openapi3filter.Options{MultiError: true}
	if chosen, ok := s.next(op.ID); ok {
		resp = s.chosen(op, chosen)
		// A chosen empty body (a bare 429, say) is not held against the
		// content the spec declares; its headers still are.
		outOpts.ExcludeResponseBody = chosen.Body == ""
	} else {
		resp, err = s.example(op, r.URL.Query())
		if err != nil {
			s.tb.Errorf("apitest: %s: %v", where, err)
			writeJSON(w, http.StatusInternalServerError, map[string]any{"error": fmt.Sprintf("apitest: %s: %v", where, err), "operationId": op.ID})
			return
		}
	}
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 resp.status,
		Header:                 resp.header,
		Options:                outOpts,
	}
	out.SetBodyBytes(resp.body)
	if err := openapi3filter.ValidateResponse(r.Context(), out); err != nil {
		s.tb.Errorf("apitest: %s: the %d response does not match the spec: %v", where, resp.status, err)
	}
	for k, v := range resp.header {
		w.Header()[k] = v
	}
	w.WriteHeader(resp.status)
	if resp.status != http.StatusNoContent && r.Method != http.MethodHead {
		_, _ = w.Write(resp.body)
	}
}

// setBody makes r's body readable again (by validation, then by nobody).
func setBody(r *http.Request, body []byte) {
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	r.ContentLength = int64(len(body))
}

// authOnly reports whether every validation error is a failed security
// requirement.
func authOnly(err error) bool {
	var errs []error
	var me openapi3.MultiError
	if errors.As(err, &me) {
		errs = me
	} else {
		errs = []error{err}
	}
	for _, e := range errs {
		var se *openapi3filter.SecurityRequirementsError
		if !errors.As(e, &se) {
			return false
		}
	}
	return len(errs) > 0
}

type answer struct {
	status int
	header http.Header
	body   []byte
}

// chosen turns a test's Response into an answer, adding a Content-Type.
func (s *Server) chosen(op *apispec.Operation, r Response) answer {
	h := r.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	if h.Get("Content-Type") == "" && r.Body != "" {
		ct := "application/json"
		ref := op.Op.Responses.Status(r.Status)
		if ref == nil {
			ref = op.Op.Responses.Status(op.Success)
		}
		if ref != nil && ref.Value != nil {
			if mt, _ := apispec.FirstContent(ref.Value); mt != "" {
				ct = mt
			}
		}
		h.Set("Content-Type", ct)
	}
	return answer{status: r.Status, header: h, body: []byte(r.Body)}
}

// example builds the operation's success answer from the spec's examples.
func (s *Server) example(op *apispec.Operation, query url.Values) (answer, error) {
	ref := op.Op.Responses.Status(op.Success)
	if ref == nil || ref.Value == nil {
		return answer{}, fmt.Errorf("the spec has no %d response", op.Success)
	}
	resp := ref.Value
	a := answer{status: op.Success, header: http.Header{}}
	for _, name := range slices.Sorted(maps.Keys(resp.Headers)) {
		h := resp.Headers[name]
		if h == nil || h.Value == nil || strings.EqualFold(name, "Content-Type") {
			continue
		}
		if v, ok := headerExample(h.Value); ok {
			a.header.Set(name, v)
		}
	}
	if op.Success == http.StatusNoContent {
		return a, nil
	}
	mt, media := apispec.FirstContent(resp)
	if media == nil {
		return a, nil
	}
	a.header.Set("Content-Type", mt)
	ex, ok := apispec.Example(media)
	if !ok {
		return answer{}, fmt.Errorf("the %d response %s has no example", op.Success, mt)
	}
	if !isJSON(mt) {
		switch v := ex.(type) {
		case string:
			a.body = []byte(v)
		case []byte:
			a.body = v
		default:
			return answer{}, fmt.Errorf("the %d response %s has a %T example, want a string", op.Success, mt, ex)
		}
		return a, nil
	}
	var err error
	switch op.Pagination {
	case "livestorm":
		a, err = s.livestormPage(op, media, ex, query, a)
	case "streamdiver":
		a, err = s.streamdiverPage(op, media, ex, query, a)
	default:
		a.body, err = json.Marshal(ex)
	}
	return a, err
}

func headerExample(h *openapi3.Header) (string, bool) {
	v := h.Example
	if v == nil {
		for _, name := range slices.Sorted(maps.Keys(h.Examples)) {
			if ex := h.Examples[name]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
				v = ex.Value.Value
				break
			}
		}
	}
	if v == nil && h.Schema != nil && h.Schema.Value != nil {
		v = h.Schema.Value.Example
	}
	if v == nil {
		return "", false
	}
	switch v := v.(type) {
	case string:
		return v, true
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), true
	default:
		return fmt.Sprint(v), true
	}
}

func isJSON(mediaType string) bool {
	mt, _, _ := strings.Cut(mediaType, ";")
	mt = strings.TrimSpace(strings.ToLower(mt))
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}

// copyJSON deep-copies a JSON-like value, keeping numbers exact.
func copyJSON(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var out any
	err = d.Decode(&out)
	return out, err
}

// listIn returns the object holding the list at path (dot-separated) in
// body, the key of the list in it, and the list.
func listIn(body any, path string) (map[string]any, string, []any, error) {
	if path == "" {
		return nil, "", nil, errors.New("x-onair-result has an empty path; a paged list must sit in an object")
	}
	keys := strings.Split(path, ".")
	obj, ok := body.(map[string]any)
	for _, k := range keys[:len(keys)-1] {
		if !ok {
			break
		}
		obj, ok = obj[k].(map[string]any)
	}
	if !ok {
		return nil, "", nil, fmt.Errorf("the example has no object holding %q", path)
	}
	last := keys[len(keys)-1]
	items, ok := obj[last].([]any)
	if !ok {
		return nil, "", nil, fmt.Errorf("the example's %q is not a list", path)
	}
	return obj, last, items, nil
}

// hasProperty reports whether the media type's top-level schema declares
// the property.
func hasProperty(m *openapi3.MediaType, name string) bool {
	return m.Schema != nil && m.Schema.Value != nil && m.Schema.Value.Properties[name] != nil
}

func intParam(q url.Values, name string, def int) int {
	if v := q.Get(name); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
	}
	return def
}

// livestormPage answers page[number] of a two-page Livestorm list.
func (s *Server) livestormPage(op *apispec.Operation, media *openapi3.MediaType, ex any, q url.Values, a answer) (answer, error) {
	page := intParam(q, "page[number]", 0)
	size := intParam(q, "page[size]", 20)
	if page >= 2 {
		s.tb.Errorf("apitest: %s: asked for page[number]=%d, but the list has 2 pages (0 and 1)", op.ID, page)
		return s.livestormBadPage(op, page)
	}
	body, err := copyJSON(ex)
	if err != nil {
		return a, err
	}
	obj, key, items, err := listIn(body, op.Result.Path)
	if err != nil {
		return a, err
	}
	items = items[:min(len(items), max(size, 0))]
	if page == 1 {
		items, err = distinct(items, len(items), idsOf(items))
		if err != nil {
			return a, err
		}
	}
	obj[key] = items
	if hasProperty(media, "meta") {
		top := body.(map[string]any)
		meta, _ := top["meta"].(map[string]any)
		if meta == nil {
			meta = map[string]any{}
		}
		meta["current_page"] = page
		meta["page_count"] = 2
		meta["record_count"] = 2 * len(items)
		meta["items_per_page"] = size
		if page == 0 {
			meta["previous_page"] = nil
			meta["next_page"] = 1
		} else {
			meta["previous_page"] = 0
			meta["next_page"] = nil
		}
		top["meta"] = meta
	}
	a.body, err = json.Marshal(body)
	return a, err
}

// livestormBadPage is Livestorm's answer to a page past the end.
func (s *Server) livestormBadPage(op *apispec.Operation, page int) (answer, error) {
	ct := "application/vnd.api+json"
	if ref := op.Op.Responses.Status(http.StatusBadRequest); ref != nil && ref.Value != nil {
		if mt, _ := apispec.FirstContent(ref.Value); mt != "" {
			ct = mt
		}
	}
	body, err := json.Marshal(map[string]any{"errors": []any{map[string]any{
		"status": "bad_request",
		"title":  "Bad Request",
		"detail": fmt.Sprintf("The page you requested does not exist (apitest: %s has pages 0 and 1, not %d).", op.ID, page),
	}}})
	return answer{status: http.StatusBadRequest, header: http.Header{"Content-Type": {ct}}, body: body}, err
}

// streamdiverPage answers page of a two-page Streamdiver list: page 0 is
// full, page 1 short.
func (s *Server) streamdiverPage(op *apispec.Operation, media *openapi3.MediaType, ex any, q url.Values, a answer) (answer, error) {
	page := intParam(q, "page", 0)
	perpage := max(intParam(q, "perpage", 10), 1)
	body, err := copyJSON(ex)
	if err != nil {
		return a, err
	}
	obj, key, items, err := listIn(body, op.Result.Path)
	if err != nil {
		return a, err
	}
	short := max(min(len(items), perpage-1), 1)
	if len(items) == 0 {
		short = 0
	}
	var out []any
	switch {
	case page >= 2:
		s.tb.Errorf("apitest: %s: asked for page=%d, but the list has 2 pages (0 and 1) and page 1 was short", op.ID, page)
		out = []any{}
	case len(items) == 0:
		out = []any{}
	case page == 0:
		out, err = distinct(items, perpage, nil)
	default:
		// Ids go on where page 0's stopped.
		var all []any
		all, err = distinct(items, perpage+short, nil)
		if err == nil {
			out = all[perpage:]
		}
	}
	if err != nil {
		return a, err
	}
	obj[key] = out
	if hasProperty(media, "pagination") {
		body.(map[string]any)["pagination"] = map[string]any{
			"page":       page,
			"perpage":    perpage,
			"total":      perpage + short,
			"totalPages": 2,
		}
	}
	a.body, err = json.Marshal(body)
	return a, err
}

func idsOf(items []any) map[string]bool {
	ids := map[string]bool{}
	for _, it := range items {
		if m, ok := it.(map[string]any); ok {
			if id, ok := m["id"].(string); ok {
				ids[id] = true
			}
		}
	}
	return ids
}

var uuidRE = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

// distinct returns n items cycling through items. Every item whose string
// "id" would repeat one already used (or one in taken) gets a new id: a
// UUID's last four hex digits change, another id gets a "-2", "-3"...
// suffix.
func distinct(items []any, n int, taken map[string]bool) ([]any, error) {
	used := map[string]bool{}
	for id := range taken {
		used[id] = true
	}
	out := make([]any, 0, n)
	for i := range n {
		it, err := copyJSON(items[i%len(items)])
		if err != nil {
			return nil, err
		}
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
	return out, nil
}

func freshID(id string, used map[string]bool) string {
	if uuidRE.MatchString(id) {
		head, tail := id[:len(id)-4], id[len(id)-4:]
		n, _ := strconv.ParseUint(tail, 16, 16)
		for k := uint64(1); k <= 0xffff; k++ {
			c := head + fmt.Sprintf("%04x", (n+k)&0xffff)
			if !used[c] {
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
