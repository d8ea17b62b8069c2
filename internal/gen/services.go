package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"regexp"
	"slices"
	"strings"

	"github.com/onair-go/onair/internal/apispec"
)

// imports the services file may need; unused ones are dropped.
var serviceImports = []string{"context", "fmt", "io", "iter", "net/url", "github.com/google/uuid",
	"github.com/onair-go/onair/internal/apiclient", "github.com/onair-go/onair/%s/internal/api"}

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
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s\n\npackage %s\n\nimport (\n", header(g.p.specPath), g.p.name)
	src := body.String()
	used, err := usedPackages(src)
	if err != nil {
		return nil, err
	}
	for _, imp := range serviceImports {
		imp = strings.ReplaceAll(imp, "%s", g.p.name)
		if used[imp[strings.LastIndex(imp, "/")+1:]] {
			fmt.Fprintf(&b, "\t%q\n", imp)
		}
	}
	b.WriteString(")\n\n")
	b.WriteString(src)
	return b.Bytes(), nil
}

// call is an operation's facade signature and the code that builds its
// request.
type call struct {
	args    []string // facade parameters after ctx
	prelude []string // statements converting arguments
	pass    []string // builder arguments after server
	params  string   // the *XParams type, if any
}

func (g *facadeGen) call(o apispec.Operation, zero string) (*call, string, error) {
	b, err := g.api.builderFor(o.ID)
	if err != nil {
		return nil, "", err
	}
	list := o.Result != nil && o.Result.List
	c := &call{}
	var variadic string
	bad := func(format string, a ...any) string {
		return fmt.Sprintf("return %sfmt.Errorf(\"%s: %s: %%w: %s\", apiclient.ErrBadArgument%s)",
			zero, g.p.name, g.opName(o), format, strings.Join(append([]string{""}, toStrings(a)...), ", "))
	}
	for _, p := range b.params {
		switch {
		case strings.HasPrefix(p.typ, "*") && strings.HasSuffix(p.typ, "Params"):
			c.params = strings.TrimPrefix(p.typ, "*")
			required := g.api.requiredFields(c.params)
			switch {
			case len(required) > 0:
				// A required parameter cannot be left out: the struct is
				// passed by value and its required strings checked.
				c.args = append(c.args, "params "+g.typeRef(c.params))
				c.pass = append(c.pass, "&params")
				for _, f := range required {
					if g.api.resolve(f.typ) == "string" {
						c.prelude = append(c.prelude, fmt.Sprintf("if params.%s == \"\" {\n\t\t%s\n\t}", f.name, bad("params.%s is required", `"`+f.name+`"`)))
					}
				}
			case list:
				c.args = append(c.args, "params *"+g.typeRef(c.params))
				c.pass = append(c.pass, "params")
			default:
				// Only optional parameters: callers may leave them out.
				variadic = "params ..." + g.typeRef(c.params)
				c.pass = append(c.pass, "apiclient.First(params)")
			}
		case strings.HasSuffix(p.typ, "RequestBody"):
			c.args = append(c.args, "body "+g.typeRef(g.api.resolve(p.typ)))
			c.pass = append(c.pass, "body")
		case p.name == "contentType" && p.typ == "string":
			c.args = append(c.args, "contentType string")
			c.pass = append(c.pass, "contentType")
		case p.typ == "io.Reader":
			c.args = append(c.args, "body io.Reader")
			c.pass = append(c.pass, "body")
		default: // a path parameter
			arg := goArg(p.name)
			switch g.api.resolve(p.typ) {
			case "openapi_types.UUID":
				c.args = append(c.args, arg+" string")
				c.prelude = append(c.prelude, fmt.Sprintf("%[1]sUUID, err := uuid.Parse(%[1]s)\n\tif err != nil {\n\t\t%[2]s\n\t}",
					arg, bad(arg+" %q is not a UUID", arg)))
				c.pass = append(c.pass, arg+"UUID")
			case "string":
				// "", "." or ".." would name another resource once the
				// builder resolves the path.
				c.args = append(c.args, arg+" string")
				c.prelude = append(c.prelude, fmt.Sprintf("if err := apiclient.PathArg(%q, %s); err != nil {\n\t\treturn %sfmt.Errorf(\"%s: %s: %%w\", err)\n\t}",
					arg, arg, zero, g.p.name, g.opName(o)))
				c.pass = append(c.pass, arg)
			default:
				c.args = append(c.args, arg+" "+g.typeRef(p.typ))
				c.pass = append(c.pass, arg)
			}
		}
	}
	if variadic != "" {
		c.args = append(c.args, variadic)
	}
	return c, b.name, nil
}

