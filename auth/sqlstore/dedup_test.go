package sqlstore_test

import (
	"context"
	"crypto/sha256"
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

// A claim is busy for its lease, on every store of the database, and no
// longer; a done one is handled for its window; a released one is gone.
// The clock is set ahead rather than waited for, by far more than a run
// takes, so no step depends on timing.
func TestDedupClaims(t *testing.T) {
	long := strings.Repeat("k", 10_000)
	eachDialect(t, func(t *testing.T, db database) {
		ctx := context.Background()
		stores := []*sqlstore.Dedup{db.store(t).Dedup(), db.store(t).Dedup()}
		type step struct {
			name  string
			store int
			at    time.Duration // the clock, ahead of now
			op    string        // claim (the default), done or release
			key   string
			d     time.Duration // a claim's lease, a done's window
			want  webhook.Claim // Claim's answer
		}
		const lease, window = time.Minute, time.Hour
		steps := []step{
			{name: "first delivery", key: "a", d: lease, want: webhook.Claimed},
			{name: "redelivery while handled", key: "a", d: lease, want: webhook.Busy},
			{name: "redelivery to another process while handled", store: 1, key: "a", d: lease, want: webhook.Busy},
			{name: "redelivery at the end of the lease", at: 59 * time.Second, key: "a", d: lease, want: webhook.Busy},
			{name: "redelivery after the lease: the handler died", store: 1, at: 61 * time.Second, key: "a", d: lease, want: webhook.Claimed},
			{name: "the late claim holds a lease from its time", at: 2 * time.Minute, key: "a", d: lease, want: webhook.Busy},
			{name: "done by the process that took it over", store: 1, at: 2 * time.Minute, op: "done", key: "a", d: window},
			{name: "redelivery after done", at: 2 * time.Minute, key: "a", d: lease, want: webhook.Handled},
			{name: "redelivery to another process after done", store: 1, at: 2 * time.Minute, key: "a", d: lease, want: webhook.Handled},
			{name: "redelivery within the window, past the lease", at: 61 * time.Minute, key: "a", d: lease, want: webhook.Handled},
			{name: "redelivery after the window", store: 1, at: 63 * time.Minute, key: "a", d: lease, want: webhook.Claimed},
			{name: "another delivery", store: 1, key: "b", d: lease, want: webhook.Claimed},
			{name: "released by the other process", op: "release", key: "b"},
			{name: "a released delivery is handled again", store: 1, key: "b", d: lease, want: webhook.Claimed},
			{name: "releasing what is not claimed", op: "release", key: "never claimed"},
			// A handler outlived its lease and another process took the
			// key over; the first succeeded, the second failed: the
			// delivery was handled, and stays so.
			{name: "a delivery whose handler outlives its lease", key: "d", d: lease, want: webhook.Claimed},
			{name: "taken over after the lease", store: 1, at: 61 * time.Second, key: "d", d: lease, want: webhook.Claimed},
			{name: "done by the first handler, late", at: 62 * time.Second, op: "done", key: "d", d: window},
			{name: "released by the second, which failed", store: 1, at: 63 * time.Second, op: "release", key: "d"},
			{name: "handled although a late claim was released", at: 64 * time.Second, key: "d", d: lease, want: webhook.Handled},
			{name: "done without a claim", op: "done", key: "c", d: window},
			{name: "a delivery done without a claim", store: 1, key: "c", d: lease, want: webhook.Handled},
			{name: "a long key", key: long, d: lease, want: webhook.Claimed},
			{name: "a long key, redelivered", store: 1, key: long, d: lease, want: webhook.Busy},
			{name: "a long key differing at its end", key: long[1:] + "j", d: lease, want: webhook.Claimed},
			{name: "the empty key", key: "", d: lease, want: webhook.Claimed},
			{name: "the empty key, redelivered", key: "", d: lease, want: webhook.Busy},
		}
		var got, want []string
		for _, s := range steps {
			d := stores[s.store]
			sqlstore.SetDedupClock(d, s.at)
			switch {
			case s.op == "release":
				if err := d.Release(ctx, s.key); err != nil {
					t.Fatalf("%s: Release: %v", s.name, err)
				}
			case s.op == "done":
				if err := d.Done(ctx, s.key, s.d); err != nil {
					t.Fatalf("%s: Done: %v", s.name, err)
				}
			default:
				claim, err := d.Claim(ctx, s.key, s.d)
				if err != nil {
					t.Fatalf("%s: Claim: %v", s.name, err)
				}
				got = append(got, fmt.Sprintf("%s: %v", s.name, claim))
				want = append(want, fmt.Sprintf("%s: %v", s.name, s.want))
			}
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("claims (-want +got):\n%s", d)
		}
	})
}

func TestDedupRefusesBadCalls(t *testing.T) {
	eachDialect(t, func(t *testing.T, db database) {
		d := db.store(t).Dedup()
		for _, dur := range []time.Duration{0, -time.Second} {
			if _, err := d.Claim(context.Background(), "k", dur); err == nil {
				t.Errorf("Claim with a lease of %v: no error", dur)
			}
			if err := d.Done(context.Background(), "k", dur); err == nil {
				t.Errorf("Done with a window of %v: no error", dur)
			}
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if _, err := d.Claim(ctx, "k", time.Hour); !errors.Is(err, context.Canceled) {
			t.Errorf("Claim with a cancelled context: %v; want context.Canceled", err)
		}
		if err := d.Done(ctx, "k", time.Hour); !errors.Is(err, context.Canceled) {
			t.Errorf("Done with a cancelled context: %v; want context.Canceled", err)
		}
		if claim, err := d.Claim(context.Background(), "k", time.Hour); claim != webhook.Claimed || err != nil {
			t.Errorf("Claim after the refused ones: %v, %v; want the key still free", claim, err)
		}
	})
}

// Goroutines of two stores on one database (two processes, as far as the
// database can tell) claim the same keys at once: each key has exactly
// one winner, whether it is new or its claim expired, and every other
// caller finds it Busy.
func TestDedupConcurrentClaims(t *testing.T) {
	const (
		goroutines = 4 // a store
		keys       = 10
	)
	eachDialect(t, func(t *testing.T, db database) {
		stores := []*sqlstore.Dedup{db.store(t).Dedup(), db.store(t).Dedup()}
		race := func(t *testing.T) {
			t.Helper()
			wins := make([]map[webhook.Claim]int, keys)
			for k := range wins {
				wins[k] = map[webhook.Claim]int{}
			}
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
							claim, err := d.Claim(context.Background(), fmt.Sprint("delivery-", k), time.Hour)
							if err != nil {
								t.Error(err)
								return
							}
							mu.Lock()
							wins[k][claim]++
							mu.Unlock()
						}
					})
				}
			}
			close(start)
			wg.Wait()
			want := map[webhook.Claim]int{webhook.Claimed: 1, webhook.Busy: len(stores)*goroutines - 1}
			for k, got := range wins {
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("key %d: claims (-want +got):\n%s", k, diff)
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
				key := fmt.Sprintf("round %d delivery %d", r, i)
				if claim, err := d.Claim(context.Background(), key, time.Minute); claim != webhook.Claimed || err != nil {
					t.Fatalf("Claim of a new delivery: %v, %v", claim, err)
				}
				if i%2 == 0 { // half done, half left claimed
					if err := d.Done(context.Background(), key, time.Minute); err != nil {
						t.Fatal(err)
					}
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
		for _, want := range []webhook.Claim{webhook.Claimed, webhook.Busy} {
			if claim, err := st.Dedup().Claim(ctx, "d", time.Hour); claim != want || err != nil {
				t.Errorf("Claim after migrating: %v, %v; want %v", claim, err, want)
			}
		}
		if err := st.Dedup().Done(ctx, "d", time.Hour); err != nil {
			t.Fatal(err)
		}
		if claim, err := st.Dedup().Claim(ctx, "d", time.Hour); claim != webhook.Handled || err != nil {
			t.Errorf("Claim of a done delivery after migrating: %v, %v; want handled", claim, err)
		}
		// The package of the previous version refuses the migrated one.
		if _, err := db.open(ctx, prev); !errors.Is(err, sqlstore.ErrNewerSchema) {
			t.Errorf("the previous version opening the migrated database: %v; want ErrNewerSchema", err)
		}
	})
}

