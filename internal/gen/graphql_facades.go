package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"strings"
)

// goFile writes graphql_gen.go: the public types and their conversions,
// the operation table MakeRequest reads, the list params, the services
// and the client's shortcuts.
func (g *gqlGen) goFile(f *facadeGen) []byte {
	var b bytes.Buffer

	g.writeTypes(&b)

	// The server and the operation table MakeRequest reads.
	fmt.Fprintf(&b, "// graphqlServer is the spec's server for GraphQL requests.\nconst graphqlServer = %q\n\n", g.server)
	b.WriteString("// graphqlOps maps genqlient's operation names to their operations, for\n// the scope check, and says which are mutations (whose err is checked).\nvar graphqlOps = map[string]graphqlOp{\n")
	for _, op := range g.ops {
		fmt.Fprintf(&b, "\t%q: {&%s, %v},\n", op.Name, g.opVar(op), op.Kind == "mutation")
	}
	b.WriteString("}\n\n")

	for _, p := range g.plans {
		if p.list {
			g.paramsStruct(&b, p)
		}
	}

	for _, svc := range g.services() {
		comment(&b, "", fmt.Sprintf("%sService holds the %s operations of the GraphQL API: %s.", svc, svc, listWords(g.methodsOf(svc))))
		fmt.Fprintf(&b, "type %sService struct{ c *Client }\n\n", svc)
		for _, p := range g.plans {
			if p.op.Service != svc {
				continue
			}
			g.method(&b, p)
			if p.list {
				g.pageMethod(&b, p)
			}
		}
	}

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
	for _, imp := range []string{"context", "fmt", "iter", "github.com/onair-go/onair", f.p.importPath() + "/internal/gql", "github.com/onair-go/onair/internal/apiclient"} {
		if used[imp[strings.LastIndex(imp, "/")+1:]] {
			fmt.Fprintf(&out, "\t%q\n", imp)
		}
	}
	out.WriteString(")\n\n")
	out.WriteString(src)
	return out.Bytes()
}

// paramsStruct writes a list's params: the page size and the cursor, and
// the operation's nullable variables.
func (g *gqlGen) paramsStruct(b *bytes.Buffer, p *gqlPlan) {
	comment(b, "", fmt.Sprintf("%s are the optional arguments of %s.%s and %s.%sPage; nil or the zero value asks for the first page with the server's defaults.",
		p.paramsType, p.op.Service, p.op.Method, p.op.Service, p.op.Method))
	fmt.Fprintf(b, "type %s struct {\n", p.paramsType)
	b.WriteString("\t// First is the page size ($first); 0 lets the server choose.\n\tFirst int\n")
	b.WriteString("\t// After resumes after a page's end cursor ($after); \"\" starts at\n\t// the beginning.\n\tAfter string\n")
	for _, prm := range p.params {
		if prm.name == "first" || prm.name == "after" || prm.nonNull {
			continue
		}
		how := "sent as is"
		if prm.omit {
			how = "left out when zero"
		}
		fmt.Fprintf(b, "\t// %s sets $%s (%s).\n\t%s %s\n", gqlFieldName(prm.name), prm.name, how, gqlFieldName(prm.name), g.ref(prm.typ))
	}
	b.WriteString("}\n\n")
}

