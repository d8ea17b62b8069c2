package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"sort"
	"strings"

	gqlparser "github.com/vektah/gqlparser/v2"
	gqlast "github.com/vektah/gqlparser/v2/ast"
	gqlparse "github.com/vektah/gqlparser/v2/parser"

	"github.com/onair-go/onair/internal/gqlop"
)

// gqlOperation is one operation document of a GraphQL provider
// (specs/<provider>/<Name>.graphql), whose first line says how onair
// exposes it:
//
//	# onair: service=<Service> method=<Method> scopes=<scope ...|-> evidence=<doc|third-party|assumed>
//
// All the scopes listed are needed (AND); "-" means none. The comment lines
// that follow, up to the operation, describe it.
//
// A subscription's service and method name the hand-written method that
// sends it over the provider's WebSocket: the generator makes the public
// types its events reach and their conversions, and no facade.
type gqlOperation struct {
	File            string // the document's path
	Name            string // the operation's name, as genqlient names its function
	Kind            string // query, mutation or subscription
	Service, Method string
	Scopes          []string
	Evidence        string
	Source          string          // the "# source:" line under the header, if any
	Doc             []string        // description lines
	NonNull         map[string]bool // variable name → declared non-null
}

// readGraphQLOps reads every operation document in dir, sorted by file
// name, and checks its annotation against the provider's documented
// scopes.
func readGraphQLOps(dir string, docs []scopeDoc) ([]*gqlOperation, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.graphql"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no *.graphql operation documents", dir)
	}
	sort.Strings(files)
	known := map[string]bool{}
	for _, d := range docs {
		known[d.Scope] = true
	}
	var ops []*gqlOperation
	methods := map[string]string{}
	for _, path := range files {
		op, err := readGraphQLOp(path, known)
		if err != nil {
			return nil, err
		}
		key := op.Service + "." + op.Method
		if other, dup := methods[key]; dup {
			return nil, fmt.Errorf("%s: service=%s method=%s is also %s's", path, op.Service, op.Method, other)
		}
		methods[key] = path
		ops = append(ops, op)
	}
	return ops, nil
}

func readGraphQLOp(path string, knownScopes map[string]bool) (*gqlOperation, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	path = filepath.ToSlash(path)
	h, err := gqlop.ReadHeader(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for _, scope := range h.Scopes {
		if !knownScopes[scope] {
			return nil, fmt.Errorf("%s: scope %q is not in the spec's oauth2 scopes", path, scope)
		}
	}
	op := &gqlOperation{File: path, Service: h.Service, Method: h.Method, Scopes: h.Scopes,
		Evidence: h.Evidence, Source: h.Source, Doc: h.Doc, NonNull: map[string]bool{}}
	doc, err := gqlparse.ParseQuery(&gqlast.Source{Name: path, Input: string(src)})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(doc.Operations) != 1 {
		return nil, fmt.Errorf("%s: holds %d operations, want exactly one", path, len(doc.Operations))
	}
	o := doc.Operations[0]
	op.Name, op.Kind = o.Name, string(o.Operation)
	if op.Kind != "query" && op.Kind != "mutation" && op.Kind != "subscription" {
		return nil, fmt.Errorf("%s: %s operations are not generated", path, op.Kind)
	}
	if want := strings.TrimSuffix(filepath.Base(path), ".graphql"); op.Name != want {
		return nil, fmt.Errorf("%s: the operation is named %q; name it after its file, %q", path, op.Name, want)
	}
	for _, v := range o.VariableDefinitions {
		op.NonNull[v.Variable] = v.Type.NonNull
	}
	return op, nil
}

// gqlGoFile is what the generator needs to know of genqlient's output.
type gqlGoFile struct {
	path    string
	types   map[string]*ast.TypeSpec
	docs    map[string]string   // type → its doc comment
	methods map[string][]string // receiver type → method names
	funcs   map[string]*ast.FuncDecl
}

func scanGenqlient(path string) (*gqlGoFile, error) {
	f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	g := &gqlGoFile{path: path, types: map[string]*ast.TypeSpec{}, docs: map[string]string{},
		methods: map[string][]string{}, funcs: map[string]*ast.FuncDecl{}}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				if sp, ok := sp.(*ast.TypeSpec); ok {
					g.types[sp.Name.Name] = sp
					doc := sp.Doc
					if doc == nil {
						doc = d.Doc
					}
					g.docs[sp.Name.Name] = doc.Text()
				}
			}
		case *ast.FuncDecl:
			if d.Recv == nil {
				g.funcs[d.Name.Name] = d
				continue
			}
			recv := d.Recv.List[0].Type
			if st, ok := recv.(*ast.StarExpr); ok {
				recv = st.X
			}
			if id, ok := recv.(*ast.Ident); ok {
				g.methods[id.Name] = append(g.methods[id.Name], d.Name.Name)
			}
		}
	}
	return g, nil
}

