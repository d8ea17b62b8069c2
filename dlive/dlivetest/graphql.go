package dlivetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/onair-go/onair/dlive/internal/gqlschema"
)

// maxDocuments bounds the executor's cache of validated documents.
const maxDocuments = 256

// executor runs GraphQL requests against DLive's schema: gqlparser parses
// and validates the query and coerces its variables; the executor walks the
// selection sets over resolvers (GraphQL spec, section 6).
type executor struct {
	schema *ast.Schema
	// resolvers are by "Type.field". A field without one reads the
	// exported struct field of the same name, case aside.
	resolvers map[string]resolver

	mu sync.Mutex
	// documents are the valid documents by query text: parsing and
	// validating is most of what a small call costs, and clients send the
	// same few queries. Execution only reads them.
	documents map[string]*ast.QueryDocument
}

// A resolver returns the value of one field of parent, given the field's
// coerced arguments. A value of an interface or union type must be typed.
type resolver func(ctx context.Context, parent any, args map[string]any) (any, error)

// typed is a value of an abstract GraphQL type: it names its object type.
type typed interface{ graphqlType() string }

// request is the POST body DLive takes.
type request struct {
	Query         string         `json:"query"`
	Variables     map[string]any `json:"variables"`
	OperationName string         `json:"operationName"`
}

// decodeRequest reads a request, its Int variables as json.Number rather
// than float64.
func decodeRequest(r io.Reader) (request, error) {
	var req request
	dec := json.NewDecoder(r)
	dec.UseNumber()
	err := dec.Decode(&req)
	return req, err
}

// response is DLive's answer: data is null when the operation failed as a
// whole.
type response struct {
	Data   any           `json:"data"`
	Errors gqlerror.List `json:"errors,omitempty"`
}

// operation is a validated operation with its coerced variables.
type operation struct {
	doc  *ast.QueryDocument
	op   *ast.OperationDefinition
	vars map[string]any
}

func newExecutor(resolvers map[string]resolver) (*executor, error) {
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "dlive.graphql", Input: gqlschema.SDL})
	if err != nil {
		return nil, err
	}
	return &executor{schema: schema, resolvers: resolvers, documents: map[string]*ast.QueryDocument{}}, nil
}

// document parses and validates query. It returns the document even when
// it is invalid, for its operation names; nil when it does not parse. The
// codes are gqlgen's, whose answers to these (HTTP 422) DLive's documented
// 422 for a too complex query suggests it runs.
func (e *executor) document(query string) (*ast.QueryDocument, gqlerror.List) {
	e.mu.Lock()
	doc := e.documents[query]
	e.mu.Unlock()
	if doc != nil {
		return doc, nil
	}
	doc, err := parser.ParseQuery(&ast.Source{Name: "query", Input: query})
	if err != nil {
		return nil, coded("GRAPHQL_PARSE_FAILED", asList(err)...)
	}
	if errs := validator.Validate(e.schema, doc); len(errs) > 0 {
		return doc, coded("GRAPHQL_VALIDATION_FAILED", errs...)
	}
	e.mu.Lock()
	if len(e.documents) >= maxDocuments {
		clear(e.documents)
	}
	e.documents[query] = doc
	e.mu.Unlock()
	return doc, nil
}

// prepare returns the document of req's query, nil when it does not
// parse, and the operation req asks for, or the errors that refuse it as a
// whole.
func (e *executor) prepare(req request) (*ast.QueryDocument, *operation, gqlerror.List) {
	doc, errs := e.document(req.Query)
	if errs != nil {
		return doc, nil, errs
	}
	op, refusal := pickOperation(doc, req.OperationName, "no operation provided")
	if refusal == nil && op.Operation == ast.Subscription {
		refusal = gqlerror.ErrorPosf(op.Position, "subscriptions are served over the WebSocket, not over HTTP")
	}
	if refusal != nil {
		return doc, nil, coded("GRAPHQL_VALIDATION_FAILED", refusal)
	}
	vars, err := validator.VariableValues(e.schema, op, req.Variables)
	if err != nil {
		return doc, nil, coded("GRAPHQL_VALIDATION_FAILED", asList(err)...)
	}
	return doc, &operation{doc: doc, op: op, vars: vars}, nil
}

