package apispec

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
)

// Memo builds once per key, whoever asks first and however many ask at
// once, and keeps an error as it keeps a value.
func TestMemo(t *testing.T) {
	var s Spec
	var builds atomic.Int32
	type key struct{}
	var wg sync.WaitGroup
	got := make([]any, 8)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i], _ = s.Memo(key{}, func() (any, error) { builds.Add(1); return new(int), nil })
		}()
	}
	wg.Wait()
	if n := builds.Load(); n != 1 {
		t.Errorf("built %d times, want 1", n)
	}
	for _, v := range got[1:] {
		if v != got[0] {
			t.Fatalf("callers got different values: %p and %p", v, got[0])
		}
	}

	type other struct{}
	boom := errors.New("boom")
	for range 2 {
		if _, err := s.Memo(other{}, func() (any, error) { builds.Add(1); return nil, boom }); !errors.Is(err, boom) {
			t.Errorf("err = %v, want boom", err)
		}
	}
	if n := builds.Load(); n != 2 {
		t.Errorf("built %d times in all, want 2 (one per key, the error kept)", n)
	}
}
