package main

import (
	"bufio"
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

	gqlast "github.com/vektah/gqlparser/v2/ast"
	gqlparser "github.com/vektah/gqlparser/v2/parser"
)

// gqlOperation is one operation document of a GraphQL provider
// (specs/<provider>/<Name>.graphql), whose first line says how onair
// exposes it:
//
//	# onair: service=<Service> method=<Method> scopes=<scope ...|-> evidence=<doc|third-party|assumed>
//
// All the scopes listed are needed (AND); "-" means none. The comment lines
// that follow, up to the operation, describe it.
type gqlOperation struct {
	File            string // the document's path
	Name            string // the operation's name, as genqlient names its function
	Kind            string // query or mutation
	Service, Method string
	Scopes          []string
	Evidence        string
	Doc             []string        // description lines
	NonNull         map[string]bool // variable name → declared non-null
}

const annotationPrefix = "# onair:"

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
	op := &gqlOperation{File: path, NonNull: map[string]bool{}}
	sc := bufio.NewScanner(bytes.NewReader(src))
	if !sc.Scan() || !strings.HasPrefix(sc.Text(), annotationPrefix) {
		return nil, fmt.Errorf("%s: the first line must be %q followed by service=, method=, scopes= and evidence=", path, annotationPrefix)
	}
	fields, err := parseAnnotation(strings.TrimPrefix(sc.Text(), annotationPrefix))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	op.Service, op.Method, op.Evidence = fields["service"], fields["method"], fields["evidence"]
	if !isExportedIdent(op.Service) || !isExportedIdent(op.Method) {
		return nil, fmt.Errorf("%s: service=%q and method=%q must be exported Go names", path, op.Service, op.Method)
	}
	if !slices.Contains([]string{"doc", "third-party", "assumed"}, op.Evidence) {
		return nil, fmt.Errorf("%s: evidence=%q is not doc, third-party or assumed", path, op.Evidence)
	}
	switch s := fields["scopes"]; s {
	case "":
		return nil, fmt.Errorf("%s: scopes= is missing (use scopes=- for none)", path)
	case "-":
	default:
		for _, scope := range strings.Fields(s) {
			if !knownScopes[scope] {
				return nil, fmt.Errorf("%s: scope %q is not in the spec's oauth2 scopes", path, scope)
			}
			op.Scopes = append(op.Scopes, scope)
		}
	}
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "#") || strings.HasPrefix(line, "# @genqlient") {
			break
		}
		op.Doc = append(op.Doc, strings.TrimSpace(strings.TrimPrefix(line, "#")))
	}
	doc, err := gqlparser.ParseQuery(&gqlast.Source{Name: path, Input: string(src)})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(doc.Operations) != 1 {
		return nil, fmt.Errorf("%s: holds %d operations, want exactly one", path, len(doc.Operations))
	}
	o := doc.Operations[0]
	op.Name, op.Kind = o.Name, string(o.Operation)
	if op.Kind != "query" && op.Kind != "mutation" {
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

// parseAnnotation reads `key=value ...`; a word without "=" continues the
// previous key's value (scopes=a b).
func parseAnnotation(s string) (map[string]string, error) {
	out := map[string]string{}
	key := ""
	for _, w := range strings.Fields(s) {
		if k, v, ok := strings.Cut(w, "="); ok {
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("annotation key %s is repeated", k)
			}
			if !slices.Contains([]string{"service", "method", "scopes", "evidence"}, k) {
				return nil, fmt.Errorf("unknown annotation key %q", k)
			}
			key, out[k] = k, v
			continue
		}
		if key == "" {
			return nil, fmt.Errorf("annotation word %q has no key", w)
		}
		out[key] += " " + w
	}
	return out, nil
}

func isExportedIdent(s string) bool {
	return token.IsIdentifier(s) && token.IsExported(s)
}

// gqlGoFile is what the generator needs to know of genqlient's output.
type gqlGoFile struct {
	path    string
	types   map[string]*ast.TypeSpec
	docs    map[string]string   // type → its doc comment
	consts  []gqlConst          // typed constants, in file order
	methods map[string][]string // receiver type → method names
	funcs   map[string]*ast.FuncDecl
}