// pickOperation returns the operation of doc that name asks for, "" for
// its only one; noOperation is the error's message when doc has none.
func pickOperation(doc *ast.QueryDocument, name, noOperation string) (*ast.OperationDefinition, *gqlerror.Error) {
	op := doc.Operations.ForName(name)
	switch {
	case op != nil:
		return op, nil
	case name != "":
		return nil, gqlerror.Errorf("operation %q not found", name)
	case len(doc.Operations) == 0:
		return nil, &gqlerror.Error{Message: noOperation}
	}
	return nil, gqlerror.Errorf("an operation name is required: the document has several operations")
}

// execute runs op and returns its data and the errors of its fields.
func (e *executor) execute(ctx context.Context, op *operation) (object, gqlerror.List) {
	root := e.schema.Query
	if op.op.Operation == ast.Mutation {
		root = e.schema.Mutation
	}
	x := &execution{executor: e, ctx: ctx, operation: op}
	data, _ := x.selectionSet(root, nil, op.op.SelectionSet, nil)
	return data, x.errs
}

// A need is what one field asks of the token: any one of the alternatives,
// each needing all its scopes, as sandbox.Grant.Allows takes it.
type need struct {
	scopes [][]string
	field  *ast.Field
	path   ast.Path
}

// needs returns what the fields of op gated by gate ask for. gate returns a
// field's scopes and whether to look below it. A field's own need is waived
// when fields below it have theirs: DLive's `identity` is for when no other
// scope is needed, so `me { private { email } }` needs email:read alone.
func (e *executor) needs(op *operation, gate func(typ, field string) (scopes [][]string, descend bool)) []need {
	var walk func(sel ast.SelectionSet, path ast.Path) []need
	walk = func(sel ast.SelectionSet, path ast.Path) []need {
		var out []need
		e.eachField(sel, nil, op.vars, func(f *ast.Field) {
			p := append(slices.Clip(path), ast.PathName(f.Alias))
			scopes, descend := gate(f.ObjectDefinition.Name, f.Name)
			var below []need
			if descend {
				below = walk(f.SelectionSet, p)
			}
			if len(below) == 0 && len(scopes) > 0 {
				below = []need{{scopes: scopes, field: f, path: p}}
			}
			out = append(out, below...)
		})
		return out
	}
	return walk(op.op.SelectionSet, nil)
}

// eachField calls f on each field of sel, in order, with the fragments
// spread, each named one once (spec 6.3.2), and @skip and @include
// honoured. Given typ, it spreads only the fragments that apply to typ;
// given nil, all of them.
func (e *executor) eachField(sel ast.SelectionSet, typ *ast.Definition, vars map[string]any, f func(*ast.Field)) {
	visited := map[string]bool{}
	var walk func(sel ast.SelectionSet)
	walk = func(sel ast.SelectionSet) {
		for _, s := range sel {
			switch s := s.(type) {
			case *ast.Field:
				if !skipped(s.Directives, vars) {
					f(s)
				}
			case *ast.InlineFragment:
				if !skipped(s.Directives, vars) && e.applies(typ, s.TypeCondition) {
					walk(s.SelectionSet)
				}
			case *ast.FragmentSpread: // validation has resolved its Definition
				if !visited[s.Name] && !skipped(s.Directives, vars) && e.applies(typ, s.Definition.TypeCondition) {
					visited[s.Name] = true
					walk(s.Definition.SelectionSet)
				}
			}
		}
	}
	walk(sel)
}

// applies reports whether a fragment on type cond applies to object typ;
// any fragment applies when typ is nil.
func (e *executor) applies(typ *ast.Definition, cond string) bool {
	if typ == nil || cond == "" || cond == typ.Name {
		return true
	}
	def := e.schema.Types[cond]
	return def != nil && def.IsAbstractType() &&
		slices.ContainsFunc(e.schema.GetPossibleTypes(def), func(d *ast.Definition) bool { return d.Name == typ.Name })
}

