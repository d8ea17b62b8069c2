//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package filestore_test

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/filestore"
)

// What a test leaves outside the store, to check that the store never
// reads it for a token nor writes it.
type outside struct {
	dir, file string // a directory beside the store's, and a record in it
}

func newOutside(t *testing.T) outside {
	t.Helper()
	dir := t.TempDir()
	st, err := filestore.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Save(context.Background(), "u", &oauth2.Token{AccessToken: "outside-token"}); err != nil {
		t.Fatal(err)
	}
	return outside{dir: dir, file: filestore.RecordPath(st, "u")}
}

// unchanged checks that the outside record still holds what it held.
func (o outside) unchanged(t *testing.T, before []byte) {
	t.Helper()
	after, err := os.ReadFile(o.file)
	if err != nil || string(after) != string(before) {
		t.Errorf("the file outside the store changed: %v", err)
	}
}

// The store follows no symbolic link and opens nothing but regular files
// inside its directory: a record or lock file that is a link, a FIFO or a
// directory is refused, never read through, never created through; a Save
// replaces a record that is one (the name, not what it points to).
func TestRefusesWhatIsNotAFile(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		// plant puts something at the record's (or the lock's) path.
		plant func(t *testing.T, record, lock string, o outside)
		// saves: a Save replaces it (it is the record, not the lock).
		saves bool
	}{
		{"record links to a record outside", func(t *testing.T, record, _ string, o outside) { symlink(t, o.file, record) }, true},
		{"record links to nowhere", func(t *testing.T, record, _ string, o outside) {
			symlink(t, filepath.Join(o.dir, "absent.json"), record)
		}, true},
		{"record links to a directory", func(t *testing.T, record, _ string, o outside) { symlink(t, o.dir, record) }, true},
		{"record is a FIFO", func(t *testing.T, record, _ string, _ outside) {
			if err := syscall.Mkfifo(record, 0o600); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"lock links to a file to create outside", func(t *testing.T, _, lock string, o outside) {
			symlink(t, filepath.Join(o.dir, "created.lock"), lock)
		}, false},
		{"lock links to a file outside", func(t *testing.T, _, lock string, o outside) { symlink(t, o.file, lock) }, false},
		{"lock is a FIFO", func(t *testing.T, _, lock string, _ outside) {
			if err := syscall.Mkfifo(lock, 0o600); err != nil {
				t.Fatal(err)
			}
		}, false},
		{"lock is a directory", func(t *testing.T, _, lock string, _ outside) {
			if err := os.Mkdir(lock, 0o700); err != nil {
				t.Fatal(err)
			}
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			o := newOutside(t)
			before, _ := os.ReadFile(o.file)
			st := open(t)
			record := filestore.RecordPath(st, "u")
			lock := strings.TrimSuffix(record, ".json") + ".lock"
			tc.plant(t, record, lock, o)

			// A FIFO would block an open that waits for a writer: run
			// each call where a hang shows as a failure.
			within := func(what string, call func() error) error {
				t.Helper()
				done := make(chan error, 1)
				go func() { done <- call() }()
				select {
				case err := <-done:
					return err
				case <-time.After(30 * time.Second):
					t.Fatalf("%s still blocked after 30s", what)
					return nil
				}
			}
			refused := func(what string, err error) {
				t.Helper()
				if err == nil || errors.Is(err, auth.ErrNotFound) {
					t.Errorf("%s: err = %v, want a refusal", what, err)
				}
			}
			if tc.saves {
				// The lock is not Load's concern: it takes none.
				err := within("Load", func() error {
					tok, err := st.Load(ctx, "u")
					if err == nil && tok.AccessToken == "outside-token" {
						t.Error("Load returned the token of the file outside the store")
					}
					return err
				})
				if !errors.Is(err, auth.ErrUnreadable) {
					t.Errorf("Load: err = %v, want auth.ErrUnreadable", err)
				}
			}
			called := false
			refused("Update", within("Update", func() error {
				_, err := st.Update(ctx, "u", func(context.Context, *oauth2.Token) (*oauth2.Token, error) {
					called = true
					return &oauth2.Token{AccessToken: "from-update"}, nil
				})
				return err
			}))
			if called {
				t.Error("Update called f")
			}
			err := within("Save", func() error { return st.Save(ctx, "u", &oauth2.Token{AccessToken: "saved"}) })
			if tc.saves {
				if err != nil {
					t.Fatalf("Save over the record: %v", err)
				}
				if got, err := st.Load(ctx, "u"); err != nil || got.AccessToken != "saved" {
					t.Errorf("after Save: %v, %v; want saved", got, err)
				}
			} else {
				refused("Save", err)
				refused("Delete", within("Delete", func() error { return st.Delete(ctx, "u") }))
			}
			o.unchanged(t, before)
			if _, err := os.Lstat(filepath.Join(o.dir, "created.lock")); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("a file was created outside the store: %v", err)
			}
		})
	}
}

