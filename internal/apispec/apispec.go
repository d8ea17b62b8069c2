// Package apispec loads onair's hand-written OpenAPI specs and checks them
// against specs/CONVENTIONS.md, so that generation starts from a spec the
// generator understands and reports what is wrong in a spec's own terms.
package apispec

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
)

// Spec is a loaded, checked spec.
type Spec struct {
	Path string
	Doc  *openapi3.T
	Ops  []Operation // in path, then method order

	memo sync.Map // key → *memoized; see Memo
}

// Memo returns what build makes of the spec, building it once per key:
// a loaded spec is read only, so what is compiled from it (a sandbox's
// router and answer validators) can be shared by every user of the spec.
// An error is kept too.
func (s *Spec) Memo(key any, build func() (any, error)) (any, error) {
	v, _ := s.memo.LoadOrStore(key, new(memoized))
	m := v.(*memoized)
	m.once.Do(func() { m.v, m.err = build() })
	return m.v, m.err
}

type memoized struct {
	once sync.Once
	v    any
	err  error
}

// Operation is one operation with the onair extensions read.
type Operation struct {
	Method, Path string
	Op           *openapi3.Operation
	ID           string
	Service      string      // the tag
	FacadeMethod string      // x-onair-method
	Evidence     string      // x-onair-evidence
	Scopes       [][]string  // OR of ANDs, from the oauth2 requirement
	Success      int         // the success status code
	Result       *Result     // x-onair-result; nil for 204
	Paging       *Pagination // x-onair-pagination; nil for non-lists

}

// Result is x-onair-result.
type Result struct {
	Schema string `json:"schema"`
	Path   string `json:"path"`
	List   bool   `json:"list"`
}

var evidence = []string{"doc", "third-party", "assumed"}

// Load reads and checks the spec at path. The error lists every problem.
func Load(ctx context.Context, path string) (*Spec, error) {
	doc, err := openapi3.NewLoader().LoadFromFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return Check(ctx, path, doc)
}

