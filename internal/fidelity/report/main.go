// Command report writes the fidelity report, specs/FIDELITY.md: per
// provider, every operation of its spec with its evidence label, its
// source and what the contributed cassettes say of it, then every row of
// the research's gap tables and what became of it. go generate runs it
// (see gen.go), so that CI keeps the report in step with the specs and
// the cassettes.
//
// Usage:
//
//	go run ./internal/fidelity/report [-o specs/FIDELITY.md] [-cassettes cassettes] spec.yaml...
//
// Each spec is named after its provider (specs/livepush.yaml). The report
// refuses a spec whose research record loses a row: one with neither
// operations it was applied to nor a reason, or applied to an operation
// or schema the spec does not have.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/onair-go/onair/internal/fidelity"
)

func main() {
	out := flag.String("o", "specs/FIDELITY.md", "the report `file` to write")
	cassettes := flag.String("cassettes", "cassettes", "the `dir` of contributed cassettes, <dir>/<provider>/*.json")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: report [-o file] [-cassettes dir] spec.yaml...")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() == 0 {
		flag.Usage()
		os.Exit(2)
	}
	report, err := build(flag.Args(), *cassettes)
	if err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, report, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

// build reads the specs and the cassettes under cassetteDir and returns
// the report.
func build(specPaths []string, cassetteDir string) ([]byte, error) {
	var provs []*provider
	specs := map[string]*fidelity.Spec{}
	for _, path := range specPaths {
		p, s, err := readProvider(path)
		if err != nil {
			return nil, err
		}
		if _, dup := specs[p.name]; dup {
			return nil, fmt.Errorf("%s: a second spec of %s", path, p.name)
		}
		specs[p.name] = s
		provs = append(provs, p)
	}
	slices.SortFunc(provs, func(a, b *provider) int { return strings.Compare(a.name, b.name) })
	rec, err := readRecordings(cassetteDir, specs)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	writeReport(&b, provs, rec)
	return b.Bytes(), nil
}
