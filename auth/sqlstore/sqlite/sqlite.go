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
//
// Tokens are secrets: Open makes the file, and the -wal, -shm and -journal
// files SQLite keeps beside it, their owner's alone (0600) if they were
// not, and refuses any of them that is a symbolic link or not a regular
// file. Keep the file in a directory that only its owner can write: SQLite
// creates and removes those files as it goes.
func Open(ctx context.Context, path string, opts ...sqlstore.Option) (*sqlstore.Store, error) {
	if path == "" || strings.ContainsAny(path, "?#") || strings.HasPrefix(path, "file:") || path == ":memory:" {
		return nil, fmt.Errorf("sqlite: %q is not a plain file path", path)
	}
	// SQLite would create the file with the umask's mode; tokens are
	// secrets. Its -wal and -shm files take the database file's mode.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL|noFollow, 0o600)
	switch {
	case err == nil:
		f.Close()
	case !errors.Is(err, fs.ErrExist):
		return nil, fmt.Errorf("sqlite: %w", err)
	}
	if err := makePrivate(path, "pass the file it points to"); err != nil {
		return nil, err
	}
	for _, suffix := range []string{"-wal", "-shm", "-journal"} {
		if err := makePrivate(path+suffix, "remove it"); err != nil {
			return nil, err
		}
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

// makePrivate makes the file at path, if there is one, its owner's alone
// (0600), and refuses one that is a symbolic link (saying ifLink, what to
// do) or not a regular file.
func makePrivate(path, ifLink string) error {
	f, err := os.OpenFile(path, os.O_RDONLY|noFollow, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && !fi.Mode().IsRegular() {
			return notFile(path, fi.Mode(), ifLink)
		}
		return fmt.Errorf("sqlite: %w", err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("sqlite: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return notFile(path, fi.Mode(), ifLink)
	}
	if fi.Mode().Perm() == 0o600 {
		return nil
	}
	if err := f.Chmod(0o600); err != nil {
		return fmt.Errorf("sqlite: %s has mode %v and cannot be made 0600 (%w): chmod 600 it as its owner", path, fi.Mode().Perm(), err)
	}
	return nil
}

func notFile(path string, m fs.FileMode, ifLink string) error {
	what, todo := "not a regular file ("+m.Type().String()+")", "remove it"
	switch {
	case m&fs.ModeSymlink != 0:
		what, todo = "a symbolic link, which the store does not follow", ifLink
	case m.IsDir():
		what = "a directory, not a file"
	case m&fs.ModeNamedPipe != 0:
		what = "a FIFO, not a file"
	}
	return fmt.Errorf("sqlite: %s is %s: %s", path, what, todo)
}
