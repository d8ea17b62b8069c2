package postgres_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/sqlstore"
	"github.com/onair-go/onair/auth/sqlstore/postgres"
	"github.com/onair-go/onair/internal/pgtest"
	"github.com/onair-go/onair/internal/storetest"
)

// server is the PostgreSQL server of this test binary; nil when there is
// none (the tests skip) or in a child process of the multi-process tests,
// which get their database's DSN from the parent.
var (
	server   *pgtest.Server
	startErr error
)

func TestMain(m *testing.M) {
	if !storetest.IsChild() {
		server, startErr = pgtest.Start()
		if startErr != nil && !errors.Is(startErr, pgtest.ErrNoPostgres) {
			fmt.Fprintln(os.Stderr, startErr)
			os.Exit(1)
		}
	}
	code := m.Run()
	server.Stop()
	os.Exit(code)
}

// database returns the DSN of a new, empty database.
func database(t testing.TB) string {
	t.Helper()
	if server == nil {
		t.Skip(startErr)
	}
	return server.Database(t, func(dsn string) (*sql.DB, error) { return sql.Open("pgx", dsn) })
}

func open(t testing.TB, opts ...sqlstore.Option) *sqlstore.Store {
	t.Helper()
	st, err := postgres.Open(context.Background(), database(t), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestConformance(t *testing.T) {
	if server == nil {
		t.Skip(startErr)
	}
	storetest.Run(t, func(t *testing.T) auth.Store { return open(t) })
}

func TestUnreadable(t *testing.T) {
	if server == nil {
		t.Skip(startErr)
	}
	storetest.Unreadable(t, func(t *testing.T) (auth.Store, storetest.Corrupt) {
		dsn := database(t)
		st, err := postgres.Open(context.Background(), dsn)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st, func(t *testing.T, key string, raw []byte) {
			t.Helper()
			db, err := sql.Open("pgx", dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			res, err := db.Exec("UPDATE onair_tokens SET token = $1 WHERE key = $2", raw, key)
			if err != nil {
				t.Fatal(err)
			}
			if n, err := res.RowsAffected(); err != nil || n != 1 {
				t.Fatalf("corrupting key %q: %d rows, %v", key, n, err)
			}
		}
	})
}

var harness = storetest.Harness{
	Location: func(t *testing.T) string { return database(t) },
	Open: func(ctx context.Context, dsn string) (auth.Store, error) {
		return postgres.Open(ctx, dsn)
	},
}

// The multi-process test of this store is internal/storetest's
// TestMultiProcess, which runs it beside the other stores'.
func TestKill(t *testing.T) {
	if !storetest.IsChild() && server == nil {
		t.Skip(startErr)
	}
	storetest.Kill(t, harness)
}

// Locks are per key: one user's refresh does not hold up another's.
func TestLocksPerKey(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	entered, release := make(chan struct{}), make(chan struct{})
	done := make(chan error)
	go func() {
		_, err := st.Update(ctx, "alice", func(context.Context, *oauth2.Token) (*oauth2.Token, error) {
			close(entered)
			<-release
			return &oauth2.Token{AccessToken: "a"}, nil
		})
		done <- err
	}()
	<-entered
	wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if err := st.Save(wctx, "bob", &oauth2.Token{AccessToken: "b"}); err != nil {
		t.Errorf("bob's save while alice's refresh holds her lock: %v", err)
	}
	close(release)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestBadDSN(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://u:hunter2@127.0.0.1:1/x?sslmode=bogus")
	if err == nil {
		t.Fatal("opened")
	}
	if s := err.Error(); len(s) == 0 || strings.Contains(s, "hunter2") {
		t.Errorf("err = %v; want one without the password", err)
	}
}

// Benchmarks: see BENCHMARKS.md for the commands and numbers.

func BenchmarkCachedToken(b *testing.B) {
	b.Run("no-store", func(b *testing.B) { storetest.BenchCachedToken(b, nil) })
	b.Run("postgres", func(b *testing.B) { storetest.BenchCachedToken(b, open(b)) })
}

func BenchmarkRefresh(b *testing.B) {
	b.Run("no-store", func(b *testing.B) { storetest.BenchRefresh(b, nil) })
	b.Run("postgres", func(b *testing.B) { storetest.BenchRefresh(b, open(b)) })
}

func BenchmarkUpdate(b *testing.B) {
	b.Run("postgres", func(b *testing.B) { storetest.BenchUpdate(b, open(b)) })
}

func BenchmarkExpiry(b *testing.B) {
	b.Run("postgres", func(b *testing.B) { storetest.BenchExpiry(b, open(b)) })
}
