package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth/sqlstore"
	"github.com/onair-go/onair/auth/sqlstore/postgres"
	"github.com/onair-go/onair/auth/sqlstore/sqlite"
	"github.com/onair-go/onair/internal/pgtest"
	"github.com/onair-go/onair/webhook"
)

// A Store's Dedup is what the webhook receivers take.
var _ webhook.Dedup = (*sqlstore.Dedup)(nil)

// server is the PostgreSQL server of this test binary; nil when there is
// none, and the PostgreSQL tests skip.
var (
	server   *pgtest.Server
	startErr error
)

func TestMain(m *testing.M) {
	server, startErr = pgtest.Start()
	if startErr != nil && !errors.Is(startErr, pgtest.ErrNoPostgres) {
		fmt.Fprintln(os.Stderr, startErr)
		os.Exit(1)
	}
	code := m.Run()
	server.Stop()
	os.Exit(code)
}

// database is a new, empty database of one dialect: stores on it are
// processes sharing it, and raw reads its tables behind their back.
type database struct {
	dialect sqlstore.Dialect
	open    func(ctx context.Context, opts ...sqlstore.Option) (*sqlstore.Store, error)
	raw     *sql.DB
}

// store opens a store on db, closed when t ends.
func (db database) store(t *testing.T, opts ...sqlstore.Option) *sqlstore.Store {
	t.Helper()
	st, err := db.open(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// count is how many rows table holds.
func (db database) count(t *testing.T, table string) int {
	t.Helper()
	var n int
	if err := db.raw.QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// eachDialect runs test on a new SQLite database and a new PostgreSQL
// one, skipping PostgreSQL when there is no server.
func eachDialect(t *testing.T, test func(t *testing.T, db database)) {
	t.Run("sqlite", func(t *testing.T) {
		path := dbFile(t)
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw.Close() })
		test(t, database{
			dialect: sqlstore.SQLite,
			open: func(ctx context.Context, opts ...sqlstore.Option) (*sqlstore.Store, error) {
				return sqlite.Open(ctx, path, opts...)
			},
			raw: raw,
		})
	})
	t.Run("postgres", func(t *testing.T) {
		if server == nil {
			t.Skip(startErr)
		}
		dsn := server.Database(t, func(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) })
		raw, err := sql.Open("pgx", dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { raw.Close() })
		test(t, database{
			dialect: sqlstore.Postgres,
			open: func(ctx context.Context, opts ...sqlstore.Option) (*sqlstore.Store, error) {
				return postgres.Open(ctx, dsn, opts...)
			},
			raw: raw,
		})
	})
}

// A claim holds for its window, on every store of the database, and no
// longer; a released claim is gone. The clock is set ahead rather than
// waited for, by far more than a run takes, so no step depends on timing.
func TestDedupClaims(t *testing.T) {
	long := strings.Repeat("k", 10_000)
	eachDialect(t, func(t *testing.T, db database) {
		ctx := context.Background()
		stores := []*sqlstore.Dedup{db.store(t).Dedup(), db.store(t).Dedup()}
		type step struct {
			name    string
			store   int
			at      time.Duration // the clock, ahead of now
			release bool          // Release rather than Claim
			key     string
			window  time.Duration
			want    bool // Claim's answer
		}
		steps := []step{
			{name: "first delivery", key: "a", window: time.Hour, want: true},
			{name: "redelivery", key: "a", window: time.Hour},
			{name: "redelivery to another process", store: 1, key: "a", window: time.Hour},
			{name: "another delivery", store: 1, key: "b", window: time.Hour, want: true},
			{name: "redelivery within the window", at: 59 * time.Minute, key: "a", window: time.Hour},
			{name: "redelivery after the window", store: 1, at: 61 * time.Minute, key: "a", window: time.Hour, want: true},
			{name: "the late claim holds a window from its time", at: 2 * time.Hour, key: "a", window: time.Hour},
			{name: "released by the other process", store: 1, release: true, key: "b"},
			{name: "a released delivery is handled again", key: "b", window: time.Hour, want: true},
			{name: "releasing what is not claimed", release: true, key: "never claimed"},
			{name: "a long key", key: long, window: time.Hour, want: true},
			{name: "a long key, redelivered", store: 1, key: long, window: time.Hour},
			{name: "a long key differing at its end", key: long[1:] + "j", window: time.Hour, want: true},
			{name: "the empty key", key: "", window: time.Hour, want: true},
			{name: "the empty key, redelivered", key: "", window: time.Hour},
		}
		var got, want []string
		for _, s := range steps {
			d := stores[s.store]
			sqlstore.SetDedupClock(d, s.at)
			if s.release {
				if err := d.Release(ctx, s.key); err != nil {
					t.Fatalf("%s: Release: %v", s.name, err)
				}
				continue
			}
			claimed, err := d.Claim(ctx, s.key, s.window)
			if err != nil {
				t.Fatalf("%s: Claim: %v", s.name, err)
			}
			got = append(got, fmt.Sprintf("%s: %v", s.name, claimed))
			want = append(want, fmt.Sprintf("%s: %v", s.name, s.want))
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("claims (-want +got):\n%s", d)
		}
	})
}

