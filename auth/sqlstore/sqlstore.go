// Package sqlstore is an auth.Store in a SQL database reached through
// database/sql: SQLite for one machine, PostgreSQL for several replicas on
// several machines.
//
// The package imports no driver. Its subpackages do: auth/sqlstore/sqlite
// (modernc.org/sqlite, pure Go) and auth/sqlstore/postgres (pgx), so a
// program compiles only the driver it imports. With a *sql.DB of your own,
// call Open with the Dialect that matches it.
//
// The schema, a table of tokens and one of webhook deliveries handled
// (Store.Dedup), is created on first use and migrated by version:
// Open applies the migrations the database lacks, one process at a time,
// and refuses a database migrated by a newer version of this package.
//
// Refreshes are coordinated by the database's own locks, which a process
// that dies releases: on PostgreSQL a transaction-scoped advisory lock per
// key, so that refreshes of different keys run in parallel on any number
// of machines; on SQLite the database's write lock (BEGIN IMMEDIATE), so
// refreshes take turns, across keys too, on the one machine that holds the
// file. Reads never wait for a refresh.
//
// Store.Pacer shares an API's rate limit between the processes that use
// one stored token (livestorm.WithPacer), in a second table beside the
// tokens'. Store.Dedup shares the webhook deliveries being handled and
// handled between them (webhook.WithDedup, for every receiver), so
// that a redelivery to any replica runs the handler once.
//
// A row that cannot be read (auth.ErrUnreadable) is reported by Load and
// Update, and replaced by Save without a copy (unlike auth/filestore's,
// which keeps one): copy the row first if you want it, or rely on the
// database's backups.
package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"hash/fnv"
	"regexp"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/sealed"
	"github.com/onair-go/onair/internal/tokenrec"
)

// Dialect is the SQL database behind a *sql.DB.
type Dialect int

const (
	// SQLite, through modernc.org/sqlite or another driver whose errors
	// have a Code() int method with SQLite's result codes.
	SQLite Dialect = iota + 1
	// PostgreSQL, through pgx's database/sql driver or another.
	Postgres
)

func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return fmt.Sprintf("Dialect(%d)", int(d))
}

// ErrNewerSchema is returned by Open for a database whose schema a newer
// version of this package has migrated.
var ErrNewerSchema = errors.New("sqlstore: the database's schema is newer than this package knows: upgrade onair")

// Store keeps tokens in a table. It is safe for concurrent use by
// goroutines, processes and machines.
type Store struct {
	db         *sql.DB
	d          Dialect
	table      string
	sealer     sealed.Sealer
	migrations []string
	q          queries
	dedup      *Dedup
}

// An Option configures a Store.
type Option func(*Store)

// Sealed encrypts every record with s (a *sealed.Keyring) and stores the
// key ID in a column beside it. A Store that seals refuses records in
// clear.
func Sealed(s sealed.Sealer) Option {
	return func(st *Store) { st.sealer = s }
}

// Table names the table of tokens; its migration table is the name with
// "_schema" added, and Store.Dedup's with "_dedup". The default is "onair_tokens". A name is 1 to 40
// lower-case letters, digits and underscores, starting with a letter.
func Table(name string) Option {
	return func(st *Store) { st.table = name }
}

var validTable = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)