type gqlConst struct{ name, typ string }

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
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					g.types[sp.Name.Name] = sp
					doc := sp.Doc
					if doc == nil {
						doc = d.Doc
					}
					g.docs[sp.Name.Name] = doc.Text()
				case *ast.ValueSpec:
					if id, ok := sp.Type.(*ast.Ident); ok && d.Tok == token.CONST {
						for _, n := range sp.Names {
							g.consts = append(g.consts, gqlConst{n.Name, id.Name})
						}
					}
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
}

// reserved names the facades use for their own variables.
var reserved = map[string]bool{"ctx": true, "s": true, "c": true, "p": true, "params": true, "resp": true, "err": true, "after": true, "conn": true}

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
	p.list, p.item = true, arr.Elt
	pi, ok, err := g.file.structOf(pageInfo.typ)
	if err != nil {
		return err
	}
	if _, ok1 := fieldByJSON(pi, "endCursor"); !ok || !ok1 {
		return fmt.Errorf("%s: select pageInfo { endCursor hasNextPage }", p.op.File)
	}
	if _, ok := fieldByJSON(pi, "hasNextPage"); !ok {
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
	p.paramsType = p.op.Service + p.op.Method + "Params"
	return nil
}

// gqlGen writes a GraphQL provider's graphql_gen.go and contributes its
// operations and services to the other generated files.
type gqlGen struct {
	dir     string // specs/<provider>
	ops     []*gqlOperation
	file    *gqlGoFile
	plans   []*gqlPlan
	exports map[string]string // genqlient type → the provider package's name for it
	consts  []gqlConst        // re-exported constants
	server  string
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
	for _, op := range g.ops {
		if op.Service == service {
			out = append(out, op.Method)
		}
	}
	return out
}