// gqlField is a field of a genqlient struct.
type gqlField struct {
	name, json string
	omitempty  bool
	typ        ast.Expr
}

// structOf returns the fields of the genqlient struct that e names (or
// points to), and false when e is not one.
func (g *gqlGoFile) structOf(e ast.Expr) ([]gqlField, bool, error) {
	if st, ok := e.(*ast.StarExpr); ok {
		e = st.X
	}
	id, ok := e.(*ast.Ident)
	if !ok {
		return nil, false, nil
	}
	ts, ok := g.types[id.Name]
	if !ok {
		return nil, false, nil
	}
	st, ok := ts.Type.(*ast.StructType)
	if !ok {
		return nil, false, nil
	}
	var out []gqlField
	for _, f := range st.Fields.List {
		if len(f.Names) != 1 {
			return nil, false, fmt.Errorf("%s: struct %s embeds a type (a fragment spread); the generator does not support fragments", g.path, id.Name)
		}
		fd := gqlField{name: f.Names[0].Name, typ: f.Type}
		if f.Tag != nil {
			tag := reflect.StructTag(strings.Trim(f.Tag.Value, "`")).Get("json")
			name, opts, _ := strings.Cut(tag, ",")
			fd.json, fd.omitempty = name, strings.Contains(opts, "omitempty")
		}
		out = append(out, fd)
	}
	return out, true, nil
}

func fieldByJSON(fields []gqlField, name string) (gqlField, bool) {
	for _, f := range fields {
		if f.json == name {
			return f, true
		}
	}
	return gqlField{}, false
}

// gqlParam is a parameter of a genqlient operation function.
type gqlParam struct {
	name    string // as genqlient names it: the variable's name
	arg     string // the facade's argument name
	typ     ast.Expr
	field   string // the Go field of the list params struct, when in it
	nonNull bool
	omit    bool // sent with omitempty
}

// gqlPlan is how one operation becomes a facade method.
type gqlPlan struct {
	op         *gqlOperation
	params     []gqlParam
	path       []gqlField // from the response root to the result (or the connection)
	result     ast.Expr   // nil: the method returns only an error
	list       bool
	item       ast.Expr // a list's item type
	paramsType string   // a list's params struct
	// A connection's fields: its list and pageInfo, and pageInfo's.
	items, pageInfo, endCursor, hasNextPage gqlField
}

// reserved names the facades use for their own variables.
var reserved = map[string]bool{"ctx": true, "opts": true, "s": true, "c": true, "p": true, "params": true, "page": true,
	"items": true, "next": true, "resp": true, "err": true, "after": true, "conn": true}