// Open returns the store in db, which speaks dialect d, and creates or
// migrates its table. The store takes db over: Close closes it.
func Open(ctx context.Context, db *sql.DB, d Dialect, opts ...Option) (*Store, error) {
	s := &Store{db: db, d: d, table: "onair_tokens"}
	for _, o := range opts {
		o(s)
	}
	if d != SQLite && d != Postgres {
		return nil, fmt.Errorf("sqlstore: unknown dialect %v", d)
	}
	if !validTable.MatchString(s.table) {
		return nil, fmt.Errorf("sqlstore: table name %q: use 1 to 40 lower-case letters, digits and '_', starting with a letter", s.table)
	}
	if s.migrations == nil {
		s.migrations = migrations(d, s.table)
	}
	s.q = newQueries(d, s.table)
	s.dedup = newDedup(s)
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// migrations are the schema's versions, in order; version n is
// migrations[n-1]. Add to the end, never change one.
func migrations(d Dialect, table string) []string {
	blob, stamp := "BLOB", "TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))"
	if d == Postgres {
		blob, stamp = "BYTEA", "TIMESTAMPTZ NOT NULL DEFAULT now()"
	}
	// One statement a version: not every driver runs several in one.
	return []string{
		// 1: one record per key, sealed when key_id is not empty.
		fmt.Sprintf(`CREATE TABLE %s (
	key TEXT PRIMARY KEY,
	key_id TEXT NOT NULL DEFAULT '',
	token %s NOT NULL,
	updated_at %s
)`, table, blob, stamp),
		// 2: Store.Dedup's claims: a hash of the delivery's key, and when
		// the claim expires, in µs since 1970.
		fmt.Sprintf(`CREATE TABLE %s_dedup (
	key %s PRIMARY KEY,
	expires_at BIGINT NOT NULL
)`, table, blob),
		// 3: for Dedup's sweeps of expired claims.
		fmt.Sprintf("CREATE INDEX %[1]s_dedup_expires ON %[1]s_dedup (expires_at)", table),
		// 4: whether a claim's delivery was handled (Dedup.Done), its
		// expires_at then the end of the window, or is still being
		// handled, expires_at the end of the lease. Rows of before were
		// taken for handled, and stay so.
		fmt.Sprintf("ALTER TABLE %s_dedup ADD COLUMN done BOOLEAN NOT NULL DEFAULT TRUE", table),
	}
}

// migrate applies the migrations db lacks, under a lock, so that replicas
// starting together do it once.
func (s *Store) migrate(ctx context.Context) error {
	tx, err := s.begin(ctx, s.table+"_schema")
	if err != nil {
		return fmt.Errorf("sqlstore: migrating: %w", err)
	}
	defer tx.rollback()
	bg := context.WithoutCancel(ctx)
	schema := s.table + "_schema"
	if _, err := tx.ExecContext(bg, fmt.Sprintf("CREATE TABLE IF NOT EXISTS %s (version INTEGER PRIMARY KEY)", schema)); err != nil {
		return fmt.Errorf("sqlstore: migrating: %w", err)
	}
	var have int
	if err := tx.QueryRowContext(bg, fmt.Sprintf("SELECT COALESCE(MAX(version), 0) FROM %s", schema)).Scan(&have); err != nil {
		return fmt.Errorf("sqlstore: migrating: %w", err)
	}
	if have > len(s.migrations) {
		return fmt.Errorf("%w (table %s is at version %d, this package knows %d)", ErrNewerSchema, s.table, have, len(s.migrations))
	}
	for v := have + 1; v <= len(s.migrations); v++ {
		if _, err := tx.ExecContext(bg, s.migrations[v-1]); err != nil {
			return fmt.Errorf("sqlstore: migration %d: %w", v, err)
		}
		if _, err := tx.ExecContext(bg, fmt.Sprintf("INSERT INTO %s (version) VALUES (%s)", schema, s.q.arg(1)), v); err != nil {
			return fmt.Errorf("sqlstore: migration %d: %w", v, err)
		}
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("sqlstore: migrating: %w", err)
	}
	return nil
}

// queries are the statements of a dialect.
type queries struct {
	arg                  func(n int) string
	load, upsert, delete string
}

func newQueries(d Dialect, table string) queries {
	q := queries{arg: func(int) string { return "?" }}
	now := "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
	if d == Postgres {
		q.arg = func(n int) string { return fmt.Sprintf("$%d", n) }
		now = "now()"
	}
	q.load = fmt.Sprintf("SELECT key_id, token FROM %s WHERE key = %s", table, q.arg(1))
	q.upsert = fmt.Sprintf(`INSERT INTO %s (key, key_id, token, updated_at) VALUES (%s, %s, %s, %s)
ON CONFLICT (key) DO UPDATE SET key_id = excluded.key_id, token = excluded.token, updated_at = excluded.updated_at`,
		table, q.arg(1), q.arg(2), q.arg(3), now)
	q.delete = fmt.Sprintf("DELETE FROM %s WHERE key = %s", table, q.arg(1))
	return q
}

// querier is what a *sql.DB, *sql.Conn and *sql.Tx have in common.
type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Load returns the token stored under key. It takes no lock.
func (s *Store) Load(ctx context.Context, key string) (*oauth2.Token, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	return s.load(ctx, s.db, key)
}

func (s *Store) load(ctx context.Context, q querier, key string) (*oauth2.Token, error) {
	var keyID string
	var data []byte
	err := q.QueryRowContext(ctx, s.q.load, key).Scan(&keyID, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("sqlstore: key %q: %w", key, auth.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: key %q: %w", key, err)
	}
	tok, err := tokenrec.Unpack(s.sealer, key, keyID, data)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: key %q: %w (%w): Save a new token over it (authorize again), or Delete it", key, auth.ErrUnreadable, err)
	}
	return tok, nil
}

// Save stores tok under key, replacing whatever row is there, even one
// that cannot be read. It takes the key's lock, so that it never lands in
// the middle of another process's refresh.
func (s *Store) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	if err := checkKey(key); err != nil {
		return err
	}
	keyID, data, err := tokenrec.Pack(s.sealer, key, tok)
	if err != nil {
		return fmt.Errorf("sqlstore: key %q: %w", key, err)
	}
	tx, err := s.begin(ctx, key)
	if err != nil {
		return fmt.Errorf("sqlstore: key %q: %w", key, err)
	}
	defer tx.rollback()
	return s.write(context.WithoutCancel(ctx), tx, key, keyID, data)
}

