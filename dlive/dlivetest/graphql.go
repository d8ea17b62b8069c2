package dlivetest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"

	"github.com/onair-go/onair/dlive/internal/gqlschema"
)

// executor runs GraphQL requests against DLive's schema: it parses and
// validates the query, coerces its variables, and walks the selection sets
// over resolvers (GraphQL spec, section 6). It holds no request state.
type executor struct {
	schema *ast.Schema
	// resolvers are by "Type.field". A field without one reads the
	// exported struct field of the same name, case aside, or the map key.
	resolvers map[string]resolver
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

// response is DLive's answer: data is null when the operation failed as a
// whole.
type response struct {
	Data   any           `json:"data"`
	Errors gqlerror.List `json:"errors,omitempty"`
}

// operation is a parsed, validated operation with its coerced variables.
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
	return &executor{schema: schema, resolvers: resolvers}, nil
}

// prepare returns the operation req asks for, or the errors that refuse it
// as a whole. The codes are gqlgen's, whose answers to these (HTTP 422)
// DLive's documented 422 for a too complex query suggests it runs.
func (e *executor) prepare(req request) (*operation, gqlerror.List) {
	doc, err := parser.ParseQuery(&ast.Source{Name: "query", Input: req.Query})
	if err != nil {
		return nil, coded("GRAPHQL_PARSE_FAILED", asList(err)...)
	}
	if errs := validator.Validate(e.schema, doc); len(errs) > 0 {
		return nil, coded("GRAPHQL_VALIDATION_FAILED", errs...)
	}
	var op *ast.OperationDefinition
	switch {
	case req.OperationName != "":
		op = doc.Operations.ForName(req.OperationName)
	case len(doc.Operations) == 1:
		op = doc.Operations[0]
	}
	if op == nil {
		msg := "an operation name is required: the document has several operations"
		switch {
		case req.OperationName != "":
			msg = fmt.Sprintf("operation %q not found", req.OperationName)
		case len(doc.Operations) == 0:
			msg = "no operation provided"
		}
		return nil, coded("GRAPHQL_VALIDATION_FAILED", gqlerror.Errorf("%s", msg))
	}
	if op.Operation == ast.Subscription {
		return nil, coded("GRAPHQL_VALIDATION_FAILED",
			gqlerror.ErrorPosf(op.Position, "subscriptions are served over the WebSocket, not over HTTP"))
	}
	vars, err := validator.VariableValues(e.schema, op, req.Variables)
	if err != nil {
		return nil, coded("GRAPHQL_VALIDATION_FAILED", asList(err)...)
	}
	return &operation{doc: doc, op: op, vars: vars}, nil
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

// needs walks op's selections (fragments included, @skip and @include
// honoured) and returns what the fields gated by gate ask for. gate returns
// a field's scopes and whether to look below it. A field's own need is
// waived when fields below it have theirs: DLive's `identity` is for when
// no other scope is needed, so `me { private { email } }` needs email:read
// alone.
func (e *executor) needs(op *operation, gate func(typ, field string) (scopes [][]string, descend bool)) []need {
	var walk func(sel ast.SelectionSet, path ast.Path) []need
	walk = func(sel ast.SelectionSet, path ast.Path) []need {
		var out []need
		for _, s := range sel {
			if skipped(s, op.vars) {
				continue
			}
			switch s := s.(type) {
			case *ast.Field:
				if s.ObjectDefinition == nil {
					continue
				}
				p := append(slices.Clip(path), ast.PathName(s.Alias))
				scopes, descend := gate(s.ObjectDefinition.Name, s.Name)
				var below []need
				if descend {
					below = walk(s.SelectionSet, p)
				}
				if len(below) == 0 && len(scopes) > 0 {
					below = []need{{scopes: scopes, field: s, path: p}}
				}
				out = append(out, below...)
			case *ast.InlineFragment:
				out = append(out, walk(s.SelectionSet, path)...)
			case *ast.FragmentSpread:
				if s.Definition != nil {
					out = append(out, walk(s.Definition.SelectionSet, path)...)
				}
			}
		}
		return out
	}
	return walk(op.op.SelectionSet, nil)
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
	groups := x.collect(typ, sel, nil, map[string]bool{})
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

// collect groups the fields of sel that apply to typ by response key, in
// order (CollectFields, spec 6.3.2).
func (x *execution) collect(typ *ast.Definition, sel ast.SelectionSet, groups []group, visited map[string]bool) []group {
	for _, s := range sel {
		if skipped(s, x.vars) {
			continue
		}
		switch s := s.(type) {
		case *ast.Field:
			i := slices.IndexFunc(groups, func(g group) bool { return g.key == s.Alias })
			if i < 0 {
				groups = append(groups, group{key: s.Alias})
				i = len(groups) - 1
			}
			groups[i].fields = append(groups[i].fields, s)
		case *ast.InlineFragment:
			if s.TypeCondition == "" || x.applies(typ, s.TypeCondition) {
				groups = x.collect(typ, s.SelectionSet, groups, visited)
			}
		case *ast.FragmentSpread:
			f := x.doc.Fragments.ForName(s.Name)
			if visited[s.Name] || f == nil || !x.applies(typ, f.TypeCondition) {
				continue
			}
			visited[s.Name] = true
			groups = x.collect(typ, f.SelectionSet, groups, visited)
		}
	}
	return groups
}

// applies reports whether a fragment on type cond applies to object typ.
func (x *execution) applies(typ *ast.Definition, cond string) bool {
	if cond == typ.Name {
		return true
	}
	def := x.schema.Types[cond]
	return def != nil && def.IsAbstractType() &&
		slices.ContainsFunc(x.schema.GetPossibleTypes(def), func(d *ast.Definition) bool { return d.Name == typ.Name })
}

// field resolves and completes one response key of parent.
func (x *execution) field(typ *ast.Definition, parent any, fields []*ast.Field, path ast.Path) (any, bool) {
	f := fields[0]
	if f.Name == "__typename" {
		return typ.Name, true
	}
	def := typ.Fields.ForName(f.Name)
	if def == nil { // validation has ruled this out
		return nil, x.fail(f, path, fmt.Errorf("no field %s.%s", typ.Name, f.Name), true)
	}
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
	x.errs = append(x.errs, &gqlerror.Error{
		Message:   err.Error(),
		Path:      path,
		Locations: []gqlerror.Location{{Line: f.Position.Line, Column: f.Position.Column}},
	})
	return !nonNull
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
		out, err := leaf(def, v)
		if err != nil {
			return nil, x.fail(fields[0], path, err, t.NonNull)
		}
		return out, true
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

// leaf serializes a scalar or enum value.
func leaf(def *ast.Definition, v any) (any, error) {
	rv := reflect.Indirect(reflect.ValueOf(v))
	switch {
	case def.Kind == ast.Enum || def.Name == "String" || def.Name == "ID":
		if rv.Kind() == reflect.String {
			return rv.String(), nil
		}
	case def.Name == "Int":
		if rv.CanInt() {
			return rv.Int(), nil
		}
	case def.Name == "Float":
		if rv.CanFloat() {
			return rv.Float(), nil
		}
		if rv.CanInt() {
			return float64(rv.Int()), nil
		}
	case def.Name == "Boolean":
		if rv.Kind() == reflect.Bool {
			return rv.Bool(), nil
		}
	}
	return nil, fmt.Errorf("the sandbox resolved %s to %T", def.Name, v)
}

// fieldOf is the default resolver: the exported struct field named like
// the GraphQL field, case aside, or the map key.
func fieldOf(parent any, typ, name string) (any, error) {
	rv := reflect.Indirect(reflect.ValueOf(parent))
	switch rv.Kind() {
	case reflect.Struct:
		if sf, ok := rv.Type().FieldByNameFunc(func(n string) bool { return strings.EqualFold(n, name) }); ok && sf.IsExported() {
			return rv.FieldByIndex(sf.Index).Interface(), nil
		}
	case reflect.Map:
		if m, ok := parent.(map[string]any); ok {
			return m[name], nil
		}
	}
	return nil, fmt.Errorf("%s.%s is not implemented by the sandbox", typ, name)
}

func isNull(v any) bool {
	if v == nil {
		return true
	}
	switch rv := reflect.ValueOf(v); rv.Kind() {
	case reflect.Pointer, reflect.Map, reflect.Interface, reflect.Func, reflect.Chan:
		return rv.IsNil()
	}
	return false
}

// arguments coerces a field's arguments, defaults included. It is
// ast.Field.ArgumentMap without its panics.
func arguments(defs ast.ArgumentDefinitionList, args ast.ArgumentList, vars map[string]any) (map[string]any, error) {
	out := map[string]any{}
	for _, d := range defs {
		a := args.ForName(d.Name)
		switch {
		case a != nil && a.Value.Kind == ast.Variable:
			if v, ok := vars[a.Value.Raw]; ok {
				out[d.Name] = v
				continue
			}
		case a != nil:
			v, err := a.Value.Value(vars)
			if err != nil {
				return nil, err
			}
			out[d.Name] = v
			continue
		}
		if d.DefaultValue != nil {
			v, err := d.DefaultValue.Value(vars)
			if err != nil {
				return nil, err
			}
			out[d.Name] = v
		}
	}
	return out, nil
}

// skipped reports whether @skip or @include leaves s out.
func skipped(s ast.Selection, vars map[string]any) bool {
	var dirs ast.DirectiveList
	switch s := s.(type) {
	case *ast.Field:
		dirs = s.Directives
	case *ast.InlineFragment:
		dirs = s.Directives
	case *ast.FragmentSpread:
		dirs = s.Directives
	}
	cond := func(name string) (bool, bool) {
		d := dirs.ForName(name)
		if d == nil {
			return false, false
		}
		a := d.Arguments.ForName("if")
		if a == nil { // validation has ruled this out
			return false, true
		}
		v, _ := a.Value.Value(vars)
		b, _ := v.(bool)
		return b, true
	}
	if skip, ok := cond("skip"); ok && skip {
		return true
	}
	include, ok := cond("include")
	return ok && !include
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
	var b bytes.Buffer
	b.WriteByte('{')
	for i, m := range o {
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(m.key)
		v, err := json.Marshal(m.value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// asList returns err as GraphQL errors.
func asList(err error) gqlerror.List {
	var list gqlerror.List
	if errors.As(err, &list) {
		return list
	}
	var one *gqlerror.Error
	if errors.As(err, &one) {
		return gqlerror.List{one}
	}
	return gqlerror.List{gqlerror.Wrap(err)}
}

// coded sets extensions.code on errs.
func coded(code string, errs ...*gqlerror.Error) gqlerror.List {
	for _, e := range errs {
		if e.Extensions == nil {
			e.Extensions = map[string]any{}
		}
		e.Extensions["code"] = code
	}
	return errs
}
