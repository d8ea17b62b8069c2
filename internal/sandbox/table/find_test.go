package table

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestFindAndUpdate(t *testing.T) {
	missing, refused := errors.New("missing"), errors.New("refused")
	var tb Table[record]
	tb.Put("a", record{Name: "a"})

	if _, err := Find(&tb, "b", missing); err != missing {
		t.Errorf("Find(b) = %v, want the missing error", err)
	}
	if _, err := Update(&tb, "b", missing, func(*record) error { t.Error("Update(b) changed a missing record"); return nil }); err != missing {
		t.Errorf("Update(b) = %v, want the missing error", err)
	}
	if _, err := Update(&tb, "a", missing, func(r *record) error { r.Name = "half-done"; return refused }); err != refused {
		t.Errorf("a refused Update = %v, want the change's error", err)
	}
	got, err := Update(&tb, "a", missing, func(r *record) error { r.Tags = []string{"x"}; return nil })
	want := record{Name: "a", Tags: []string{"x"}}
	if diff := cmp.Diff(want, got); err != nil || diff != "" {
		t.Errorf("Update(a): err %v, record (-want +got):\n%s", err, diff)
	}
	if stored, err := Find(&tb, "a", missing); err != nil || !cmp.Equal(want, stored) {
		t.Errorf("Find(a) = %+v, %v after the updates; want %+v: a refused change must not be stored, a done one must", stored, err, want)
	}
}
func TestFirst(t *testing.T) {
	var tb Table[record]
	for _, r := range []record{{Name: "a"}, {Name: "b", Tags: []string{"x"}}, {Name: "c", Tags: []string{"x"}}} {
		tb.Put(r.Name, r)
	}
	got, ok := tb.First(func(r record) bool { return len(r.Tags) > 0 })
	if !ok || got.Name != "b" {
		t.Errorf("First = %+v, %v; want the oldest match, b", got, ok)
	}
	got.Tags[0] = "changed"
	if again, _ := tb.Get("b"); again.Tags[0] != "x" {
		t.Errorf("a change to a record First returned reached the store: %q", again.Tags[0])
	}
	if _, ok := tb.First(func(record) bool { return false }); ok {
		t.Error("First found a record nothing accepts")
	}
}