// Delete removes the token stored under key.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	tx, err := s.begin(ctx, key)
	if err != nil {
		return fmt.Errorf("sqlstore: key %q: %w", key, err)
	}
	defer tx.rollback()
	if _, err := tx.ExecContext(context.WithoutCancel(ctx), s.q.delete, key); err != nil {
		return fmt.Errorf("sqlstore: key %q: %w", key, err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("sqlstore: key %q: %w", key, err)
	}
	return nil
}

// Update runs f under the key's lock, as auth.Store says. The lock is the
// transaction's: the new token is committed and the lock released at
// once.
func (s *Store) Update(ctx context.Context, key string, f func(context.Context, *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	tx, err := s.begin(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: key %q: %w", key, err)
	}
	defer tx.rollback()
	// Past the lock, statements run to the end whatever ctx does: f may
	// spend a single-use refresh token, and its answer must be committed.
	bg := context.WithoutCancel(ctx)
	cur, err := s.load(bg, tx, key)
	if err != nil && !errors.Is(err, auth.ErrNotFound) {
		return nil, err
	}
	next, err := f(ctx, cur)
	if err != nil {
		return nil, err
	}
	if next == nil || next == cur {
		return cur, nil
	}
	keyID, data, err := tokenrec.Pack(s.sealer, key, next)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: key %q: %w", key, err)
	}
	if err := s.write(bg, tx, key, keyID, data); err != nil {
		return nil, err
	}
	return next, nil
}

// write stores a packed record under key and commits tx.
func (s *Store) write(ctx context.Context, tx *lockedTx, key, keyID string, data []byte) error {
	if _, err := tx.ExecContext(ctx, s.q.upsert, key, keyID, data); err != nil {
		return fmt.Errorf("sqlstore: key %q: saving: %w", key, err)
	}
	if err := tx.commit(); err != nil {
		return fmt.Errorf("sqlstore: key %q: committing: %w", key, err)
	}
	return nil
}

// lockedTx is a transaction that holds a key's lock until it ends.
type lockedTx struct {
	querier
	commit   func() error
	rollback func() // after commit, does nothing
}

