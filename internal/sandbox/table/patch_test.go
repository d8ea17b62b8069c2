package table

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPatch(t *testing.T) {
	type stored struct {
		Name  *string        `json:"name,omitempty"`
		Count int            `json:"count"`
		Prefs map[string]any `json:"prefs,omitempty"`
	}
	type update struct {
		Name  *string         `json:"name,omitempty"`
		Prefs *map[string]any `json:"prefs,omitempty"`
		Other *string         `json:"other,omitempty"`
	}
	s := func(v string) *string { return &v }
	tests := []struct {
		name string
		body update
		want stored
	}{
		{"nothing sent keeps all", update{}, stored{Name: s("a"), Count: 3, Prefs: map[string]any{"x": 1.0}}},
		{"a member sent replaces", update{Name: s("b")}, stored{Name: s("b"), Count: 3, Prefs: map[string]any{"x": 1.0}}},
		{"a map merges by key", update{Prefs: &map[string]any{"y": 2.0}}, stored{Name: s("a"), Count: 3, Prefs: map[string]any{"x": 1.0, "y": 2.0}}},
		{"a member without a field is dropped", update{Other: s("z")}, stored{Name: s("a"), Count: 3, Prefs: map[string]any{"x": 1.0}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := stored{Name: s("a"), Count: 3, Prefs: map[string]any{"x": 1.0}}
			Patch(&got, tt.body)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestPatchPanicsOnAMismatch(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Patch did not panic on a body whose JSON the record cannot take")
		}
	}()
	var dst struct {
		N int `json:"n"`
	}
	Patch(&dst, map[string]string{"n": "not a number"})
}
