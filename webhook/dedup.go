package webhook

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Dedup remembers the deliveries a receiver has handled, so that a
// provider's redelivery of the same one runs user code once.
//
// A receiver claims a delivery's key before it runs user code and releases
// the claim when user code fails, so that the provider's next redelivery is
// handled again: a delivery is never lost to deduplication.
//
// Implementations must be safe for concurrent use; a store shared by
// several processes (a database) makes a redelivery to another instance
// count as handled too.
type Dedup interface {
	// Claim records key atomically and reports whether it is new: true if
	// key was not claimed within the last window (and is now), false if
	// it was, in which case the delivery is a redelivery to skip.
	Claim(ctx context.Context, key string, window time.Duration) (bool, error)

	// Release forgets a claim on key, so that the next Claim of key
	// succeeds. Releasing a key that is not claimed is not an error.
	Release(ctx context.Context, key string) error
}

// sweepEvery is how many claims a MemoryDedup takes between two sweeps of
// its expired keys at least. It waits for as many claims as the last sweep
// kept keys, so that sweeping costs O(1) a claim amortised and the map
// holds at most about twice the live keys.
const sweepEvery = 1024

// MemoryDedup is a Dedup in the process's memory. It is safe for
// concurrent use. Expired keys are forgotten as new ones arrive, so its
// memory is bounded by the keys claimed within the longest window.
type MemoryDedup struct {
	mu      sync.Mutex
	expires map[string]time.Time
	claims  int // since the last sweep
	kept    int // keys the last sweep kept
	now     func() time.Time
}

// NewMemoryDedup returns an empty MemoryDedup.
func NewMemoryDedup() *MemoryDedup {
	return &MemoryDedup{expires: make(map[string]time.Time), now: time.Now}
}

// Claim implements Dedup.
func (d *MemoryDedup) Claim(ctx context.Context, key string, window time.Duration) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	if window <= 0 {
		return false, errors.New("webhook: a deduplication window must be positive; pass the time a provider may redeliver within")
	}
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.claims++
	if d.claims >= max(sweepEvery, d.kept) {
		d.sweep(now)
	}
	if exp, ok := d.expires[key]; ok && now.Before(exp) {
		return false, nil
	}
	d.expires[key] = now.Add(window)
	return true, nil
}

// Release implements Dedup.
func (d *MemoryDedup) Release(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.mu.Lock()
	delete(d.expires, key)
	d.mu.Unlock()
	return nil
}

// Len reports how many keys d holds, expired ones not yet forgotten
// included.
func (d *MemoryDedup) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.expires)
}

// sweep forgets the keys expired at now. d.mu is held.
func (d *MemoryDedup) sweep(now time.Time) {
	for k, exp := range d.expires {
		if !now.Before(exp) {
			delete(d.expires, k)
		}
	}
	d.claims = 0
	d.kept = len(d.expires)
}

// Once runs handle unless key was claimed in d within window, and reports
// whether it ran. When handle fails, or panics, the claim is released, so
// that the provider's redelivery runs handle again, and handle's error is
// returned (a panic goes on up).
func Once(ctx context.Context, d Dedup, key string, window time.Duration, handle func(context.Context) error) (ran bool, err error) {
	// Claim with a context the request's end does not cancel: a store may
	// record the claim and only then report the cancellation (a database
	// commits, then its driver notices), which would leave a claim that no
	// handler ran for and make the provider's redelivery a skipped one.
	claimed, err := d.Claim(context.WithoutCancel(ctx), key, window)
	if err != nil {
		return false, fmt.Errorf("webhook: claiming a delivery: %w", err)
	}
	if !claimed {
		return false, nil
	}
	returned := false
	defer func() {
		if !returned { // handle panicked
			_ = d.Release(context.WithoutCancel(ctx), key)
		}
	}()
	err = handle(ctx)
	returned = true
	if err != nil {
		// Release with a context of its own: the request's may be the
		// reason handle failed, and the claim must go regardless.
		if rerr := d.Release(context.WithoutCancel(ctx), key); rerr != nil {
			return true, errors.Join(err, fmt.Errorf("webhook: releasing a failed delivery, so its redelivery may be skipped: %w", rerr))
		}
		return true, err
	}
	return true, nil
}
