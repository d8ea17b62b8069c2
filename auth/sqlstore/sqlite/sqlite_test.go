package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/sealed"
	"github.com/onair-go/onair/auth/sqlstore"
	"github.com/onair-go/onair/auth/sqlstore/sqlite"
	"github.com/onair-go/onair/internal/storetest"
	"golang.org/x/oauth2"
)

func open(t testing.TB, opts ...sqlstore.Option) *sqlstore.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "tokens.db"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) auth.Store { return open(t) })
}

func TestConformanceSealed(t *testing.T) {
	keys, err := sealed.NewKeyring("k", map[string][]byte{"k": bytes.Repeat([]byte{7}, sealed.KeySize)})
	if err != nil {
		t.Fatal(err)
	}
	storetest.Run(t, func(t *testing.T) auth.Store { return open(t, sqlstore.Sealed(keys)) })
}

func TestUnreadable(t *testing.T) {
	keys, err := sealed.NewKeyring("k", map[string][]byte{"k": bytes.Repeat([]byte{7}, sealed.KeySize)})
	if err != nil {
		t.Fatal(err)
	}
	for name, opts := range map[string][]sqlstore.Option{
		"clear":  nil,
		"sealed": {sqlstore.Sealed(keys)},
	} {
		t.Run(name, func(t *testing.T) {
			storetest.Unreadable(t, func(t *testing.T) (auth.Store, storetest.Corrupt) {
				path := filepath.Join(t.TempDir(), "tokens.db")
				st, err := sqlite.Open(context.Background(), path, opts...)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { st.Close() })
				return st, func(t *testing.T, key string, raw []byte) { corrupt(t, path, key, raw) }
			})
		})
	}
}

// corrupt overwrites the token column of key's row, through a connection
// of its own.
func corrupt(t *testing.T, path, key string, raw []byte) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	res, err := db.Exec("UPDATE onair_tokens SET token = ? WHERE key = ?", raw, key)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		t.Fatalf("corrupting key %q: %d rows, %v", key, n, err)
	}
}

var harness = storetest.Harness{
	Location: func(t *testing.T) string { return filepath.Join(t.TempDir(), "tokens.db") },
	Open: func(ctx context.Context, path string) (auth.Store, error) {
		return sqlite.Open(ctx, path)
	},
}

// The multi-process test of this store is internal/storetest's
// TestMultiProcess, which runs it beside the other stores'.
func TestKill(t *testing.T) { storetest.Kill(t, harness) }

// The database holds secrets: only its owner reads it, and its WAL too.
func TestFileMode(t *testing.T) {
	dir := t.TempDir()
	st, err := sqlite.Open(context.Background(), filepath.Join(dir, "tokens.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Save(context.Background(), "u", &oauth2.Token{AccessToken: "a"}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		fi, _ := e.Info()
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), fi.Mode().Perm())
		}
	}
	if len(entries) < 2 {
		t.Errorf("files %v: want the database and its WAL", entries)
	}
}

// Benchmarks: see BENCHMARKS.md for the commands and numbers.

func BenchmarkCachedToken(b *testing.B) {
	b.Run("no-store", func(b *testing.B) { storetest.BenchCachedToken(b, nil) })
	b.Run("sqlite", func(b *testing.B) { storetest.BenchCachedToken(b, open(b)) })
}

func BenchmarkRefresh(b *testing.B) {
	b.Run("no-store", func(b *testing.B) { storetest.BenchRefresh(b, nil) })
	b.Run("sqlite", func(b *testing.B) { storetest.BenchRefresh(b, open(b)) })
}

func BenchmarkUpdate(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { storetest.BenchUpdate(b, open(b)) })
}

func BenchmarkExpiry(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { storetest.BenchExpiry(b, open(b)) })
}
