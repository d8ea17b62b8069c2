package sqlstore

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
)

// abandonAfter is how long a start whose request never reported its answer
// (its process died) keeps its place in the budget.
const abandonAfter = time.Minute

// Pacer returns the pacer of key's budget, kept in the store's database:
// a livestorm.Pacer (livestorm.WithPacer) that every process and machine
// using this database shares, so that the replicas calling an API with
// the token stored under key keep together within its rate limit.
//
// The budget is the key's rather than the access token's: a token is
// replaced at every refresh, while the key stays, and replicas that hold
// the old and the new token for a moment share one budget instead of each
// getting a full one from a token the others no longer use. Nor is a
// token, a secret, written to the budget's table.
//
// The budget lives in the table named as the store's with "_pace" added
// (onair_tokens_pace), created on first use. It holds no secret, only
// times: dropping it while no process paces loses nothing.
func (s *Store) Pacer(key string) *Pacer {
	return &Pacer{s: s, key: key, q: s.paceStatements(), turn: make(chan struct{}, 1)}
}

// Pacer is a budget of request starts shared through the database. See
// Store.Pacer. It is safe for concurrent use.
type Pacer struct {
	s   *Store
	key string
	q   paceStatements
	// turn lets one goroutine of this Pacer at a time ask the database;
	// the others wait their turn here rather than there.
	turn chan struct{}

	mu    sync.Mutex
	ready bool // the table exists, as far as this Pacer knows
}

// Pace waits until a request may start without more than limit requests
// starting in any window, counting every process that shares the budget,
// and returns done, to call once the request has its answer. A start
// counts until a window after done (or, if done is never called, a minute
// and a window after the start): the answer comes after the API counted
// the request, so a start counted from it keeps within the limit however
// long the request took to arrive. Its clock is the database's (PostgreSQL's
// clock_timestamp(); for SQLite, on one machine, this one's).
//
// Pace fails at once, matching context.DeadlineExceeded, when ctx's
// deadline comes before the budget could have a start free.
//
// A caller that finds no start free reserves the one free soonest, if its
// time is known, and waits for it without asking the database again, so
// that the start is not spent on a transaction; a caller whose context
// ends gives its reservation back.
func (p *Pacer) Pace(ctx context.Context, limit int, window time.Duration) (done func(), err error) {
	if p == nil {
		return nil, errors.New("sqlstore: Pace on a nil *Pacer: get one from Store.Pacer")
	}
	if err := checkKey(p.key); err != nil {
		return nil, err
	}
	if limit < 1 || window <= 0 {
		return nil, fmt.Errorf("sqlstore: pacing key %q: %d requests a %v is no limit: pass at least 1 request and a positive window", p.key, limit, window)
	}
	if err := p.ensureTable(ctx); err != nil {
		return nil, err
	}
	c, err := p.reserve(ctx, limit, window)
	if err != nil && p.s.isNoTable(err) {
		// Dropped while this process paced: make it again, once.
		p.mu.Lock()
		p.ready = false
		p.mu.Unlock()
		if err := p.ensureTable(ctx); err != nil {
			return nil, err
		}
		c, err = p.reserve(ctx, limit, window)
	}
	if err != nil {
		return nil, err
	}
	if wait := time.Until(c.start); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			c.giveBack()
			return nil, ctx.Err()
		}
	}
	return c.done, nil
}

// ensureTable creates the budget's table unless this Pacer has. A failure
// (a cancelled first call, the database away a moment) is not kept: the
// next call tries again.
func (p *Pacer) ensureTable(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ready {
		return nil
	}
	if err := p.createTable(ctx); err != nil {
		return fmt.Errorf("sqlstore: pacing key %q: creating the table: %w", p.key, err)
	}
	p.ready = true
	return nil
}

// reserve returns a start in the budget, free now or later, taking turns
// with the other callers of p.
func (p *Pacer) reserve(ctx context.Context, limit int, window time.Duration) (*claim, error) {
	select {
	case p.turn <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	defer func() { <-p.turn }()
	for {
		c, wait, err := p.try(ctx, limit, window)
		if err != nil {
			return nil, fmt.Errorf("sqlstore: pacing key %q: %w", p.key, err)
		}
		if c != nil {
			return c, nil
		}
		if err := p.beforeDeadline(ctx, wait); err != nil {
			return nil, fmt.Errorf("sqlstore: pacing key %q: %w", p.key, err)
		}
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return nil, ctx.Err()
		}
	}
}