// begin starts a transaction holding name's lock, waiting for it no
// longer than ctx allows.
func (s *Store) begin(ctx context.Context, name string) (*lockedTx, error) {
	if s.d == Postgres {
		return s.beginPostgres(ctx, name)
	}
	return s.beginSQLite(ctx)
}

func (s *Store) beginPostgres(ctx context.Context, name string) (*lockedTx, error) {
	// The wait for a connection ends with ctx: nothing is spent yet. The
	// transaction itself ignores ctx: database/sql would roll it back
	// when ctx ends, after f may have spent a refresh token.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := conn.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	// Released at commit or rollback, and when the connection drops: a
	// process that dies holding it does not keep it.
	if _, err := tx.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", lockID(s.table, name)); err != nil {
		tx.Rollback()
		conn.Close()
		if ctx.Err() != nil {
			return nil, fmt.Errorf("waiting for the lock: %w", ctx.Err())
		}
		return nil, fmt.Errorf("locking: %w", err)
	}
	done := false
	return &lockedTx{
		querier: tx,
		commit: func() error {
			done = true
			defer conn.Close()
			return tx.Commit()
		},
		rollback: func() {
			if !done {
				done = true
				tx.Rollback()
				conn.Close()
			}
		},
	}, nil
}

// lockID maps a key to PostgreSQL's 64-bit advisory-lock space. Two keys
// that collide only share a lock.
func lockID(table, name string) int64 {
	h := fnv.New64a()
	h.Write([]byte("onair/sqlstore\x00" + table + "\x00" + name))
	return int64(h.Sum64())
}

func (s *Store) beginSQLite(ctx context.Context) (*lockedTx, error) {
	// A new connection runs the DSN's pragmas, which can meet a lock too.
	var conn *sql.Conn
	if err := retryBusy(ctx, func() (err error) { conn, err = s.db.Conn(ctx); return err }); err != nil {
		return nil, err
	}
	bg := context.WithoutCancel(ctx)
	// BEGIN IMMEDIATE takes the write lock now rather than at the first
	// write, so that the read under it is the latest. The driver's busy
	// wait does not watch ctx; this loop does.
	if err := retryBusy(ctx, func() error { _, err := conn.ExecContext(bg, "BEGIN IMMEDIATE"); return err }); err != nil {
		conn.Close()
		return nil, err
	}
	ended := false
	end := func(stmt string) error {
		if ended {
			return nil
		}
		ended = true
		err := retryBusy(context.Background(), func() error { _, err := conn.ExecContext(bg, stmt); return err })
		if err != nil {
			// Unsure how the transaction ended: drop the connection rather
			// than hand it back to the pool mid-transaction.
			conn.Raw(func(any) error { return driver.ErrBadConn })
		}
		conn.Close()
		return err
	}
	return &lockedTx{
		querier:  conn,
		commit:   func() error { return end("COMMIT") },
		rollback: func() { end("ROLLBACK") },
	}, nil
}

// retryBusy runs op until it succeeds, fails otherwise than with SQLite's
// BUSY or LOCKED, or ctx ends (context.Background: 30 seconds).
func retryBusy(ctx context.Context, op func() error) error {
	deadline := time.Now().Add(30 * time.Second)
	pause := time.Millisecond
	for {
		err := op()
		if err == nil || !isBusy(err) {
			return err
		}
		if ctx.Done() == nil && time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for the lock: %w", ctx.Err())
		case <-time.After(pause):
		}
		pause = min(2*pause, 20*time.Millisecond)
	}
}

// isBusy reports SQLITE_BUSY or SQLITE_LOCKED, with or without an
// extended code, from a driver whose errors have Code() int.
func isBusy(err error) bool {
	var c interface{ Code() int }
	if !errors.As(err, &c) {
		return false
	}
	code := c.Code() & 0xff
	return code == 5 || code == 6
}

func checkKey(key string) error {
	if err := auth.CheckKey(key); err != nil {
		return fmt.Errorf("sqlstore: %w", err)
	}
	return nil
}
