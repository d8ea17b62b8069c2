package main

import (
	"go/constant"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/packages"
)

// apiLines lists the exported API of pkgs, one sorted line per fact, such as
//
//	pkg example.com/shop, func Open(string) (*Shop, error)
//	pkg example.com/shop, method (*Shop) Close() error
//	pkg example.com/shop, type Item struct, Name string
func apiLines(pkgs []*packages.Package) []string {
	var lines []string
	for _, p := range pkgs {
		l := &lister{w: typeWriter{pkg: p.Types}, prefix: "pkg " + p.PkgPath + ", "}
		scope := p.Types.Scope()
		for _, name := range scope.Names() {
			if obj := scope.Lookup(name); obj.Exported() {
				l.object(obj)
			}
		}
		lines = append(lines, l.lines...)
	}
	slices.Sort(lines)
	return slices.Compact(lines)
}

// A lister collects the lines of one package.
type lister struct {
	w      typeWriter
	prefix string
	lines  []string
}

func (l *lister) emit(parts ...string) {
	l.lines = append(l.lines, l.prefix+strings.Join(parts, ""))
}

func (l *lister) object(obj types.Object) {
	switch obj := obj.(type) {
	case *types.Const:
		l.emit("const ", obj.Name(), " ", l.w.string(obj.Type()))
		l.emit("const ", obj.Name(), " = ", constValue(obj.Val()))
	case *types.Var:
		l.emit("var ", obj.Name(), " ", l.w.string(obj.Type()))
	case *types.Func:
		sig := obj.Type().(*types.Signature)
		l.emit("func ", obj.Name(), l.w.typeParams(sig.TypeParams()), l.w.signature(sig))
	case *types.TypeName:
		l.typeName(obj)
	}
}

// constValue is a constant's value in Go syntax. A float that cannot be
// written exactly in short form gets its exact value in a comment.
func constValue(v constant.Value) string {
	exact := v.ExactString()
	if v.Kind() == constant.String {
		return exact
	}
	if short := v.String(); short != exact {
		return short + "  // " + exact
	}
	return exact
}

func (l *lister) typeName(obj *types.TypeName) {
	if obj.IsAlias() {
		// An alias is listed as what it names, so that an alias of an
		// internal package's type shows as one.
		rhs := obj.Type()
		tparams := ""
		if a, ok := rhs.(*types.Alias); ok {
			rhs = a.Rhs()
			tparams = l.w.typeParams(a.TypeParams())
		}
		l.emit("type ", obj.Name(), tparams, " = ", l.w.string(rhs))
		return
	}
	named, ok := obj.Type().(*types.Named)
	if !ok {
		return // only aliases and defined types have type names
	}
	decl := "type " + obj.Name() + l.w.typeParams(named.TypeParams())
	switch u := named.Underlying().(type) {
	case *types.Struct:
		l.structType(decl, u)
	case *types.Interface:
		l.interfaceType(decl, u)
	default:
		l.emit(decl, " ", l.w.string(u))
	}
	for m := range named.Methods() {
		if m.Exported() {
			l.method(obj.Name(), m)
		}
	}
}

func (l *lister) structType(decl string, s *types.Struct) {
	decl += " struct"
	l.emit(decl)
	for f := range s.Fields() {
		switch {
		case !f.Exported():
		case f.Embedded():
			l.emit(decl, ", embedded ", l.w.string(f.Type()))
		default:
			l.emit(decl, ", ", f.Name(), " ", l.w.string(f.Type()))
		}
	}
}

// interfaceType lists an interface's type terms and exported method names
// on the declaration's line, then each method on its own line.
func (l *lister) interfaceType(decl string, iface *types.Interface) {
	var items []string
	for t := range iface.EmbeddedTypes() {
		if !types.IsInterface(t) {
			items = append(items, l.w.string(t))
		}
	}
	var names []string
	unexported := false
	for m := range iface.Methods() {
		if m.Exported() {
			names = append(names, m.Name())
		} else {
			unexported = true
		}
	}
	slices.Sort(names)
	items = append(items, names...)
	if unexported {
		items = append(items, "unexported methods")
	}
	decl += " interface"
	if len(items) == 0 {
		l.emit(decl, " {}")
	} else {
		l.emit(decl, " { ", strings.Join(items, ", "), " }")
	}
	for m := range iface.Methods() {
		if m.Exported() {
			l.emit(decl, ", ", m.Name(), l.w.signature(m.Signature()))
		}
	}
}

// method lists a declared method; promoted ones are listed with the type
// that declares them.
func (l *lister) method(typeName string, m *types.Func) {
	sig := m.Signature()
	recv := typeName
	if n := sig.RecvTypeParams().Len(); n > 0 {
		recv += l.w.typeParamNames(sig.RecvTypeParams())
	}
	if _, ok := sig.Recv().Type().(*types.Pointer); ok {
		recv = "*" + recv
	}
	l.emit("method (", recv, ") ", m.Name(), l.w.signature(sig))
}