// beforeDeadline fails when ctx ends within wait.
func (p *Pacer) beforeDeadline(ctx context.Context, wait time.Duration) error {
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < wait {
		return fmt.Errorf("the next start free in the shared budget is %v away, past the call's deadline: give the call a later deadline or make fewer calls: %w",
			wait.Round(time.Millisecond), context.DeadlineExceeded)
	}
	return nil
}

// claim is a start taken in the budget.
type claim struct {
	p      *Pacer
	slot   int
	id     string
	at     int64     // the database's time when it was taken, in µs
	sent   time.Time // this process's time just before that was read
	start  time.Time // this process's time from which the start is free
	freeAt int64     // when it is free, to give it back as it was
	window time.Duration
	once   sync.Once
}

// try takes a start, free now or at a known time, or says how long until
// another look may find one.
func (p *Pacer) try(ctx context.Context, limit int, window time.Duration) (*claim, time.Duration, error) {
	tx, err := p.s.begin(ctx, "\x00pace\x00"+p.key) // keys hold no NUL: no key's own lock
	if err != nil {
		return nil, 0, err
	}
	defer tx.rollback()
	bg := context.WithoutCancel(ctx)
	sent := time.Now()
	// The slots first, then the time: a slot given back (which takes no
	// lock on PostgreSQL) is seen only if its done came before now, so a
	// window from now is never sooner than a window from its done.
	slots, err := p.readSlots(bg, tx, limit)
	if err != nil {
		return nil, 0, err
	}
	now, err := p.dbNow(bg, tx, sent)
	if err != nil {
		return nil, 0, err
	}
	// The database read now after sent and before read: at is no later
	// than read plus (at - now) by its clock, which the rest of the
	// transaction does not delay.
	read := time.Now()
	if p.q.now == "" {
		read = sent
	}
	slot, at, ok := nextFree(slots, now, window.Microseconds())
	wait := time.Duration(max(at-now, 0)) * time.Microsecond
	if !ok {
		return nil, wait, nil
	}
	if err := p.beforeDeadline(ctx, wait); err != nil {
		return nil, 0, err
	}
	c := &claim{p: p, slot: slot, id: rand.Text(), at: now, sent: sent, start: read.Add(wait), freeAt: at, window: window}
	abandoned := max(at, now) + (abandonAfter + window).Microseconds()
	if _, err := tx.ExecContext(bg, p.q.take, abandoned, c.id, p.key, slot); err != nil {
		return nil, 0, err
	}
	if err := tx.commit(); err != nil {
		return nil, 0, err
	}
	return c, 0, nil
}

// slotState is one of a budget's starts: free from freeAt on, or, while
// claim is set, taken by a request whose answer has not come (freeAt is
// then when it counts as abandoned).
type slotState struct {
	freeAt int64 // µs
	claim  string
}

// nextFree returns the slot free soonest and when, at or before now if it
// is free already; ok is false when that slot is taken, and at is then no
// later than it can be free: a window from now, since its answer has not
// come yet.
func nextFree(slots []slotState, now, window int64) (slot int, at int64, ok bool) {
	at = int64(1<<63 - 1)
	for i, s := range slots {
		free, taken := s.freeAt, s.claim != "" && s.freeAt > now
		// No slot is free later than a window from now: a taken one's
		// answer has not come, and a given-back one's came before now,
		// whatever a clock stepped back says.
		free = min(free, now+window)
		if free < at {
			slot, at, ok = i, free, !taken
		}
	}
	return slot, at, ok
}

// done gives the slot back, to be free a window after now.
func (c *claim) done() {
	c.once.Do(func() {
		c.release(c.at + (time.Since(c.sent) + c.window).Microseconds())
	})
}

