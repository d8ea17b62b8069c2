package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"regexp"
	"slices"
	"sort"
	"strings"

	gqlast "github.com/vektah/gqlparser/v2/ast"
)

// The public types of a GraphQL provider are real Go types of its package,
// one per genqlient type its methods' arguments and results reach, with
// the names Go would give (ID, ThumbnailURL), the schema's descriptions as
// docs and no getters. genqlient's types stay in the internal package,
// which decodes the answers; generated functions convert them.

// gqlKind is what a genqlient type stands for in GraphQL.
type gqlKind int

const (
	kindObject    gqlKind = iota // the fields an operation selects of an object
	kindInterface                // an interface, whose objects are its implementations
	kindEnum
	kindInput
)

// pubType is a type of the provider package made from a genqlient type.
type pubType struct {
	gql    string // genqlient's name
	name   string // the provider package's name
	kind   gqlKind
	def    *gqlast.Definition // the GraphQL type
	iface  string             // an object that implements an interface: the interface's genqlient name
	impls  []string           // an interface's implementations (genqlient names), sorted
	fields []pubField         // an object's or an input's
	ops    []string           // Service.Method of the operations whose results hold an object
}

// pubField is a field of a public struct.
type pubField struct {
	src  gqlField // genqlient's field
	name string   // the Go name
	doc  string   // the GraphQL field's description
}

// requestedFields finds the GraphQL type in genqlient's doc comment of a
// type that holds selected fields: of an operation, or of a fragment.
var requestedFields = regexp.MustCompile(`includes the (?:requested fields of the GraphQL (?:type|interface) (\w+)\.|GraphQL fields of (\w+) requested by the fragment \w+\.)`)

// definition returns the GraphQL type of genqlient's type name.
func (g *gqlGen) definition(name string) (*gqlast.Definition, error) {
	if m := requestedFields.FindStringSubmatch(g.file.docs[name]); m != nil {
		if def := g.schema.Types[m[1]+m[2]]; def != nil {
			return def, nil
		}
		return nil, fmt.Errorf("%s: %s holds fields of the GraphQL type %s, which the schema does not define", g.file.path, name, m[1])
	}
	// genqlient names enums and input objects as GraphQL does.
	if def := g.schema.Types[name]; def != nil && (def.Kind == gqlast.Enum || def.Kind == gqlast.InputObject) {
		return def, nil
	}
	return nil, fmt.Errorf("%s: cannot tell which GraphQL type genqlient's %s stands for (did genqlient's doc comments change?)", g.file.path, name)
}

// typenameField is the field genqlient adds to an interface's
// implementations.
const typenameField = "__typename"

// publicTypes makes the public type of each genqlient type in reach, which
// maps a genqlient name to the operations whose arguments or results
// reach it.
func (g *gqlGen) publicTypes(reach map[string][]string) error {
	g.exports = map[string]string{}
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
	}
	g.helpers = map[string]bool{}
	g.types = map[string]*pubType{}
	for n, ops := range reach {
		def, err := g.definition(n)
		if err != nil {
			return err
		}
		t := &pubType{gql: n, name: g.exports[n], def: def, ops: ops}
		switch ts := g.file.types[n].Type.(type) {
		case *ast.StructType:
			t.kind = kindObject
			if def.Kind == gqlast.InputObject {
				t.kind = kindInput
			}
		case *ast.InterfaceType:
			t.kind = kindInterface
		case *ast.Ident:
			if ts.Name != "string" || def.Kind != gqlast.Enum {
				return fmt.Errorf("%s: %s is neither an enum nor an object", g.file.path, n)
			}
			t.kind = kindEnum
		default:
			return fmt.Errorf("%s: %s is %s, which the generator does not convert", g.file.path, n, exprString(ts))
		}
		g.types[n] = t
	}
	for _, t := range g.types {
		for _, m := range g.file.methods[t.gql] {
			if iface, ok := strings.CutPrefix(m, "implementsGraphQLInterface"); ok {
				t.iface = iface
				if it := g.types[iface]; it != nil {
					it.impls = append(it.impls, t.gql)
				}
			}
		}
	}
	for _, t := range g.types {
		sort.Strings(t.impls)
		if t.kind == kindInterface && len(t.impls) == 0 {
			return fmt.Errorf("%s: the interface %s has no implementation: select its fields in an inline fragment of each type", g.file.path, t.gql)
		}
		if t.kind != kindObject && t.kind != kindInput {
			continue
		}
		fields, _, err := g.file.structOf(&ast.Ident{Name: t.gql})
		if err != nil {
			return err
		}
		names := map[string]string{}
		for _, f := range fields {
			if f.json == typenameField && t.iface != "" {
				continue // the type says it
			}
			fd := t.def.Fields.ForName(f.json)
			if fd == nil {
				return fmt.Errorf("%s: %s.%s: the GraphQL type %s has no field %q (the generator does not support aliases)",
					g.file.path, t.gql, f.name, t.def.Name, f.json)
			}
			pf := pubField{src: f, name: gqlFieldName(f.json), doc: g.fieldDoc(t.def, fd)}
			if other, dup := names[pf.name]; dup {
				return fmt.Errorf("%s: fields %q and %q of %s are both %s in Go", g.file.path, other, f.json, t.gql, pf.name)
			}
			names[pf.name] = f.json
			if _, err := g.fromGQL("v."+f.name, f.typ); err != nil && t.kind == kindObject {
				return fmt.Errorf("%s: %s.%s: %w", g.file.path, t.gql, f.name, err)
			}
			if _, err := g.toGQL("v."+pf.name, f.typ); err != nil && t.kind == kindInput {
				return fmt.Errorf("%s: %s.%s: %w", g.file.path, t.gql, f.name, err)
			}
			t.fields = append(t.fields, pf)
		}
	}
	return nil
}

