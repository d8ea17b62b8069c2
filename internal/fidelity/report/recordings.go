package main

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/onair-go/onair/cassette"
	"github.com/onair-go/onair/internal/fidelity"
)

// recordings is what the cassettes say, by "<provider> <operation>" as
// fidelity.Summary keys it.
type recordings struct {
	confirmed    map[string]int             // how many cassettes confirm the operation
	contradicted map[string][]contradiction // the cassettes that contradict it
	unknown      map[string][]unknownCall   // by provider: requests no operation describes
}

// A contradiction is what one cassette contradicts of an operation.
type contradiction struct {
	file     string
	problems []string // "answer `/0/id`: value must be a string"
}

// An unknownCall is a recorded request the spec has no operation for.
type unknownCall struct {
	request, file string
}

func key(provider, op string) string { return provider + " " + op }

// readRecordings checks every cassette under dir (dir/<provider>/*.json)
// against specs.
func readRecordings(dir string, specs map[string]*fidelity.Spec) (*recordings, error) {
	rec := &recordings{confirmed: map[string]int{}, contradicted: map[string][]contradiction{}, unknown: map[string][]unknownCall{}}
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.json"))
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	for _, f := range files {
		file := filepath.ToSlash(f)
		c, err := cassette.Load(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		findings, err := fidelity.Check(c, specs)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		for k, v := range fidelity.Summary(findings) {
			switch v {
			case fidelity.Confirms:
				rec.confirmed[k]++
			case fidelity.Contradicts:
				rec.contradicted[k] = append(rec.contradicted[k], contradiction{file: file, problems: problemsOf(findings, k)})
			}
		}
		for _, f := range findings {
			if f.Verdict == fidelity.Unknown {
				rec.unknown[f.Provider] = append(rec.unknown[f.Provider], unknownCall{request: f.Operation, file: file})
			}
		}
	}
	for k := range rec.contradicted {
		slices.SortFunc(rec.contradicted[k], func(a, b contradiction) int { return strings.Compare(a.file, b.file) })
	}
	for p, calls := range rec.unknown {
		slices.SortFunc(calls, func(a, b unknownCall) int {
			if c := strings.Compare(a.request, b.request); c != 0 {
				return c
			}
			return strings.Compare(a.file, b.file)
		})
		rec.unknown[p] = slices.Compact(calls)
	}
	return rec, nil
}

// problemsOf lists, once each, the problems of the findings on the
// operation k that contradict the spec.
func problemsOf(findings []fidelity.Finding, k string) []string {
	var out []string
	for _, f := range findings {
		if f.Verdict != fidelity.Contradicts || key(f.Provider, f.Operation) != k {
			continue
		}
		for _, p := range f.Problems {
			if s := problem(p); !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
	}
	return out
}

// problem writes p with its field as code.
func problem(p fidelity.Problem) string {
	if p.Pointer == "" {
		return p.In + ": " + p.Reason
	}
	return p.In + " `" + p.Pointer + "`: " + p.Reason
}
