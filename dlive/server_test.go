package dlive_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator"
	"golang.org/x/oauth2"
)

// testToken is the access token the fake server expects, bare.
const testToken = "dl-4f8b2c91e7a3"

// allScopes grants every scope the GraphQL operations need.
const allScopes = "identity email:read streamkey:read chat:write relationship:read relationship:write moderation:write streamtemplate:write chest:write emote:write"

// tokenSource returns a source of testToken granted the scopes in scope.
func tokenSource(scope string) oauth2.TokenSource {
	tok := &oauth2.Token{AccessToken: testToken, TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}
	return oauth2.StaticTokenSource(tok.WithExtra(map[string]any{"scope": scope}))
}

// specs are dlive.yaml's envelope schemas and the GraphQL schema, loaded
// once.
var specs = sync.OnceValues(func() (*loadedSpecs, error) {
	doc, err := openapi3.NewLoader().LoadFromFile("../specs/dlive.yaml")
	if err != nil {
		return nil, err
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, err
	}
	sdl, err := os.ReadFile("../specs/dlive.graphql")
	if err != nil {
		return nil, err
	}
	schema, gerr := gqlparser.LoadSchema(&ast.Source{Name: "dlive.graphql", Input: string(sdl)})
	if gerr != nil {
		return nil, gerr
	}
	return &loadedSpecs{
		request:  doc.Components.Schemas["GraphQLRequest"].Value,
		response: doc.Components.Schemas["GraphQLResponse"].Value,
		schema:   schema,
	}, nil
})

type loadedSpecs struct {
	request, response *openapi3.Schema
	schema            *ast.Schema
}

// answer is what the fake server sends for one request.
type answer struct {
	status int
	header http.Header
	body   string // JSON
}

// ok is an HTTP 200 answer.
func ok(body string) func(map[string]any) answer {
	return func(map[string]any) answer { return answer{status: http.StatusOK, body: body} }
}

// call is a request the fake server accepted.
type call struct {
	Op   string
	Vars map[string]any
}

// fakeDLive is a GraphQL server standing in for api.dlive.tv. It
// checks every request: POST / with the bare token, a body valid against
// dlive.yaml's GraphQLRequest, a query valid against dlive.graphql and
// variables valid for it. It answers by operationName, and checks each
// answer against dlive.yaml's GraphQLResponse and, for data, against the
// query's selection and the schema's types, so that the fixtures cannot
// drift from the specs.
type fakeDLive struct {
	t       *testing.T
	URL     string
	answers map[string]func(vars map[string]any) answer

	mu    sync.Mutex
	calls []call
}

func newFakeDLive(t *testing.T, answers map[string]func(vars map[string]any) answer) *fakeDLive {
	t.Helper()
	sp, err := specs()
	if err != nil {
		t.Fatalf("loading the specs: %v", err)
	}
	f := &fakeDLive{t: t, answers: answers}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.serve(sp, w, r)
	}))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// Calls returns the requests accepted so far.
func (f *fakeDLive) Calls() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.calls)
}

// refuse fails the test and answers a GraphQL error.
func (f *fakeDLive) refuse(w http.ResponseWriter, status int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	f.t.Errorf("fake DLive: %s", msg)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"data": nil, "errors": []map[string]any{{"message": msg}}})
}

func (f *fakeDLive) serve(sp *loadedSpecs, w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/" {
		f.refuse(w, http.StatusNotFound, "%s %s: want POST /", r.Method, r.URL.Path)
		return
	}
	if got := r.Header.Get("Authorization"); got != testToken {
		f.refuse(w, http.StatusUnauthorized, "Authorization is %q, want the bare token %q", got, testToken)
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		f.refuse(w, http.StatusBadRequest, "Content-Type is %q", ct)
		return
	}
	raw, err := io.ReadAll(r.Body)
	if err != nil {
		f.refuse(w, http.StatusBadRequest, "reading the body: %v", err)
		return
	}
	var body any
	if err := json.Unmarshal(raw, &body); err != nil {
		f.refuse(w, http.StatusBadRequest, "the body is not JSON: %v", err)
		return
	}
	if err := sp.request.VisitJSON(body); err != nil {
		f.refuse(w, http.StatusBadRequest, "the body does not fit dlive.yaml's GraphQLRequest: %v", err)
		return
	}
	var req struct {
		Query         string         `json:"query"`
		Variables     map[string]any `json:"variables"`
		OperationName string         `json:"operationName"`
	}
	if err := json.Unmarshal(raw, &req); err != nil {
		f.refuse(w, http.StatusBadRequest, "%v", err)
		return
	}
	doc, errs := gqlparser.LoadQuery(sp.schema, req.Query)
	if len(errs) > 0 {
		f.refuse(w, http.StatusOK, "%s: the query is not valid against dlive.graphql: %v", req.OperationName, errs)
		return
	}
	op := doc.Operations.ForName(req.OperationName)
	if op == nil {
		f.refuse(w, http.StatusOK, "the document has no operation %q", req.OperationName)
		return
	}
	if _, err := validator.VariableValues(sp.schema, op, req.Variables); err != nil {
		f.refuse(w, http.StatusOK, "%s: variables %v: %v", req.OperationName, req.Variables, err)
		return
	}
	f.mu.Lock()
	f.calls = append(f.calls, call{req.OperationName, req.Variables})
	f.mu.Unlock()

	reply, ok := f.answers[req.OperationName]
	if !ok {
		f.refuse(w, http.StatusOK, "no answer for %s", req.OperationName)
		return
	}
	a := reply(req.Variables)
	var ans map[string]any
	if err := json.Unmarshal([]byte(a.body), &ans); err != nil {
		f.t.Errorf("fake DLive: the %s answer is not JSON: %v", req.OperationName, err)
	} else {
		if err := sp.response.VisitJSON(ans); err != nil {
			f.t.Errorf("fake DLive: the %s answer does not fit dlive.yaml's GraphQLResponse: %v", req.OperationName, err)
		}
		if data, ok := ans["data"].(map[string]any); ok {
			for _, p := range checkSelection(sp.schema, "data", sp.schema.Types[rootType(sp.schema, op)], op.SelectionSet, data) {
				f.t.Errorf("fake DLive: the %s answer: %s", req.OperationName, p)
			}
		}
	}
	for k, v := range a.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(a.status)
	io.WriteString(w, a.body)
}

