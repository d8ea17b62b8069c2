package main

import (
	"fmt"
	"go/types"
	"strconv"
	"strings"
)

// A typeWriter writes types as the listing shows them: names qualified by
// their package's name unless they are pkg's own, signatures without
// parameter names, and type parameters as $0, $1... by position, so that
// renaming one does not read as an API change.
type typeWriter struct {
	pkg *types.Package
}

func (w typeWriter) string(t types.Type) string {
	var b strings.Builder
	w.write(&b, t)
	return b.String()
}

func (w typeWriter) write(b *strings.Builder, t types.Type) {
	switch t := t.(type) {
	case *types.Basic:
		b.WriteString(basicName(t))
	case *types.Pointer:
		b.WriteString("*")
		w.write(b, t.Elem())
	case *types.Slice:
		b.WriteString("[]")
		w.write(b, t.Elem())
	case *types.Array:
		fmt.Fprintf(b, "[%d]", t.Len())
		w.write(b, t.Elem())
	case *types.Map:
		b.WriteString("map[")
		w.write(b, t.Key())
		b.WriteString("]")
		w.write(b, t.Elem())
	case *types.Chan:
		w.chan_(b, t)
	case *types.Signature:
		b.WriteString("func")
		b.WriteString(w.signature(t))
	case *types.Named:
		w.name(b, t.Obj())
		w.typeList(b, t.TypeArgs())
	case *types.Alias:
		w.name(b, t.Obj())
		w.typeList(b, t.TypeArgs())
	case *types.TypeParam:
		b.WriteString("$" + strconv.Itoa(t.Index()))
	case *types.Struct:
		w.struct_(b, t)
	case *types.Interface:
		w.interface_(b, t)
	case *types.Union:
		for i := range t.Len() {
			if i > 0 {
				b.WriteString(" | ")
			}
			if t.Term(i).Tilde() {
				b.WriteString("~")
			}
			w.write(b, t.Term(i).Type())
		}
	default:
		// A type the listing has no form for yet: go/types' own spelling
		// still shows a change in review.
		b.WriteString(types.TypeString(t, w.qualifier))
	}
}

// basicName spells untyped constants' types as Go's api files do.
func basicName(t *types.Basic) string {
	switch t.Kind() {
	case types.UnsafePointer:
		return "unsafe.Pointer"
	case types.UntypedBool:
		return "ideal-bool"
	case types.UntypedInt:
		return "ideal-int"
	case types.UntypedRune:
		return "ideal-rune"
	case types.UntypedFloat:
		return "ideal-float"
	case types.UntypedComplex:
		return "ideal-complex"
	case types.UntypedString:
		return "ideal-string"
	}
	return t.Name()
}

func (w typeWriter) qualifier(p *types.Package) string {
	if p == w.pkg {
		return ""
	}
	return p.Name()
}

func (w typeWriter) name(b *strings.Builder, obj *types.TypeName) {
	if obj.Pkg() != nil && obj.Pkg() != w.pkg {
		b.WriteString(obj.Pkg().Name() + ".")
	}
	b.WriteString(obj.Name())
}

func (w typeWriter) typeList(b *strings.Builder, list *types.TypeList) {
	if list.Len() == 0 {
		return
	}
	b.WriteString("[")
	for i := range list.Len() {
		if i > 0 {
			b.WriteString(", ")
		}
		w.write(b, list.At(i))
	}
	b.WriteString("]")
}

// typeParams is a declaration's type parameter list with constraints,
// such as [$0 any, $1 ~string], or "" for none.
func (w typeWriter) typeParams(list *types.TypeParamList) string {
	if list.Len() == 0 {
		return ""
	}
	var b strings.Builder
	b.WriteString("[")
	for i := range list.Len() {
		tp := list.At(i)
		if i > 0 {
			b.WriteString(", ")
		}
		w.write(&b, tp)
		b.WriteString(" ")
		w.write(&b, tp.Constraint())
	}
	b.WriteString("]")
	return b.String()
}

// typeParamNames is a generic receiver's type parameter list, such as [$0].
func (w typeWriter) typeParamNames(list *types.TypeParamList) string {
	var b strings.Builder
	b.WriteString("[")
	for i := range list.Len() {
		tp := list.At(i)
		if i > 0 {
			b.WriteString(", ")
		}
		w.write(&b, tp)
	}
	b.WriteString("]")
	return b.String()
}

// signature is a signature's parameters and results without names, such
// as (context.Context, ...string) (*Item, error).
func (w typeWriter) signature(sig *types.Signature) string {
	var b strings.Builder
	b.WriteString("(")
	params := sig.Params()
	for i := range params.Len() {
		p := params.At(i)
		if i > 0 {
			b.WriteString(", ")
		}
		if sig.Variadic() && i == params.Len()-1 {
			b.WriteString("...")
			w.write(&b, p.Type().(*types.Slice).Elem())
			continue
		}
		w.write(&b, p.Type())
	}
	b.WriteString(")")
	switch res := sig.Results(); res.Len() {
	case 0:
	case 1:
		b.WriteString(" ")
		w.write(&b, res.At(0).Type())
	default:
		b.WriteString(" (")
		for i := range res.Len() {
			if i > 0 {
				b.WriteString(", ")
			}
			w.write(&b, res.At(i).Type())
		}
		b.WriteString(")")
	}
	return b.String()
}

func (w typeWriter) chan_(b *strings.Builder, t *types.Chan) {
	switch t.Dir() {
	case types.SendRecv:
		b.WriteString("chan ")
		// chan (<-chan T) needs the parentheses to mean what it says.
		if e, ok := t.Elem().(*types.Chan); ok && e.Dir() == types.RecvOnly {
			b.WriteString("(")
			w.write(b, e)
			b.WriteString(")")
			return
		}
	case types.SendOnly:
		b.WriteString("chan<- ")
	case types.RecvOnly:
		b.WriteString("<-chan ")
	}
	w.write(b, t.Elem())
}

// struct_ writes a struct type literal with all its fields, exported or
// not, since they make its identity.
func (w typeWriter) struct_(b *strings.Builder, s *types.Struct) {
	if s.NumFields() == 0 {
		b.WriteString("struct{}")
		return
	}
	b.WriteString("struct{ ")
	for i := range s.NumFields() {
		f := s.Field(i)
		if i > 0 {
			b.WriteString("; ")
		}
		if !f.Embedded() {
			b.WriteString(f.Name() + " ")
		}
		w.write(b, f.Type())
	}
	b.WriteString(" }")
}

// interface_ writes an interface type literal; an implicit one, as in
// [T ~string], is only its term.
func (w typeWriter) interface_(b *strings.Builder, iface *types.Interface) {
	if iface.IsImplicit() && iface.NumEmbeddeds() == 1 {
		w.write(b, iface.EmbeddedType(0))
		return
	}
	if iface.NumEmbeddeds() == 0 && iface.NumExplicitMethods() == 0 {
		b.WriteString("interface{}")
		return
	}
	b.WriteString("interface{ ")
	first := true
	sep := func() {
		if !first {
			b.WriteString("; ")
		}
		first = false
	}
	for t := range iface.EmbeddedTypes() {
		sep()
		w.write(b, t)
	}
	for m := range iface.ExplicitMethods() {
		sep()
		b.WriteString(m.Name())
		b.WriteString(w.signature(m.Signature()))
	}
	b.WriteString(" }")
}
