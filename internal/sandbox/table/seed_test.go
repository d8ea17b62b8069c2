package table

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSeed(t *testing.T) {
	read := Seed[[]record]([]byte(`[{"Name": "b", "Tags": ["x"]}, {"Name": "a"}]`))
	var tb Table[record]
	tb.PutAll(read(), func(r record) string { return r.Name })
	want := []record{{Name: "b", Tags: []string{"x"}}, {Name: "a"}}
	if diff := cmp.Diff(want, tb.List(nil)); diff != "" {
		t.Errorf("seeded table, in the data's order (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"b", "a"}, tb.Keys(func(record) bool { return true })); diff != "" {
		t.Errorf("keys (-want +got):\n%s", diff)
	}
	if &read()[0] != &read()[0] {
		t.Error("Seed decoded its data again on a second call")
	}
}

func TestSeedPanicsOnBadData(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Seed did not panic on data that does not decode")
		}
	}()
	Seed[[]record]([]byte(`{"not": "a list"}`))()
}
