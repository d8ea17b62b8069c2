// Package sqlite opens an auth/sqlstore Store in a SQLite database file,
// with modernc.org/sqlite: pure Go, no cgo.
//
// SQLite suits one machine: any number of processes there can share the
// file, and a process that dies releases its locks. Refreshes of all keys
// take turns on the database's one write lock while reads go on (the
// database is in WAL mode); for many users refreshing at once, or replicas
// on several machines, use auth/sqlstore/postgres.
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"

	_ "modernc.org/sqlite" // registers "sqlite"

	"github.com/onair-go/onair/auth/sqlstore"
)

// Open opens, or creates with mode 0600, the database file at path and
// returns its store. Every commit is synced to disk (synchronous=FULL),
// so a saved token survives a power cut, not only a crash.
func Open(ctx context.Context, path string, opts ...sqlstore.Option) (*sqlstore.Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") || path == ":memory:" {
		return nil, fmt.Errorf("sqlite: %q is not a plain file path", path)
	}
	// SQLite would create the file with the umask's mode; tokens are
	// secrets. Its -wal and -shm files take the database file's mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	switch {
	case err == nil:
		f.Close()
	case !errors.Is(err, fs.ErrExist):
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	// A short busy timeout: sqlstore waits for locks itself, watching the
	// caller's context, which the driver's wait does not.
	db, err := sql.Open("sqlite", path+"?_pragma=busy_timeout(50)&_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)")
	if err != nil {
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	st, err := sqlstore.Open(ctx, db, sqlstore.SQLite, opts...)
	if err != nil {
		db.Close()
		return nil, err
	}
	return st, nil
}
