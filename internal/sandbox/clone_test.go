package sandbox_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/sandbox"
)

type inner struct {
	N    *int
	Tags []string
}

type record struct {
	ID     [2]byte
	Name   *string
	When   time.Time
	Inner  inner
	Ptrs   []*inner
	Attrs  map[string]any
	Nested *map[string][]int
	Nil    *inner
}

func TestClone(t *testing.T) {
	n, name := 1, "a"
	nested := map[string][]int{"x": {1, 2}}
	orig := record{
		ID: [2]byte{1, 2}, Name: &name, When: time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC),
		Inner: inner{N: &n, Tags: []string{"t"}}, Ptrs: []*inner{{N: &n}},
		Attrs:  map[string]any{"list": []any{"v", map[string]any{"k": 1.5}}},
		Nested: &nested,
	}
	want := sandbox.Clone(orig) // a second copy to compare against after the mutations
	c := sandbox.Clone(orig)
	if diff := cmp.Diff(orig, c); diff != "" {
		t.Fatalf("the copy differs (-orig +copy):\n%s", diff)
	}
	*c.Name = "changed"
	*c.Inner.N = 99
	c.Inner.Tags[0] = "changed"
	*c.Ptrs[0].N = 98
	c.Attrs["list"].([]any)[1].(map[string]any)["k"] = 0.0
	(*c.Nested)["x"][0] = 7
	c.ID[0] = 9
	if diff := cmp.Diff(want, orig); diff != "" {
		t.Errorf("changing the copy changed the original (-before +after):\n%s", diff)
	}
}
