package onair_test

import (
	"bufio"
	"bytes"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// twinsFile is where the README's Go snippets have their compiled twins:
// one function per snippet, named after the README's section.
const twinsFile = "readme_examples_test.go"

// The README's Go snippets are code a reader copies, so each must compile:
// every ```go block must appear, line for line, in the body of a function
// that `go test` compiles in this package. And every function of
// twinsFile must hold a block, so that no twin outlives its snippet.
func TestREADMESnippetsCompile(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks, err := goBlocks(readme)
	if err != nil {
		t.Fatalf("README.md: %v", err)
	}
	if len(blocks) == 0 {
		t.Fatal("README.md has no ```go block: is the fence still spelled ```go?")
	}
	funcs, err := testFuncs(".")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	for _, b := range blocks {
		twin := findTwin(b, funcs)
		if twin == nil {
			t.Errorf("README.md:%d: the go block starting %q has no twin in a function of this package's tests; copy it into %s", b.line, b.first(), twinsFile)
			continue
		}
		used[twin.name] = true
	}
	for _, f := range funcs {
		if filepath.Base(f.file) == twinsFile && !used[f.name] {
			t.Errorf("%s: func %s holds no ```go block of README.md: update it to the README's snippet or delete it", twinsFile, f.name)
		}
	}
}

// A block is a ```go fenced block of a Markdown file.
type block struct {
	line  int      // of its first code line, from 1
	lines []string // normalised: see normalise
}

func (b block) first() string {
	if len(b.lines) == 0 {
		return ""
	}
	return b.lines[0]
}

// goBlocks returns the ```go blocks of a Markdown text, in order.
func goBlocks(md []byte) ([]block, error) {
	var (
		blocks []block
		open   *block
		raw    []string
	)
	sc := bufio.NewScanner(bytes.NewReader(md))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		fence := strings.TrimSpace(line)
		switch {
		case open == nil && fence == "```go":
			open, raw = &block{line: n + 1}, nil
		case open != nil && fence == "```":
			open.lines = normalise(raw)
			blocks = append(blocks, *open)
			open = nil
		case open != nil:
			raw = append(raw, line)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if open != nil {
		return nil, fmt.Errorf("the go block at line %d has no closing ```", open.line-1)
	}
	return blocks, nil
}

// normalise makes code comparable whatever its indentation and alignment:
// each line with its runs of white space made one space and trimmed, blank
// lines left out.
func normalise(lines []string) []string {
	var out []string
	for _, l := range lines {
		if f := strings.Fields(l); len(f) > 0 {
			out = append(out, strings.Join(f, " "))
		}
	}
	return out
}

// A funcBody is the normalised body of a function declared in a test file.
type funcBody struct {
	file, name string
	lines      []string
}

// testFuncs returns the bodies of the functions declared in the test files
// that `go test` compiles in dir.
func testFuncs(dir string) ([]funcBody, error) {
	pkg, err := build.ImportDir(dir, 0)
	if err != nil {
		return nil, err
	}
	var out []funcBody
	fset := token.NewFileSet()
	for _, name := range slices.Concat(pkg.TestGoFiles, pkg.XTestGoFiles) {
		path := filepath.Join(dir, name)
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, path, src, parser.ParseComments)
		if err != nil {
			return nil, err
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil {
				continue
			}
			body := src[fset.Position(fn.Body.Lbrace).Offset+1 : fset.Position(fn.Body.Rbrace).Offset]
			out = append(out, funcBody{file: path, name: fn.Name.Name, lines: normalise(strings.Split(string(body), "\n"))})
		}
	}
	return out, nil
}

// findTwin returns the first function whose body holds b's lines in a
// row, or nil.
func findTwin(b block, funcs []funcBody) *funcBody {
	for i, f := range funcs {
		if contains(f.lines, b.lines) {
			return &funcs[i]
		}
	}
	return nil
}

// contains reports whether sub occurs in lines as a run of consecutive
// lines.
func contains(lines, sub []string) bool {
	for i := 0; i+len(sub) <= len(lines); i++ {
		if slices.Equal(lines[i:i+len(sub)], sub) {
			return true
		}
	}
	return false
}

func TestGoBlocks(t *testing.T) {
	md := "# Title\n" +
		"```\ngo run ./cmd/onair demo\n```\n" + // not Go: left alone
		"text\n" +
		"```go\nx := 1\n\n\tif x > 0 {\n\t\ty  :=  2 // aligned\n\t}\n```\n" +
		"```go\n```\n"
	got, err := goBlocks([]byte(md))
	if err != nil {
		t.Fatal(err)
	}
	want := []block{
		{line: 7, lines: []string{"x := 1", "if x > 0 {", "y := 2 // aligned", "}"}},
		{line: 14},
	}
	if diff := cmp.Diff(want, got, cmp.AllowUnexported(block{})); diff != "" {
		t.Errorf("goBlocks (-want +got):\n%s", diff)
	}

	if _, err := goBlocks([]byte("```go\nx := 1\n")); err == nil {
		t.Error("goBlocks accepted a block without its closing fence")
	}
}

func TestFindTwin(t *testing.T) {
	funcs := []funcBody{
		{name: "readmeA", lines: []string{"var x int", "x = 1", "x++", "_ = x"}},
		{name: "readmeB", lines: []string{"y := 2", "_ = y"}},
	}
	for _, tc := range []struct {
		name  string
		block []string
		want  string // "" for none
	}{
		{"inside one body", []string{"x = 1", "x++"}, "readmeA"},
		{"a whole body", []string{"y := 2", "_ = y"}, "readmeB"},
		{"a line changed", []string{"x = 2", "x++"}, ""},
		{"lines out of order", []string{"x++", "x = 1"}, ""},
		{"lines not in a row", []string{"x = 1", "_ = x"}, ""},
		{"across two bodies", []string{"_ = x", "y := 2"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := ""
			if f := findTwin(block{lines: tc.block}, funcs); f != nil {
				got = f.name
			}
			if got != tc.want {
				t.Errorf("findTwin(%q) = %q, want %q", tc.block, got, tc.want)
			}
		})
	}
}
