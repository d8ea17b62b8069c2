package table

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestPutAllAndFind(t *testing.T) {
	var tb Table[record]
	tb.PutAll([]record{{Name: "a"}, {Name: "b", Tags: []string{"x"}}, {Name: "c", Tags: []string{"x"}}}, func(r record) string { return r.Name })
	if diff := cmp.Diff([]string{"a", "b", "c"}, tb.Keys(func(record) bool { return true })); diff != "" {
		t.Errorf("PutAll keys (-want +got):\n%s", diff)
	}
	got, ok := tb.Find(func(r record) bool { return len(r.Tags) > 0 })
	if !ok || got.Name != "b" {
		t.Errorf("Find = %+v, %v; want the oldest match, b", got, ok)
	}
	got.Tags[0] = "changed"
	if again, _ := tb.Get("b"); again.Tags[0] != "x" {
		t.Errorf("a change to a record Find returned reached the store: %q", again.Tags[0])
	}
	if _, ok := tb.Find(func(record) bool { return false }); ok {
		t.Error("Find found a record nothing accepts")
	}
}