// plan matches an operation with its genqlient function and response
// type, and decides the facade's shape: the result is the response's root
// field, followed through objects that select a single object field (so
// `search { users }` and `me { private { streamKey } }` return what is at
// the end); a connection (list and pageInfo) becomes a lazy iterator; a
// mutation payload returns its field other than err, if any.
func (g *gqlGen) plan(op *gqlOperation) (*gqlPlan, error) {
	fn, ok := g.file.funcs[op.Name]
	if !ok {
		return nil, fmt.Errorf("%s: genqlient generated no function %s in %s", op.File, op.Name, g.file.path)
	}
	p := &gqlPlan{op: op}
	inputs := map[string]gqlField{}
	if fields, ok, err := g.file.structOf(&ast.Ident{Name: "__" + op.Name + "Input"}); err != nil {
		return nil, err
	} else if ok {
		for _, f := range fields {
			inputs[f.json] = f
		}
	}
	i := 0
	for _, f := range fn.Type.Params.List {
		for _, n := range f.Names {
			if i++; i <= 2 { // ctx_, client_
				continue
			}
			in, ok := inputs[n.Name]
			if !ok {
				return nil, fmt.Errorf("%s: parameter %s of gql.%s is not a variable of the operation", op.File, n.Name, op.Name)
			}
			arg := n.Name
			if reserved[arg] {
				arg += "Arg"
			}
			p.params = append(p.params, gqlParam{name: n.Name, arg: arg, typ: f.Type, field: in.name, nonNull: op.NonNull[n.Name], omit: in.omitempty})
		}
	}
	res := fn.Type.Results.List[0].Type
	root, ok, err := g.file.structOf(res)
	if err != nil {
		return nil, err
	}
	if !ok || len(root) != 1 {
		return nil, fmt.Errorf("%s: the operation must select exactly one root field", op.File)
	}
	cur := root[0]
	p.path = []gqlField{cur}
	if op.Kind == "mutation" {
		fields, ok, err := g.file.structOf(cur.typ)
		if err != nil {
			return nil, err
		}
		if !ok {
			return nil, fmt.Errorf("%s: a mutation must select an object payload", op.File)
		}
		if _, ok := fieldByJSON(fields, "err"); !ok {
			return nil, fmt.Errorf("%s: a mutation must select its payload's err { code message }", op.File)
		}
		var others []gqlField
		for _, f := range fields {
			if f.json != "err" {
				others = append(others, f)
			}
		}
		switch len(others) {
		case 0:
			return p, nil
		case 1:
			p.path = append(p.path, others[0])
			p.result = others[0].typ
		default:
			return nil, fmt.Errorf("%s: a mutation payload may select err and at most one other field", op.File)
		}
		return p, g.checkNilable(p)
	}
	for {
		fields, ok, err := g.file.structOf(cur.typ)
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		list, hasList := fieldByJSON(fields, "list")
		pi, hasPI := fieldByJSON(fields, "pageInfo")
		if hasList && hasPI {
			return p, g.planList(p, list, pi)
		}
		if len(fields) != 1 {
			break
		}
		if _, isStruct, _ := g.file.structOf(fields[0].typ); !isStruct {
			break
		}
		cur = fields[0]
		p.path = append(p.path, cur)
	}
	p.result = cur.typ
	return p, g.checkNilable(p)
}

func (g *gqlGen) checkNilable(p *gqlPlan) error {
	switch t := p.result.(type) {
	case *ast.StarExpr, *ast.ArrayType:
		return nil
	case *ast.Ident:
		if ts, ok := g.file.types[t.Name]; ok {
			if _, iface := ts.Type.(*ast.InterfaceType); iface {
				return nil
			}
		}
	}
	return fmt.Errorf("%s: the result %s is not a pointer, slice or interface; select an object", p.op.File, exprString(p.result))
}