// giveBack gives back a start that was not used, free as it was.
func (c *claim) giveBack() {
	c.once.Do(func() { c.release(c.freeAt) })
}

// release writes the slot back in the background, so that a call that
// has its answer does not wait for the database's write lock. A late or
// failed write leaves the slot taken longer (until it is abandoned, at
// worst): the budget is smaller a while, never larger.
func (c *claim) release(freeAt int64) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		c.p.release(ctx, c.slot, c.id, freeAt)
	}()
}

// paceStatements are the pacer's statements for the store's dialect.
type paceStatements struct {
	create, now, read, add, take, release string
}

func (s *Store) paceStatements() paceStatements {
	t, a := s.table+"_pace", s.q.arg
	q := paceStatements{
		create: fmt.Sprintf(`CREATE TABLE IF NOT EXISTS %s (
	key TEXT NOT NULL,
	slot INTEGER NOT NULL,
	free_at BIGINT NOT NULL,
	claim TEXT NOT NULL,
	PRIMARY KEY (key, slot)
)`, t),
		read: fmt.Sprintf("SELECT slot, free_at, claim FROM %s WHERE key = %s AND slot < %s", t, a(1), a(2)),
		add: fmt.Sprintf("INSERT INTO %s (key, slot, free_at, claim) VALUES (%s, %s, 0, '') ON CONFLICT (key, slot) DO NOTHING",
			t, a(1), a(2)),
		take:    fmt.Sprintf("UPDATE %s SET free_at = %s, claim = %s WHERE key = %s AND slot = %s", t, a(1), a(2), a(3), a(4)),
		release: fmt.Sprintf("UPDATE %s SET free_at = %s, claim = '' WHERE key = %s AND slot = %s AND claim = %s", t, a(1), a(2), a(3), a(4)),
	}
	if s.d == Postgres {
		q.now = "SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint"
	}
	return q
}

// createTable creates the budget's table unless it exists, under a lock,
// so that processes starting together do not race to create it.
func (p *Pacer) createTable(ctx context.Context) error {
	tx, err := p.s.begin(ctx, "\x00pace")
	if err != nil {
		return err
	}
	defer tx.rollback()
	if _, err := tx.ExecContext(context.WithoutCancel(ctx), p.q.create); err != nil {
		return err
	}
	return tx.commit()
}

// dbNow is the database's time in µs; for SQLite, which runs in this
// process, local.
func (p *Pacer) dbNow(ctx context.Context, q querier, local time.Time) (int64, error) {
	if p.q.now == "" {
		return local.UnixMicro(), nil
	}
	var now int64
	err := q.QueryRowContext(ctx, p.q.now).Scan(&now)
	return now, err
}

// readSlots returns the limit slots of key's budget, adding those
// missing.
func (p *Pacer) readSlots(ctx context.Context, tx *lockedTx, limit int) ([]slotState, error) {
	slots := make([]slotState, limit)
	seen := make([]bool, limit)
	rows, err := tx.QueryContext(ctx, p.q.read, p.key, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var i int
		var s slotState
		if err := rows.Scan(&i, &s.freeAt, &s.claim); err != nil {
			return nil, err
		}
		if i >= 0 && i < limit {
			slots[i], seen[i] = s, true
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	for i, ok := range seen {
		if !ok {
			if _, err := tx.ExecContext(ctx, p.q.add, p.key, i); err != nil {
				return nil, err
			}
		}
	}
	return slots, nil
}

// release gives slot back, free from freeAt, if the claim id still holds
// it. On SQLite it waits out the write lock as a transaction would.
func (p *Pacer) release(ctx context.Context, slot int, id string, freeAt int64) error {
	return retryBusy(ctx, func() error {
		_, err := p.s.db.ExecContext(ctx, p.q.release, freeAt, p.key, slot, id)
		return err
	})
}

// isNoTable reports whether err is the database saying a table does not
// exist (SQLite's "no such table", PostgreSQL's SQLSTATE 42P01).
func (s *Store) isNoTable(err error) bool {
	msg := err.Error()
	if s.d == Postgres {
		return strings.Contains(msg, "42P01")
	}
	return strings.Contains(msg, "no such table")
}