// A record with a hard link elsewhere is read (hard links are how some
// backups work), and a Save replaces the store's name only: a link never
// carries a write out of the store.
func TestHardLinkedRecord(t *testing.T) {
	ctx := context.Background()
	o := newOutside(t)
	before, _ := os.ReadFile(o.file)
	st := open(t)
	record := filestore.RecordPath(st, "u")
	if err := os.Link(o.file, record); err != nil {
		t.Skip("no hard links here:", err)
	}
	if got, err := st.Load(ctx, "u"); err != nil || got.AccessToken != "outside-token" {
		t.Errorf("Load of the linked record: %v, %v", got, err)
	}
	if _, err := st.Update(ctx, "u", func(_ context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
		return &oauth2.Token{AccessToken: "updated"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.Save(ctx, "u", &oauth2.Token{AccessToken: "saved"}); err != nil {
		t.Fatal(err)
	}
	o.unchanged(t, before)
	if got, err := st.Load(ctx, "u"); err != nil || got.AccessToken != "saved" {
		t.Errorf("after Save: %v, %v", got, err)
	}
}

// Open makes the directory its owner's alone (0700), whatever mode it had,
// and refuses a directory that is a symbolic link; a link among its
// parents is followed, as every program does.
func TestDirectoryMode(t *testing.T) {
	for _, mode := range []fs.FileMode{0o777, 0o775, 0o755, 0o750, 0o711, 0o701, 0o700, fs.ModeSticky | 0o777, fs.ModeSetgid | 0o770} {
		t.Run(mode.String(), func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "tokens")
			if err := os.Mkdir(dir, 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.Chmod(dir, mode); err != nil {
				t.Fatal(err)
			}
			st, err := filestore.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if fi, err := os.Stat(dir); err != nil || fi.Mode()&(fs.ModePerm|fs.ModeSticky|fs.ModeSetgid|fs.ModeSetuid) != 0o700 {
				t.Errorf("after Open: mode %v, %v; want 0700", fi.Mode(), err)
			}
			if err := st.Save(context.Background(), "u", &oauth2.Token{AccessToken: "a"}); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("symbolic link", func(t *testing.T) {
		target := t.TempDir()
		os.Chmod(target, 0o755)
		link := filepath.Join(t.TempDir(), "tokens")
		symlink(t, target, link)
		_, err := filestore.Open(link)
		if err == nil || !strings.Contains(err.Error(), "symbolic link") {
			t.Errorf("Open of a linked directory: err = %v, want a refusal naming the link", err)
		}
		if fi, _ := os.Stat(target); fi.Mode().Perm() != 0o755 {
			t.Errorf("the link's target changed mode to %v", fi.Mode().Perm())
		}
	})
	t.Run("symbolic link among the parents", func(t *testing.T) {
		target := t.TempDir()
		link := filepath.Join(t.TempDir(), "config")
		symlink(t, target, link)
		st, err := filestore.Open(filepath.Join(link, "tokens"))
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Save(context.Background(), "u", &oauth2.Token{AccessToken: "a"}); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(filepath.Join(target, "tokens")); err != nil || fi.Mode().Perm() != 0o700 {
			t.Errorf("the directory: %v, %v; want 0700", fi.Mode(), err)
		}
	})
	t.Run("a file", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "tokens")
		os.WriteFile(file, nil, 0o600)
		if _, err := filestore.Open(file); err == nil {
			t.Error("Open of a file succeeded")
		}
	})
}

// A record that others could read is made its owner's alone (0600) when
// it is read.
func TestRecordMode(t *testing.T) {
	ctx := context.Background()
	for _, mode := range []fs.FileMode{0o666, 0o644, 0o640, 0o604, 0o600} {
		t.Run(mode.String(), func(t *testing.T) {
			st := open(t)
			if err := st.Save(ctx, "u", &oauth2.Token{AccessToken: "a"}); err != nil {
				t.Fatal(err)
			}
			record := filestore.RecordPath(st, "u")
			if err := os.Chmod(record, mode); err != nil {
				t.Fatal(err)
			}
			if got, err := st.Load(ctx, "u"); err != nil || got.AccessToken != "a" {
				t.Fatalf("Load: %v, %v", got, err)
			}
			if fi, err := os.Stat(record); err != nil || fi.Mode().Perm() != 0o600 {
				t.Errorf("after Load: mode %v, %v; want 0600", fi.Mode(), err)
			}
		})
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}