func toStrings(a []any) []string {
	out := make([]string, len(a))
	for i, v := range a {
		out[i] = fmt.Sprint(v)
	}
	return out
}

// goArg turns oapi-codegen's parameter name into a Go argument name that
// is neither a keyword nor a name the generated body uses.
func goArg(s string) string {
	if strings.HasSuffix(s, "Id") {
		s = strings.TrimSuffix(s, "Id") + "ID"
	}
	if token.IsKeyword(s) || bodyNames[s] {
		s += "Arg"
	}
	return s
}

// bodyNames are the identifiers generated method bodies declare or use.
var bodyNames = map[string]bool{"s": true, "p": true, "q": true, "i": true, "req": true, "err": true, "ctx": true,
	"out": true, "items": true, "more": true, "page": true, "first": true, "size": true, "params": true, "body": true, "contentType": true,
	"api": true, "apiclient": true, "fmt": true, "url": true, "uuid": true, "iter": true, "context": true}

// method writes one operation's facade.
func (g *facadeGen) method(w *bytes.Buffer, o apispec.Operation) error {
	res := o.Result
	var result, zero, decl, ret string
	switch {
	case res == nil:
		zero = ""
	case res.Schema == "binary":
		result, zero = "[]byte", "nil, "
		decl, ret = "var out []byte", "out"
	default:
		t := g.typeRef(res.Schema)
		if _, ok := g.api.types[res.Schema]; !ok {
			return fmt.Errorf("x-onair-result schema %s is not a type oapi-codegen generated", res.Schema)
		}
		if res.List {
			result = "iter.Seq2[" + t + ", error]"
		} else {
			result, zero = "*"+t, "nil, "
			if res.Path == "data" {
				decl, ret = "var out apiclient.Data["+t+"]", "&out.Data"
			} else {
				decl, ret = "var out "+t, "&out"
			}
		}
	}
	if res != nil && res.List {
		return g.listMethod(w, o)
	}
	c, builder, err := g.call(o, zero)
	if err != nil {
		return err
	}
	results := "error"
	if result != "" {
		results = "(" + result + ", error)"
	}
	g.signature(w, o, c, results)
	for _, p := range c.prelude {
		fmt.Fprintf(w, "\t%s\n", p)
	}
	fmt.Fprintf(w, "\treq, err := %s\n", g.build(o, c, builder))
	fmt.Fprintf(w, "\tif err != nil {\n\t\treturn %sfmt.Errorf(\"%s: %s: %%w\", err)\n\t}\n", zero, g.p.name, g.opName(o))
	if decl == "" {
		fmt.Fprintf(w, "\treturn s.c.api.Do(ctx, %s, req, nil)\n}\n\n", g.opVar(o))
		return nil
	}
	fmt.Fprintf(w, "\t%s\n\tif err := s.c.api.Do(ctx, %s, req, &out); err != nil {\n\t\treturn nil, err\n\t}\n\treturn %s, nil\n}\n\n", decl, g.opVar(o), ret)
	return nil
}

