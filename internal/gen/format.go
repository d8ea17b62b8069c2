package main

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strings"
)

// formatSource formats generated Go as gofmt does, and groups imports as
// goimports does: within each run of imports (a blank line ends one),
// the standard library's come first and a blank line parts them from the
// others. The generators write their imports in any order.
func formatSource(src []byte) ([]byte, error) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "", src, parser.ImportsOnly|parser.ParseComments)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	last := 0
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT || !gd.Lparen.IsValid() || hasComments(f, gd) {
			continue
		}
		var runs [][]importLine
		prevLine := -1
		for _, s := range gd.Specs {
			is := s.(*ast.ImportSpec)
			start, end := fset.Position(is.Pos()), fset.Position(is.End())
			l := importLine{text: string(src[start.Offset:end.Offset]), std: isStd(is.Path.Value)}
			if start.Line != prevLine+1 || len(runs) == 0 {
				runs = append(runs, nil)
			}
			runs[len(runs)-1] = append(runs[len(runs)-1], l)
			prevLine = end.Line
		}
		var groups []string
		for _, run := range runs {
			for _, std := range []bool{true, false} {
				var g []string
				for _, l := range run {
					if l.std == std {
						g = append(g, l.text)
					}
				}
				if len(g) > 0 {
					groups = append(groups, "\t"+strings.Join(g, "\n\t")+"\n")
				}
			}
		}
		out.Write(src[last : fset.Position(gd.Lparen).Offset+1])
		out.WriteString("\n" + strings.Join(groups, "\n"))
		last = fset.Position(gd.Rparen).Offset
	}
	out.Write(src[last:])
	return format.Source(out.Bytes())
}

// importLine is one import spec as written.
type importLine struct {
	text string
	std  bool
}

// isStd reports whether a quoted import path is the standard library's,
// as goimports tells: no dot in its first element.
func isStd(quoted string) bool {
	first, _, _ := strings.Cut(strings.Trim(quoted, `"`), "/")
	return !strings.Contains(first, ".")
}

// hasComments reports whether a comment sits inside the declaration; its
// imports are then left as written, so that no comment moves.
func hasComments(f *ast.File, d *ast.GenDecl) bool {
	for _, c := range f.Comments {
		if c.Pos() > d.Lparen && c.End() < d.Rparen {
			return true
		}
	}
	return false
}
