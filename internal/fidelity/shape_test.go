package fidelity

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// shape names a field by its JSON pointer, with "~" and "/" in a member's
// name escaped as RFC 6901 says, so a pointer leads back to one field.
func TestShapePointers(t *testing.T) {
	got, ok := shape([]byte(`{"a/b":{"c~d":1},"list":[{"x":"s"},{"x":null}]}`))
	if !ok {
		t.Fatal("shape: not JSON")
	}
	want := map[string]string{
		"":           "object",
		"/a~1b":      "object",
		"/a~1b/c~0d": "number",
		"/list":      "array",
		"/list/*":    "object",
		"/list/*/x":  "null|string",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("shape (-want +got):\n%s", diff)
	}
}
