package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/onair-go/onair/webhook"
)

const (
	// sweepEvery is how many claims a Store's Dedup takes between two
	// sweeps of expired claims.
	sweepEvery = 64
	// sweepBatch is how many expired claims a sweep deletes at most: more
	// than the claims between two sweeps, so that sweeps outpace new rows
	// and keep each one short.
	sweepBatch = 4 * sweepEvery
	// claimTries is how often Claim tries to take a key whose row
	// vanishes (released, expired) between its two statements before
	// it calls the key Busy, which is always safe: the provider retries.
	claimTries = 3
)

// Dedup returns the store's record of webhook deliveries being handled
// and handled: a [github.com/onair-go/onair/webhook.Dedup]
// (webhook.WithDedup, for every receiver) that every process and
// machine using this database shares, so that a provider's redelivery to
// any replica runs the handler once.
//
// The claims live in the table named as the store's with "_dedup" added
// (onair_tokens_dedup), which Open creates with the rest of the schema.
// A claim is a hash of its key, whether it is done and the time it
// expires, nothing secret. Expired claims are deleted as new ones are
// taken, so the table holds about the claims of the longest window.
func (s *Store) Dedup() *Dedup { return s.dedup }

// Dedup is a webhook.Dedup in the store's database. See Store.Dedup. It
// is safe for concurrent use.
//
// A Claim is one statement that inserts the key's claim or takes over an
// expired one, so two replicas claiming a key at once see exactly one
// Claimed; when it took nothing, a read tells Busy from Handled. Its
// clock is the database's on PostgreSQL (clock_timestamp(), one clock for
// every machine) and this machine's for SQLite.
//
// Release deletes the key's claim whoever took it, as webhook.MemoryDedup's
// does: a handler that fails after its lease has passed releases the
// claim another process may have taken over since. Choose a lease longer
// than a handler runs. A key marked done stays done.
type Dedup struct {
	s      *Store
	q      dedupStatements
	claims atomic.Uint64 // claims taken, for sweeping every sweepEvery
	skew   int64         // µs added to the clock; set by tests only
}

// dedupStatements are the statements of a Dedup in the store's dialect.
// Each takes, as its first argument, what its now adds to the clock (see
// Dedup.clock), then the key's hash, then a duration in µs.
type dedupStatements struct {
	claim, state, done, release, sweep string
}

func newDedup(s *Store) *Dedup {
	t := s.table + "_dedup"
	// Numbered arguments, so that a statement can use one twice.
	arg, now := func(n int) string { return fmt.Sprintf("?%d", n) }, "?1"
	if s.d == Postgres {
		arg = func(n int) string { return fmt.Sprintf("$%d", n) }
		now = "((extract(epoch FROM clock_timestamp()) * 1000000)::bigint + $1)"
	}
	return &Dedup{s: s, q: dedupStatements{
		// A row conflicts only with a claim; the update takes it over if
		// it expired (expires_at - lease being now), done or not.
		claim: fmt.Sprintf(`INSERT INTO %[1]s (key, expires_at, done) VALUES (%[2]s, %[3]s + %[4]s, FALSE)
ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at, done = FALSE
WHERE %[1]s.expires_at <= excluded.expires_at - %[4]s`, t, arg(2), now, arg(3)),
		// What a claim that took nothing met; no row if it expired or
		// was released since.
		state: fmt.Sprintf("SELECT done FROM %s WHERE key = %s AND expires_at > %s", t, arg(2), now),
		// An upsert rather than an update: the claim may have been swept,
		// or released by another process, after its lease ended.
		done: fmt.Sprintf(`INSERT INTO %[1]s (key, expires_at, done) VALUES (%[2]s, %[3]s + %[4]s, TRUE)
ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at, done = TRUE`, t, arg(2), now, arg(3)),
		// A done row stays: the handler that took the key over after
		// the lease may have succeeded.
		release: fmt.Sprintf("DELETE FROM %s WHERE key = %s AND NOT done", t, arg(1)),
		// The outer condition too: on PostgreSQL, a claim taken over since
		// the subquery's snapshot is checked again, as it is now, and kept.
		sweep: fmt.Sprintf(`DELETE FROM %[1]s WHERE expires_at <= %[2]s
AND key IN (SELECT key FROM %[1]s WHERE expires_at <= %[2]s ORDER BY expires_at LIMIT %[3]d)`, t, now, sweepBatch),
	}}
}

// Claim implements webhook.Dedup.
func (d *Dedup) Claim(ctx context.Context, key string, lease time.Duration) (webhook.Claim, error) {
	if lease <= 0 {
		return 0, errors.New("sqlstore: a claim's lease must be positive; pass longer than a handler runs, such as webhook.Lease")
	}
	if d.claims.Add(1)%sweepEvery == 0 {
		if err := d.exec(ctx, d.q.sweep, d.clock()); err != nil {
			return 0, fmt.Errorf("sqlstore: deleting expired delivery claims: %w", err)
		}
	}
	hash := hashKey(key)
	for range claimTries {
		var taken int64
		err := retryBusy(ctx, func() error {
			res, err := d.s.db.ExecContext(ctx, d.q.claim, d.clock(), hash, lease.Microseconds())
			if err != nil {
				return err
			}
			taken, err = res.RowsAffected()
			return err
		})
		if err != nil {
			return 0, fmt.Errorf("sqlstore: claiming a delivery: %w", err)
		}
		if taken == 1 {
			return webhook.Claimed, nil
		}
		var done bool
		err = retryBusy(ctx, func() error {
			return d.s.db.QueryRowContext(ctx, d.q.state, d.clock(), hash).Scan(&done)
		})
		switch {
		case errors.Is(err, sql.ErrNoRows):
			continue // gone since: claim it again
		case err != nil:
			return 0, fmt.Errorf("sqlstore: reading a delivery's claim: %w", err)
		case done:
			return webhook.Handled, nil
		default:
			return webhook.Busy, nil
		}
	}
	return webhook.Busy, nil
}

// Done implements webhook.Dedup.
func (d *Dedup) Done(ctx context.Context, key string, window time.Duration) error {
	if window <= 0 {
		return errors.New("sqlstore: a deduplication window must be positive; pass the time a provider may redeliver within")
	}
	if err := d.exec(ctx, d.q.done, d.clock(), hashKey(key), window.Microseconds()); err != nil {
		return fmt.Errorf("sqlstore: marking a delivery handled: %w", err)
	}
	return nil
}

// Release implements webhook.Dedup.
func (d *Dedup) Release(ctx context.Context, key string) error {
	if err := d.exec(ctx, d.q.release, hashKey(key)); err != nil {
		return fmt.Errorf("sqlstore: releasing a delivery claim: %w", err)
	}
	return nil
}

// exec runs one of d's statements, waiting out SQLite's write lock.
func (d *Dedup) exec(ctx context.Context, stmt string, args ...any) error {
	return retryBusy(ctx, func() error {
		_, err := d.s.db.ExecContext(ctx, stmt, args...)
		return err
	})
}

// clock is the first argument of d's statements, what their now adds to
// the clock: on PostgreSQL, whose clock the statements read, nothing but
// a test's skew; for SQLite, this machine's time.
func (d *Dedup) clock() int64 {
	if d.s.d == Postgres {
		return d.skew
	}
	return time.Now().UnixMicro() + d.skew
}

// hashKey is the key of a claim's row: keys may be longer than an index
// takes.
func hashKey(key string) []byte {
	sum := sha256.Sum256([]byte(key))
	return sum[:]
}