// A database of the version before Done (3), a claim in it, is migrated
// by Open: the claim, which that version took for handled, is Handled.
func TestDedupMigrationKeepsClaims(t *testing.T) {
	eachDialect(t, func(t *testing.T, db database) {
		ctx := context.Background()
		db.store(t, sqlstore.SchemaVersion(db.dialect, "onair_tokens", 3)).Close()
		insert := "INSERT INTO onair_tokens_dedup (key, expires_at) VALUES (?, ?)"
		if db.dialect == sqlstore.Postgres {
			insert = "INSERT INTO onair_tokens_dedup (key, expires_at) VALUES ($1, $2)"
		}
		sum := sha256.Sum256([]byte("handled before"))
		if _, err := db.raw.Exec(insert, sum[:], time.Now().Add(time.Hour).UnixMicro()); err != nil {
			t.Fatal(err)
		}
		d := db.store(t).Dedup()
		for _, s := range []struct {
			key  string
			want webhook.Claim
		}{
			{"handled before", webhook.Handled},
			{"new", webhook.Claimed},
			{"new", webhook.Busy},
		} {
			if claim, err := d.Claim(ctx, s.key, time.Minute); claim != s.want || err != nil {
				t.Errorf("Claim of %q after migrating: %v, %v; want %v", s.key, claim, err, s.want)
			}
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
			d     *sqlstore.Dedup
			err   error
			want  webhook.Claim
			wantE error
		}{
			{a, failed, webhook.Claimed, failed},
			{b, nil, webhook.Claimed, nil},
			{a, nil, webhook.Handled, nil},
			{b, nil, webhook.Handled, nil},
		} {
			claim, err := webhook.Once(ctx, s.d, "delivery", time.Hour, handle(s.err))
			if claim != s.want || !errors.Is(err, s.wantE) {
				t.Errorf("Once: %v, err %v; want %v, err %v", claim, err, s.want, s.wantE)
			}
		}
		if handled != 2 {
			t.Errorf("the handler ran %d times; want 2 (once failing, once succeeding)", handled)
		}
	})
}