// fieldDoc is the description of field fd of def, or else the first one
// an interface def implements gives the field, so that the schema says
// once what the fields every chat event shares mean.
func (g *gqlGen) fieldDoc(def *gqlast.Definition, fd *gqlast.FieldDefinition) string {
	if fd.Description != "" {
		return fd.Description
	}
	for _, name := range def.Interfaces {
		if it := g.schema.Types[name]; it != nil {
			if f := it.Fields.ForName(fd.Name); f != nil && f.Description != "" {
				return f.Description
			}
		}
	}
	return ""
}

// sortedTypes returns the public types in name order.
func (g *gqlGen) sortedTypes() []*pubType {
	var out []*pubType
	for _, t := range g.types {
		out = append(out, t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// enumConsts returns the constants of an enum type, in the schema's order.
func (t *pubType) enumConsts() []string {
	var out []string
	for _, v := range t.def.EnumValues {
		out = append(out, enumConstName(t.name, v.Name))
	}
	return out
}

// marker is the unexported method that seals a public interface.
func (t *pubType) marker() string {
	return strings.ToLower(t.name[:1]) + t.name[1:]
}

// conversion names.
func toPublic(t *pubType) string   { return "gqlTo" + t.name }
func fromPublic(t *pubType) string { return "gqlFrom" + t.name }

// ref renders a genqlient type expression as the provider package names
// it: its public type, or the Go type itself.
func (g *gqlGen) ref(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		if t, ok := g.types[e.Name]; ok {
			return t.name
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

// typeOf returns the public type e names, or nil for a Go type.
func (g *gqlGen) typeOf(e ast.Expr) *pubType {
	if id, ok := e.(*ast.Ident); ok {
		return g.types[id.Name]
	}
	return nil
}

// fromGQL returns the expression that converts x, a genqlient value of
// type e, to its public type.
func (g *gqlGen) fromGQL(x string, e ast.Expr) (string, error) {
	switch e := e.(type) {
	case *ast.Ident:
		t := g.typeOf(e)
		switch {
		case t == nil:
			return x, nil
		case t.kind == kindEnum:
			return t.name + "(" + x + ")", nil
		case t.kind == kindInterface:
			return toPublic(t) + "(" + x + ")", nil
		case t.kind == kindObject:
			return toPublic(t) + "(&" + x + ")", nil
		}
	case *ast.StarExpr:
		if t := g.typeOf(e.X); t != nil && t.kind == kindObject {
			g.helpers["gqlPtr"] = true
			return "gqlPtr(" + x + ", " + toPublic(t) + ")", nil
		}
		if g.typeOf(e.X) == nil {
			return x, nil
		}
	case *ast.ArrayType:
		t := g.typeOf(e.Elt)
		switch {
		case t == nil && !isStar(e.Elt):
			return x, nil
		case t != nil && t.kind == kindObject:
			g.helpers["gqlSlice"] = true
			return "gqlSlice(" + x + ", " + toPublic(t) + ")", nil
		case t != nil && t.kind == kindEnum:
			g.helpers["gqlEnums"] = true
			return "gqlEnums[" + t.name + "](" + x + ")", nil
		}
		return "", fmt.Errorf("a list of %s is not converted; make its items values with @genqlient(pointer: false)", exprString(e.Elt))
	}
	return "", fmt.Errorf("genqlient's %s is not converted", exprString(e))
}

// toGQL returns the expression that converts x, of the public type of
// genqlient's e, to e.
func (g *gqlGen) toGQL(x string, e ast.Expr) (string, error) {
	switch e := e.(type) {
	case *ast.Ident:
		t := g.typeOf(e)
		switch {
		case t == nil:
			return x, nil
		case t.kind == kindEnum:
			return "gql." + t.gql + "(" + x + ")", nil
		case t.kind == kindInput:
			return "*" + fromPublic(t) + "(&" + x + ")", nil
		}
	case *ast.StarExpr:
		if t := g.typeOf(e.X); t != nil && t.kind == kindInput {
			return fromPublic(t) + "(" + x + ")", nil
		}
		if g.typeOf(e.X) == nil {
			return x, nil
		}
	case *ast.ArrayType:
		if g.typeOf(e.Elt) == nil && !isStar(e.Elt) {
			return x, nil
		}
	}
	return "", fmt.Errorf("a value of genqlient's %s is not converted", exprString(e))
}

func isStar(e ast.Expr) bool {
	_, ok := e.(*ast.StarExpr)
	return ok
}

// writeTypes writes the public types, the enums' constants and the
// conversions.
func (g *gqlGen) writeTypes(b *bytes.Buffer) {
	for _, t := range g.sortedTypes() {
		switch t.kind {
		case kindObject, kindInput:
			comment(b, "", g.typeDoc(t))
			fmt.Fprintf(b, "type %s struct {\n", t.name)
			for _, f := range t.fields {
				if f.doc != "" {
					comment(b, "\t", fullStop(f.doc))
				}
				fmt.Fprintf(b, "\t%s %s `json:\"%s\"`\n", f.name, g.ref(f.src.typ), f.src.json)
			}
			b.WriteString("}\n\n")
			if it := g.types[t.iface]; it != nil {
				fmt.Fprintf(b, "func (*%s) %s() {}\n\n", t.name, it.marker())
			}
		case kindInterface:
			comment(b, "", g.typeDoc(t))
			fmt.Fprintf(b, "type %s interface {\n\t%s()\n}\n\n", t.name, t.marker())
		case kindEnum:
			comment(b, "", g.typeDoc(t))
			fmt.Fprintf(b, "type %s string\n\n", t.name)
			fmt.Fprintf(b, "// The values of %s.\nconst (\n", t.name)
			for i, v := range t.def.EnumValues {
				if v.Description != "" {
					comment(b, "\t", fullStop(v.Description))
				}
				fmt.Fprintf(b, "\t%s %s = %q\n", t.enumConsts()[i], t.name, v.Name)
			}
			b.WriteString(")\n\n")
		}
	}
	g.writeConversions(b)
}

// typeDoc is a public type's doc comment: what the schema says of it and
// where it comes from.
func (g *gqlGen) typeDoc(t *pubType) string {
	var text []string
	if d := sentence(t.def.Description); d != "" {
		text = append(text, t.name+" is "+d)
	}
	switch t.kind {
	case kindObject:
		from := fmt.Sprintf("It holds the fields of the GraphQL type %s that %s %s.", t.def.Name, listWords(t.ops), plural(len(t.ops), "selects", "select"))
		if it := g.types[t.iface]; it != nil {
			from = strings.TrimSuffix(from, ".") + "; it is a " + it.name + "."
		}
		if len(text) == 0 {
			from = t.name + " holds" + strings.TrimPrefix(from, "It holds")
		}
		text = append(text, from)
	case kindInterface:
		var impls []string
		for _, n := range t.impls {
			impls = append(impls, "*"+g.types[n].name)
		}
		what := fmt.Sprintf("one of %s, the implementations of the GraphQL interface %s that %s %s",
			listWords(impls), t.def.Name, listWords(t.ops), plural(len(t.ops), "selects", "select"))
		if len(text) == 0 {
			text = append(text, fmt.Sprintf("%s is %s.", t.name, what))
		} else {
			text = append(text, fmt.Sprintf("It is %s.", what))
		}
		subscribed := 0
		for _, op := range g.subs {
			if slices.Contains(t.ops, g.opName(op)) {
				subscribed++
			}
		}
		switch subscribed {
		case 0:
			text = append(text, "A type switch tells them apart; a kind this package does not know fails the call.")
		case len(t.ops):
			text = append(text, fmt.Sprintf("A type switch tells them apart; a kind this package does not know reaches the subscription as an *Unknown%s, which keeps its JSON.", t.name))
		default:
			text = append(text, fmt.Sprintf("A type switch tells them apart; a kind this package does not know fails a call, and reaches a subscription as an *Unknown%s, which keeps its JSON.", t.name))
		}
	case kindEnum, kindInput:
		what := map[gqlKind]string{kindEnum: "enum", kindInput: "input object"}[t.kind]
		if len(text) == 0 {
			text = append(text, fmt.Sprintf("%s is the GraphQL %s %s.", t.name, what, t.def.Name))
		} else {
			text[0] = fmt.Sprintf("%s: the GraphQL %s %s.", strings.TrimSuffix(text[0], "."), what, t.def.Name)
		}
	}
	return strings.Join(text, " ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// writeConversions writes the functions that convert genqlient's values
// to the public types (objects and interfaces) and back (inputs), and the
// generic helpers they use.
func (g *gqlGen) writeConversions(b *bytes.Buffer) {
	for _, t := range g.sortedTypes() {
		switch t.kind {
		case kindObject:
			fmt.Fprintf(b, "func %s(v *gql.%s) %s {\n\treturn %s{\n", toPublic(t), t.gql, t.name, t.name)
			for _, f := range t.fields {
				x, _ := g.fromGQL("v."+f.src.name, f.src.typ)
				fmt.Fprintf(b, "\t\t%s: %s,\n", f.name, x)
			}
			b.WriteString("\t}\n}\n\n")
		case kindInterface:
			fmt.Fprintf(b, "func %s(v gql.%s) %s {\n\tswitch v := v.(type) {\n", toPublic(t), t.gql, t.name)
			for _, n := range t.impls {
				g.helpers["gqlPtr"] = true
				fmt.Fprintf(b, "\tcase *gql.%s:\n\t\treturn gqlPtr(v, %s)\n", n, toPublic(g.types[n]))
			}
			b.WriteString("\t}\n\treturn nil\n}\n\n")
		case kindInput:
			fmt.Fprintf(b, "func %s(v *%s) *gql.%s {\n\tif v == nil {\n\t\treturn nil\n\t}\n\treturn &gql.%s{\n", fromPublic(t), t.name, t.gql, t.gql)
			for _, f := range t.fields {
				x, _ := g.toGQL("v."+f.name, f.src.typ)
				fmt.Fprintf(b, "\t\t%s: %s,\n", f.src.name, x)
			}
			b.WriteString("\t}\n}\n\n")
		}
	}
	if g.helpers["gqlPtr"] {
		b.WriteString(`// gqlPtr converts an object genqlient decoded, nil when it was null.
func gqlPtr[S, T any](v *S, conv func(*S) T) *T {
	if v == nil {
		return nil
	}
	t := conv(v)
	return &t
}

`)
	}
	if g.helpers["gqlEnums"] {
		b.WriteString(`// gqlEnums converts a list of enum values genqlient decoded.
func gqlEnums[T, S ~string](v []S) []T {
	if v == nil {
		return nil
	}
	out := make([]T, len(v))
	for i, s := range v {
		out[i] = T(s)
	}
	return out
}

`)
	}
	if g.helpers["gqlSlice"] {
		b.WriteString(`// gqlSlice converts a list of objects genqlient decoded.
func gqlSlice[S, T any](v []S, conv func(*S) T) []T {
	if v == nil {
		return nil
	}
	out := make([]T, len(v))
	for i := range v {
		out[i] = conv(&v[i])
	}
	return out
}

`)
	}
}

// checkNames fails when a public type or constant would take a name the
// package already has.
func (g *gqlGen) checkNames(f *facadeGen) error {
	seen := map[string]string{}
	for _, t := range g.sortedTypes() {
		names := []string{t.name}
		if t.kind == kindEnum {
			names = append(names, t.enumConsts()...)
		}
		for _, n := range names {
			switch {
			case f.hand[n]:
				return fmt.Errorf("%s: %s, made from genqlient's %s, is declared by hand in package %s", g.file.path, n, t.gql, f.p.name)
			case f.models(n):
				return fmt.Errorf("%s: %s, made from genqlient's %s, is a model of %s", g.file.path, n, t.gql, f.p.specPath)
			case seen[n] != "":
				return fmt.Errorf("%s: %s is made from both %s and %s", g.file.path, n, seen[n], t.gql)
			}
			seen[n] = t.gql
		}
	}
	for _, p := range g.plans {
		if p.paramsType != "" && seen[p.paramsType] != "" {
			return fmt.Errorf("%s: the params struct %s is also made from genqlient's %s", p.op.File, p.paramsType, seen[p.paramsType])
		}
	}
	return nil
}
