package sandbox

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/authserver"
)

// api checks each API request on its way to the provider's handler, and
// its answer on the way back.
type api struct {
	p      Provider
	auth   *authserver.Server
	limit  *limiter
	faults *faults
	router routers.Router
	ops    map[*openapi3.Operation]*apispec.Operation
	names  map[string]bool

	mu    sync.Mutex
	count map[string]int
}

func newAPI(p Provider, as *authserver.Server, limit *limiter, f *faults) (*api, error) {
	a := &api{p: p, auth: as, limit: limit, faults: f, ops: map[*openapi3.Operation]*apispec.Operation{}, names: map[string]bool{}, count: map[string]int{}}
	var err error
	if a.router, err = gorillamux.NewRouter(p.Spec.Doc); err != nil {
		return nil, fmt.Errorf("sandbox: routing %s: %w", p.Spec.Path, err)
	}
	for i := range p.Spec.Ops {
		o := &p.Spec.Ops[i]
		a.ops[o.Op] = o
		a.names[a.name(o)] = true
	}
	return a, nil
}

func (a *api) name(o *apispec.Operation) string {
	if a.p.Operation != nil {
		return a.p.Operation(o)
	}
	return o.Service + "." + o.FacadeMethod
}

// known reports whether op names an operation faults can be injected in.
func (a *api) known(op string) bool {
	if a.p.Operation != nil {
		return true // the handler dispatches; it knows its own names
	}
	return a.names[op]
}

func (a *api) calls() map[string]int {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make(map[string]int, len(a.count))
	for k, v := range a.count {
		out[k] = v
	}
	return out
}

// requestID is a random id for one API answer.
func requestID() string {
	var b [8]byte
	rand.Read(b[:])
	return "req_" + hex.EncodeToString(b[:])
}

func (a *api) countCall(op string) {
	a.mu.Lock()
	a.count[op]++
	a.mu.Unlock()
}

func (a *api) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// No provider documents a request id; the sandbox sends one so that
	// a failed call can be told apart in a test's log.
	w.Header().Set("X-Request-Id", requestID())
	route, params, err := a.router.FindRoute(r)
	if err != nil {
		if errors.Is(err, routers.ErrMethodNotAllowed) {
			a.p.Error(w, http.StatusMethodNotAllowed, "method_not_allowed", fmt.Sprintf("%s does not serve %s %s", a.p.Dialect.Name, r.Method, r.URL.Path))
			return
		}
		a.p.Error(w, http.StatusNotFound, "not_found", fmt.Sprintf("%s has no API path %s", a.p.Dialect.Name, r.URL.Path))
		return
	}
	op := a.ops[route.Operation]
	if op == nil {
		a.p.Error(w, http.StatusMethodNotAllowed, "method_not_allowed", fmt.Sprintf("%s does not serve %s %s", a.p.Dialect.Name, r.Method, r.URL.Path))
		return
	}
	name := a.name(op)
	if name != "" {
		a.countCall(name)
	}

	if status, ok := a.faults.take(name); ok {
		if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
			w.Header().Set("Retry-After", "1")
		}
		a.p.Error(w, status, "injected_fault", fmt.Sprintf("the sandbox was told to fail %s with %d", name, status))
		return
	}

	acc, err := a.auth.Lookup(r)
	if err != nil {
		h := `Bearer realm="` + a.p.Dialect.Name + `"`
		if !errors.Is(err, authserver.ErrNoToken) {
			h += `, error="invalid_token", error_description="` + err.Error() + `"`
		}
		w.Header().Set("WWW-Authenticate", h)
		a.p.Error(w, http.StatusUnauthorized, "invalid_token", err.Error())
		return
	}
	g := a.p.Grant(acc.ClientID, acc.User, acc.Scope)
	if !g.Allows(op.Scopes) {
		need := strings.Join(op.Scopes[0], " ")
		w.Header().Set("WWW-Authenticate", `Bearer realm="`+a.p.Dialect.Name+`", error="insufficient_scope", scope="`+need+`"`)
		a.p.Error(w, http.StatusForbidden, "insufficient_scope", fmt.Sprintf("%s needs the scope %s", name, describeNeed(op.Scopes)))
		return
	}
	if a.limit != nil {
		if st, ok := a.limit.allow(r.Header.Get("Authorization"), w.Header()); !ok {
			msg := fmt.Sprintf("more than %d requests in a second", a.limit.perSecond)
			if st.Exhausted {
				msg = fmt.Sprintf("the quota of %d requests is spent", st.Quota)
			}
			a.p.Error(w, http.StatusTooManyRequests, "too_many_requests", msg)
			return
		}
	}

	body, err := io.ReadAll(r.Body)
	if err != nil {
		a.p.Error(w, http.StatusBadRequest, "bad_request", "reading the request body: "+err.Error())
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	in := &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{
			MultiError: true,
			// The token was checked above, in the dialect's form.
			AuthenticationFunc: func(context.Context, *openapi3filter.AuthenticationInput) error { return nil },
		},
	}
	if err := openapi3filter.ValidateRequest(r.Context(), in); err != nil {
		a.p.Error(w, http.StatusBadRequest, "invalid_request", fmt.Sprintf("%s: the request does not match the API: %v", name, err))
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))

	rec := &recorder{header: http.Header{}}
	ctx := WithGrant(r.Context(), g)
	ctx = context.WithValue(ctx, requestKey{}, &request{faults: a.faults, auth: a.auth, token: acc.Token, count: a.countCall})
	a.p.API.ServeHTTP(rec, r.WithContext(ctx))
	out := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: in,
		Status:                 rec.status(),
		Header:                 rec.header,
		Options:                &openapi3filter.Options{MultiError: true},
	}
	out.SetBodyBytes(rec.body.Bytes())
	if rec.status() < 300 || a.declares(op, rec.status()) {
		if err := openapi3filter.ValidateResponse(r.Context(), out); err != nil {
			a.p.Error(w, http.StatusInternalServerError, "sandbox_bug", fmt.Sprintf("%s: the sandbox's %d answer does not match the API (a bug in the sandbox): %v", name, rec.status(), err))
			return
		}
	}
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.status())
	w.Write(rec.body.Bytes())
}

// declares reports whether the spec declares status for op; errors it does
// not declare are the provider's generic ones and are not checked.
func (a *api) declares(op *apispec.Operation, status int) bool {
	return op.Op.Responses.Status(status) != nil
}

func describeNeed(need [][]string) string {
	alts := make([]string, len(need))
	for i, all := range need {
		alts[i] = strings.Join(all, " and ")
	}
	return strings.Join(alts, ", or ")
}

// recorder keeps an answer until it has been checked.
type recorder struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(code int) {
	if r.code == 0 {
		r.code = code
	}
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.code == 0 {
		r.code = http.StatusOK
	}
	return r.body.Write(b)
}

func (r *recorder) status() int {
	if r.code == 0 {
		return http.StatusOK
	}
	return r.code
}
