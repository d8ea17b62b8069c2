package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
)

// goFile is what the generator needs to know of oapi-codegen's output.
type goFile struct {
	types   map[string]ast.Expr // exported type name → its definition
	aliases map[string]bool     // which of them are aliases (type A = B)
	consts  []string            // exported constants, in file order
	funcs   map[string]*ast.FuncDecl
}

func scanGo(path string) (*goFile, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return nil, err
	}
	g := &goFile{types: map[string]ast.Expr{}, aliases: map[string]bool{}, funcs: map[string]*ast.FuncDecl{}}
	for _, d := range f.Decls {
		switch d := d.(type) {
		case *ast.GenDecl:
			for _, sp := range d.Specs {
				switch sp := sp.(type) {
				case *ast.TypeSpec:
					if sp.Name.IsExported() {
						g.types[sp.Name.Name] = sp.Type
						g.aliases[sp.Name.Name] = sp.Assign.IsValid()
					}
				case *ast.ValueSpec:
					if d.Tok == token.CONST {
						for _, n := range sp.Names {
							if n.IsExported() {
								g.consts = append(g.consts, n.Name)
							}
						}
					}
				}
			}
		case *ast.FuncDecl:
			if d.Recv == nil && d.Name.IsExported() {
				g.funcs[d.Name.Name] = d
			}
		}
	}
	return g, nil
}

// resolve follows aliases from name to the type it finally names, as Go
// source ("string", "openapi_types.UUID", "CreateStreamRequest").
func (g *goFile) resolve(name string) string {
	for i := 0; i < 10; i++ {
		def, ok := g.types[name]
		if !ok || !g.aliases[name] {
			return name
		}
		next := exprString(def)
		if _, local := g.types[next]; !local {
			return next
		}
		name = next
	}
	return name
}

// formField returns the Go name of the field of struct type name whose
// form tag is key, or "".
func (g *goFile) formField(name, key string) string {
	st, ok := g.types[name].(*ast.StructType)
	if !ok {
		return ""
	}
	for _, f := range st.Fields.List {
		if f.Tag == nil || len(f.Names) == 0 {
			continue
		}
		tag := reflect.StructTag(strings.Trim(f.Tag.Value, "`"))
		if k, _, _ := strings.Cut(tag.Get("form"), ","); k == key {
			return f.Names[0].Name
		}
	}
	return ""
}

// requiredFields returns the fields of struct type name that are not
// pointers: oapi-codegen's required parameters.
func (g *goFile) requiredFields(name string) []param {
	st, ok := g.types[name].(*ast.StructType)
	if !ok {
		return nil
	}
	var out []param
	for _, f := range st.Fields.List {
		if _, ptr := f.Type.(*ast.StarExpr); !ptr {
			for _, n := range f.Names {
				out = append(out, param{n.Name, exprString(f.Type)})
			}
		}
	}
	return out
}

// param is one parameter of a request builder.
type param struct {
	name, typ string
}

// builder is the request builder of an operation.
type builder struct {
	name   string
	params []param // after server
}

// builderFor finds the request builder of an operation: the typed-body
// one if there is one, else the plain one, else the raw-body one.
func (g *goFile) builderFor(opID string) (*builder, error) {
	prefix := "New" + upperFirst(opID) + "Request"
	var names []string
	for n := range g.funcs {
		if n == prefix || strings.HasPrefix(n, prefix+"With") {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	pick := ""
	for _, n := range names {
		if n != prefix+"WithBody" && n != prefix {
			pick = n // NewXRequestWith<MediaType>Body: a typed body
		}
	}
	if pick == "" {
		for _, n := range names {
			if n == prefix {
				pick = n
			}
		}
	}
	if pick == "" && len(names) > 0 {
		pick = names[0]
	}
	if pick == "" {
		return nil, fmt.Errorf("no request builder %s… in oapi-codegen's output", prefix)
	}
	b := &builder{name: pick}
	for i, f := range g.funcs[pick].Type.Params.List {
		for _, n := range f.Names {
			if i == 0 && n.Name == "server" {
				continue
			}
			b.params = append(b.params, param{n.Name, exprString(f.Type)})
		}
	}
	return b, nil
}

func exprString(e ast.Expr) string {
	switch e := e.(type) {
	case *ast.Ident:
		return e.Name
	case *ast.SelectorExpr:
		return exprString(e.X) + "." + e.Sel.Name
	case *ast.StarExpr:
		return "*" + exprString(e.X)
	case *ast.ArrayType:
		return "[]" + exprString(e.Elt)
	case *ast.MapType:
		return "map[" + exprString(e.Key) + "]" + exprString(e.Value)
	case *ast.InterfaceType:
		return "interface{}"
	}
	return fmt.Sprintf("%T", e)
}

// declaredByHand returns the top-level names declared in the package's
// hand-written files, which generated code must not declare again.
func declaredByHand(dir string) (map[string]bool, error) {
	names := map[string]bool{}
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	for _, path := range files {
		if strings.HasSuffix(path, "_gen.go") || strings.HasSuffix(path, "_test.go") {
			continue
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, src, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.GenDecl:
				for _, sp := range d.Specs {
					switch sp := sp.(type) {
					case *ast.TypeSpec:
						names[sp.Name.Name] = true
					case *ast.ValueSpec:
						for _, n := range sp.Names {
							names[n.Name] = true
						}
					}
				}
			case *ast.FuncDecl:
				if d.Recv == nil {
					names[d.Name.Name] = true
				}
			}
		}
	}
	return names, nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