// Check checks an already loaded spec; name says which one in errors.
// It is Load for a spec that is not a file (the sandboxes embed theirs).
func Check(ctx context.Context, path string, doc *openapi3.T) (*Spec, error) {
	if err := doc.Validate(ctx, openapi3.EnableExamplesValidation()); err != nil {
		return nil, fmt.Errorf("%s: invalid OpenAPI: %w", path, err)
	}
	s := &Spec{Path: path, Doc: doc}
	var problems []string
	bad := func(format string, a ...any) { problems = append(problems, fmt.Sprintf(format, a...)) }

	if doc.OpenAPI != "3.0.3" {
		bad("openapi is %q, want 3.0.3", doc.OpenAPI)
	}
	declared := map[string]bool{}
	for _, t := range doc.Tags {
		declared[t.Name] = true
		if t.Description == "" {
			bad("tag %s has no description", t.Name)
		}
	}
	if doc.Components == nil || doc.Components.SecuritySchemes["oauth2"] == nil {
		bad("components.securitySchemes.oauth2 is missing")
	}
	for name, sc := range doc.Components.Schemas {
		if ev, _ := sc.Value.Extensions["x-onair-evidence"].(string); !slices.Contains(evidence, ev) {
			bad("schema %s: x-onair-evidence %q is not one of %v", name, ev, evidence)
		}
	}

	styles := readPaginationStyles(doc, bad)
	ids := map[string]bool{}
	methods := map[string]bool{}
	paths := doc.Paths.InMatchingOrder()
	sort.Strings(paths)
	for _, p := range paths {
		item := doc.Paths.Value(p)
		for _, m := range []string{"GET", "POST", "PUT", "PATCH", "DELETE"} {
			op := item.GetOperation(m)
			if op == nil {
				continue
			}
			where := m + " " + p
			o := Operation{Method: m, Path: p, Op: op, ID: op.OperationID}
			if o.ID == "" || ids[o.ID] {
				bad("%s: operationId %q is empty or not unique", where, o.ID)
			}
			ids[o.ID] = true
			if len(op.Tags) != 1 || !declared[op.Tags[0]] {
				bad("%s: needs exactly one tag declared in tags, has %v", where, op.Tags)
			} else {
				o.Service = op.Tags[0]
			}
			o.FacadeMethod, _ = op.Extensions["x-onair-method"].(string)
			if o.FacadeMethod == "" || methods[o.Service+"."+o.FacadeMethod] {
				bad("%s: x-onair-method %q is empty or not unique in %s", where, o.FacadeMethod, o.Service)
			}
			methods[o.Service+"."+o.FacadeMethod] = true
			o.Evidence, _ = op.Extensions["x-onair-evidence"].(string)
			if !slices.Contains(evidence, o.Evidence) {
				bad("%s: x-onair-evidence %q is not one of %v", where, o.Evidence, evidence)
			}
			if op.Summary == "" {
				bad("%s: no summary", where)
			}
			o.Scopes = oauthScopes(op.Security)
			if o.Scopes == nil {
				bad("%s: security names no oauth2 requirement", where)
			}
			for _, pr := range append(item.Parameters, op.Parameters...) {
				if pr.Value.Example == nil && len(pr.Value.Examples) == 0 {
					bad("%s: parameter %s has no example", where, pr.Value.Name)
				}
			}
			if rb := op.RequestBody; rb != nil {
				for mt, c := range rb.Value.Content {
					if c.Example == nil {
						bad("%s: request body %s has no example", where, mt)
					}
				}
			}
			checkResponses(&o, where, bad)
			checkPagination(&o, item, styles, where, bad)
			s.Ops = append(s.Ops, o)
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("%s: %d problems:\n  %s", path, len(problems), strings.Join(problems, "\n  "))
	}
	return s, nil
}

func checkResponses(o *Operation, where string, bad func(string, ...any)) {
	var success []int
	for code, r := range o.Op.Responses.Map() {
		var n int
		if _, err := fmt.Sscanf(code, "%d", &n); err != nil || n < 200 || n > 299 {
			continue
		}
		success = append(success, n)
		for mt, c := range r.Value.Content {
			if c.Example == nil && len(c.Examples) == 0 {
				bad("%s: %d response %s has no example", where, n, mt)
			}
		}
	}
	if len(success) != 1 {
		bad("%s: needs exactly one 2xx response, has %v", where, success)
		return
	}
	o.Success = success[0]
	for _, code := range []string{"401", "403", "429"} {
		if o.Op.Responses.Value(code) == nil {
			bad("%s: no %s response", where, code)
		}
	}
	raw, ok := o.Op.Extensions["x-onair-result"].(map[string]any)
	if o.Success == 204 {
		if ok {
			bad("%s: a 204 operation has x-onair-result", where)
		}
		return
	}
	if !ok {
		bad("%s: no x-onair-result", where)
		return
	}
	res := &Result{}
	res.Schema, _ = raw["schema"].(string)
	res.Path, _ = raw["path"].(string)
	res.List, _ = raw["list"].(bool)
	if res.Schema == "" {
		bad("%s: x-onair-result has no schema", where)
	}
	o.Result = res
}

// oauthScopes returns the alternatives of the oauth2 requirement, or nil
// when there is none. An alternative may be empty (a token, no scope).
func oauthScopes(sec *openapi3.SecurityRequirements) [][]string {
	if sec == nil {
		return nil
	}
	var alts [][]string
	for _, req := range *sec {
		if s, ok := req["oauth2"]; ok {
			alts = append(alts, append([]string{}, s...))
		}
	}
	return alts
}

// FirstContent returns a response's first media type, in name order, and
// its content; "" and nil when the response has no body.
func FirstContent(r *openapi3.Response) (string, *openapi3.MediaType) {
	if r == nil || len(r.Content) == 0 {
		return "", nil
	}
	mt := slices.Sorted(maps.Keys(r.Content))[0]
	return mt, r.Content[mt]
}

// Example returns a media type's example, or its first example by name.
func Example(m *openapi3.MediaType) (any, bool) {
	if m == nil {
		return nil, false
	}
	if m.Example != nil {
		return m.Example, true
	}
	for _, name := range slices.Sorted(maps.Keys(m.Examples)) {
		if ex := m.Examples[name]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return ex.Value.Value, true
		}
	}
	return nil, false
}

// SuccessContent returns the media type and content of the operation's
// success answer; "" and nil when it has no body.
func (o *Operation) SuccessContent() (string, *openapi3.MediaType) {
	r := o.Op.Responses.Status(o.Success)
	if r == nil {
		return "", nil
	}
	return FirstContent(r.Value)
}
