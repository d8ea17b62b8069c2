package sqlite_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

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

// A database, and its -wal, -shm and -journal files, that others could
// read are made their owner's alone (0600) by Open, whatever mode they had.
func TestLooseModesTightened(t *testing.T) {
	ctx := context.Background()
	for _, mode := range []os.FileMode{0o666, 0o644, 0o640, 0o604, 0o660, 0o600} {
		for _, file := range []string{"", "-wal", "-shm", "-journal"} {
			t.Run(fmt.Sprintf("%s%s %v", "tokens.db", file, mode), func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "tokens.db")
				st, err := sqlite.Open(ctx, path)
				if err != nil {
					t.Fatal(err)
				}
				if err := st.Save(ctx, "u", &oauth2.Token{AccessToken: "a"}); err != nil {
					t.Fatal(err)
				}
				st.Close()
				if file != "" {
					if err := os.WriteFile(path+file, nil, 0o600); err != nil {
						t.Fatal(err)
					}
				}
				if err := os.Chmod(path+file, mode); err != nil {
					t.Fatal(err)
				}
				st, err = sqlite.Open(ctx, path)
				if err != nil {
					t.Fatal(err)
				}
				defer st.Close()
				if fi, err := os.Stat(path + file); err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("after Open: mode %v, %v; want 0600", fi.Mode(), err)
				}
				if got, err := st.Load(ctx, "u"); err != nil || got.AccessToken != "a" {
					t.Errorf("Load: %v, %v", got, err)
				}
			})
		}
	}
}

// Open follows no symbolic link to the database or the files SQLite keeps
// beside it, and opens nothing but regular files: SQLite would read and
// write through the link, and make its journals where it points.
func TestRefusesWhatIsNotAFile(t *testing.T) {
	ctx := context.Background()
	for _, file := range []string{"", "-wal", "-shm", "-journal"} {
		for _, kind := range []string{"link to a database", "link to nowhere", "FIFO", "directory"} {
			t.Run("tokens.db"+file+" is a "+kind, func(t *testing.T) {
				dir := t.TempDir()
				other := filepath.Join(t.TempDir(), "other.db")
				ost, err := sqlite.Open(ctx, other)
				if err != nil {
					t.Fatal(err)
				}
				if err := ost.Save(ctx, "u", &oauth2.Token{AccessToken: "outside"}); err != nil {
					t.Fatal(err)
				}
				ost.Close()
				before, _ := os.ReadFile(other)

				path := filepath.Join(dir, "tokens.db")
				if file != "" {
					st, err := sqlite.Open(ctx, path)
					if err != nil {
						t.Fatal(err)
					}
					st.Close()
				}
				name := path + file
				switch kind {
				case "link to a database":
					err = os.Symlink(other, name)
				case "link to nowhere":
					err = os.Symlink(filepath.Join(dir, "absent"), name)
				case "FIFO":
					err = syscall.Mkfifo(name, 0o600)
				case "directory":
					err = os.Mkdir(name, 0o700)
				}
				if err != nil {
					t.Fatal(err)
				}
				done := make(chan error, 1)
				go func() {
					st, err := sqlite.Open(ctx, path)
					if err == nil {
						st.Close()
					}
					done <- err
				}()
				select {
				case err = <-done:
				case <-time.After(30 * time.Second):
					t.Fatal("Open still blocked after 30s")
				}
				if err == nil || !strings.Contains(err.Error(), filepath.Base(name)) {
					t.Errorf("Open: err = %v, want a refusal naming %s", err, filepath.Base(name))
				}
				if after, _ := os.ReadFile(other); string(after) != string(before) {
					t.Error("the database outside changed")
				}
				if _, err := os.Lstat(filepath.Join(dir, "absent")); !errors.Is(err, fs.ErrNotExist) {
					t.Errorf("a file was created where the link points: %v", err)
				}
			})
		}
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
