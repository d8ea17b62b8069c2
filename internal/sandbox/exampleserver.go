package sandbox

import (
	"encoding/json"
	"errors"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/onair-go/onair/internal/apispec"
)

// ExampleServer serves a spec for a client's tests, on the engine the
// sandboxes use, with no provider behind it: every request and answer is
// validated against the spec, and each operation answers the spec's own
// examples.
//
// A client points at URL, which stands in for every server the spec
// names. A request the spec does not allow answers 400 (401 when only
// the Authorization check failed, 404 or 405 when it matches no
// operation) and fails the test through Errorf, naming the operationId
// and what is wrong. A valid request answers the operation's success
// response with the media type's example and the examples of its
// declared headers; an answer that does not fit the spec fails the test
// too, and is sent as it is.
//
// Lists answer two pages (see ExamplePages), with the parameters and
// fields the spec declares for the style: page-number lists answer pages
// 0 and 1 each with the example's items, and a later page 400; jsend-pages
// lists a full page 0 and a short page 1, and a later page an empty list.
// Asking past the last page fails the test. Repeated items get distinct
// string ids (a UUID keeps its format), so a test can tell pages apart.
//
// Every request is recorded (Calls); options make an operation answer
// something else (WithResponse, WithResponseSequence) or replace the
// Authorization check (WithAuth).
type ExampleServer struct {
	// URL is the base URL (http://127.0.0.1:port, no trailing slash).
	URL string

	srv   *httptest.Server
	spec  *apispec.Spec
	mu    sync.Mutex
	calls map[string][]Call
}

// TB is the part of testing.TB an ExampleServer reports to.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
	Fatalf(format string, args ...any)
	Cleanup(func())
}

// Call is one request an ExampleServer received.
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

// ExampleOption configures an ExampleServer.
type ExampleOption func(*examples)

// WithResponse makes the operation answer status, body and header instead
// of its example, for every request (after any WithResponseSequence
// answers). The request is still validated; so is the answer, where the
// operation declares the status.
func WithResponse(operationID string, status int, body string, header http.Header) ExampleOption {
	return func(c *examples) {
		c.fixed[operationID] = Response{Status: status, Body: body, Header: header}
	}
}

// WithResponseSequence makes the operation answer responses, one per valid
// request and in order, then fall back to its normal answer (WithResponse,
// or the example). For retry tests: a 429 then the example, for instance.
func WithResponseSequence(operationID string, responses ...Response) ExampleOption {
	return func(c *examples) {
		c.seqs[operationID] = append(c.seqs[operationID], responses...)
	}
}

// WithAuth replaces the default Authorization check, which accepts any
// request with a non-empty Authorization header. It is called for each
// security scheme the operation's requirements name, until one passes; an
// error rejects the request with 401 and fails the test.
func WithAuth(check func(r *http.Request) error) ExampleOption {
	return func(c *examples) { c.auth = check }
}

func anyAuthorization(r *http.Request) error {
	if r.Header.Get("Authorization") == "" {
		return errors.New("no Authorization header")
	}
	return nil
}

// NewExampleServer loads and checks the spec at specPath (see
// apispec.Load) and starts an ExampleServer for it on 127.0.0.1, closed
// when the test ends. Problems with the spec or the options stop the test.
func NewExampleServer(tb TB, specPath string, opts ...ExampleOption) *ExampleServer {
	tb.Helper()
	c := &examples{fixed: map[string]Response{}, seqs: map[string][]Response{}, auth: anyAuthorization}
	for _, o := range opts {
		o(c)
	}
	spec, err := loadSpecFile(specPath)
	if err != nil {
		tb.Fatalf("sandbox: %v", err)
	}
	for _, id := range slices.Concat(slices.Sorted(maps.Keys(c.fixed)), slices.Sorted(maps.Keys(c.seqs))) {
		if !slices.ContainsFunc(spec.Ops, func(o apispec.Operation) bool { return o.ID == id }) {
			tb.Fatalf("sandbox: WithResponse or WithResponseSequence: %s has no operation %q", specPath, id)
		}
	}
	s := &ExampleServer{spec: spec, calls: map[string][]Call{}}
	e, err := newEngine(spec, &engine{
		api:             specPath,
		validateRequest: kinRequests(c.auth),
		name:            func(o *apispec.Operation) string { return o.ID },
		record:          s.record,
		refuse: func(x *exchange, status int, _, message string) {
			x.w.Header().Set("Content-Type", "application/json")
			x.w.WriteHeader(status)
			json.NewEncoder(x.w).Encode(map[string]string{"error": message, "operationId": x.name})
		},
		report: func(message string) { tb.Errorf("sandbox: %s", message) },
	}, c.respond)
	if err != nil {
		tb.Fatalf("%v", err)
	}
	s.srv = httptest.NewServer(e)
	s.URL = s.srv.URL
	tb.Cleanup(s.Close)
	return s
}

// Close shuts the server down, waiting for requests in flight. It is called
// when the test ends; calling it again does nothing.
func (s *ExampleServer) Close() { s.srv.Close() }

// Calls returns the requests received for the operation, in the order they
// arrived, including those that failed validation. Requests that match no
// operation are recorded under the empty operationID.
func (s *ExampleServer) Calls(operationID string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.calls[operationID])
}

// Count returns how many requests the operation received (see Calls).
func (s *ExampleServer) Count(operationID string) int { return len(s.Calls(operationID)) }

func (s *ExampleServer) record(x *exchange) {
	r := x.r
	c := Call{Method: r.Method, Path: r.URL.Path, Query: r.URL.Query(), Header: r.Header.Clone(), Body: x.body}
	s.mu.Lock()
	s.calls[x.name] = append(s.calls[x.name], c)
	s.mu.Unlock()
}

// specFiles caches the specs example servers load, by absolute path:
// loading and checking a spec takes longer than most tests.
var specFiles sync.Map // of func() (*apispec.Spec, error)

func loadSpecFile(path string) (*apispec.Spec, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, err
	}
	load, _ := specFiles.LoadOrStore(abs, sync.OnceValues(func() (*apispec.Spec, error) {
		return LoadSpec(path, func() (*openapi3.T, error) { return openapi3.NewLoader().LoadFromFile(abs) })
	}))
	return load.(func() (*apispec.Spec, error))()
}
