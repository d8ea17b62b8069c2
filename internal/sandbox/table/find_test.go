package table

import "testing"

func TestFind(t *testing.T) {
	var tb Table[record]
	for _, r := range []record{{Name: "a"}, {Name: "b", Tags: []string{"x"}}, {Name: "c", Tags: []string{"x"}}} {
		tb.Put(r.Name, r)
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