// signature returns a method's parameters and the arguments forwarding
// them.
func (g *gqlGen) signature(p *gqlPlan) (sig, args string) {
	params := []string{"ctx context.Context"}
	pass := []string{"ctx"}
	for _, prm := range g.arguments(p) {
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
	return strings.Join(append(params, "opts ...onair.CallOption"), ", "), strings.Join(append(pass, "opts..."), ", ")
}

// arguments are the variables a method takes as arguments: all of them,
// but for a list's, which go in its params struct.
func (g *gqlGen) arguments(p *gqlPlan) []gqlParam {
	var out []gqlParam
	for _, prm := range p.params {
		if !p.list || (prm.name != "first" && prm.name != "after" && prm.nonNull) {
			out = append(out, prm)
		}
	}
	return out
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

// call returns the arguments of the genqlient function: the context with
// the call's options, the client and the variables.
func (g *gqlGen) call(p *gqlPlan) string {
	args := []string{"withCallOptions(ctx, opts)", "graphqlClient{s.c}"}
	for _, prm := range p.params {
		x := prm.arg
		switch {
		case p.list && prm.name == "first":
			x = "p.First"
		case p.list && prm.name == "after":
			x = "p.After"
		case p.list && !prm.nonNull:
			x = "p." + gqlFieldName(prm.name)
		case isStar(prm.typ):
			x = "&" + prm.arg
		}
		conv, _ := g.toGQL(x, prm.typ) // checked by prepare
		args = append(args, conv)
	}
	return strings.Join(args, ", ")
}

// nilChecks returns the condition under which an object on the path
// before upto is null, or "".
func (g *gqlGen) nilChecks(path []gqlField, from, upto int) string {
	var conds []string
	x := "resp"
	for i := 0; i < upto; i++ {
		x += "." + path[i].name
		if _, ptr := path[i].typ.(*ast.StarExpr); ptr && i >= from {
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

// errorf renders an fmt.Errorf call whose text starts with the provider
// and the operation.
func (g *gqlGen) errorf(op *gqlOperation, format string, args ...string) string {
	return fmt.Sprintf("fmt.Errorf(%q%s)", g.pkg+": "+g.opName(op)+": "+format, strings.Join(append([]string{""}, args...), ", "))
}

func (g *gqlGen) method(b *bytes.Buffer, p *gqlPlan) {
	op := p.op
	text := []string{fmt.Sprintf("%s runs the GraphQL %s %s (%s).", op.Method, op.Kind, op.Name, op.File)}
	text = append(text, op.Doc...)
	switch {
	case p.list:
		text = append(text, fmt.Sprintf("It fetches pages lazily with %sPage, as the loop asks for items, following pageInfo.endCursor, and stops after the page whose hasNextPage is false.", op.Method),
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
	writeEvidence(b, need, op)
	sig, _ := g.signature(p)
	fmt.Fprintf(b, "func (s *%sService) %s(%s) %s {\n", op.Service, op.Method, sig, g.results(p))
	switch {
	case p.list:
		var pass []string
		for _, prm := range g.arguments(p) {
			pass = append(pass, prm.arg)
		}
		item := g.ref(p.item)
		fmt.Fprintf(b, "\tvar p %s\n\tif params != nil {\n\t\tp = *params\n\t}\n", p.paramsType)
		fmt.Fprintf(b, "\treturn apiclient.Cursor(s.c.api.Paging(%q), p.After, func(after string) ([]%s, string, bool, error) {\n",
			g.opName(op), item)
		b.WriteString("\t\tpage := p\n\t\tpage.After = after\n")
		fmt.Fprintf(b, "\t\titems, next, err := s.%sPage(%s)\n", op.Method, strings.Join(append(append([]string{"ctx"}, pass...), "&page", "opts..."), ", "))
		b.WriteString("\t\tif next == nil {\n\t\t\treturn items, \"\", false, err\n\t\t}\n")
		b.WriteString("\t\treturn items, next.After, true, err\n\t})\n}\n\n")
	case p.result != nil:
		fmt.Fprintf(b, "\tresp, err := gql.%s(%s)\n\tif err != nil {\n\t\treturn nil, err\n\t}\n", op.Name, g.call(p))
		from := 0
		if graphQLName(p.path[0]) == "me" {
			// me is null for a token without a user: that is a failure of
			// the call, not an absent record.
			fmt.Fprintf(b, "\tif resp.%s == nil {\n\t\treturn nil, %s\n\t}\n", p.path[0].name, g.errorf(op, "%w", "ErrNoUser"))
			from = 1
		}
		if cond := g.nilChecks(p.path, from, len(p.path)-1); cond != "" {
			fmt.Fprintf(b, "\tif %s {\n\t\treturn nil, nil\n\t}\n", cond)
		}
		x, _ := g.fromGQL(g.pathExpr(p.path), p.result) // checked by prepare
		fmt.Fprintf(b, "\treturn %s, nil\n}\n\n", x)
	default:
		fmt.Fprintf(b, "\t_, err := gql.%s(%s)\n\treturn err\n}\n\n", op.Name, g.call(p))
	}
}

// pageMethod writes a list's page method: one request, the items and the
// params of the next page.
func (g *gqlGen) pageMethod(b *bytes.Buffer, p *gqlPlan) {
	op := p.op
	name := op.Method + "Page"
	comment(b, "", fmt.Sprintf("%s fetches one page of %s: the page after params.After (the first when params is nil or After is \"\"), "+
		"of params.First items (the server's default when 0). It returns the page's items and the params of the next page, "+
		"with After set to the page's end cursor, or nil after the last page, for a caller that pages through a listing in its own time. "+
		"A page that says more follow but names no cursor to them fails with an error matching ErrEndlessPagination, with its items.", name, op.Method))
	need := "no scope"
	if len(op.Scopes) > 0 {
		need = "scope " + strings.Join(op.Scopes, " and ")
	}
	writeEvidence(b, need, op)
	sig, _ := g.signature(p)
	item := g.ref(p.item)
	fmt.Fprintf(b, "func (s *%sService) %s(%s) ([]%s, *%s, error) {\n", op.Service, name, sig, item, p.paramsType)
	fmt.Fprintf(b, "\tvar p %s\n\tif params != nil {\n\t\tp = *params\n\t}\n", p.paramsType)
	fmt.Fprintf(b, "\tresp, err := gql.%s(%s)\n\tif err != nil {\n\t\treturn nil, nil, err\n\t}\n", op.Name, g.call(p))
	if cond := g.nilChecks(p.path, 0, len(p.path)); cond != "" {
		fmt.Fprintf(b, "\tif %s {\n\t\treturn nil, nil, nil\n\t}\n", cond)
	}
	fmt.Fprintf(b, "\tconn := %s\n", g.pathExpr(p.path))
	items, _ := g.fromGQL("conn."+p.items.name, p.items.typ) // checked by prepare
	fmt.Fprintf(b, "\titems := %s\n", items)
	pi := "conn." + p.pageInfo.name
	last := "!" + pi + "." + p.hasNextPage.name
	if isStar(p.pageInfo.typ) {
		last = pi + " == nil || " + last
	}
	fmt.Fprintf(b, "\tif %s {\n\t\treturn items, nil, nil\n\t}\n", last)
	cursor := pi + "." + p.endCursor.name
	if isStar(p.endCursor.typ) {
		fmt.Fprintf(b, "\tif %s == nil || *%s == \"\" {\n", cursor, cursor)
		cursor = "*" + cursor
	} else {
		fmt.Fprintf(b, "\tif %s == \"\" {\n", cursor)
	}
	fmt.Fprintf(b, "\t\treturn items, nil, %s\n\t}\n", g.errorf(op, "%w: the page says more pages follow but gives no cursor to them; report the answer to "+g.title, "apiclient.ErrEndlessPagination"))
	fmt.Fprintf(b, "\tp.After = %s\n\treturn items, &p, nil\n}\n\n", cursor)
}

// writeEvidence ends a method's doc with its scopes, evidence and source.
func writeEvidence(b *bytes.Buffer, need string, op *gqlOperation) {
	fmt.Fprintf(b, "//\n// It needs %s. Evidence: %s.\n", need, op.Evidence)
	if op.Source != "" {
		comment(b, "", "Source: "+strings.TrimSuffix(op.Source, ".")+".")
	}
}
