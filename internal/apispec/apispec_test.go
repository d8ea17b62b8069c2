package apispec

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The project's specs load with kin-openapi, every example valid, and
// follow CONVENTIONS.md.
func TestProjectSpecsLoad(t *testing.T) {
	paths, err := filepath.Glob("../../specs/*.yaml")
	if err != nil || len(paths) != 4 {
		t.Fatalf("specs: %v %v, want four", paths, err)
	}
	for _, p := range paths {
		s, err := Load(t.Context(), p)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		if len(s.Ops) == 0 {
			t.Errorf("%s: no operations", p)
		}
	}
}

func TestLoadReadsExtensions(t *testing.T) {
	s, err := Load(t.Context(), "testdata/ok.yaml")
	if err != nil {
		t.Fatal(err)
	}
	o := s.Ops[0]
	got := []any{o.Method, o.Path, o.ID, o.Service, o.FacadeMethod, o.Evidence, o.Scopes, o.Success, *o.Result}
	want := []any{"GET", "/streams/{id}", "getStream", "Streams", "Get", "doc", [][]string{{"streams.read"}}, 200, Result{Schema: "Stream"}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestLoadReportsEveryProblem(t *testing.T) {
	_, err := Load(t.Context(), "testdata/broken.yaml")
	if err == nil {
		t.Fatal("broken spec loaded")
	}
	for _, want := range []string{
		`x-onair-method "" is empty`,
		"security names no oauth2 requirement",
		"no 429 response",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not say %q:\n%v", want, err)
		}
	}
}
