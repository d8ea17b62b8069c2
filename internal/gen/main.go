// Command gen generates, from the hand-written specs, the scope constants
// of package scopes and each provider's operation table, model names and
// service facades. For a GraphQL provider (DLive) it also reads the
// annotated operation documents (specs/dlive/*.graphql) and genqlient's
// output, adds their operations to the table and writes graphql_gen.go:
// services whose methods call genqlient's functions (see graphql.go).
// go generate runs it after oapi-codegen and genqlient (see gen.go):
//
//	go run ./internal/gen
package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"

	"golang.org/x/tools/imports"

	"github.com/onair-go/onair/internal/apispec"
)

// provider is one provider's generation.
type provider struct {
	name      string // package and lower-case name
	title     string // as the provider writes its name
	scopeType string // type in package scopes
	specPath  string
	endpoint  string // the provider's Endpoint variable, if it has one
	// A GraphQL provider's operation documents (one per file, annotated)
	// and genqlient's output from them.
	gqlDir, gqlGo string
	shortcuts     []shortcut
}

// shortcut is a method on the client that forwards to a service's.
type shortcut struct {
	name string // the client's method
	op   string // Service.Method
	what string // for its doc: "<name> <what>: a shortcut for …"
}

func providers() []*provider {
	return []*provider{
		{name: "livepush", title: "Livepush", scopeType: "Livepush", specPath: "specs/livepush.yaml", endpoint: "Endpoint"},
		{name: "livestorm", title: "Livestorm", scopeType: "Livestorm", specPath: "specs/livestorm.yaml", endpoint: "Endpoint"},
		{name: "streamdiver", title: "Streamdiver", scopeType: "Streamdiver", specPath: "specs/streamdiver.yaml"},
		{name: "dlive", title: "DLive", scopeType: "DLive", specPath: "specs/dlive.yaml", endpoint: "Endpoint",
			gqlDir: "specs/dlive", gqlGo: "dlive/internal/gql/gql.gen.go",
			shortcuts: []shortcut{{name: "Me", op: "Users.Me", what: "returns the token's user"}}},
	}
}

func main() {
	if err := run(context.Background()); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context) error {
	for _, p := range providers() {
		spec, err := apispec.Load(ctx, p.specPath)
		if err != nil {
			return err
		}
		docs, rules, err := readScopes(p.specPath)
		if err != nil {
			return err
		}
		if err := write(filepath.Join("scopes", p.name+"_gen.go"), scopesFile(p, docs, rules)); err != nil {
			return err
		}
		api, err := scanGo(filepath.Join(p.name, "internal", "api", "api.gen.go"))
		if err != nil {
			return err
		}
		hand, err := declaredByHand(p.name)
		if err != nil {
			return err
		}
		g := &facadeGen{p: p, spec: spec, api: api, hand: hand, docs: docs}
		if p.gqlDir != "" {
			if g.gql, err = loadGraphQL(g); err != nil {
				return err
			}
		}
		files, err := g.files()
		if err != nil {
			return fmt.Errorf("%s: %w", p.specPath, err)
		}
		for name, src := range files {
			if err := write(filepath.Join(p.name, name), src); err != nil {
				return err
			}
		}
	}
	return nil
}

// write formats src (grouping imports as goimports does) and writes it
// only when it changed, so a second run touches nothing.
func write(path string, src []byte) error {
	out, err := imports.Process(path, src, &imports.Options{Comments: true, TabIndent: true, TabWidth: 8, FormatOnly: true})
	if err != nil {
		return fmt.Errorf("%s: formatting generated code: %w\n%s", path, err, src)
	}
	if old, err := os.ReadFile(path); err == nil && bytes.Equal(old, out) {
		return nil
	}
	return os.WriteFile(path, out, 0o644)
}