// planList checks a connection and splits the variables: first and after
// drive the pagination, other non-null ones are arguments, nullable ones
// go in the params struct.
func (g *gqlGen) planList(p *gqlPlan, list, pageInfo gqlField) error {
	arr, ok := list.typ.(*ast.ArrayType)
	if !ok {
		return fmt.Errorf("%s: the connection's list is not a list", p.op.File)
	}
	p.list, p.item, p.items, p.pageInfo = true, arr.Elt, list, pageInfo
	pi, ok, err := g.file.structOf(pageInfo.typ)
	if err != nil {
		return err
	}
	var ok1, ok2 bool
	p.endCursor, ok1 = fieldByJSON(pi, "endCursor")
	p.hasNextPage, ok2 = fieldByJSON(pi, "hasNextPage")
	if !ok || !ok1 || !ok2 {
		return fmt.Errorf("%s: select pageInfo { endCursor hasNextPage }", p.op.File)
	}
	var first, after bool
	for _, prm := range p.params {
		first = first || prm.name == "first"
		after = after || prm.name == "after"
	}
	if !first || !after {
		return fmt.Errorf("%s: a list operation needs the variables $first and $after (Relay pagination)", p.op.File)
	}
	p.paramsType = p.op.Method + p.op.Service + "Params" // as REST names them: ListEventsParams
	return nil
}

// gqlGen writes a GraphQL provider's graphql_gen.go and contributes its
// operations and services to the other generated files.
type gqlGen struct {
	dir  string          // specs/<provider>
	ops  []*gqlOperation // queries and mutations, which get facades
	subs []*gqlOperation // subscriptions, whose events get public types only
	// subResults are the subscriptions' event types (genqlient's), in the
	// order of subs.
	subResults []ast.Expr
	file       *gqlGoFile
	schema     *gqlast.Schema
	plans      []*gqlPlan
	exports    map[string]string   // genqlient type → the provider package's name for it
	types      map[string]*pubType // genqlient type → the public type made from it
	helpers    map[string]bool     // generic conversion helpers the code uses
	server     string
	pkg        string // the provider package, which starts error texts
	title      string // the provider as it writes its name
}

// services returns the GraphQL services in name order, each with its
// plans in file order.
func (g *gqlGen) services() []string {
	var out []string
	for _, op := range g.ops {
		if !slices.Contains(out, op.Service) {
			out = append(out, op.Service)
		}
	}
	sort.Strings(out)
	return out
}

func (g *gqlGen) methodsOf(service string) []string {
	var out []string
	// The subscriptions' methods are hand-written, but a service's doc
	// lists them with the others.
	for _, op := range slices.Concat(g.ops, g.subs) {
		if op.Service == service {
			out = append(out, op.Method)
		}
	}
	return out
}

