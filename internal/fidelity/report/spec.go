package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	gqlast "github.com/vektah/gqlparser/v2/ast"
	gqlparse "github.com/vektah/gqlparser/v2/parser"

	"github.com/onair-go/onair/internal/fidelity"
	"github.com/onair-go/onair/internal/gqlop"
)

// A provider is what the report says of one spec.
type provider struct {
	name, title string // "livepush", "Livepush"
	path        string // the spec's file
	source      string // info.x-onair-source, the default source
	ops         []operation
	research    []researchRow
}

// An operation is one row of a provider's table.
type operation struct {
	name     string // the operationId, or a GraphQL operation's name
	method   string // Service.Method on the client
	evidence string
	source   string // its own source; "" for the spec's default
}

// A researchRow is one entry of a spec's x-onair-research.
type researchRow struct {
	Row     string   `json:"row"`
	Finding string   `json:"finding"`
	Source  string   `json:"source"`
	Applied []string `json:"applied"`
	Reason  string   `json:"reason"`
}

// graphQLSpec is the part of x-onair-provider the report reads.
type graphQLSpec struct {
	GraphQL *struct {
		Dir    string `json:"dir"`
		Schema string `json:"schema"`
	} `json:"graphql"`
}

// readProvider reads the spec at path, named after its provider, and
// checks its research record.
func readProvider(path string) (*provider, *fidelity.Spec, error) {
	name := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	s, err := fidelity.LoadSpec(name, path)
	if err != nil {
		return nil, nil, err
	}
	doc := s.API.Doc
	p := &provider{name: name, title: s.Provider.Title(), path: filepath.ToSlash(path)}
	p.source, _ = doc.Info.Extensions["x-onair-source"].(string)
	if p.source == "" {
		return nil, nil, fmt.Errorf("%s: info.x-onair-source is missing: name the provider's reference docs", path)
	}
	schemas := map[string]bool{}
	for n := range doc.Components.Schemas {
		schemas[n] = true
	}
	for _, o := range s.API.Ops {
		src, _ := o.Op.Extensions["x-onair-source"].(string)
		p.ops = append(p.ops, operation{name: o.ID, method: o.Service + "." + o.FacadeMethod, evidence: o.Evidence, source: src})
	}
	var gql graphQLSpec
	if err := extension(doc.Extensions, "x-onair-provider", &gql); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if g := gql.GraphQL; g != nil {
		ops, err := readGraphQLOps(g.Dir)
		if err != nil {
			return nil, nil, err
		}
		p.ops = append(p.ops, ops...)
		if g.Schema != "" {
			if err := graphQLTypes(g.Schema, schemas); err != nil {
				return nil, nil, err
			}
		}
	}
	slices.SortFunc(p.ops, func(a, b operation) int {
		return cmp.Or(strings.Compare(a.method, b.method), strings.Compare(a.name, b.name))
	})
	if err := extension(doc.Extensions, "x-onair-research", &p.research); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := p.checkResearch(schemas); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	slices.SortFunc(p.research, func(a, b researchRow) int { return compareRows(a.Row, b.Row) })
	return p, s, nil
}

// extension decodes the spec extension named key into v; a missing one
// leaves v alone.
func extension(ext map[string]any, key string, v any) error {
	raw, ok := ext[key]
	if !ok {
		return nil
	}
	b, err := json.Marshal(raw)
	if err != nil {
		return fmt.Errorf("%s: %w", key, err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		return fmt.Errorf("%s is not as specs/CONVENTIONS.md describes it: %w", key, err)
	}
	return nil
}

// readGraphQLOps reads the header of every operation document in dir.
// internal/gen checks that each operation is named after its file.
func readGraphQLOps(dir string) ([]operation, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.graphql"))
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no *.graphql operation documents", dir)
	}
	var ops []operation
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		h, err := gqlop.ReadHeader(src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.ToSlash(f), err)
		}
		ops = append(ops, operation{
			name:     strings.TrimSuffix(filepath.Base(f), ".graphql"),
			method:   h.Service + "." + h.Method,
			evidence: h.Evidence,
			source:   h.Source,
		})
	}
	return ops, nil
}

// graphQLTypes adds the names of the types a GraphQL schema defines or
// extends to types.
func graphQLTypes(path string, types map[string]bool) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	doc, err := gqlparse.ParseSchema(&gqlast.Source{Name: filepath.ToSlash(path), Input: string(src)})
	if err != nil {
		return err
	}
	for _, d := range append(doc.Definitions, doc.Extensions...) {
		types[d.Name] = true
	}
	return nil
}

// checkResearch makes sure no research row is lost: each is applied to
// operations or schemas the spec has, or says why it is not.
func (p *provider) checkResearch(schemas map[string]bool) error {
	ops := map[string]bool{}
	for _, o := range p.ops {
		ops[o.name] = true
	}
	seen := map[string]bool{}
	for i, r := range p.research {
		if r.Row == "" {
			return fmt.Errorf("x-onair-research entry %d has no row: name the research row it records", i+1)
		}
		if seen[r.Row] {
			return fmt.Errorf("x-onair-research row %q is recorded twice", r.Row)
		}
		seen[r.Row] = true
		if len(r.Applied) == 0 && strings.TrimSpace(r.Reason) == "" {
			return fmt.Errorf("x-onair-research row %q has neither applied nor reason: list what it was applied to or say why it was not", r.Row)
		}
		for _, a := range r.Applied {
			if typ, ok := strings.CutPrefix(a, "schema:"); ok {
				if !schemas[typ] {
					return fmt.Errorf("x-onair-research row %q is applied to %q, but the spec has no schema %s", r.Row, a, typ)
				}
			} else if !ops[a] {
				return fmt.Errorf("x-onair-research row %q is applied to %q, which is no operation of the spec: name an operationId, a GraphQL operation or schema:<Type>", r.Row, a)
			}
		}
	}
	return nil
}

// compareRows orders research rows by their words, numbers by value
// ("Livepush 2" before "Livepush 10").
func compareRows(a, b string) int {
	wa, wb := strings.Fields(a), strings.Fields(b)
	for i := range min(len(wa), len(wb)) {
		na, errA := strconv.Atoi(wa[i])
		nb, errB := strconv.Atoi(wb[i])
		if errA == nil && errB == nil {
			if c := cmp.Compare(na, nb); c != 0 {
				return c
			}
			continue
		}
		if c := strings.Compare(wa[i], wb[i]); c != 0 {
			return c
		}
	}
	return cmp.Compare(len(wa), len(wb))
}