// prepare plans every operation and decides which genqlient types the
// provider package re-exports: those its facades' signatures reach.
func (g *gqlGen) prepare(f *facadeGen) error {
	for _, op := range g.ops {
		p, err := g.plan(op)
		if err != nil {
			return err
		}
		g.plans = append(g.plans, p)
	}
	reach := map[string]bool{}
	var walk func(e ast.Expr)
	walk = func(e ast.Expr) {
		ast.Inspect(e, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok || reach[id.Name] {
				return true
			}
			ts, ok := g.file.types[id.Name]
			if !ok {
				return true
			}
			reach[id.Name] = true
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
	for _, p := range g.plans {
		for _, prm := range p.params {
			if prm.name != "first" && prm.name != "after" {
				walk(prm.typ)
			}
		}
		if p.result != nil {
			walk(p.result)
		}
		if p.item != nil {
			walk(p.item)
		}
	}
	g.exports = map[string]string{}
	names := map[string]string{}
	for n := range reach {
		if !token.IsExported(n) {
			return fmt.Errorf("%s: unexported genqlient type %s is reachable from a facade", g.file.path, n)
		}
		out := n
		// An interface's implementation is named <Interface><Type> by
		// genqlient; the package calls it <Type>.
		for _, m := range g.file.methods[n] {
			if iface, ok := strings.CutPrefix(m, "implementsGraphQLInterface"); ok && strings.HasPrefix(n, iface) && len(n) > len(iface) {
				out = strings.TrimPrefix(n, iface)
			}
		}
		g.exports[n] = out
		names[out] = n
	}
	for out, n := range names {
		if f.hand[out] {
			return fmt.Errorf("%s: genqlient type %s would be re-exported as %s, which %s declares by hand", g.file.path, n, out, f.p.name)
		}
		if f.models(out) {
			return fmt.Errorf("%s: genqlient type %s would be re-exported as %s, a model of %s", g.file.path, n, out, f.p.specPath)
		}
	}
	for _, c := range g.file.consts {
		if _, ok := g.exports[c.typ]; !ok {
			continue
		}
		if f.hand[c.name] || f.models(c.name) || names[c.name] != "" {
			return fmt.Errorf("%s: genqlient constant %s would clash with a name of package %s", g.file.path, c.name, f.p.name)
		}
		g.consts = append(g.consts, c)
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
	}
	return nil
}

// ref renders a genqlient type expression as the provider package names it.
func (g *gqlGen) ref(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		if n, ok := g.exports[e.Name]; ok {
			return n
		}
		if _, ok := g.file.types[e.Name]; ok {
			return "gql." + e.Name
		}
		return e.Name
	case *ast.StarExpr:
		return "*" + g.ref(e.X)
	case *ast.ArrayType:
		return "[]" + g.ref(e.Elt)
	case *ast.MapType:
		return "map[" + g.ref(e.Key) + "]" + g.ref(e.Value)
	}
	return exprString(e)
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

// file writes graphql_gen.go.
func (g *gqlGen) goFile(f *facadeGen) []byte {
	var b bytes.Buffer

	// Re-exported types and constants.
	var names []string
	for n := range g.exports {
		names = append(names, n)
	}
	sort.Slice(names, func(i, j int) bool { return g.exports[names[i]] < g.exports[names[j]] })
	fmt.Fprintf(&b, "// Types of the GraphQL operations' variables and results, generated by\n// genqlient from %s.graphql and %s/*.graphql.\ntype (\n", strings.TrimSuffix(f.p.specPath, ".yaml"), g.dir)
	for i, n := range names {
		if i > 0 {
			b.WriteString("\n")
		}
		out := g.exports[n]
		doc := strings.TrimSpace(g.file.docs[n])
		if first, _, ok := strings.Cut(doc, "\n\n"); ok {
			doc = first
		}
		doc = strings.Join(strings.Fields(doc), " ")
		if doc == "" {
			doc = g.typeDoc(n)
		}
		if out != n {
			doc = strings.Replace(doc, n+" ", out+" ", 1)
		}
		for _, line := range wrap(doc, 74) {
			fmt.Fprintf(&b, "\t// %s\n", line)
		}
		fmt.Fprintf(&b, "\t%s = gql.%s\n", out, n)
	}
	b.WriteString(")\n\n")
	if len(g.consts) > 0 {
		b.WriteString("// Values of the GraphQL enums.\nconst (\n")
		for _, c := range g.consts {
			fmt.Fprintf(&b, "\t%s = gql.%s\n", c.name, c.name)
		}
		b.WriteString(")\n\n")
	}

	// The server and the operation table MakeRequest reads.
	fmt.Fprintf(&b, "// graphqlServer is the spec's server for GraphQL requests.\nconst graphqlServer = %q\n\n", g.server)
	b.WriteString("// graphqlOps maps genqlient's operation names to their operations, for\n// the scope check, and says which are mutations (whose err is checked).\nvar graphqlOps = map[string]graphqlOp{\n")
	for _, op := range g.ops {
		fmt.Fprintf(&b, "\t%q: {&%s, %v},\n", op.Name, g.opVar(op), op.Kind == "mutation")
	}
	b.WriteString("}\n\n")

	// Params structs of list operations.
	for _, p := range g.plans {
		if p.list {
			g.paramsStruct(&b, p)
		}
	}

	// Services and their methods.
	for _, svc := range g.services() {
		comment(&b, "", fmt.Sprintf("%sService holds the %s operations of the GraphQL API: %s.", svc, svc, listWords(g.methodsOf(svc))))
		fmt.Fprintf(&b, "type %sService struct{ c *Client }\n\n", svc)
		for _, p := range g.plans {
			if p.op.Service == svc {
				g.method(&b, f, p)
			}
		}
	}

	// Shortcuts on the client.
	for _, sh := range f.p.shortcuts {
		for _, p := range g.plans {
			if g.opName(p.op) != sh.op {
				continue
			}
			sig, args := g.signature(p)
			comment(&b, "", fmt.Sprintf("%s %s: a shortcut for c.%s.%s.", sh.name, sh.what, p.op.Service, p.op.Method))
			fmt.Fprintf(&b, "func (c *Client) %s(%s) %s {\n\treturn c.%s.%s(%s)\n}\n\n",
				sh.name, sig, g.results(p), p.op.Service, p.op.Method, args)
		}
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "%s\n\npackage %s\n\nimport (\n", g.header(), f.p.name)
	src := b.String()
	used, err := usedPackages(src)
	if err != nil {
		return []byte(src) // write reports the syntax error with the source
	}
	for _, imp := range []string{"context", "fmt", "iter", "github.com/onair-go/onair/" + f.p.name + "/internal/gql", "github.com/onair-go/onair/internal/apiclient"} {
		if used[imp[strings.LastIndex(imp, "/")+1:]] {
			fmt.Fprintf(&out, "\t%q\n", imp)
		}
	}
	out.WriteString(")\n\n")
	out.WriteString(src)
	return out.Bytes()
}

func (g *gqlGen) paramsStruct(b *bytes.Buffer, p *gqlPlan) {
	comment(b, "", fmt.Sprintf("%s are the optional arguments of %s.%s; nil or the zero value asks for the server's defaults.", p.paramsType, p.op.Service, p.op.Method))
	fmt.Fprintf(b, "type %s struct {\n", p.paramsType)
	b.WriteString("\t// First is the page size ($first); 0 lets the server choose.\n\tFirst int\n")
	b.WriteString("\t// After resumes after a pageInfo.endCursor ($after); \"\" starts at\n\t// the beginning.\n\tAfter string\n")
	for _, prm := range p.params {
		if prm.name == "first" || prm.name == "after" || prm.nonNull {
			continue
		}
		how := "sent as is"
		if prm.omit {
			how = "left out when zero"
		}
		fmt.Fprintf(b, "\t// %s sets $%s (%s).\n\t%s %s\n", prm.field, prm.name, how, prm.field, g.ref(prm.typ))
	}
	b.WriteString("}\n\n")
}

// signature returns a method's parameters and the arguments forwarding
// them.
func (g *gqlGen) signature(p *gqlPlan) (sig, args string) {
	params := []string{"ctx context.Context"}
	pass := []string{"ctx"}
	for _, prm := range p.params {
		if p.list && (prm.name == "first" || prm.name == "after" || !prm.nonNull) {
			continue
		}
		t := prm.typ
		if st, ok := t.(*ast.StarExpr); ok {
			t = st.X // an input object: taken by value
		}
		params = append(params, prm.arg+" "+g.ref(t))
		pass = append(pass, prm.arg)
	}
	if p.list {
		params = append(params, "params *"+p.paramsType)
		pass = append(pass, "params")
	}
	return strings.Join(params, ", "), strings.Join(pass, ", ")
}

func (g *gqlGen) results(p *gqlPlan) string {
	switch {
	case p.list:
		return "iter.Seq2[" + g.ref(p.item) + ", error]"
	case p.result != nil:
		return "(" + g.ref(p.result) + ", error)"
	}
	return "error"
}

// call returns the arguments of the genqlient function after the client.
func (g *gqlGen) call(p *gqlPlan) string {
	var args []string
	for _, prm := range p.params {
		switch {
		case p.list && prm.name == "first":
			args = append(args, "p.First")
		case p.list && prm.name == "after":
			args = append(args, "after")
		case p.list && !prm.nonNull:
			args = append(args, "p."+prm.field)
		default:
			if _, ptr := prm.typ.(*ast.StarExpr); ptr {
				args = append(args, "&"+prm.arg)
			} else {
				args = append(args, prm.arg)
			}
		}
	}
	return strings.Join(append([]string{"ctx", "graphqlClient{s.c}"}, args...), ", ")
}

// nilChecks returns the condition under which an intermediate object on
// the path is null, or "".
func (g *gqlGen) nilChecks(path []gqlField, upto int) string {
	var conds []string
	x := "resp"
	for i := 0; i < upto; i++ {
		x += "." + path[i].name
		if _, ptr := path[i].typ.(*ast.StarExpr); ptr {
			conds = append(conds, x+" == nil")
		}
	}
	return strings.Join(conds, " || ")
}

func (g *gqlGen) pathExpr(path []gqlField) string {
	x := "resp"
	for _, f := range path {
		x += "." + f.name
	}
	return x
}

func (g *gqlGen) method(b *bytes.Buffer, f *facadeGen, p *gqlPlan) {
	op := p.op
	text := []string{fmt.Sprintf("%s runs the GraphQL %s %s (%s).", op.Method, op.Kind, op.Name, op.File)}
	text = append(text, op.Doc...)
	switch {
	case p.list:
		text = append(text, "It fetches pages lazily, as the loop asks for items, following pageInfo.endCursor, and stops after the page whose hasNextPage is false.",
			"A cursor that comes round again, or more pages than WithMaxPages allows, ends the loop with an error matching ErrEndlessPagination.")
	case p.result != nil && graphQLName(p.path[0]) == "me":
		text = append(text, "It fails with ErrNoUser when the token has no user, as an application token has not.")
	case p.result != nil:
		var null []string
		for _, f := range p.path {
			null = append(null, graphQLName(f))
		}
		if len(null) == 1 {
			text = append(text, fmt.Sprintf("It returns nil and no error when the answer's %s is null.", null[0]))
		} else {
			text = append(text, fmt.Sprintf("It returns nil and no error when the answer's %s, or an object on that path, is null.", strings.Join(null, ".")))
		}
	}
	if op.Kind == "mutation" {
		text = append(text, "The payload's err, when set, becomes an *Error with its Code and Message.")
	}
	need := "no scope"
	if len(op.Scopes) > 0 {
		need = "scope " + strings.Join(op.Scopes, " and ")
	}
	comment(b, "", strings.Join(text, " "))
	fmt.Fprintf(b, "//\n// It needs %s. Evidence: %s.\n", need, op.Evidence)
	sig, _ := g.signature(p)
	fmt.Fprintf(b, "func (s *%sService) %s(%s) %s {\n", op.Service, op.Method, sig, g.results(p))
	switch {
	case p.list:
		item := g.ref(p.item)
		fmt.Fprintf(b, "\tvar p %s\n\tif params != nil {\n\t\tp = *params\n\t}\n", p.paramsType)
		fmt.Fprintf(b, "\treturn apiclient.Cursor(s.c.api.Paging(%q), p.After, func(after string) ([]%s, string, bool, error) {\n",
			op.Service+"."+op.Method, item)
		fmt.Fprintf(b, "\t\tresp, err := gql.%s(%s)\n\t\tif err != nil {\n\t\t\treturn nil, \"\", false, err\n\t\t}\n", op.Name, g.call(p))
		if cond := g.nilChecks(p.path, len(p.path)); cond != "" {
			fmt.Fprintf(b, "\t\tif %s {\n\t\t\treturn nil, \"\", false, nil\n\t\t}\n", cond)
		}
		fmt.Fprintf(b, "\t\tconn := %s\n", g.pathExpr(p.path))
		b.WriteString("\t\tif conn.PageInfo == nil {\n\t\t\treturn conn.List, \"\", false, nil\n\t\t}\n")
		b.WriteString("\t\treturn conn.List, conn.PageInfo.EndCursor, conn.PageInfo.HasNextPage, nil\n\t})\n}\n\n")
	case p.result != nil:
		fmt.Fprintf(b, "\tresp, err := gql.%s(%s)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n", op.Name, g.call(p))
		if graphQLName(p.path[0]) == "me" {
			// me is null for a token without a user: that is a failure of
			// the call, not an absent record.
			fmt.Fprintf(b, "\tif resp.%s == nil {\n\t\treturn nil, fmt.Errorf(\"dlive: %s.%s: %%w\", ErrNoUser)\n\t}\n", p.path[0].name, op.Service, op.Method)
		}
		if cond := g.nilChecks(p.path, len(p.path)-1); cond != "" {
			fmt.Fprintf(b, "\tif %s {\n\t\treturn nil, nil\n\t}\n", cond)
		}
		fmt.Fprintf(b, "\treturn %s, nil\n}\n\n", g.pathExpr(p.path))
	default:
		fmt.Fprintf(b, "\t_, err := gql.%s(%s)\n\treturn err\n}\n\n", op.Name, g.call(p))
	}
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
	g := &gqlGen{dir: f.p.gqlDir, ops: ops, file: file, server: f.spec.Doc.Servers[0].URL}
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

// typeDoc describes a genqlient type that has no doc comment: an enum or
// an input object, which keep their GraphQL names.
func (g *gqlGen) typeDoc(n string) string {
	ts := g.file.types[n]
	if id, ok := ts.Type.(*ast.Ident); ok && id.Name == "string" {
		return fmt.Sprintf("%s is the GraphQL enum %s; its values are the %s constants.", n, n, n)
	}
	if _, ok := ts.Type.(*ast.StructType); ok {
		return fmt.Sprintf("%s is the GraphQL input object %s.", n, n)
	}
	return n + " is a type genqlient generated."
}