// The delivery a redelivery must not lose, across processes: while one
// process handles A, A's redelivery to the other is Busy and runs no
// handler; A's handler fails, and the next redelivery, to the other
// process, runs it.
func TestDedupOnceWhileHandling(t *testing.T) {
	eachDialect(t, func(t *testing.T, db database) {
		ctx := context.Background()
		a, b := db.store(t).Dedup(), db.store(t).Dedup()
		failed := errors.New("handler failed")
		started, finish := make(chan struct{}), make(chan struct{})
		type outcome struct {
			claim webhook.Claim
			err   error
		}
		first := make(chan outcome)
		go func() {
			claim, err := webhook.Once(ctx, a, "A", time.Hour, func(context.Context) error {
				close(started)
				<-finish
				return failed
			})
			first <- outcome{claim, err}
		}()
		<-started
		claim, err := webhook.Once(ctx, b, "A", time.Hour, func(context.Context) error {
			t.Error("the handler ran for a redelivery while the first delivery was being handled")
			return nil
		})
		if claim != webhook.Busy || err != nil {
			t.Errorf("redelivery while handling: %v, %v; want busy, nil", claim, err)
		}
		close(finish)
		if got := <-first; got.claim != webhook.Claimed || !errors.Is(got.err, failed) {
			t.Errorf("the first delivery: %v, %v; want claimed, %v", got.claim, got.err, failed)
		}
		ran := false
		claim, err = webhook.Once(ctx, b, "A", time.Hour, func(context.Context) error { ran = true; return nil })
		if claim != webhook.Claimed || err != nil || !ran {
			t.Errorf("redelivery after the failure: %v, %v, handler ran %v; want claimed, nil, ran", claim, err, ran)
		}
	})
}