// prepare plans every operation and decides the provider package's
// types: one for each genqlient type its methods' arguments and results
// reach.
func (g *gqlGen) prepare(f *facadeGen) error {
	for _, op := range g.ops {
		p, err := g.plan(op)
		if err != nil {
			return err
		}
		g.plans = append(g.plans, p)
	}
	for _, op := range g.subs {
		res, err := g.subscriptionResult(op)
		if err != nil {
			return err
		}
		g.subResults = append(g.subResults, res)
	}
	reach := map[string][]string{} // genqlient type → the operations reaching it
	type reacher struct {
		name  string
		roots []ast.Expr
	}
	var reachers []reacher
	for _, p := range g.plans {
		var roots []ast.Expr
		for _, prm := range p.params {
			if !p.list || (prm.name != "first" && prm.name != "after") {
				roots = append(roots, prm.typ)
			}
		}
		if p.result != nil {
			roots = append(roots, p.result)
		}
		if p.item != nil {
			roots = append(roots, p.item)
		}
		reachers = append(reachers, reacher{g.opName(p.op), roots})
	}
	for i, op := range g.subs {
		reachers = append(reachers, reacher{g.opName(op), []ast.Expr{g.subResults[i]}})
	}
	for _, r := range reachers {
		name := r.name
		var walk func(e ast.Expr)
		walk = func(e ast.Expr) {
			ast.Inspect(e, func(n ast.Node) bool {
				id, ok := n.(*ast.Ident)
				if !ok || slices.Contains(reach[id.Name], name) {
					return true
				}
				ts, ok := g.file.types[id.Name]
				if !ok {
					return true
				}
				reach[id.Name] = append(reach[id.Name], name)
				switch t := ts.Type.(type) {
				case *ast.StructType:
					for _, fl := range t.Fields.List {
						walk(fl.Type)
					}
				case *ast.InterfaceType:
					for impl, ms := range g.file.methods {
						if slices.Contains(ms, "implementsGraphQLInterface"+id.Name) {
							walk(&ast.Ident{Name: impl})
						}
					}
				}
				return true
			})
		}
		for _, e := range r.roots {
			walk(e)
		}
	}
	if err := g.publicTypes(reach); err != nil {
		return err
	}
	if err := g.checkNames(f); err != nil {
		return err
	}
	for _, p := range g.plans {
		if err := g.checkConversions(p); err != nil {
			return err
		}
	}
	for i, op := range g.subs {
		if _, err := g.fromGQL("x", g.subResults[i]); err != nil {
			return fmt.Errorf("%s: the events: %w", op.File, err)
		}
		if slices.ContainsFunc(g.ops, func(o *gqlOperation) bool { return g.opName(o) == g.opName(op) }) {
			return fmt.Errorf("%s: %s is also a query's or mutation's method", op.File, g.opName(op))
		}
	}
	for _, sh := range f.p.shortcuts {
		if !slices.ContainsFunc(g.ops, func(op *gqlOperation) bool { return g.opName(op) == sh.op }) {
			return fmt.Errorf("%s: shortcut %s names %s, which is no GraphQL operation", g.dir, sh.name, sh.op)
		}
	}
	for _, svc := range g.services() {
		for _, t := range f.tags() {
			if t.Name == svc {
				return fmt.Errorf("%s: service %s is also a tag of %s", g.dir, svc, f.p.specPath)
			}
		}
	}
	for _, p := range g.plans {
		for _, o := range f.spec.Ops {
			if o.Service == p.op.Service && o.FacadeMethod == p.op.Method {
				return fmt.Errorf("%s: %s.%s is also an operation of %s", p.op.File, p.op.Service, p.op.Method, f.p.specPath)
			}
		}
		if p.list && slices.Contains(g.methodsOf(p.op.Service), p.op.Method+"Page") {
			return fmt.Errorf("%s: %s.%sPage, the page method of %s, is also an operation's method", p.op.File, p.op.Service, p.op.Method, p.op.Method)
		}
	}
	return nil
}

// subscriptionResult is the type of the events of a subscription: its
// single root field's, in genqlient's <Name>Response, or the item type
// when the field is a list (each event of a batch is converted alone).
func (g *gqlGen) subscriptionResult(op *gqlOperation) (ast.Expr, error) {
	root, ok, err := g.file.structOf(&ast.Ident{Name: op.Name + "Response"})
	if err != nil {
		return nil, err
	}
	if !ok || len(root) != 1 {
		return nil, fmt.Errorf("%s: the subscription must select exactly one root field (genqlient's %sResponse)", op.File, op.Name)
	}
	res := root[0].typ
	if arr, ok := res.(*ast.ArrayType); ok {
		res = arr.Elt
	}
	id, ok := res.(*ast.Ident)
	if !ok {
		return nil, fmt.Errorf("%s: the subscription's events are %s; select an interface", op.File, exprString(res))
	}
	if _, iface := g.file.types[id.Name].Type.(*ast.InterfaceType); !iface {
		return nil, fmt.Errorf("%s: the subscription's events are %s; select an interface, so that a kind the schema lacks can be told apart", op.File, id.Name)
	}
	return res, nil
}

