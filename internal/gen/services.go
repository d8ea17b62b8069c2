package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"strings"

	"github.com/onair-go/onair/internal/apispec"
)

// imports the services file may need; unused ones are dropped.
var serviceImports = []string{"context", "fmt", "io", "iter", "net/url", "time",
	"github.com/onair-go/onair", "github.com/onair-go/onair/internal/apiclient"}

func (g *facadeGen) services() ([]byte, error) {
	var body bytes.Buffer
	for _, t := range g.tags() {
		fmt.Fprintf(&body, "// %sService holds the %s operations: %s\ntype %sService struct{ c *Client }\n\n", t.Name, t.Name, oneLine(t.Description), t.Name)
		for _, o := range g.spec.Ops {
			if o.Service != t.Name {
				continue
			}
			if err := g.method(&body, o); err != nil {
				return nil, fmt.Errorf("%s: %w", o.ID, err)
			}
		}
	}
	for _, o := range g.spec.Ops {
		if err := g.paramsType(&body, o); err != nil {
			return nil, fmt.Errorf("%s: %w", o.ID, err)
		}
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n\npackage %s\n\nimport (\n", header(g.p.specPath), g.p.name)
	src := body.String()
	used, err := usedPackages(src)
	if err != nil {
		return nil, err
	}
	for _, imp := range serviceImports {
		if used[imp[strings.LastIndex(imp, "/")+1:]] {
			fmt.Fprintf(&b, "\t%q\n", imp)
		}
	}
	b.WriteString(")\n\n")
	b.WriteString(src)
	return b.Bytes(), nil
}

// paramsName is the params struct of an operation with query parameters.
func paramsName(o apispec.Operation) string { return upperFirst(o.ID) + "Params" }

// paramsType writes an operation's params struct and its query method.
func (g *facadeGen) paramsType(w *bytes.Buffer, o apispec.Operation) error {
	_, query, err := g.params(o)
	if err != nil || len(query) == 0 {
		return err
	}
	name := paramsName(o)
	fmt.Fprintf(w, "// %s holds the query parameters of %s.%s.", name, o.Service, o.FacadeMethod)
	w.WriteString(" A field left at its zero value is not sent")
	var required []string
	for _, f := range query {
		if f.required {
			required = append(required, f.field)
		}
	}
	if len(required) > 0 {
		fmt.Fprintf(w, ", except %s, which the call needs", listWords(required))
	}
	fmt.Fprintf(w, ".\ntype %s struct {\n", name)
	for _, f := range query {
		doc := strings.Join(strings.Fields(f.doc), " ")
		if doc == "" {
			doc = "The " + f.wire + " parameter."
		}
		switch {
		case f.pointer && f.schema.Default != nil:
			doc += fmt.Sprintf(" Nil leaves it out: the provider's default is %v.", f.schema.Default)
		case f.pointer:
			doc += " Nil leaves it out."
		}
		for _, line := range wrap(fmt.Sprintf("%s is %s: %s", f.field, "`"+f.wire+"`", doc), 72) {
			fmt.Fprintf(w, "\t// %s\n", line)
		}
		typ := f.typ
		if f.pointer {
			typ = "*" + typ
		}
		fmt.Fprintf(w, "\t%s %s `query:%q`\n", f.field, typ, f.wire)
	}
	w.WriteString("}\n\n")
	fmt.Fprintf(w, "// query encodes p as the spec's parameter styles say.\nfunc (p *%s) query() (url.Values, error) {\n\tvar q url.Values\n\tvar err error\n", name)
	for _, f := range query {
		call := fmt.Sprintf("q, err = apiclient.Query(q, %q, %t, %q, %s)\n\t\tif err != nil {\n\t\t\treturn nil, err\n\t\t}", f.style, f.explode, f.wire, f.value("p"))
		if f.required {
			fmt.Fprintf(w, "\tif !(%s) {\n\t\treturn nil, fmt.Errorf(\"%%w: params.%s is required\", apiclient.ErrBadArgument)\n\t}\n", f.set("p"), f.field)
			fmt.Fprintf(w, "\t{\n\t\t%s\n\t}\n", call)
			continue
		}
		fmt.Fprintf(w, "\tif %s {\n\t\t%s\n\t}\n", f.set("p"), call)
	}
	w.WriteString("\treturn q, nil\n}\n\n")
	return nil
}

// sig is an operation's facade signature, less its results.
type sig struct {
	args     []string // after ctx, before opts
	pathArgs []string // Go names of the path arguments
	params   string   // the params struct, if any
	query    []*paramField
	body     string // "", "json" or "raw"
	bodyType string
	mediaTyp string
}

func (g *facadeGen) signatureOf(o apispec.Operation) (*sig, error) {
	path, query, err := g.params(o)
	if err != nil {
		return nil, err
	}
	s := &sig{query: query}
	for _, name := range path {
		arg := goArg(name)
		s.args = append(s.args, arg+" string")
		s.pathArgs = append(s.pathArgs, arg)
	}
	if rb := o.Op.RequestBody; rb != nil {
		if len(rb.Value.Content) != 1 {
			return nil, fmt.Errorf("the request body has %d media types; the generator wants one", len(rb.Value.Content))
		}
		for mt, m := range rb.Value.Content {
			s.mediaTyp = mt
			switch {
			case strings.Contains(mt, "json"):
				if m.Schema == nil || m.Schema.Ref == "" {
					return nil, fmt.Errorf("the %s request body has no named schema", mt)
				}
				s.body, s.bodyType = "json", g.goTypeMust(m.Schema.Ref)
				s.args = append(s.args, "body "+s.bodyType)
			case strings.HasPrefix(mt, "multipart/"):
				// The media type carries the body's boundary.
				s.body = "multipart"
				s.args = append(s.args, "contentType string", "body io.Reader")
			default:
				s.body = "raw"
				s.args = append(s.args, "body io.Reader")
			}
		}
	}
	if len(query) > 0 {
		s.params = paramsName(o)
		s.args = append(s.args, "params *"+s.params)
	}
	return s, nil
}

func (g *facadeGen) goTypeMust(ref string) string {
	return g.modelName(ref[strings.LastIndex(ref, "/")+1:])
}

// goArg turns a path parameter's name into a Go argument name that is
// neither a keyword nor a name the generated body uses.
func goArg(s string) string {
	s = goName(s)
	s = strings.ToLower(s[:1]) + s[1:]
	if strings.HasPrefix(s, "iD") {
		s = "id" + s[2:]
	}
	if token.IsKeyword(s) || bodyNames[s] {
		s += "Arg"
	}
	return s
}

// bodyNames are the identifiers generated method bodies declare or use.
var bodyNames = map[string]bool{"s": true, "p": true, "q": true, "req": true, "err": true, "ctx": true,
	"out": true, "items": true, "more": true, "page": true, "next": true, "size": true, "params": true, "body": true,
	"opts": true, "args": true, "onair": true, "apiclient": true, "fmt": true, "url": true, "iter": true, "context": true}

// argsLit is the path and apiclient.Args arguments of a call.
func (s *sig) argsLit(query string) string {
	path := "nil"
	if len(s.pathArgs) > 0 {
		path = "[]string{" + strings.Join(s.pathArgs, ", ") + "}"
	}
	var parts []string
	if query != "" {
		parts = append(parts, "Query: "+query)
	}
	switch s.body {
	case "json":
		parts = append(parts, "Body: body")
		if s.mediaTyp != "application/json" {
			parts = append(parts, fmt.Sprintf("ContentType: %q", s.mediaTyp))
		}
	case "raw":
		parts = append(parts, "Body: body", fmt.Sprintf("ContentType: %q", s.mediaTyp))
	case "multipart":
		parts = append(parts, "Body: body", "ContentType: contentType")
	}
	return path + ", apiclient.Args{" + strings.Join(parts, ", ") + "}"
}

// method writes one operation's facade (and, for a paged list, its page
// method).
func (g *facadeGen) method(w *bytes.Buffer, o apispec.Operation) error {
	s, err := g.signatureOf(o)
	if err != nil {
		return err
	}
	res := o.Result
	if res != nil && res.List {
		return g.listMethods(w, o, s)
	}
	var result, zero, decl, ret string
	switch {
	case res == nil:
	case res.Schema == "binary":
		result, zero = "[]byte", "nil, "
		decl, ret = "var out []byte", "out"
	default:
		t := g.modelName(res.Schema)
		result, zero = "*"+t, "nil, "
		if res.Path == "data" {
			decl, ret = "var out apiclient.Data["+t+"]", "&out.Data"
		} else {
			decl, ret = "var out "+t, "&out"
		}
	}
	results := "error"
	if result != "" {
		results = "(" + result + ", error)"
	}
	g.doc(w, o)
	fmt.Fprintf(w, "func (s *%sService) %s(%s) %s {\n", o.Service, o.FacadeMethod, g.argList(s), results)
	query := g.queryPrelude(w, o, s, zero)
	out := "nil"
	if decl != "" {
		fmt.Fprintf(w, "\t%s\n", decl)
		out = "&out"
	}
	call := fmt.Sprintf("s.c.api.Call(ctx, &%s, %s, %s, opts)", g.opVar(o), s.argsLit(query), out)
	if decl == "" {
		fmt.Fprintf(w, "\treturn %s\n}\n\n", call)
		return nil
	}
	fmt.Fprintf(w, "\tif err := %s; err != nil {\n\t\treturn nil, err\n\t}\n\treturn %s, nil\n}\n\n", call, ret)
	return nil
}

func (g *facadeGen) argList(s *sig) string {
	return strings.Join(append(append([]string{"ctx context.Context"}, s.args...), "opts ...onair.CallOption"), ", ")
}

// queryPrelude writes the statements that encode params, and returns the
// name of the url.Values they declare, or "".
func (g *facadeGen) queryPrelude(w *bytes.Buffer, o apispec.Operation, s *sig, zero string) string {
	if s.params == "" {
		return ""
	}
	fmt.Fprintf(w, "\tp := params\n\tif p == nil {\n\t\tp = new(%s)\n\t}\n", s.params)
	fmt.Fprintf(w, "\tq, err := p.query()\n\tif err != nil {\n\t\treturn %sfmt.Errorf(\"%s: %s: %%w\", err)\n\t}\n", zero, g.p.name, g.opName(o))
	return "q"
}

// listMethods writes a list operation: for paged lists a page method,
// which fetches one page and returns the params of the next, and an
// iterator over every item built on it; for unpaged ones the iterator.
func (g *facadeGen) listMethods(w *bytes.Buffer, o apispec.Operation, s *sig) error {
	t := g.modelName(o.Result.Schema)
	if o.Paging.Style == apispec.Unpaged {
		// The provider sends the whole listing in one answer: the page
		// method returns it, and the iterator yields it.
		pageMethod := o.FacadeMethod + "Page"
		callArgs := append(append([]string{"ctx"}, s.pathArgs...), "opts...")
		if s.params != "" {
			callArgs = append(append([]string{"ctx"}, s.pathArgs...), "params", "opts...")
		}
		g.doc(w, o)
		fmt.Fprintf(w, "func (s *%sService) %s(%s) iter.Seq2[%s, error] {\n", o.Service, o.FacadeMethod, g.argList(s), t)
		fmt.Fprintf(w, "\treturn apiclient.One(func() ([]%s, error) {\n\t\treturn s.%s(%s)\n\t})\n}\n\n", t, pageMethod, strings.Join(callArgs, ", "))
		fmt.Fprintf(w, "// %s fetches what %s yields, in one request: %s sends the whole\n// listing in one answer.\n", pageMethod, o.FacadeMethod, g.p.title)
		fmt.Fprintf(w, "func (s *%sService) %s(%s) ([]%s, error) {\n", o.Service, pageMethod, g.argList(s), t)
		query := g.queryPrelude(w, o, s, "nil, ")
		decl, ret := "var out []"+t, "out"
		if o.Result.Path == "data" {
			decl, ret = "var out apiclient.Data[[]"+t+"]", "out.Data"
		}
		fmt.Fprintf(w, "\t%s\n\tif err := s.c.api.Call(ctx, &%s, %s, &out, opts); err != nil {\n\t\treturn nil, err\n\t}\n\treturn %s, nil\n}\n\n",
			decl, g.opVar(o), s.argsLit(query), ret)
		return nil
	}
	var leaves []answerLeaf
	switch o.Paging.Style {
	case apispec.PageNumber:
		leaves = []answerLeaf{{o.Paging.CurrentField, "Current", "*int"}, {o.Paging.NextField, "Next", "*int"}}
	case apispec.JSendPages:
		leaves = []answerLeaf{{o.Paging.CurrentField, "Current", "*int"}, {o.Paging.TotalPagesField, "TotalPages", "*int"}}
	default:
		return fmt.Errorf("pagination %s has no REST generator", o.Paging.Style)
	}
	pageWire, sizeWire := o.Paging.PageParam, o.Paging.SizeParam
	var pageF, sizeF *paramField
	for _, f := range s.query {
		switch f.wire {
		case pageWire:
			pageF = f
		case sizeWire:
			sizeF = f
		}
	}
	if pageF == nil || sizeF == nil || pageF.pointer {
		return fmt.Errorf("%s pagination needs optional %s and %s parameters whose default is 0 and a maximum", o.Paging.Style, pageWire, sizeWire)
	}
	maxSize, ok := g.paramMax(o, sizeWire)
	if !ok {
		return fmt.Errorf("the %s parameter has no maximum", sizeWire)
	}
	pageMethod := o.FacadeMethod + "Page"
	callArgs := append(append([]string{"ctx"}, s.pathArgs...), "p", "opts...")

	// The iterator.
	g.doc(w, o)
	fmt.Fprintf(w, "func (s *%sService) %s(%s) iter.Seq2[%s, error] {\n", o.Service, o.FacadeMethod, g.argList(s), t)
	fmt.Fprintf(w, "\treturn apiclient.Walk(s.c.api.Paging(%q), params, func(p *%s) ([]%s, *%s, error) {\n\t\treturn s.%s(%s)\n\t})\n}\n\n",
		g.opName(o), s.params, t, s.params, pageMethod, strings.Join(callArgs, ", "))

	// The page method.
	fmt.Fprintf(w, "// %s fetches one page of %s: the page params.%s names (0, the first, when\n", pageMethod, o.FacadeMethod, pageF.field)
	fmt.Fprintf(w, "// params is nil), of params.%s items (%d, the most a page may hold, when\n// zero). It returns the page's items and the params of the next page, or\n", sizeF.field, maxSize)
	w.WriteString("// nil after the last one, for a caller that pages through a listing in\n// its own time.\n")
	fmt.Fprintf(w, "func (s *%sService) %s(%s) ([]%s, *%s, error) {\n", o.Service, pageMethod, g.argList(s), t, s.params)
	fmt.Fprintf(w, "\tvar p %s\n\tif params != nil {\n\t\tp = *params\n\t}\n\tnext := p\n", s.params)
	fmt.Fprintf(w, "\tpage := p.%s\n\tif p.%s == 0 {\n\t\tp.%s = %d\n\t}\n", pageF.field, sizeF.field, sizeF.field, maxSize)
	fmt.Fprintf(w, "\tq, err := p.query()\n\tif err != nil {\n\t\treturn nil, nil, fmt.Errorf(\"%s: %s: %%w\", err)\n\t}\n", g.p.name, g.opName(o))
	answer, sel, err := answerStruct(o.Result.Path, "[]"+t, leaves)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\tvar out %s\n", answer)
	fmt.Fprintf(w, "\tif err := s.c.api.Call(ctx, &%s, %s, &out, opts); err != nil {\n\t\treturn nil, nil, err\n\t}\n", g.opVar(o), s.argsLit("q"))
	switch o.Paging.Style {
	case apispec.PageNumber:
		fmt.Fprintf(w, "\titems, more, err := apiclient.NumberedPage(page, %s, %s, %s)\n", sel["Items"], sel["Current"], sel["Next"])
	case apispec.JSendPages:
		fmt.Fprintf(w, "\titems, more, err := apiclient.CountedPage(page, p.%s, %s, %s, %s)\n", sizeF.field, sel["Items"], sel["Current"], sel["TotalPages"])
	}
	fmt.Fprintf(w, "\tif err != nil {\n\t\treturn items, nil, fmt.Errorf(\"%s: %s: %%w\", err)\n\t}\n", g.p.name, g.opName(o))
	fmt.Fprintf(w, "\tif !more {\n\t\treturn items, nil, nil\n\t}\n\tnext.%s = page + 1\n\treturn items, &next, nil\n}\n\n", pageF.field)
	return nil
}

// answerLeaf is a field a page method reads from a paged answer: where it
// is (dot-separated, from the answer's top), its Go name and type.
type answerLeaf struct{ path, name, typ string }

// answerStruct returns the Go type of a paged answer that holds the items
// (of type items) at itemsPath and the leaves at theirs, as the spec names
// them, and the selector of each (out.Meta.Next) by name, Items for the
// items.
func answerStruct(itemsPath, items string, leaves []answerLeaf) (string, map[string]string, error) {
	type node struct {
		key, name, typ string
		kids           []*node
	}
	root := &node{}
	sel := map[string]string{}
	add := func(path, name, typ string) error {
		if path == "" {
			return fmt.Errorf("a paged answer needs its %s at a named field, not the answer itself", name)
		}
		n, expr := root, "out"
		keys := strings.Split(path, ".")
		for i, k := range keys {
			leaf := i == len(keys)-1
			goField := goName(k)
			if leaf {
				goField = name
			}
			var kid *node
			for _, c := range n.kids {
				if c.key == k {
					kid = c
				}
			}
			switch {
			case kid != nil && (leaf || kid.typ != ""):
				return fmt.Errorf("the answer's %q holds two things the page reads", path)
			case kid == nil:
				for _, c := range n.kids {
					if c.name == goField {
						return fmt.Errorf("the answer's %q and %q are both %s in Go", c.key, k, goField)
					}
				}
				kid = &node{key: k, name: goField}
				if leaf {
					kid.typ = typ
				}
				n.kids = append(n.kids, kid)
			}
			n, expr = kid, expr+"."+kid.name
		}
		sel[name] = expr
		return nil
	}
	if err := add(itemsPath, "Items", items); err != nil {
		return "", nil, err
	}
	for _, l := range leaves {
		if err := add(l.path, l.name, l.typ); err != nil {
			return "", nil, err
		}
	}
	var b strings.Builder
	var write func(*node)
	write = func(n *node) {
		b.WriteString("struct {\n")
		for _, c := range n.kids {
			b.WriteString(c.name + " ")
			if c.typ != "" {
				b.WriteString(c.typ)
			} else {
				write(c)
			}
			fmt.Fprintf(&b, " `json:%q`\n", c.key)
		}
		b.WriteString("}")
	}
	write(root)
	return b.String(), sel, nil
}

// paramMax is the maximum of an operation's integer parameter.
func (g *facadeGen) paramMax(o apispec.Operation, name string) (int, bool) {
	params := o.Op.Parameters
	if item := g.spec.Doc.Paths.Value(o.Path); item != nil {
		params = append(append(params[:0:0], item.Parameters...), params...)
	}
	for _, p := range params {
		if p.Value != nil && p.Value.Name == name && p.Value.Schema != nil && p.Value.Schema.Value.Max != nil {
			return int(*p.Value.Schema.Value.Max), true
		}
	}
	return 0, false
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// doc writes an operation's doc comment: what it calls, what it needs,
// and how sure the spec is of it.
func (g *facadeGen) doc(w *bytes.Buffer, o apispec.Operation) {
	summary := strings.Join(strings.Fields(o.Op.Summary), " ")
	fmt.Fprintf(w, "// %s calls %s %s: %s.\n", o.FacadeMethod, o.Method, o.Path, strings.TrimSuffix(summary, "."))
	if o.Result != nil && o.Result.List {
		switch o.Paging.Style {
		case apispec.PageNumber, apispec.JSendPages:
			fmt.Fprintf(w, "// It fetches pages lazily with %sPage, as the loop asks for items, and\n", o.FacadeMethod)
			w.WriteString("// stops after the last page. Pages that would never end (see\n// WithMaxPages) end the loop with an error matching ErrEndlessPagination.\n")
		}
	}
	need := "no scope"
	if n := g.needs(o); n != "nil" {
		var alts []string
		for _, alt := range o.Scopes {
			alts = append(alts, strings.Join(alt, " and "))
		}
		need = "scope " + strings.Join(alts, " or ")
	}
	for _, ref := range o.Op.Parameters {
		if opt, _ := ref.Value.Extensions["x-onair-query-option"].(bool); opt {
			fmt.Fprintf(w, "//\n// Its optional query parameter %s is sent with\n// onair.WithQuery(%q, value): %s\n", ref.Value.Name, ref.Value.Name, oneLine(ref.Value.Description))
		}
	}
	fmt.Fprintf(w, "//\n// It needs %s. Evidence: %s.\n", need, o.Evidence)
}

// usedPackages returns the package names that Go source (declarations,
// no package clause) qualifies identifiers with.
func usedPackages(src string) (map[string]bool, error) {
	f, err := parser.ParseFile(token.NewFileSet(), "", "package x\n"+src, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	used := map[string]bool{}
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	return used, nil
}