func TestDedupRefusesBadCalls(t *testing.T) {
	eachDialect(t, func(t *testing.T, db database) {
		d := db.store(t).Dedup()
		for _, window := range []time.Duration{0, -time.Second} {
			if _, err := d.Claim(context.Background(), "k", window); err == nil {
				t.Errorf("Claim with a window of %v: no error", window)
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := d.Claim(ctx, "k", time.Hour); !errors.Is(err, context.Canceled) {
			t.Errorf("Claim with a cancelled context: %v; want context.Canceled", err)
		}
		if ok, err := d.Claim(context.Background(), "k", time.Hour); !ok || err != nil {
			t.Errorf("Claim after the refused ones: %v, %v; want the key still free", ok, err)
		}
	})
}

// Goroutines of two stores on one database (two processes, as far as the
// database can tell) claim the same keys at once: each key has exactly
// one winner, whether it is new or its claim expired.
func TestDedupConcurrentClaims(t *testing.T) {
	const (
		goroutines = 4 // a store
		keys       = 10
	)
	eachDialect(t, func(t *testing.T, db database) {
		stores := []*sqlstore.Dedup{db.store(t).Dedup(), db.store(t).Dedup()}
		race := func(t *testing.T) {
			t.Helper()
			wins := make([]int, keys)
			var (
				mu    sync.Mutex
				wg    sync.WaitGroup
				start = make(chan struct{})
			)
			for _, d := range stores {
				for range goroutines {
					wg.Go(func() {
						<-start
						for k := range keys {
							ok, err := d.Claim(context.Background(), fmt.Sprint("delivery-", k), time.Hour)
							if err != nil {
								t.Error(err)
								return
							}
							if ok {
								mu.Lock()
								wins[k]++
								mu.Unlock()
							}
						}
					})
				}
			}
			close(start)
			wg.Wait()
			for k, n := range wins {
				if n != 1 {
					t.Errorf("key %d claimed by %d callers; want exactly 1", k, n)
				}
			}
		}
		t.Run("new keys", race)
		// Two hours on, every claim has expired: one caller takes each over.
		for _, d := range stores {
			sqlstore.SetDedupClock(d, 2*time.Hour)
		}
		t.Run("expired keys", race)
	})
}

// Expired claims are deleted as new ones are taken: rounds of new
// deliveries, each after the last round's claims expired, leave the
// table no larger than two sweeps' worth, where it would otherwise grow
// by a round each time.
func TestDedupSweepsExpired(t *testing.T) {
	const rounds = 10
	eachDialect(t, func(t *testing.T, db database) {
		d := db.store(t).Dedup()
		for r := range rounds {
			sqlstore.SetDedupClock(d, time.Duration(r)*2*time.Minute)
			for i := range sqlstore.SweepEvery {
				if ok, err := d.Claim(context.Background(), fmt.Sprintf("round %d delivery %d", r, i), time.Minute); !ok || err != nil {
					t.Fatalf("Claim of a new delivery: %v, %v", ok, err)
				}
			}
			if n := db.count(t, "onair_tokens_dedup"); n > 2*sqlstore.SweepEvery {
				t.Fatalf("after round %d: %d claims stored; want at most %d", r, n, 2*sqlstore.SweepEvery)
			}
		}
	})
}

// A database of the previous schema version, tokens in it, is migrated by
// Open: its tokens stay, and the deliveries' table is there.
func TestDedupMigration(t *testing.T) {
	eachDialect(t, func(t *testing.T, db database) {
		ctx := context.Background()
		prev := sqlstore.SchemaVersion(db.dialect, "onair_tokens", 1)
		old := db.store(t, prev)
		if err := old.Save(ctx, "u", &oauth2.Token{AccessToken: "kept"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.raw.Exec("SELECT count(*) FROM onair_tokens_dedup"); err == nil {
			t.Fatal("the previous schema has the deliveries' table already")
		}
		old.Close()

		st := db.store(t)
		var v int
		if err := db.raw.QueryRow("SELECT MAX(version) FROM onair_tokens_schema").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v != sqlstore.LatestSchema {
			t.Errorf("schema version %d after Open; want %d", v, sqlstore.LatestSchema)
		}
		if tok, err := st.Load(ctx, "u"); err != nil || tok.AccessToken != "kept" {
			t.Errorf("the token after migrating: %v, %v", tok, err)
		}
		for _, want := range []bool{true, false} {
			if ok, err := st.Dedup().Claim(ctx, "d", time.Hour); ok != want || err != nil {
				t.Errorf("Claim after migrating: %v, %v; want %v", ok, err, want)
			}
		}
		// The package of the previous version refuses the migrated one.
		if _, err := db.open(ctx, prev); !errors.Is(err, sqlstore.ErrNewerSchema) {
			t.Errorf("the previous version opening the migrated database: %v; want ErrNewerSchema", err)
		}
	})
}

// With webhook.Once, a delivery handled by one process is skipped by the
// other, and one whose handler failed is handled again by either.
func TestDedupOnce(t *testing.T) {
	eachDialect(t, func(t *testing.T, db database) {
		ctx := context.Background()
		a, b := db.store(t).Dedup(), db.store(t).Dedup()
		handled := 0
		handle := func(err error) func(context.Context) error {
			return func(context.Context) error { handled++; return err }
		}
		failed := errors.New("handler failed")
		for _, s := range []struct {
			d       *sqlstore.Dedup
			err     error
			wantRan bool
		}{
			{a, failed, true},
			{b, nil, true},
			{a, nil, false},
			{b, nil, false},
		} {
			ran, err := webhook.Once(ctx, s.d, "delivery", time.Hour, handle(s.err))
			if ran != s.wantRan || !errors.Is(err, s.err) {
				t.Errorf("Once: ran %v, err %v; want ran %v, err %v", ran, err, s.wantRan, s.err)
			}
		}
		if handled != 2 {
			t.Errorf("the handler ran %d times; want 2 (once failing, once succeeding)", handled)
		}
	})
}