// listMethod writes a list operation as an iterator that follows the
// provider's pagination lazily.
func (g *facadeGen) listMethod(w *bytes.Buffer, o apispec.Operation) error {
	t := g.typeRef(o.Result.Schema)
	c, builder, err := g.call(o, "nil, false, ")
	if err != nil {
		return err
	}
	g.signature(w, o, c, "iter.Seq2["+t+", error]")
	// decode declares the answer; done returns the page's items and
	// whether more follow.
	var pageField, sizeField, sizeParam, decode, done string
	switch o.Pagination {
	case "none":
		if o.Result.Path == "data" {
			decode, done = "var out apiclient.Data[[]"+t+"]", "return out.Data, false, nil"
		} else {
			decode, done = "var out []"+t, "return out, false, nil"
		}
	case "livestorm":
		pageField, sizeParam = g.api.formField(c.params, "page[number]"), "page[size]"
		sizeField = g.api.formField(c.params, sizeParam)
		// Items also fails on a page that is not the one asked for, or
		// that names no later page as the next.
		decode = "var out apiclient.LivestormPage[" + t + "]"
		done = fmt.Sprintf("items, more, err := out.Items(page)\n\t\tif err != nil {\n\t\t\treturn items, false, fmt.Errorf(\"%s: %s: %%w\", err)\n\t\t}\n\t\treturn items, more, nil",
			g.p.name, g.opName(o))
	case "streamdiver":
		pageField, sizeParam = g.api.formField(c.params, "page"), "perpage"
		sizeField = g.api.formField(c.params, sizeParam)
		decode, done = "var out apiclient.JSendPage["+t+"]", "return out.Data, out.More(page, size), nil"
	default:
		return fmt.Errorf("pagination %q has no generator", o.Pagination)
	}
	if o.Pagination != "none" && (c.params == "" || pageField == "" || sizeField == "") {
		return fmt.Errorf("%s pagination needs page and page-size parameters in %s", o.Pagination, c.params)
	}
	if c.params != "" {
		if strings.HasPrefix(c.args[len(c.args)-1], "params *") || slices.Contains(c.args, "params *"+g.typeRef(c.params)) {
			fmt.Fprintf(w, "\tvar p %s\n\tif params != nil {\n\t\tp = *params\n\t}\n", g.typeRef(c.params))
		} else {
			fmt.Fprintf(w, "\tp := params\n")
		}
		for i, a := range c.pass {
			if a == "params" || a == "&params" {
				c.pass[i] = "&q"
			}
		}
	}
	first := "0"
	if pageField != "" {
		fmt.Fprintf(w, "\tfirst := 0\n\tif p.%[1]s != nil {\n\t\tfirst = *p.%[1]s\n\t}\n", pageField)
		first = "first"
	}
	if sizeField != "" {
		// Unless told otherwise, ask for the largest page the provider
		// allows: fewer calls against its quota.
		max, ok := g.paramMax(o, sizeParam)
		if !ok {
			return fmt.Errorf("the %s parameter has no maximum", sizeParam)
		}
		fmt.Fprintf(w, "\tsize := %[2]d // the most a page may hold\n\tif p.%[1]s != nil {\n\t\tsize = *p.%[1]s\n\t}\n\tp.%[1]s = &size\n", sizeField, max)
	}
	fmt.Fprintf(w, "\treturn apiclient.Pages(s.c.api.Paging(%q), func(i int) ([]%s, bool, error) {\n", g.opName(o), t)
	for _, p := range c.prelude {
		fmt.Fprintf(w, "\t%s\n", p)
	}
	if c.params != "" {
		// Each run of the iterator, and each page, has its own copy.
		fmt.Fprintf(w, "\t\tq := p\n")
	}
	if pageField != "" {
		fmt.Fprintf(w, "\t\tpage := %s + i\n\t\tq.%s = &page\n", first, pageField)
	}
	fmt.Fprintf(w, "\t\treq, err := %s\n", g.build(o, c, builder))
	fmt.Fprintf(w, "\t\tif err != nil {\n\t\t\treturn nil, false, fmt.Errorf(\"%s: %s: %%w\", err)\n\t\t}\n", g.p.name, g.opName(o))
	fmt.Fprintf(w, "\t\t%s\n\t\tif err := s.c.api.Do(ctx, %s, req, &out); err != nil {\n\t\t\treturn nil, false, err\n\t\t}\n\t\t%s\n\t})\n}\n\n", decode, g.opVar(o), done)
	return nil
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

// signature writes a facade's doc comment and first line.
func (g *facadeGen) signature(w *bytes.Buffer, o apispec.Operation, c *call, results string) {
	g.doc(w, o)
	args := append([]string{"ctx context.Context"}, c.args...)
	fmt.Fprintf(w, "func (s *%sService) %s(%s) %s {\n", o.Service, o.FacadeMethod, strings.Join(args, ", "), results)
}

// build is the call that makes an operation's request: apiclient's own
// for simple operations (path ids and a JSON body at most), which saves
// the builder's URL parsing on every call; oapi-codegen's builder for the
// rest, which knows every parameter style.
func (g *facadeGen) build(o apispec.Operation, c *call, builder string) string {
	server := fmt.Sprintf("s.c.api.Server(%q)", g.server(o))
	if path, body, mediaType, ok := g.simple(o, c); ok {
		return fmt.Sprintf("apiclient.NewRequest(ctx, %q, %s, %s, %s, %q)", o.Method, server, path, body, mediaType)
	}
	return fmt.Sprintf("api.%s(%s)", builder, strings.Join(append([]string{server}, c.pass...), ", "))
}

// simple reports whether an operation's request can be built without the
// builder, and returns the Go expressions of its path and body.
func (g *facadeGen) simple(o apispec.Operation, c *call) (path, body, mediaType string, ok bool) {
	if c.params != "" {
		return "", "", "", false
	}
	var ids []string // path arguments, in template order
	body = "nil"
	for _, a := range c.pass {
		switch {
		case a == "body":
			if !slices.Contains(c.args, "body io.Reader") {
				body = "body"
			} else {
				return "", "", "", false
			}
		case a == "contentType":
			return "", "", "", false
		case strings.HasSuffix(a, "UUID"):
			ids = append(ids, a+".String()")
		default:
			ids = append(ids, a)
		}
	}
	if body != "nil" {
		for mt := range o.Op.RequestBody.Value.Content {
			mediaType = mt
		}
		if !strings.Contains(mediaType, "json") {
			return "", "", "", false
		}
	}
	var parts []string
	tmpl := strings.TrimPrefix(o.Path, "/")
	at := 0
	for _, m := range pathParam.FindAllStringIndex(tmpl, -1) {
		if len(ids) == 0 {
			return "", "", "", false
		}
		if m[0] > at {
			parts = append(parts, fmt.Sprintf("%q", tmpl[at:m[0]]))
		}
		parts = append(parts, "url.PathEscape("+ids[0]+")")
		ids, at = ids[1:], m[1]
	}
	if at < len(tmpl) || len(parts) == 0 {
		parts = append(parts, fmt.Sprintf("%q", tmpl[at:]))
	}
	if len(ids) != 0 {
		return "", "", "", false
	}
	return strings.Join(parts, " + "), body, mediaType, true
}

var pathParam = regexp.MustCompile(`\{[^}]+\}`)

// doc writes an operation's doc comment: what it calls, what it needs,
// and how sure the spec is of it.
func (g *facadeGen) doc(w *bytes.Buffer, o apispec.Operation) {
	summary := strings.Join(strings.Fields(o.Op.Summary), " ")
	fmt.Fprintf(w, "// %s calls %s %s: %s.\n", o.FacadeMethod, o.Method, o.Path, strings.TrimSuffix(summary, "."))
	if o.Result != nil && o.Result.List {
		switch o.Pagination {
		case "livestorm", "streamdiver":
			w.WriteString("// It fetches pages lazily, as the loop asks for items, and stops at the\n// last page. Pages that would never end (see WithMaxPages) end the loop\n// with an error matching ErrEndlessPagination.\n")
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