// skipped reports whether @skip or @include leaves a selection out.
// Validation has made their arguments Booleans.
func skipped(dirs ast.DirectiveList, vars map[string]any) bool {
	if d := dirs.ForName("skip"); d != nil && d.ArgumentMap(vars)["if"] == true {
		return true
	}
	d := dirs.ForName("include")
	return d != nil && d.ArgumentMap(vars)["if"] != true
}

// execution is the state of one operation's run.
type execution struct {
	*executor
	*operation
	ctx  context.Context
	errs gqlerror.List
}

// group is the fields of a selection set that share a response key.
type group struct {
	key    string
	fields []*ast.Field
}

// selectionSet resolves sel on parent, of object type typ. It returns false
// when a non-null field is null, which makes the object null (spec 6.4.4).
func (x *execution) selectionSet(typ *ast.Definition, parent any, sel ast.SelectionSet, path ast.Path) (object, bool) {
	var groups []group // CollectFields, spec 6.3.2
	x.eachField(sel, typ, x.vars, func(f *ast.Field) {
		i := slices.IndexFunc(groups, func(g group) bool { return g.key == f.Alias })
		if i < 0 {
			groups = append(groups, group{key: f.Alias})
			i = len(groups) - 1
		}
		groups[i].fields = append(groups[i].fields, f)
	})
	out := make(object, 0, len(groups))
	for _, g := range groups {
		v, ok := x.field(typ, parent, g.fields, append(slices.Clip(path), ast.PathName(g.key)))
		if !ok {
			return nil, false
		}
		out = append(out, member{g.key, v})
	}
	return out, true
}

// field resolves and completes one response key of parent.
func (x *execution) field(typ *ast.Definition, parent any, fields []*ast.Field, path ast.Path) (any, bool) {
	f := fields[0]
	if f.Name == "__typename" {
		return typ.Name, true
	}
	def := typ.Fields.ForName(f.Name) // validation has made it non-nil
	args, err := arguments(def.Arguments, f.Arguments, x.vars)
	if err != nil {
		return nil, x.fail(f, path, err, def.Type.NonNull)
	}
	var v any
	if r := x.resolvers[typ.Name+"."+f.Name]; r != nil {
		v, err = r(x.ctx, parent, args)
	} else {
		v, err = fieldOf(parent, typ.Name, f.Name)
	}
	if err != nil {
		return nil, x.fail(f, path, err, def.Type.NonNull)
	}
	return x.complete(def.Type, fields, v, path)
}

// fail records err at path and reports whether the null it leaves is
// allowed there.
func (x *execution) fail(f *ast.Field, path ast.Path, err error, nonNull bool) bool {
	x.errs = append(x.errs, fieldError(f, path, err.Error()))
	return !nonNull
}

// fieldError is an error about field f at path.
func fieldError(f *ast.Field, path ast.Path, message string) *gqlerror.Error {
	return &gqlerror.Error{Message: message, Path: path, Locations: []gqlerror.Location{{Line: f.Position.Line, Column: f.Position.Column}}}
}

