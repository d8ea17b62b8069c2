package main

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// formatSource groups imports as goimports did for the generator before
// it: the standard library first in each run, a blank line before the
// others, runs the generator parted kept apart, and the rest as gofmt.
func TestFormatSource(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{
			"one mixed run",
			"package p\nimport (\n\"context\"\n\"github.com/x/y\"\nq \"example.com/q\"\n\"iter\"\n)\nvar _ = 1\n",
			"package p\n\nimport (\n\t\"context\"\n\t\"iter\"\n\n\tq \"example.com/q\"\n\t\"github.com/x/y\"\n)\n\nvar _ = 1\n",
		},
		{
			"runs kept apart",
			"package p\n\nimport (\n\t\"net/http\"\n\n\t\"golang.org/x/oauth2\"\n\n\t\"github.com/x/y\"\n\t\"fmt\"\n)\n",
			"package p\n\nimport (\n\t\"net/http\"\n\n\t\"golang.org/x/oauth2\"\n\n\t\"fmt\"\n\n\t\"github.com/x/y\"\n)\n",
		},
		{
			"only the standard library",
			"package p\nimport (\n\"os\"\n\"fmt\"\n)\n",
			"package p\n\nimport (\n\t\"fmt\"\n\t\"os\"\n)\n",
		},
		{
			"a comment keeps the block as written",
			"package p\nimport (\n\"github.com/x/y\" // why\n\"fmt\"\n)\n",
			"package p\n\nimport (\n\t\"fmt\"\n\t\"github.com/x/y\" // why\n)\n",
		},
		{"no imports", "package p\nvar x=1\n", "package p\n\nvar x = 1\n"},
	} {
		got, err := formatSource([]byte(tc.src))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if d := cmp.Diff(tc.want, string(got)); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.name, d)
		}
	}
	if _, err := formatSource([]byte("package p\nfunc {")); err == nil {
		t.Error("formatSource accepted Go that does not parse")
	}
}