// checkConversions fails when an argument or result of p has a type the
// generator cannot convert.
func (g *gqlGen) checkConversions(p *gqlPlan) error {
	for _, prm := range p.params {
		if _, err := g.toGQL(prm.arg, prm.typ); err != nil {
			return fmt.Errorf("%s: $%s: %w", p.op.File, prm.name, err)
		}
	}
	if p.result != nil {
		if _, err := g.fromGQL("x", p.result); err != nil {
			return fmt.Errorf("%s: the result: %w", p.op.File, err)
		}
	}
	if p.list {
		if _, err := g.fromGQL("x", p.items.typ); err != nil {
			return fmt.Errorf("%s: the list: %w", p.op.File, err)
		}
	}
	return nil
}

func (g *gqlGen) opConst(op *gqlOperation) string { return "Op" + op.Service + op.Method }
func (g *gqlGen) opVar(op *gqlOperation) string   { return "op" + op.Service + op.Method }
func (g *gqlGen) opName(op *gqlOperation) string  { return op.Service + "." + op.Method }

func (g *gqlGen) needs(T string, op *gqlOperation) string {
	if len(op.Scopes) == 0 {
		return "nil"
	}
	parts := make([]string, len(op.Scopes))
	for i, s := range op.Scopes {
		parts[i] = "scopes." + constName(T, s)
	}
	return fmt.Sprintf("[][]scopes.%s{{%s}}", T, strings.Join(parts, ", "))
}

func (g *gqlGen) header() string {
	return "// Code generated by internal/gen from " + g.dir + "/*.graphql and " + filepath.ToSlash(g.file.path) + "; DO NOT EDIT."
}

// listWords joins words as English does: "a, b and c".
func listWords(w []string) string {
	switch len(w) {
	case 0:
		return ""
	case 1:
		return w[0]
	}
	return strings.Join(w[:len(w)-1], ", ") + " and " + w[len(w)-1]
}

// wrap splits s into lines of at most width characters.
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, w := range strings.Fields(s) {
		if line != "" && len(line)+1+len(w) > width {
			lines = append(lines, line)
			line = ""
		}
		if line != "" {
			line += " "
		}
		line += w
	}
	if line != "" {
		lines = append(lines, line)
	}
	return lines
}

// loadGraphQL reads a GraphQL provider's operation documents and
// genqlient's output, and plans the facades.
func loadGraphQL(f *facadeGen) (*gqlGen, error) {
	ops, err := readGraphQLOps(f.p.gqlDir, f.docs)
	if err != nil {
		return nil, err
	}
	file, err := scanGenqlient(f.p.gqlGo)
	if err != nil {
		return nil, err
	}
	sdl, err := os.ReadFile(f.p.gqlSchema)
	if err != nil {
		return nil, err
	}
	schema, gerr := gqlparser.LoadSchema(&gqlast.Source{Name: f.p.gqlSchema, Input: string(sdl)})
	if gerr != nil {
		return nil, gerr
	}
	g := &gqlGen{dir: f.p.gqlDir, file: file, schema: schema, server: f.spec.Doc.Servers[0].URL,
		pkg: f.p.name, title: f.p.title}
	for _, op := range ops {
		if op.Kind == "subscription" {
			g.subs = append(g.subs, op)
		} else {
			g.ops = append(g.ops, op)
		}
	}
	if len(g.subs) > 0 && f.p.websocket == nil {
		return nil, fmt.Errorf("%s: subscriptions need the spec's x-onair-websocket, which %s lacks", g.subs[0].File, f.p.specPath)
	}
	if err := g.prepare(f); err != nil {
		return nil, err
	}
	return g, nil
}

// comment writes text as a wrapped // comment with the given indent.
func comment(b *bytes.Buffer, indent, text string) {
	for _, line := range wrap(text, 76-len(indent)) {
		fmt.Fprintf(b, "%s// %s\n", indent, line)
	}
}

// graphQLName is the name of the GraphQL field a genqlient field holds.
func graphQLName(f gqlField) string {
	if f.json != "" && f.json != "-" {
		return f.json
	}
	return strings.ToLower(f.name[:1]) + f.name[1:]
}
