package main

import (
	"context"
	"encoding/json"
	"flag"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// The made-up provider under testdata: its spec, its oapi-codegen
// configurations and its hand-written package, all under testdata, as
// specs/CONVENTIONS.md and a real provider's folder have them.
const (
	acmeSpec   = "internal/gen/testdata/acme/acme.yaml"
	acmeDir    = "internal/gen/testdata/acme"
	goldenDir  = "internal/gen/testdata/golden"
	testdataOf = "internal/gen/testdata/"
)

// TestGolden generates the made-up provider Acme as go generate would a
// real one (oapi-codegen's models and sandbox server, then this
// generator's client, scope constants, operation table and sandbox) into
// a temporary directory, compares the files with the golden ones, and
// then builds and runs Acme's own tests with the generated files laid
// over the module by the go command's -overlay, so that nothing outside
// testdata is written. Run with -update to rewrite the golden files.
func TestGolden(t *testing.T) {
	t.Chdir("../..") // the module root, where go generate runs the generator
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	out := t.TempDir()

	oapi := strings.TrimSpace(goCommand(t, root, "tool", "-n", "oapi-codegen"))
	for _, cfg := range []string{"models.yaml", "server.yaml"} {
		// The configurations name their output from the module root, as
		// specs/oapi's do; run from out, they write under it.
		cmd := exec.Command(oapi, "-config", filepath.Join(root, acmeDir, "oapi", cfg), filepath.Join(root, acmeSpec))
		cmd.Dir = out
		if b, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("oapi-codegen -config %s: %v\n%s", cfg, err, b)
		}
	}

	// The union in package scopes lists every provider, the real ones and
	// Acme; only Acme's own files are generated.
	real, err := filepath.Glob("specs/*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	ps, err := loadProviders(append(real, acmeSpec))
	if err != nil {
		t.Fatal(err)
	}
	acme := ps[len(ps)-1]
	w := output(out)
	if err := generate(context.Background(), w, acme); err != nil {
		t.Fatal(err)
	}
	if err := w.write(filepath.Join("scopes", "providers_gen.go"), unionFile(ps)); err != nil {
		t.Fatal(err)
	}

	generated := generatedFiles(t, out)
	compareGolden(t, out, generated)

	// The overlay lays every generated file over the module: Acme's
	// package and sandbox, and package scopes' Acme constants and union.
	overlay := map[string]map[string]string{"Replace": {}}
	for _, rel := range generated {
		overlay["Replace"][filepath.Join(root, rel)] = filepath.Join(out, rel)
	}
	overlay["Replace"][filepath.Join(root, "scopes", "providers_gen.go")] = filepath.Join(out, "scopes", "providers_gen.go")
	b, err := json.Marshal(overlay)
	if err != nil {
		t.Fatal(err)
	}
	overlayFile := filepath.Join(out, "overlay.json")
	if err := os.WriteFile(overlayFile, b, 0o644); err != nil {
		t.Fatal(err)
	}
	// Explicit packages: ./... patterns skip testdata.
	// No vet: it would run in generated directories, which do not exist
	// on disk; go vet checks what the generator writes for the real
	// providers.
	t.Log(goCommand(t, root, "test", "-v", "-count=1", "-vet=off", "-overlay="+overlayFile,
		"./"+acmeDir, "./"+acmeDir+"/acmetest"))
}

// generatedFiles returns the paths, relative to out, of Acme's generated
// files: those in its package's tree and its scope constants.
func generatedFiles(t *testing.T, out string) []string {
	t.Helper()
	files := []string{filepath.Join("scopes", "acme_gen.go")}
	err := filepath.WalkDir(filepath.Join(out, acmeDir), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(out, path)
		files = append(files, rel)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// goldenPath is where the golden copy of the generated file rel lives:
// under testdata/golden, named .golden so that no tool takes it for Go.
func goldenPath(rel string) string {
	return filepath.Join(goldenDir, strings.TrimPrefix(filepath.ToSlash(rel), testdataOf)+".golden")
}

// compareGolden reports every generated file that differs from its golden
// copy, and every golden file nothing generated any more.
func compareGolden(t *testing.T, out string, generated []string) {
	t.Helper()
	if *update {
		if err := os.RemoveAll(goldenDir); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]bool{}
	for _, rel := range generated {
		g := goldenPath(rel)
		want[g] = true
		got, err := os.ReadFile(filepath.Join(out, rel))
		if err != nil {
			t.Fatal(err)
		}
		if *update {
			if err := os.MkdirAll(filepath.Dir(g), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(g, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		old, err := os.ReadFile(g)
		if err != nil {
			t.Errorf("%s is generated but has no golden copy (go test ./internal/gen -run TestGolden -update writes it): %v", rel, err)
			continue
		}
		if diff := cmp.Diff(strings.Split(string(old), "\n"), strings.Split(string(got), "\n")); diff != "" {
			t.Errorf("%s differs from %s (-golden +generated); if the change is meant, rewrite it with go test ./internal/gen -run TestGolden -update\n%s",
				rel, g, diff)
		}
	}
	err := filepath.WalkDir(goldenDir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && !want[path] {
			t.Errorf("%s: nothing generates this file any more; remove it", path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// goCommand runs the go command in dir and returns its output, failing
// the test with the output when it fails.
func goCommand(t *testing.T, dir string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	b, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, b)
	}
	return string(b)
}
