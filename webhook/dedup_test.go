package webhook

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// clock is a settable time for MemoryDedup, so that expiry is tested
// without sleeping.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newTestDedup() (*MemoryDedup, *clock) {
	c := &clock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	d := NewMemoryDedup()
	d.now = c.now
	return d, c
}

func TestMemoryDedup(t *testing.T) {
	type step struct {
		op      string // claim, release, advance
		key     string
		window  time.Duration
		advance time.Duration
		want    bool
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"first claim is new, second is not", []step{
			{op: "claim", key: "a", window: time.Hour, want: true},
			{op: "claim", key: "a", window: time.Hour, want: false},
		}},
		{"keys are independent", []step{
			{op: "claim", key: "a", window: time.Hour, want: true},
			{op: "claim", key: "b", window: time.Hour, want: true},
		}},
		{"release makes a key new again", []step{
			{op: "claim", key: "a", window: time.Hour, want: true},
			{op: "release", key: "a"},
			{op: "claim", key: "a", window: time.Hour, want: true},
			{op: "claim", key: "a", window: time.Hour, want: false},
		}},
		{"release of an unknown key is harmless", []step{
			{op: "release", key: "a"},
			{op: "claim", key: "a", window: time.Hour, want: true},
		}},
		{"a claim holds until its window ends", []step{
			{op: "claim", key: "a", window: time.Hour, want: true},
			{op: "advance", advance: time.Hour - time.Nanosecond},
			{op: "claim", key: "a", window: time.Hour, want: false},
		}},
		{"a claim expires with its window", []step{
			{op: "claim", key: "a", window: time.Hour, want: true},
			{op: "advance", advance: time.Hour},
			{op: "claim", key: "a", window: time.Hour, want: true},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, c := newTestDedup()
			ctx := context.Background()
			var got, want []bool
			for _, s := range tt.steps {
				switch s.op {
				case "claim":
					ok, err := d.Claim(ctx, s.key, s.window)
					if err != nil {
						t.Fatal(err)
					}
					got, want = append(got, ok), append(want, s.want)
				case "release":
					if err := d.Release(ctx, s.key); err != nil {
						t.Fatal(err)
					}
				case "advance":
					c.t = c.t.Add(s.advance)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("claims (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMemoryDedupRefuses(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		ctx    context.Context
		window time.Duration
	}{
		{"zero window", context.Background(), 0},
		{"negative window", context.Background(), -time.Second},
		{"ended context", canceled, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _ := newTestDedup()
			if ok, err := d.Claim(tt.ctx, "a", tt.window); err == nil || ok {
				t.Errorf("Claim = %v, %v; want false and an error", ok, err)
			}
		})
	}
}

// TestMemoryDedupForgets checks that memory stays bounded: keys whose
// window ended are dropped as new keys arrive.
func TestMemoryDedupForgets(t *testing.T) {
	d, c := newTestDedup()
	ctx := context.Background()
	const n = 10 * sweepEvery
	for i := range n {
		if _, err := d.Claim(ctx, fmt.Sprint("old", i), time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	c.t = c.t.Add(time.Minute)
	for i := range n {
		if _, err := d.Claim(ctx, fmt.Sprint("new", i), time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	// Every old key expired; at most the keys claimed since the last
	// sweep may linger beside the new ones.
	if got, limit := d.Len(), n+n/2; got > limit {
		t.Errorf("Len = %d after %d expired and %d live claims; want at most %d", got, n, n, limit)
	}
}

func TestMemoryDedupConcurrent(t *testing.T) {
	d := NewMemoryDedup()
	const n = 32
	var wg sync.WaitGroup
	results := make(chan bool, n)
	for range n {
		wg.Go(func() {
			ok, err := d.Claim(context.Background(), "same", time.Hour)
			if err != nil {
				t.Error(err)
			}
			results <- ok
		})
	}
	wg.Wait()
	close(results)
	won := 0
	for ok := range results {
		if ok {
			won++
		}
	}
	if won != 1 {
		t.Errorf("%d of %d concurrent claims of one key won; want exactly 1", won, n)
	}
}

func TestOnce(t *testing.T) {
	errUser := errors.New("user code failed")
	tests := []struct {
		name    string
		results []error // what handle returns on each delivery of one key
		wantRan []bool
	}{
		{"success is handled once", []error{nil, nil, nil}, []bool{true, false, false}},
		{"a failure is handled again", []error{errUser, nil, nil}, []bool{true, true, false}},
		{"failures are retried until one succeeds", []error{errUser, errUser, nil, nil}, []bool{true, true, true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewMemoryDedup()
			var gotRan []bool
			calls := 0
			for _, result := range tt.results {
				ran, err := Once(context.Background(), d, "k", time.Hour, func(context.Context) error {
					calls++
					return result
				})
				if ran && !errors.Is(err, result) && err != result {
					t.Errorf("Once error = %v; want %v", err, result)
				}
				if !ran && err != nil {
					t.Errorf("Once skipped with error %v; want nil", err)
				}
				gotRan = append(gotRan, ran)
			}
			if diff := cmp.Diff(tt.wantRan, gotRan); diff != "" {
				t.Errorf("ran (-want +got):\n%s", diff)
			}
			wantCalls := 0
			for _, r := range tt.wantRan {
				if r {
					wantCalls++
				}
			}
			if calls != wantCalls {
				t.Errorf("handle called %d times; want %d", calls, wantCalls)
			}
		})
	}
}

// failingDedup claims everything and fails to release.
type failingDedup struct{ claimErr, releaseErr error }

func (f failingDedup) Claim(context.Context, string, time.Duration) (bool, error) {
	return f.claimErr == nil, f.claimErr
}
func (f failingDedup) Release(context.Context, string) error { return f.releaseErr }

func TestOnceStoreErrors(t *testing.T) {
	errStore := errors.New("store down")
	errUser := errors.New("user code failed")

	ran, err := Once(context.Background(), failingDedup{claimErr: errStore}, "k", time.Hour, func(context.Context) error {
		t.Error("handle ran although the claim failed")
		return nil
	})
	if ran || !errors.Is(err, errStore) {
		t.Errorf("claim failure: Once = %v, %v; want false and %v", ran, err, errStore)
	}

	ran, err = Once(context.Background(), failingDedup{releaseErr: errStore}, "k", time.Hour, func(context.Context) error { return errUser })
	if !ran || !errors.Is(err, errUser) || !errors.Is(err, errStore) {
		t.Errorf("release failure: Once = %v, %v; want true and both errors", ran, err)
	}
}

// TestOncePanic checks that a delivery whose handler panicked is handled
// again on redelivery: the panic goes on up, and the claim is released.
func TestOncePanic(t *testing.T) {
	d := NewMemoryDedup()
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the handler's panic did not reach Once's caller")
			}
		}()
		_, _ = Once(context.Background(), d, "k", time.Hour, func(context.Context) error { panic("user code") })
	}()
	ran, err := Once(context.Background(), d, "k", time.Hour, func(context.Context) error { return nil })
	if !ran || err != nil {
		t.Errorf("redelivery after a panic: Once = %v, %v; want true, nil", ran, err)
	}
}

// lateDedup is a store whose write lands before it notices that its
// context ended, as a database's may: the INSERT commits, then the driver
// reports the cancellation.
type lateDedup struct{ *MemoryDedup }

func (d lateDedup) Claim(ctx context.Context, key string, window time.Duration) (bool, error) {
	ok, err := d.MemoryDedup.Claim(context.Background(), key, window)
	if ctx.Err() != nil {
		return false, ctx.Err()
	}
	return ok, err
}

// TestOnceCanceledClaim checks that a delivery whose request ended while
// it was being claimed is handled on redelivery: the request's end must
// not leave a claim behind that no handler ran for.
func TestOnceCanceledClaim(t *testing.T) {
	d := lateDedup{NewMemoryDedup()}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	ran, err := Once(canceled, d, "k", time.Hour, func(ctx context.Context) error { return ctx.Err() })
	if err == nil {
		t.Fatalf("Once with an ended context = %v, nil; want an error so that the provider delivers again", ran)
	}
	ran, err = Once(context.Background(), d, "k", time.Hour, func(context.Context) error { return nil })
	if !ran || err != nil {
		t.Errorf("redelivery after an ended request: Once = %v, %v; want true, nil", ran, err)
	}
}
