package sandbox

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync"

	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/specroute"
)

// engine serves one spec's API down the chain of steps the package
// documentation draws, for a Server and for an ExampleServer.
type engine struct {
	api             string // what errors call the API: the provider, or the spec's path
	route           router
	validateRequest validateRequest
	validateAnswer  validateAnswer
	// name is what a call is counted, faulted and reported under.
	name func(*apispec.Operation) string
	// record sees every request, routed (x.op set) or not.
	record func(x *exchange)
	// refuse writes the answer to a request the engine turns down.
	refuse func(x *exchange, status int, code, message string)
	// report, when set, hears every refusal and every answer that breaks
	// the spec, which is then sent as it is: the test has failed already,
	// and sees what its fake wrote. Without it such an answer is refused
	// as the sandbox's own bug.
	report func(message string)

	chain []step
	pool  sync.Pool // of *exchange, whose answer buffer and header map are reused
}

// A step passes an exchange on (true) or answers it and ends the chain.
// The responder is the step that writes x.answer.
type step func(x *exchange) bool

// exchange is one request on its way down the chain, and what the steps
// learned about it.
type exchange struct {
	e      *engine
	w      http.ResponseWriter
	r      *http.Request
	body   []byte
	match  match
	op     *apispec.Operation // match.op
	name   string             // e.name(op)
	lent   *lent              // what the sandbox lends the handler; nil in the example server
	answer recorder
	reader body // r.Body, once read
	// skipAnswerBody is set for an answer a test chose without a body
	// (a bare 429, say): it is not held against the content the spec
	// declares; its headers still are.
	skipAnswerBody bool
}

// The keys of what the engine compiles once per spec (apispec.Spec.Memo).
type (
	routerKey  struct{}
	answersKey struct{}
)

// compiled returns spec's router and answer validators, compiled once per
// spec: every sandbox of a provider shares them.
func compiled(spec *apispec.Spec) (router, validateAnswer, error) {
	route, err := spec.Memo(routerKey{}, func() (any, error) { return compiledRouter(spec) })
	if err != nil {
		return nil, nil, fmt.Errorf("sandbox: routing %s: %w", spec.Path, err)
	}
	answers, err := spec.Memo(answersKey{}, func() (any, error) { return compiledAnswers(spec) })
	if err != nil {
		return nil, nil, fmt.Errorf("sandbox: %s: %w", spec.Path, err)
	}
	return route.(router), answers.(validateAnswer), nil
}

// newEngine completes e for spec and builds the chain: routing, then
// checks in order, then the spec's checks around the responder.
func newEngine(spec *apispec.Spec, e *engine, respond step, checks ...step) (*engine, error) {
	var err error
	if e.route, e.validateAnswer, err = compiled(spec); err != nil {
		return nil, err
	}
	e.chain = slices.Concat([]step{e.routeStep}, checks, []step{e.validateRequestStep, respond, e.validateAnswerStep})
	return e, nil
}

func (e *engine) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	x, _ := e.pool.Get().(*exchange)
	if x == nil {
		x = &exchange{answer: recorder{header: http.Header{}}}
	}
	x.e, x.w, x.r = e, w, r
	for _, step := range e.chain {
		if !step(x) {
			break
		}
	}
	clear(x.answer.header)
	*x = exchange{answer: recorder{header: x.answer.header, body: x.answer.body[:0]}}
	e.pool.Put(x)
}

// refuse answers x with an error and ends the chain.
func (x *exchange) refuse(status int, code, message string) bool {
	x.complain(message)
	x.e.refuse(x, status, code, message)
	return false
}

// complain reports what a test did wrongly, where someone listens.
func (x *exchange) complain(message string) {
	if x.e.report != nil {
		x.e.report(message)
	}
}

// routeStep reads the body, once for every later step, matches the
// request to its operation and records it.
func (e *engine) routeStep(x *exchange) bool {
	if x.r.Body != nil && x.r.Body != http.NoBody {
		body, err := io.ReadAll(x.r.Body)
		if err != nil {
			return x.refuse(http.StatusBadRequest, "bad_request", fmt.Sprintf("%s %s: reading the request body: %v", x.r.Method, x.r.URL.Path, err))
		}
		x.body = body
		x.rewind()
	}
	var err error
	if x.match, err = e.route(x.r); err == nil {
		x.op = x.match.op
		x.name = e.name(x.op)
	}
	e.record(x)
	switch {
	case errors.Is(err, specroute.ErrMethodNotAllowed):
		return x.refuse(http.StatusMethodNotAllowed, "method_not_allowed", fmt.Sprintf("%s %s: the %s API has no such operation on this path", x.r.Method, x.r.URL.Path, e.api))
	case err != nil:
		return x.refuse(http.StatusNotFound, "not_found", fmt.Sprintf("%s %s matches no path of the %s API", x.r.Method, x.r.URL.Path, e.api))
	}
	return true
}

func (e *engine) validateRequestStep(x *exchange) bool {
	err := e.validateRequest(x.r, x.match)
	x.rewind() // validation may have consumed or rewritten the body
	switch {
	case err == nil:
		return true
	case errors.As(err, new(unauthenticated)):
		return x.refuse(http.StatusUnauthorized, "invalid_token", fmt.Sprintf("%s: the request does not match the API: %v", x.name, err))
	}
	return x.refuse(http.StatusBadRequest, "invalid_request", fmt.Sprintf("%s: the request does not match the API: %v", x.name, err))
}

// validateAnswerStep checks the answer, every success and every error
// status the spec declares (the others are the provider's generic
// errors), and sends it.
func (e *engine) validateAnswerStep(x *exchange) bool {
	a := &x.answer
	status := a.status()
	if status < 300 || x.op.Op.Responses.Status(status) != nil {
		if err := e.validateAnswer(x.r, x.match, status, a.header, a.body, !x.skipAnswerBody); err != nil {
			msg := fmt.Sprintf("%s: the %d answer does not match the API: %v", x.name, status, err)
			if e.report == nil {
				return x.refuse(http.StatusInternalServerError, "sandbox_bug", msg+" (a bug in the sandbox)")
			}
			e.report(msg)
		}
	}
	h := x.w.Header()
	for k, v := range a.header {
		h[k] = v
	}
	x.w.WriteHeader(status)
	x.w.Write(a.body)
	return true
}

// rewind makes the request's body, if it had one, readable from the
// start again.
func (x *exchange) rewind() {
	if x.body == nil {
		return
	}
	x.reader.Reset(x.body)
	x.r.Body, x.r.GetBody = &x.reader, nil
	x.r.ContentLength = int64(len(x.body))
}

// body is a request body read into memory.
type body struct{ bytes.Reader }

func (*body) Close() error { return nil }

// recorder keeps an answer until it has been checked.
type recorder struct {
	header http.Header
	code   int
	body   []byte
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	r.WriteHeader(http.StatusOK)
	r.body = append(r.body, b...)
	return len(b), nil
}

func (r *recorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}