// complete turns a resolved value into its answer as t says (CompleteValue,
// spec 6.4.3).
func (x *execution) complete(t *ast.Type, fields []*ast.Field, v any, path ast.Path) (any, bool) {
	if isNull(v) {
		if t.NonNull {
			return nil, x.fail(fields[0], path, errors.New("the sandbox resolved a non-null field to null"), true)
		}
		return nil, true
	}
	if t.Elem != nil {
		rv := reflect.ValueOf(v)
		if rv.Kind() != reflect.Slice {
			return nil, x.fail(fields[0], path, fmt.Errorf("the sandbox resolved a list to %T", v), t.NonNull)
		}
		out := make([]any, rv.Len())
		for i := range out {
			item, ok := x.complete(t.Elem, fields, rv.Index(i).Interface(), append(slices.Clip(path), ast.PathIndex(i)))
			if !ok {
				return nil, !t.NonNull
			}
			out[i] = item
		}
		return out, true
	}
	def := x.schema.Types[t.NamedType]
	if def.IsLeafType() {
		return x.leaf(def, fields[0], v, path, t.NonNull)
	}
	if def.IsAbstractType() {
		var concrete *ast.Definition
		if tv, ok := v.(typed); ok {
			concrete = x.schema.Types[tv.graphqlType()]
		}
		if concrete == nil || !x.applies(concrete, def.Name) {
			return nil, x.fail(fields[0], path, fmt.Errorf("the sandbox resolved %s to %T", def.Name, v), t.NonNull)
		}
		def = concrete
	}
	var sel ast.SelectionSet
	for _, f := range fields {
		sel = append(sel, f.SelectionSet...)
	}
	obj, ok := x.selectionSet(def, v, sel, path)
	if !ok {
		return nil, !t.NonNull
	}
	return obj, true
}

// leaf serializes a scalar or enum value: DLive's schema has no Float and
// no custom scalar, and the store holds ints, strings and bools.
func (x *execution) leaf(def *ast.Definition, f *ast.Field, v any, path ast.Path, nonNull bool) (any, bool) {
	want := reflect.String
	switch def.Name {
	case "Int":
		want = reflect.Int
	case "Boolean":
		want = reflect.Bool
	}
	rv := reflect.Indirect(reflect.ValueOf(v))
	if rv.Kind() != want {
		return nil, x.fail(f, path, fmt.Errorf("the sandbox resolved %s to %T", def.Name, v), nonNull)
	}
	return rv.Interface(), true
}

// fieldOf is the default resolver: the exported struct field named like
// the GraphQL field, case aside.
func fieldOf(parent any, typ, name string) (any, error) {
	rv := reflect.Indirect(reflect.ValueOf(parent))
	if rv.Kind() == reflect.Struct {
		if sf, ok := rv.Type().FieldByNameFunc(func(n string) bool { return strings.EqualFold(n, name) }); ok && sf.IsExported() {
			return rv.FieldByIndex(sf.Index).Interface(), nil
		}
	}
	return nil, fmt.Errorf("%s.%s is not implemented by the sandbox", typ, name)
}

func isNull(v any) bool {
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Invalid:
		return true
	case reflect.Pointer, reflect.Map, reflect.Interface, reflect.Func, reflect.Chan:
		return rv.IsNil()
	}
	return false
}

// arguments coerces a field's arguments, defaults included. It is
// ast.Field.ArgumentMap without its panic on an Int literal past 64 bits.
func arguments(defs ast.ArgumentDefinitionList, args ast.ArgumentList, vars map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for _, d := range defs {
		value := d.DefaultValue
		if a := args.ForName(d.Name); a != nil {
			if _, set := vars[a.Value.Raw]; a.Value.Kind != ast.Variable || set {
				value = a.Value
			}
		}
		if value == nil {
			continue
		}
		v, err := value.Value(vars)
		if err != nil {
			return nil, err
		}
		out[d.Name] = v
	}
	return out, nil
}

// object is a JSON object whose members keep the order of the query.
type object []member

type member struct {
	key   string
	value any
}

func (o object) MarshalJSON() ([]byte, error) {
	if o == nil {
		return []byte("null"), nil
	}
	b := []byte{'{'}
	for i, m := range o {
		if i > 0 {
			b = append(b, ',')
		}
		k, _ := json.Marshal(m.key)
		v, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		b = append(append(append(b, k...), ':'), v...)
	}
	return append(b, '}'), nil
}

// asList returns err, from gqlparser, as GraphQL errors.
func asList(err error) gqlerror.List {
	var e *gqlerror.Error
	if !errors.As(err, &e) {
		e = gqlerror.Wrap(err)
	}
	return gqlerror.List{e}
}

// coded sets extensions.code on errs.
func coded(code string, errs ...*gqlerror.Error) gqlerror.List {
	for _, e := range errs {
		e.Extensions = map[string]any{"code": code}
	}
	return errs
}
