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
		op      string // claim, done, release, advance
		key     string
		d       time.Duration // the lease of a claim, the window of a done
		advance time.Duration
		want    Claim
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"a claimed key is busy until done", []step{
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
			{op: "claim", key: "a", d: time.Minute, want: Busy},
		}},
		{"a done key is handled", []step{
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
			{op: "done", key: "a", d: time.Hour},
			{op: "claim", key: "a", d: time.Minute, want: Handled},
		}},
		{"keys are independent", []step{
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
			{op: "claim", key: "b", d: time.Minute, want: Claimed},
		}},
		{"release makes a key new again", []step{
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
			{op: "release", key: "a"},
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
			{op: "claim", key: "a", d: time.Minute, want: Busy},
		}},
		{"release of an unknown key is harmless", []step{
			{op: "release", key: "a"},
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
		}},
		{"a claim is busy until its lease ends", []step{
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
			{op: "advance", advance: time.Minute - time.Nanosecond},
			{op: "claim", key: "a", d: time.Minute, want: Busy},
		}},
		{"a claim expires with its lease", []step{
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
			{op: "advance", advance: time.Minute},
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
			{op: "claim", key: "a", d: time.Minute, want: Busy},
		}},
		{"a done key is remembered for its window, past the lease", []step{
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
			{op: "done", key: "a", d: time.Hour},
			{op: "advance", advance: time.Hour - time.Nanosecond},
			{op: "claim", key: "a", d: time.Minute, want: Handled},
		}},
		{"a done key is forgotten after its window", []step{
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
			{op: "done", key: "a", d: time.Hour},
			{op: "advance", advance: time.Hour},
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
		}},
		{"the window counts from done", []step{
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
			{op: "advance", advance: 50 * time.Second},
			{op: "done", key: "a", d: time.Minute},
			{op: "advance", advance: 59 * time.Second},
			{op: "claim", key: "a", d: time.Minute, want: Handled},
		}},
		// A handler outlived its lease and a redelivery's handler took the
		// key over; the first succeeded, the second failed: the delivery
		// was handled, and its next redelivery must not run a third time.
		{"release keeps a done key handled", []step{
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
			{op: "advance", advance: time.Minute},
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
			{op: "done", key: "a", d: time.Hour},
			{op: "release", key: "a"},
			{op: "claim", key: "a", d: time.Minute, want: Handled},
		}},
		{"done after the lease ended still remembers", []step{
			{op: "claim", key: "a", d: time.Minute, want: Claimed},
			{op: "advance", advance: 2 * time.Minute},
			{op: "done", key: "a", d: time.Hour},
			{op: "claim", key: "a", d: time.Minute, want: Handled},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, c := newTestDedup()
			ctx := context.Background()
			var got, want []Claim
			for _, s := range tt.steps {
				switch s.op {
				case "claim":
					claim, err := d.Claim(ctx, s.key, s.d)
					if err != nil {
						t.Fatal(err)
					}
					got, want = append(got, claim), append(want, s.want)
				case "done":
					if err := d.Done(ctx, s.key, s.d); err != nil {
						t.Fatal(err)
					}
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
		name string
		ctx  context.Context
		d    time.Duration
	}{
		{"zero duration", context.Background(), 0},
		{"negative duration", context.Background(), -time.Second},
		{"ended context", canceled, time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _ := newTestDedup()
			if claim, err := d.Claim(tt.ctx, "a", tt.d); err == nil || claim != 0 {
				t.Errorf("Claim = %v, %v; want 0 and an error", claim, err)
			}
			if err := d.Done(tt.ctx, "a", tt.d); err == nil {
				t.Error("Done succeeded; want an error")
			}
			if claim, err := d.Claim(context.Background(), "a", time.Hour); claim != Claimed || err != nil {
				t.Errorf("Claim after the refused calls = %v, %v; want the key still free", claim, err)
			}
		})
	}
}

// TestMemoryDedupForgets checks that memory stays bounded: keys whose
// lease or window ended are dropped as new keys arrive.
func TestMemoryDedupForgets(t *testing.T) {
	d, c := newTestDedup()
	ctx := context.Background()
	const n = 10 * sweepEvery
	for i := range n {
		key := fmt.Sprint("old", i)
		if _, err := d.Claim(ctx, key, time.Minute); err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 { // half done, half left claimed
			if err := d.Done(ctx, key, time.Minute); err != nil {
				t.Fatal(err)
			}
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

// TestMemoryDedupConcurrent claims one key from many goroutines at once,
// new and after its lease expired: exactly one wins each time.
func TestMemoryDedupConcurrent(t *testing.T) {
	d, c := newTestDedup()
	const n = 32
	for _, round := range []string{"new key", "expired lease"} {
		var wg sync.WaitGroup
		results := make(chan Claim, n)
		for range n {
			wg.Go(func() {
				claim, err := d.Claim(context.Background(), "same", time.Hour)
				if err != nil {
					t.Error(err)
				}
				results <- claim
			})
		}
		wg.Wait()
		close(results)
		count := map[Claim]int{}
		for claim := range results {
			count[claim]++
		}
		if diff := cmp.Diff(map[Claim]int{Claimed: 1, Busy: n - 1}, count); diff != "" {
			t.Errorf("%s: claims (-want +got):\n%s", round, diff)
		}
		c.t = c.t.Add(time.Hour)
	}
}

func TestOnce(t *testing.T) {
	errUser := errors.New("user code failed")
	tests := []struct {
		name    string
		results []error // what handle returns on each delivery of one key
		want    []Claim
	}{
		{"success is handled once", []error{nil, nil, nil}, []Claim{Claimed, Handled, Handled}},
		{"a failure is handled again", []error{errUser, nil, nil}, []Claim{Claimed, Claimed, Handled}},
		{"failures are retried until one succeeds", []error{errUser, errUser, nil, nil}, []Claim{Claimed, Claimed, Claimed, Handled}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := NewMemoryDedup()
			var got []Claim
			calls := 0
			for _, result := range tt.results {
				claim, err := Once(context.Background(), d, "k", time.Hour, func(context.Context) error {
					calls++
					return result
				})
				if claim == Claimed && !errors.Is(err, result) && err != result {
					t.Errorf("Once error = %v; want %v", err, result)
				}
				if claim != Claimed && err != nil {
					t.Errorf("Once skipped (%v) with error %v; want nil", claim, err)
				}
				got = append(got, claim)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("claims (-want +got):\n%s", diff)
			}
			wantCalls := 0
			for _, c := range tt.want {
				if c == Claimed {
					wantCalls++
				}
			}
			if calls != wantCalls {
				t.Errorf("handle called %d times; want %d", calls, wantCalls)
			}
		})
	}
}

// TestOnceWhileHandling is the delivery a redelivery must not lose: while
// A's handler runs, A's redelivery is Busy and does not run the handler;
// A's handler then fails, and the next redelivery runs it again. Then a
// redelivery while the retry runs is Busy too, and once the retry
// succeeded, redeliveries are Handled.
func TestOnceWhileHandling(t *testing.T) {
	d := NewMemoryDedup()
	errUser := errors.New("user code failed")
	for _, result := range []error{errUser, nil} {
		started, finish := make(chan struct{}), make(chan struct{})
		type outcome struct {
			claim Claim
			err   error
		}
		first := make(chan outcome)
		go func() {
			claim, err := Once(context.Background(), d, "A", time.Hour, func(context.Context) error {
				close(started)
				<-finish
				return result
			})
			first <- outcome{claim, err}
		}()
		<-started
		claim, err := Once(context.Background(), d, "A", time.Hour, func(context.Context) error {
			t.Error("the handler ran for a redelivery while the first delivery was being handled")
			return nil
		})
		if claim != Busy || err != nil {
			t.Errorf("redelivery while handling = %v, %v; want busy, nil", claim, err)
		}
		close(finish)
		if got := <-first; got.claim != Claimed || !errors.Is(got.err, result) {
			t.Errorf("the first delivery = %v, %v; want claimed, %v", got.claim, got.err, result)
		}
	}
	claim, err := Once(context.Background(), d, "A", time.Hour, func(context.Context) error {
		t.Error("the handler ran for a delivery already handled")
		return nil
	})
	if claim != Handled || err != nil {
		t.Errorf("redelivery after success = %v, %v; want handled, nil", claim, err)
	}
}

// failingDedup claims everything and fails where told to.
type failingDedup struct{ claimErr, doneErr, releaseErr error }

func (f failingDedup) Claim(context.Context, string, time.Duration) (Claim, error) {
	if f.claimErr != nil {
		return 0, f.claimErr
	}
	return Claimed, nil
}
func (f failingDedup) Done(context.Context, string, time.Duration) error { return f.doneErr }
func (f failingDedup) Release(context.Context, string) error             { return f.releaseErr }

func TestOnceStoreErrors(t *testing.T) {
	errStore := errors.New("store down")
	errUser := errors.New("user code failed")

	claim, err := Once(context.Background(), failingDedup{claimErr: errStore}, "k", time.Hour, func(context.Context) error {
		t.Error("handle ran although the claim failed")
		return nil
	})
	if claim != 0 || !errors.Is(err, errStore) {
		t.Errorf("claim failure: Once = %v, %v; want 0 and %v", claim, err, errStore)
	}

	claim, err = Once(context.Background(), failingDedup{releaseErr: errStore}, "k", time.Hour, func(context.Context) error { return errUser })
	if claim != Claimed || !errors.Is(err, errUser) || !errors.Is(err, errStore) {
		t.Errorf("release failure: Once = %v, %v; want claimed and both errors", claim, err)
	}

	claim, err = Once(context.Background(), failingDedup{doneErr: errStore}, "k", time.Hour, func(context.Context) error { return nil })
	if claim != Claimed || !errors.Is(err, ErrNotRecorded) || !errors.Is(err, errStore) {
		t.Errorf("done failure: Once = %v, %v; want claimed, ErrNotRecorded and the store's error", claim, err)
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
	claim, err := Once(context.Background(), d, "k", time.Hour, func(context.Context) error { return nil })
	if claim != Claimed || err != nil {
		t.Errorf("redelivery after a panic: Once = %v, %v; want claimed, nil", claim, err)
	}
}

// lateDedup is a store whose write lands before it notices that its
// context ended, as a database's may: the INSERT commits, then the driver
// reports the cancellation.
type lateDedup struct{ *MemoryDedup }

func (d lateDedup) Claim(ctx context.Context, key string, lease time.Duration) (Claim, error) {
	claim, err := d.MemoryDedup.Claim(context.Background(), key, lease)
	if ctx.Err() != nil {
		return 0, ctx.Err()
	}
	return claim, err
}

// TestOnceCanceledClaim checks that a delivery whose request ended while
// it was being claimed is handled on redelivery: the request's end must
// not leave a claim behind that no handler ran for.
func TestOnceCanceledClaim(t *testing.T) {
	d := lateDedup{NewMemoryDedup()}
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	claim, err := Once(canceled, d, "k", time.Hour, func(ctx context.Context) error { return ctx.Err() })
	if err == nil {
		t.Fatalf("Once with an ended context = %v, nil; want an error so that the provider delivers again", claim)
	}
	claim, err = Once(context.Background(), d, "k", time.Hour, func(context.Context) error { return nil })
	if claim != Claimed || err != nil {
		t.Errorf("redelivery after an ended request: Once = %v, %v; want claimed, nil", claim, err)
	}
}
