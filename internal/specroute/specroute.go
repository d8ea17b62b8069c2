// Package specroute finds the operation of an OpenAPI spec that a request
// names, with the answers kin-openapi's gorillamux router gives for a spec
// served at the root path (as the sandboxes serve theirs), without regular
// expressions or allocations.
package specroute

import (
	"errors"
	"fmt"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"github.com/onair-go/onair/internal/apispec"
)

// MaxParams is the most path parameters one path may have.
const MaxParams = 8

var (
	// ErrNotFound: no path of the spec matches.
	ErrNotFound = errors.New("specroute: no path of the spec matches")
	// ErrMethodNotAllowed: the first path that matches does not serve the
	// method.
	ErrMethodNotAllowed = errors.New("specroute: the path does not serve the method")
)

// Router finds operations. It is safe for concurrent use.
type Router struct {
	paths []path
}

type path struct {
	segs   []segment
	names  []string // of the parameters, in order
	byVerb []verb
}

// segment is a literal or, when param, one whole path parameter.
type segment struct {
	lit   string
	param bool
}

type verb struct {
	method string
	route  *routers.Route
	op     *apispec.Operation
}

// Match is a found operation.
type Match struct {
	// Route is what kin-openapi's router returns for the request, for
	// openapi3filter; shared, read only.
	Route *routers.Route
	// Op is the operation with onair's extensions; nil for a method the
	// spec serves outside apispec's (HEAD, OPTIONS, TRACE).
	Op     *apispec.Operation
	Params Params
}

// Params are the path parameters, still escaped, as gorillamux gives them.
type Params struct {
	names  []string
	values [MaxParams]string
}

// Get returns the parameter name, or "".
func (p *Params) Get(name string) string {
	for i, n := range p.names {
		if n == name {
			return p.values[i]
		}
	}
	return ""
}

// Len is the number of parameters.
func (p *Params) Len() int { return len(p.names) }

// Map returns the parameters as openapi3filter.RequestValidationInput
// wants them.
func (p *Params) Map() map[string]string {
	m := make(map[string]string, len(p.names))
	for i, n := range p.names {
		m[n] = p.values[i]
	}
	return m
}

// New compiles the paths of spec, which must have no servers (or only
// servers whose path is the root).
func New(spec *apispec.Spec) (*Router, error) {
	doc := spec.Doc
	if err := rootOnly(doc.Servers); err != nil {
		return nil, err
	}
	ops := map[*openapi3.Operation]*apispec.Operation{}
	for i := range spec.Ops {
		ops[spec.Ops[i].Op] = &spec.Ops[i]
	}
	r := &Router{}
	for _, p := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(p)
		if err := rootOnly(item.Servers); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
		cp, err := compile(p)
		if err != nil {
			return nil, err
		}
		for m, op := range item.Operations() {
			cp.byVerb = append(cp.byVerb, verb{
				method: m,
				route:  &routers.Route{Spec: doc, Path: p, PathItem: item, Method: m, Operation: op},
				op:     ops[op],
			})
		}
		r.paths = append(r.paths, cp)
	}
	return r, nil
}

func rootOnly(servers openapi3.Servers) error {
	if len(servers) > 0 {
		return errors.New("specroute: the spec names servers; serve it at the root (clear them) first")
	}
	return nil
}

func compile(p string) (path, error) {
	if !strings.HasPrefix(p, "/") {
		return path{}, fmt.Errorf("specroute: path %q does not start with /", p)
	}
	var cp path
	for _, s := range strings.Split(p[1:], "/") {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") && !strings.ContainsAny(s[1:len(s)-1], "{}:") && len(s) > 2 {
			cp.segs = append(cp.segs, segment{param: true})
			cp.names = append(cp.names, s[1:len(s)-1])
			continue
		}
		if strings.ContainsAny(s, "{}") {
			return path{}, fmt.Errorf("specroute: path %q: a parameter must be a whole segment", p)
		}
		cp.segs = append(cp.segs, segment{lit: s})
	}
	if len(cp.names) > MaxParams {
		return path{}, fmt.Errorf("specroute: path %q has more than %d parameters", p, MaxParams)
	}
	return cp, nil
}

// Find returns the operation for method and escapedPath (a request's
// URL.EscapedPath()): ErrNotFound when no path matches, and
// ErrMethodNotAllowed when the first path that matches, in kin-openapi's
// matching order, does not serve method.
func (r *Router) Find(method, escapedPath string) (Match, error) {
	var m Match
	for i := range r.paths {
		p := &r.paths[i]
		if !p.match(escapedPath, &m.Params) {
			continue
		}
		for j := range p.byVerb {
			if v := &p.byVerb[j]; v.method == method {
				m.Route, m.Op = v.route, v.op
				m.Params.names = p.names
				return m, nil
			}
		}
		return Match{}, ErrMethodNotAllowed
	}
	return Match{}, ErrNotFound
}

// match reports whether s matches p, keeping the parameters in params.
func (p *path) match(s string, params *Params) bool {
	if len(s) == 0 || s[0] != '/' {
		return false
	}
	s = s[1:]
	n := 0
	for i, seg := range p.segs {
		part, rest, more := strings.Cut(s, "/")
		if more != (i < len(p.segs)-1) {
			return false
		}
		if seg.param {
			if part == "" {
				return false
			}
			params.values[n] = part
			n++
		} else if part != seg.lit {
			return false
		}
		s = rest
	}
	return true
}
