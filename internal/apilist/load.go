package main

import (
	"fmt"
	"slices"
	"strings"

	// go/packages is why golang.org/x/tools stays a dependency: apilist
	// needs the public packages type-checked, loaded as the go command
	// loads them (module graph, build tags), and go/packages asks the go
	// command for it, dependencies as compiled export data. The standard
	// library's importers either want that export data already built
	// (gc) or type-check every dependency from source (source), slowly.
	"golang.org/x/tools/go/packages"
)

// loadPublic loads the types of the public packages of the module in dir:
// those a user can import, so neither internal ones nor commands. Test
// files are left out.
func loadPublic(dir string) ([]*packages.Package, error) {
	// Listing first costs little and keeps the type loading, which
	// compiles dependencies, to the packages that are listed.
	all, err := load(dir, packages.NeedName|packages.NeedFiles, "./...")
	if err != nil {
		return nil, err
	}
	var paths []string
	for _, p := range all {
		if isPublic(p) {
			paths = append(paths, p.PkgPath)
		}
	}
	if len(paths) == 0 {
		return nil, fmt.Errorf("no public packages under %s: run apilist from the module's root or pass -dir", dir)
	}
	return load(dir, packages.NeedName|packages.NeedTypes, paths...)
}

// isPublic reports whether other modules may import p.
func isPublic(p *packages.Package) bool {
	if p.Name == "main" || len(p.GoFiles) == 0 {
		return false
	}
	return !slices.Contains(strings.Split(p.PkgPath, "/"), "internal")
}

// load loads the packages that patterns name in the module in dir and
// fails if any of them has an error.
func load(dir string, mode packages.LoadMode, patterns ...string) ([]*packages.Package, error) {
	cfg := &packages.Config{Mode: mode, Dir: dir}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		return nil, fmt.Errorf("loading packages: %w", err)
	}
	var first error
	n := 0
	for _, p := range pkgs {
		for _, e := range p.Errors {
			if first == nil {
				first = fmt.Errorf("package %s: %w", p.PkgPath, e)
			}
			n++
		}
	}
	switch {
	case n == 1:
		return nil, fmt.Errorf("loading packages: %w", first)
	case n > 1:
		return nil, fmt.Errorf("loading packages: %w (and %d more errors; go vet ./... lists them)", first, n-1)
	}
	return pkgs, nil
}