func rootType(s *ast.Schema, op *ast.OperationDefinition) string {
	if op.Operation == ast.Mutation {
		return s.Mutation.Name
	}
	return s.Query.Name
}

// checkSelection checks that obj holds exactly the fields sel selects on
// def, each with a value of its schema type; it returns the problems.
func checkSelection(s *ast.Schema, path string, def *ast.Definition, sel ast.SelectionSet, obj map[string]any) []string {
	var problems []string
	concrete := def
	if def.IsAbstractType() {
		tn, _ := obj["__typename"].(string)
		concrete = s.Types[tn]
		if concrete == nil || !slices.ContainsFunc(s.GetPossibleTypes(def), func(d *ast.Definition) bool { return d.Name == tn }) {
			return []string{fmt.Sprintf("%s: __typename %q is not a type of %s", path, tn, def.Name)}
		}
	}
	fields := collectFields(s, concrete, sel)
	seen := map[string]bool{}
	for _, fd := range fields {
		key := fd.Alias
		if key == "" {
			key = fd.Name
		}
		seen[key] = true
		v, present := obj[key]
		if !present {
			problems = append(problems, fmt.Sprintf("%s.%s: selected but missing", path, key))
			continue
		}
		if fd.Name == "__typename" {
			if v != concrete.Name {
				problems = append(problems, fmt.Sprintf("%s.__typename: %v, want %s", path, v, concrete.Name))
			}
			continue
		}
		problems = append(problems, checkValue(s, path+"."+key, fd.Definition.Type, fd.SelectionSet, v)...)
	}
	for k := range obj {
		if !seen[k] {
			problems = append(problems, fmt.Sprintf("%s.%s: not selected", path, k))
		}
	}
	return problems
}

// collectFields flattens sel for an object of type def: its fields and
// those of the fragments that apply to def.
func collectFields(s *ast.Schema, def *ast.Definition, sel ast.SelectionSet) []*ast.Field {
	var out []*ast.Field
	applies := func(cond string) bool {
		if cond == "" || cond == def.Name {
			return true
		}
		return slices.Contains(def.Interfaces, cond)
	}
	for _, x := range sel {
		switch x := x.(type) {
		case *ast.Field:
			out = append(out, x)
		case *ast.InlineFragment:
			if applies(x.TypeCondition) {
				out = append(out, collectFields(s, def, x.SelectionSet)...)
			}
		case *ast.FragmentSpread:
			if applies(x.Definition.TypeCondition) {
				out = append(out, collectFields(s, def, x.Definition.SelectionSet)...)
			}
		}
	}
	return out
}

func checkValue(s *ast.Schema, path string, typ *ast.Type, sel ast.SelectionSet, v any) []string {
	if v == nil {
		if typ.NonNull {
			return []string{path + ": null for non-null " + typ.String()}
		}
		return nil
	}
	if typ.Elem != nil {
		list, ok := v.([]any)
		if !ok {
			return []string{fmt.Sprintf("%s: %T, want a list", path, v)}
		}
		var problems []string
		for i, e := range list {
			problems = append(problems, checkValue(s, fmt.Sprintf("%s[%d]", path, i), typ.Elem, sel, e)...)
		}
		return problems
	}
	def := s.Types[typ.NamedType]
	bad := func() []string { return []string{fmt.Sprintf("%s: %#v is not a %s", path, v, typ.NamedType)} }
	switch def.Kind {
	case ast.Scalar:
		switch def.Name {
		case "String", "ID":
			if _, ok := v.(string); !ok {
				return bad()
			}
		case "Int":
			if n, ok := v.(float64); !ok || n != math.Trunc(n) {
				return bad()
			}
		case "Float":
			if _, ok := v.(float64); !ok {
				return bad()
			}
		case "Boolean":
			if _, ok := v.(bool); !ok {
				return bad()
			}
		}
	case ast.Enum:
		if str, ok := v.(string); !ok || def.EnumValues.ForName(str) == nil {
			return bad()
		}
	case ast.Object, ast.Interface, ast.Union:
		obj, ok := v.(map[string]any)
		if !ok {
			return bad()
		}
		return checkSelection(s, path, def, sel, obj)
	}
	return nil
}

// queryOf is a helper for tests that look at what was selected.
func queryOf(calls []call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Op)
	}
	return out
}
