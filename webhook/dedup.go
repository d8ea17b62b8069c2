package webhook

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Dedup remembers the deliveries a receiver is handling and has handled,
// so that a provider's redelivery of the same one runs user code once.
//
// A receiver claims a delivery's key for a lease before it runs user code.
// When user code succeeds, the receiver marks the key done, remembered for
// a window; when it fails, the receiver releases the claim, so that the
// provider's next redelivery is handled again. A redelivery that arrives
// while the first is still being handled finds the key Busy and is
// answered so that the provider retries it later: a delivery is never lost
// to deduplication.
//
// Implementations must be safe for concurrent use; a store shared by
// several processes (a database) makes a redelivery to another instance
// count too.
type Dedup interface {
	// Claim takes key for a handler for lease, unless another handler
	// holds it (Busy) or it was handled within its window (Handled).
	// A claim not marked done expires after its lease, so that a
	// process that died handling a delivery does not block its
	// redeliveries forever.
	Claim(ctx context.Context, key string, lease time.Duration) (Claim, error)

	// Done marks key handled and remembers it for window, claimed or
	// not.
	Done(ctx context.Context, key string, window time.Duration) error

	// Release forgets key's claim, so that its next Claim succeeds,
	// unless key is done: a handler that took the key over after a
	// lease ended may have succeeded, and a delivery handled stays
	// handled. Releasing a key that is not claimed is not an error.
	Release(ctx context.Context, key string) error
}

// Claim is what Dedup.Claim found for a key.
type Claim int

const (
	// Claimed: the key is the caller's for its lease; handle the delivery,
	// then mark it Done or Release it.
	Claimed Claim = iota + 1
	// Busy: another handler holds the key and has not finished. Answer
	// so that the provider delivers again later: the handler may yet fail.
	Busy
	// Handled: the delivery was handled within its window; skip it.
	Handled
)

func (c Claim) String() string {
	switch c {
	case Claimed:
		return "claimed"
	case Busy:
		return "busy"
	case Handled:
		return "handled"
	}
	return fmt.Sprintf("Claim(%d)", int(c))
}

// Lease is how long Once claims a delivery for its handler: far longer
// than a provider waits for an answer, so that a handler still running
// past it has been given up on anyway. A claim whose handler never ends
// (its process died) stops blocking redeliveries after it.
const Lease = 5 * time.Minute

// ErrNotRecorded is wrapped by the error Once returns when the handler
// succeeded but the store could not mark the delivery done: answer it as
// handled, and expect a redelivery after the lease to be handled again.
var ErrNotRecorded = errors.New("webhook: the delivery was handled but the store could not record it, so a redelivery may be handled again")

// sweepEvery is how many claims a MemoryDedup takes between two sweeps of
// its expired keys at least. It waits for as many claims as the last sweep
// kept keys, so that sweeping costs O(1) a claim amortised and the map
// holds at most about twice the live keys.
const sweepEvery = 1024

// MemoryDedup is a Dedup in the process's memory. It is safe for
// concurrent use. Expired keys are forgotten as new ones arrive, so its
// memory is bounded by the keys claimed within the longest lease or
// window.
type MemoryDedup struct {
	mu     sync.Mutex
	keys   map[string]memoryKey
	claims int // since the last sweep
	kept   int // keys the last sweep kept
	now    func() time.Time
}

// memoryKey is the state of a key in a MemoryDedup.
type memoryKey struct {
	expires time.Time // the end of the lease, or of the window once done
	done    bool
}

// NewMemoryDedup returns an empty MemoryDedup.
func NewMemoryDedup() *MemoryDedup {
	return &MemoryDedup{keys: make(map[string]memoryKey), now: time.Now}
}

// Claim implements Dedup.
func (d *MemoryDedup) Claim(ctx context.Context, key string, lease time.Duration) (Claim, error) {
	if err := ctx.Err(); err != nil {
		return 0, err
	}
	if lease <= 0 {
		return 0, errors.New("webhook: a claim's lease must be positive; pass longer than a handler runs, such as webhook.Lease")
	}
	now := d.now()
	d.mu.Lock()
	defer d.mu.Unlock()
	d.claims++
	if d.claims >= max(sweepEvery, d.kept) {
		d.sweep(now)
	}
	if k, ok := d.keys[key]; ok && now.Before(k.expires) {
		if k.done {
			return Handled, nil
		}
		return Busy, nil
	}
	d.keys[key] = memoryKey{expires: now.Add(lease)}
	return Claimed, nil
}

// Done implements Dedup.
func (d *MemoryDedup) Done(ctx context.Context, key string, window time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if window <= 0 {
		return errors.New("webhook: a deduplication window must be positive; pass the time a provider may redeliver within")
	}
	now := d.now()
	d.mu.Lock()
	d.keys[key] = memoryKey{expires: now.Add(window), done: true}
	d.mu.Unlock()
	return nil
}

// Release implements Dedup.
func (d *MemoryDedup) Release(ctx context.Context, key string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	d.mu.Lock()
	if !d.keys[key].done {
		delete(d.keys, key)
	}
	d.mu.Unlock()
	return nil
}

// Len reports how many keys d holds, expired ones not yet forgotten
// included.
func (d *MemoryDedup) Len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.keys)
}

// sweep forgets the keys expired at now. d.mu is held.
func (d *MemoryDedup) sweep(now time.Time) {
	for key, k := range d.keys {
		if !now.Before(k.expires) {
			delete(d.keys, key)
		}
	}
	d.claims = 0
	d.kept = len(d.keys)
}

// Once claims key in d for Lease and, if it is Claimed, runs handle: when
// handle succeeds it marks key done for window; when handle fails, or
// panics, it releases the claim, so that the provider's redelivery runs
// handle again, and returns handle's error (a panic goes on up).
//
// Once reports what the claim found: Claimed when handle ran (the error
// is then handle's, or wraps ErrNotRecorded), Busy when another handler
// holds key (answer so that the provider retries later), Handled when
// key was done within its window (answer as handled). When the claim
// itself fails, Once returns 0 and the store's error.
func Once(ctx context.Context, d Dedup, key string, window time.Duration, handle func(context.Context) error) (Claim, error) {
	// The store is written with a context the request's end does not
	// cancel: a store may record the claim and only then report the
	// cancellation (a database commits, then its driver notices), which
	// would leave a claim that no handler ran for.
	bg := context.WithoutCancel(ctx)
	claim, err := d.Claim(bg, key, Lease)
	if err != nil {
		return 0, fmt.Errorf("webhook: claiming a delivery: %w", err)
	}
	if claim != Claimed {
		return claim, nil
	}
	returned := false
	defer func() {
		if !returned { // handle panicked
			_ = d.Release(bg, key)
		}
	}()
	err = handle(ctx)
	returned = true
	if err != nil {
		// Released regardless of the request's context, which may be the
		// reason handle failed.
		if rerr := d.Release(bg, key); rerr != nil {
			return Claimed, errors.Join(err, fmt.Errorf("webhook: releasing a failed delivery, so its redelivery is refused until the lease ends: %w", rerr))
		}
		return Claimed, err
	}
	if err := d.Done(bg, key, window); err != nil {
		return Claimed, fmt.Errorf("%w: %w", ErrNotRecorded, err)
	}
	return Claimed, nil
}
