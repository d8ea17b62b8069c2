package table

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

type record struct {
	Name string
	Tags []string
}

func TestTableKeepsOrderAndCopies(t *testing.T) {
	var tb Table[record]
	tb.Put("b", record{Name: "b"})
	tb.Put("a", record{Name: "a", Tags: []string{"x"}})
	tb.Put("b", record{Name: "b2"}) // in place, not last

	got, ok := tb.Get("a")
	if !ok {
		t.Fatal("Get(a) found nothing")
	}
	got.Tags[0] = "changed"
	if again, _ := tb.Get("a"); again.Tags[0] != "x" {
		t.Errorf("a change to a record Get returned reached the store: %q", again.Tags[0])
	}
	want := []record{{Name: "b2"}, {Name: "a", Tags: []string{"x"}}}
	if diff := cmp.Diff(want, tb.List(nil)); diff != "" {
		t.Errorf("List(nil) (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"a"}, tb.Keys(func(r record) bool { return len(r.Tags) > 0 })); diff != "" {
		t.Errorf("Keys (-want +got):\n%s", diff)
	}
}

func TestTableDeletes(t *testing.T) {
	var tb Table[string]
	for _, k := range []string{"s1", Child("s1", "d1"), Child("s1", "d2"), Child("s10", "d3"), "s2"} {
		tb.Put(k, k)
	}
	if diff := cmp.Diff([]string{"s1/d1", "s1/d2"}, tb.Children("s1")); diff != "" {
		t.Errorf("Children(s1) (-want +got):\n%s", diff)
	}
	tb.DeleteChildren("s1")
	if !tb.Delete("s2") || tb.Delete("s2") {
		t.Error("Delete(s2) twice: want true, then false")
	}
	if diff := cmp.Diff([]string{"s1", "s10/d3"}, tb.List(nil)); diff != "" {
		t.Errorf("after deleting s1's children and s2 (-want +got):\n%s", diff)
	}
	if tb.Has("s2") || !tb.Has("s1") {
		t.Error("Has disagrees with what was deleted")
	}
	if got := tb.List(func(string) bool { return false }); got == nil {
		t.Error("an empty List is nil; want [] so that it encodes as a JSON array")
	}
}

func TestDeref(t *testing.T) {
	n := 3
	if Deref(&n) != 3 || Deref[int](nil) != 0 {
		t.Error("Deref: want the value, or zero for nil")
	}
}

// handlerFunc has the shape of a generated StrictHandlerFunc.
type handlerFunc func(context.Context, http.ResponseWriter, *http.Request, any) (any, error)

// TestSerialize runs many requests at once through handlers that read
// and write unguarded state: the race detector fails the test unless
// Serialize holds the lock around each.
func TestSerialize(t *testing.T) {
	var mu sync.Mutex
	count := 0
	h := Serialize[handlerFunc](&mu)(func(context.Context, http.ResponseWriter, *http.Request, any) (any, error) {
		count++
		return count, nil
	}, "op")
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			h(context.Background(), httptest.NewRecorder(), httptest.NewRequest("GET", "/", nil), nil)
		})
	}
	wg.Wait()
	if count != 50 {
		t.Errorf("count = %d after 50 requests, want 50", count)
	}
}

func TestView(t *testing.T) {
	var tb Table[record]
	tb.Put("a", record{Name: "a"})
	var got string
	if !tb.View("a", func(r record) { got = r.Name }) || got != "a" {
		t.Errorf("View(a) read %q, want a", got)
	}
	if tb.View("b", func(record) { t.Error("View(b) called read for a missing record") }) {
		t.Error("View(b) = true for a missing record")
	}
}

func TestRemarshal(t *testing.T) {
	got := Remarshal[map[string]any](record{Name: "a", Tags: []string{"x"}})
	want := map[string]any{"Name": "a", "Tags": []any{"x"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Remarshal (-want +got):\n%s", diff)
	}
}
