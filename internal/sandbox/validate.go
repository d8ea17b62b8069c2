package sandbox

import (
	"context"
	"errors"
	"net/http"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/onair-go/onair/internal/apispec"
)

// The engine routes and validates through the three function types
// below; today kin-openapi implements them (this file), and a compiled
// router and validator can replace them without touching the chain.

// A router matches a request to its operation, or fails with errNoPath
// or errNoMethod.
type router func(r *http.Request) (match, error)

// match is a routed request.
type match struct {
	op     *apispec.Operation
	params map[string]string // path parameters
	route  *routers.Route    // kin-openapi's, for its validators
}

var (
	errNoPath   = errors.New("no path matches")
	errNoMethod = errors.New("the path has no operation for the method")
)

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

// kinRouter routes with kin-openapi's gorilla/mux router.
func kinRouter(spec *apispec.Spec) (router, error) {
	r, err := gorillamux.NewRouter(spec.Doc)
	if err != nil {
		return nil, err
	}
	ops := make(map[*openapi3.Operation]*apispec.Operation, len(spec.Ops))
	for i := range spec.Ops {
		ops[spec.Ops[i].Op] = &spec.Ops[i]
	}
	return func(req *http.Request) (match, error) {
		route, params, err := r.FindRoute(req)
		switch {
		case errors.Is(err, routers.ErrMethodNotAllowed):
			return match{}, errNoMethod
		case err != nil:
			return match{}, errNoPath
		}
		op := ops[route.Operation]
		if op == nil { // a method apispec does not read (HEAD, OPTIONS...)
			return match{}, errNoMethod
		}
		return match{op: op, params: params, route: route}, nil
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
	errs := []error{err}
	var me openapi3.MultiError
	if errors.As(err, &me) {
		errs = me
	}
	for _, e := range errs {
		var se *openapi3filter.SecurityRequirementsError
		if !errors.As(e, &se) {
			return false
		}
	}
	return len(errs) > 0
}

// kinAnswers validates answers with kin-openapi.
func kinAnswers() validateAnswer {
	whole := &openapi3filter.Options{MultiError: true}
	headers := &openapi3filter.Options{MultiError: true, ExcludeResponseBody: true}
	return func(r *http.Request, m match, status int, header http.Header, body []byte, withBody bool) error {
		in := &openapi3filter.ResponseValidationInput{
			RequestValidationInput: &openapi3filter.RequestValidationInput{Request: r, PathParams: m.params, Route: m.route},
			Status:                 status,
			Header:                 header,
			Options:                whole,
		}
		if !withBody {
			in.Options = headers
		}
		in.SetBodyBytes(body)
		return openapi3filter.ValidateResponse(r.Context(), in)
	}
}
