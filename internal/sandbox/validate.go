package sandbox

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/jsonschema"
	"github.com/onair-go/onair/internal/specroute"
)

// The engine routes and validates through the three function types
// below: a compiled router, kin-openapi's request validation, and
// compiled answer validation with kin-openapi for what is not a JSON body.

// A router matches a request to its operation, or fails with
// specroute.ErrNotFound or specroute.ErrMethodNotAllowed.
type router func(r *http.Request) (match, error)

// match is a routed request.
type match struct {
	op     *apispec.Operation
	params map[string]string // path parameters
	route  *routers.Route    // kin-openapi's, for its validators
}

// A validateRequest checks a request against its operation. An error
// that only says the credentials failed the security requirements is an
// unauthenticated.
type validateRequest func(r *http.Request, m match) error

// A validateAnswer checks an answer against the operation; withBody false
// checks the status and headers only.
type validateAnswer func(r *http.Request, m match, status int, header http.Header, body []byte, withBody bool) error

// unauthenticated is a request that failed its security requirements
// only.
type unauthenticated struct{ error }

func (u unauthenticated) Unwrap() error { return u.error }

// compiledRouter routes with a router compiled from the spec's paths,
// which answers as kin-openapi's gorilla/mux router does (its tests
// compare the two on every path of the specs) without allocating.
func compiledRouter(spec *apispec.Spec) (router, error) {
	r, err := specroute.New(spec)
	if err != nil {
		return nil, err
	}
	return func(req *http.Request) (match, error) {
		m, err := r.Find(req.Method, req.URL.EscapedPath())
		if err == nil && m.Op == nil { // a method apispec does not read (HEAD, OPTIONS...)
			err = specroute.ErrMethodNotAllowed
		}
		if err != nil {
			return match{}, err
		}
		return match{op: m.Op, params: m.Params.Map(), route: m.Route}, nil
	}, nil
}

// kinRequests validates requests with kin-openapi. authenticate checks
// the credentials of each security scheme an operation names, until one
// passes; nil accepts any (the sandbox checks tokens itself, in the
// provider's dialect).
func kinRequests(authenticate func(*http.Request) error) validateRequest {
	opts := &openapi3filter.Options{
		MultiError: true,
		AuthenticationFunc: func(_ context.Context, in *openapi3filter.AuthenticationInput) error {
			if authenticate == nil {
				return nil
			}
			return authenticate(in.RequestValidationInput.Request)
		},
	}
	return func(r *http.Request, m match) error {
		err := openapi3filter.ValidateRequest(r.Context(), &openapi3filter.RequestValidationInput{
			Request: r, PathParams: m.params, Route: m.route, Options: opts,
		})
		if err != nil && authOnly(err) {
			return unauthenticated{err}
		}
		return err
	}
}

// authOnly reports whether every validation error is a failed security
// requirement.
func authOnly(err error) bool {
	var errs openapi3.MultiError
	if !errors.As(err, &errs) {
		errs = openapi3.MultiError{err}
	}
	notAuth := func(e error) bool { return !errors.As(e, new(*openapi3filter.SecurityRequirementsError)) }
	return len(errs) > 0 && !slices.ContainsFunc(errs, notAuth)
}

// compiledAnswers validates JSON answer bodies with validators compiled
// once per media type (internal/jsonschema, whose tests compare its
// verdicts with kin-openapi's on every response schema of the specs), and
// leaves kin-openapi the rest: status, declared headers, and bodies it
// would not decode as JSON.
func compiledAnswers(spec *apispec.Spec) (validateAnswer, error) {
	bodies := map[*openapi3.MediaType]*jsonschema.Validator{}
	for i := range spec.Ops {
		for code, r := range spec.Ops[i].Op.Responses.Map() {
			for ct, c := range r.Value.Content {
				if c.Schema == nil || !jsonschema.DecodedAsJSON(ct, c.Schema.Value) {
					continue
				}
				v, err := jsonschema.Compile(c.Schema.Value)
				if err != nil {
					return nil, fmt.Errorf("%s %s answer %s: %w", spec.Ops[i].ID, code, ct, err)
				}
				bodies[c] = v
			}
		}
	}
	whole := &openapi3filter.Options{MultiError: true}
	headers := &openapi3filter.Options{MultiError: true, ExcludeResponseBody: true}
	return func(r *http.Request, m match, status int, header http.Header, body []byte, withBody bool) error {
		c, declaresHeaders := answerMedia(m.op, status, header)
		v := bodies[c]
		if withBody && v != nil && !declaresHeaders {
			// The status and media type are the declared ones
			// (answerMedia), and there are no headers to check.
			return v.Validate(body)
		}
		opts := whole
		if !withBody || v != nil {
			opts = headers // the body is v's, or not checked
		}
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: m.params, Route: m.route},
			Status:                 status,
			Header:                 header,
			Options:                opts,
		}
		in.SetBodyBytes(body)
		err := openapi3filter.ValidateResponse(r.Context(), in)
		if err == nil && withBody && v != nil {
			err = v.Validate(body)
		}
		return err
	}, nil
}

// answerMedia is the JSON media type the operation declares for an
// answer's status and Content-Type, as kin-openapi picks it (nil if none),
// and whether that answer declares headers.
func answerMedia(o *apispec.Operation, status int, header http.Header) (*openapi3.MediaType, bool) {
	resp := o.Op.Responses.Status(status)
	if resp == nil {
		resp = o.Op.Responses.Default()
	}
	if resp == nil || resp.Value == nil {
		return nil, false
	}
	ct := header.Get("Content-Type")
	if c := resp.Value.Content.Get(ct); c != nil && c.Schema != nil && jsonschema.DecodedAsJSON(ct, c.Schema.Value) {
		return c, len(resp.Value.Headers) > 0
	}
	return nil, false
}

// A Checker checks exchanges recorded elsewhere (a cassette of a real
// provider's traffic) against a spec, with the router and validators the
// sandbox checks its own traffic with.
type Checker struct {
	route   router
	request validateRequest
	answer  validateAnswer
}

// ErrNoOperation is returned by Checker.Check for a request the spec has
// no operation for.
var ErrNoOperation = errors.New("the spec has no operation for the method and path")

// NewChecker returns a Checker of spec, which must name no servers (as
// LoadSpec leaves it).
func NewChecker(spec *apispec.Spec) (*Checker, error) {
	route, answer, err := compiled(spec)
	if err != nil {
		return nil, err
	}
	return &Checker{route: route, request: kinRequests(nil), answer: answer}, nil
}

// Check routes r, whose URL path is relative to the spec's server, and
// checks it and its answer. It returns the operation, or ErrNoOperation,
// and what the request and the answer contradict in the spec, an answer
// status the operation does not declare (nor a default answer) among
// them. Credentials are not checked: a recording's are redacted.
func (c *Checker) Check(r *http.Request, status int, header http.Header, body []byte) (op *apispec.Operation, requestErr, answerErr error) {
	m, err := c.route(r)
	if err != nil {
		return nil, ErrNoOperation, nil
	}
	requestErr = c.request(r, m)
	if m.op.Op.Responses.Status(status) == nil && m.op.Op.Responses.Default() == nil {
		return m.op, requestErr, fmt.Errorf("status %d is not among the operation's answers", status)
	}
	return m.op, requestErr, c.answer(r, m, status, header, body, true)
}
