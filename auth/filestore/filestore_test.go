package filestore_test

import (
	"context"
	"crypto/rand"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/filestore"
	"github.com/onair-go/onair/auth/sealed"
	"github.com/onair-go/onair/internal/storetest"
)

func open(t *testing.T, opts ...filestore.Option) *filestore.Store {
	t.Helper()
	st, err := filestore.Open(filepath.Join(t.TempDir(), "tokens"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) auth.Store { return open(t) })
}

func TestConformanceSealed(t *testing.T) {
	keys := keyring(t, "k1", "k1")
	storetest.Run(t, func(t *testing.T) auth.Store { return open(t, filestore.Sealed(keys)) })
}

func TestUnreadable(t *testing.T) {
	for name, opts := range map[string][]filestore.Option{
		"clear":  nil,
		"sealed": {filestore.Sealed(keyring(t, "k1", "k1"))},
	} {
		t.Run(name, func(t *testing.T) {
			storetest.Unreadable(t, func(t *testing.T) (auth.Store, storetest.Corrupt) {
				st := open(t, opts...)
				return st, func(t *testing.T, key string, raw []byte) {
					if err := os.WriteFile(filestore.RecordPath(st, key), raw, 0o600); err != nil {
						t.Fatal(err)
					}
				}
			})
		})
	}
}

var harness = storetest.Harness{
	Location: func(t *testing.T) string { return t.TempDir() },
	Open: func(_ context.Context, dir string) (auth.Store, error) {
		return filestore.Open(dir)
	},
}

// The multi-process test of this store is internal/storetest's
// TestMultiProcess, which runs it beside the other stores'.
func TestKill(t *testing.T) { storetest.Kill(t, harness) }

func keyring(t *testing.T, current string, ids ...string) *sealed.Keyring {
	t.Helper()
	keys := map[string][]byte{}
	for _, id := range ids {
		keys[id] = []byte(strings.Repeat(id, sealed.KeySize)[:sealed.KeySize])
	}
	k, err := sealed.NewKeyring(current, keys)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Tokens are secrets: the directory is its owner's, each record too, and a
// sealed record holds no token in clear.
func TestFilesArePrivateAndSealed(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tokens")
	st, err := filestore.Open(dir, filestore.Sealed(keyring(t, "k1", "k1")))
	if err != nil {
		t.Fatal(err)
	}
	tok := &oauth2.Token{AccessToken: "access-" + rand.Text(), RefreshToken: "refresh-" + rand.Text()}
	if err := st.Save(context.Background(), "user-1", tok); err != nil {
		t.Fatal(err)
	}
	if fi, err := os.Stat(dir); err != nil || fi.Mode().Perm() != 0o700 {
		t.Errorf("directory: %v %v, want mode 0700", fi.Mode(), err)
	}
	entries, _ := os.ReadDir(dir)
	records := 0
	for _, e := range entries {
		fi, _ := e.Info()
		if fi.Mode().Perm() != 0o600 {
			t.Errorf("%s has mode %v, want 0600", e.Name(), fi.Mode().Perm())
		}
		b, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		if strings.Contains(string(b), tok.AccessToken) || strings.Contains(string(b), tok.RefreshToken) {
			t.Errorf("%s holds a token in clear", e.Name())
		}
		if strings.HasSuffix(e.Name(), ".json") {
			records++
			if !strings.Contains(string(b), `"key_id":"k1"`) {
				t.Errorf("%s does not name its key: %s", e.Name(), b)
			}
		}
	}
	if records != 1 {
		t.Errorf("%d record files, want 1", records)
	}
}

// Keys rotate: a record sealed with the old key is read, and saved again
// under the new one; a keyring without the old key says which it lacks.
func TestKeyRotation(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	old, _ := filestore.Open(dir, filestore.Sealed(keyring(t, "2026-01", "2026-01")))
	if err := old.Save(ctx, "u", &oauth2.Token{AccessToken: "a", RefreshToken: "r"}); err != nil {
		t.Fatal(err)
	}
	rotated, _ := filestore.Open(dir, filestore.Sealed(keyring(t, "2026-06", "2026-01", "2026-06")))
	tok, err := rotated.Update(ctx, "u", func(_ context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
		return &oauth2.Token{AccessToken: cur.AccessToken + "2", RefreshToken: "r2"}, nil
	})
	if err != nil || tok.AccessToken != "a2" {
		t.Fatalf("Update across the rotation: %v %v", tok, err)
	}
	newOnly, _ := filestore.Open(dir, filestore.Sealed(keyring(t, "2026-06", "2026-06")))
	if got, err := newOnly.Load(ctx, "u"); err != nil || got.AccessToken != "a2" {
		t.Errorf("after the save, the new key alone reads it: %v %v", got, err)
	}
	if _, err := old.Load(ctx, "u"); !errors.Is(err, sealed.ErrUnknownKey) {
		t.Errorf("the old keyring: err = %v, want sealed.ErrUnknownKey", err)
	}
	plain, _ := filestore.Open(dir)
	if _, err := plain.Load(ctx, "u"); err == nil {
		t.Error("a store without a sealer read a sealed record")
	}
}

// A record moved to another key's file does not open: the key is the
// record's additional data.
func TestSealedRecordBoundToKey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, _ := filestore.Open(dir, filestore.Sealed(keyring(t, "k", "k")))
	st.Save(ctx, "alice", &oauth2.Token{AccessToken: "alice-token"})
	files, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	alice := files[0]
	st.Save(ctx, "mallory", &oauth2.Token{AccessToken: "mallory-token"})
	files, _ = filepath.Glob(filepath.Join(dir, "*.json"))
	mallory := files[0]
	if mallory == alice {
		mallory = files[1]
	}
	b, _ := os.ReadFile(mallory)
	if err := os.WriteFile(alice, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Load(ctx, "alice"); !errors.Is(err, sealed.ErrOpen) {
		t.Errorf("mallory's record under alice's key: err = %v, want sealed.ErrOpen", err)
	}
}

// A temporary file left by a process killed while writing is removed by
// the next holder of the key's lock, and never read.
func TestLeftoverTempFiles(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	st, _ := filestore.Open(dir)
	if err := st.Save(ctx, "u", &oauth2.Token{AccessToken: "a"}); err != nil {
		t.Fatal(err)
	}
	recs, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	torn := strings.TrimSuffix(recs[0], ".json") + ".123.tmp"
	os.WriteFile(torn, []byte(`{"v":1,"da`), 0o600)
	if got, err := st.Load(ctx, "u"); err != nil || got.AccessToken != "a" {
		t.Fatalf("Load beside a torn temp file: %v %v", got, err)
	}
	if err := st.Save(ctx, "u", &oauth2.Token{AccessToken: "b"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(torn); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the leftover temp file is still there: %v", err)
	}
}

// A Save over a record that cannot be read keeps its bytes aside, in a
// private file beside it, whatever made it unreadable; a Save over a
// readable record keeps nothing.
func TestSaveKeepsUnreadableAside(t *testing.T) {
	ctx := context.Background()
	other := keyring(t, "k2", "k2")
	for _, tc := range []struct {
		name     string
		write    func(t *testing.T, dir string, path string) // makes the record
		keptAway bool
	}{
		{"garbage", func(t *testing.T, _, path string) { os.WriteFile(path, []byte("secret-looking garbage"), 0o600) }, true},
		{"sealed with another key", func(t *testing.T, dir, _ string) {
			st, _ := filestore.Open(dir, filestore.Sealed(other))
			if err := st.Save(ctx, "u", &oauth2.Token{AccessToken: "sealed-elsewhere"}); err != nil {
				t.Fatal(err)
			}
		}, true},
		{"readable", func(t *testing.T, dir, _ string) {
			st, _ := filestore.Open(dir)
			if err := st.Save(ctx, "u", &oauth2.Token{AccessToken: "old"}); err != nil {
				t.Fatal(err)
			}
		}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			st, err := filestore.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			path := filestore.RecordPath(st, "u")
			tc.write(t, dir, path)
			before, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if err := st.Save(ctx, "u", &oauth2.Token{AccessToken: "new"}); err != nil {
				t.Fatal(err)
			}
			if got, err := st.Load(ctx, "u"); err != nil || got.AccessToken != "new" {
				t.Fatalf("after Save: %v %v", got, err)
			}
			aside := strings.TrimSuffix(path, ".json") + ".unreadable"
			kept, err := os.ReadFile(aside)
			switch {
			case !tc.keptAway && !errors.Is(err, fs.ErrNotExist):
				t.Errorf("a readable record was kept aside: %v", err)
			case tc.keptAway && err != nil:
				t.Errorf("the unreadable record was not kept aside: %v", err)
			case tc.keptAway && string(kept) != string(before):
				t.Errorf("kept aside %q, want the record's bytes %q", kept, before)
			case tc.keptAway:
				if fi, err := os.Stat(aside); err != nil || fi.Mode().Perm() != 0o600 {
					t.Errorf("the file kept aside: %v %v, want mode 0600", fi.Mode(), err)
				}
			}
		})
	}
}

// A record sealed with a key the keyring lacks is unreadable, and says
// which key it needs.
func TestUnknownKeyUnreadable(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, _ := filestore.Open(dir, filestore.Sealed(keyring(t, "k1", "k1")))
	if err := a.Save(ctx, "u", &oauth2.Token{AccessToken: "a"}); err != nil {
		t.Fatal(err)
	}
	b, _ := filestore.Open(dir, filestore.Sealed(keyring(t, "k2", "k2")))
	_, err := b.Load(ctx, "u")
	if !errors.Is(err, auth.ErrUnreadable) || !errors.Is(err, sealed.ErrUnknownKey) || !strings.Contains(err.Error(), `"k1"`) {
		t.Errorf("err = %v, want auth.ErrUnreadable and sealed.ErrUnknownKey naming k1", err)
	}
}

// Two stores over one directory (two processes, as far as flock can
// tell) exclude each other.
func TestTwoOpensExclude(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	a, _ := filestore.Open(dir)
	b, _ := filestore.Open(dir)
	entered, release := make(chan struct{}), make(chan struct{})
	go a.Update(ctx, "u", func(_ context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
		close(entered)
		<-release
		return &oauth2.Token{AccessToken: "from-a"}, nil
	})
	<-entered
	wctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if _, err := b.Update(wctx, "u", func(_ context.Context, cur *oauth2.Token) (*oauth2.Token, error) { return cur, nil }); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("second store got the lock: err = %v", err)
	}
	close(release)
	got, err := b.Update(ctx, "u", func(_ context.Context, cur *oauth2.Token) (*oauth2.Token, error) { return cur, nil })
	if err != nil || got.AccessToken != "from-a" {
		t.Errorf("after release: %v %v, want from-a", got, err)
	}
}

// Benchmarks: see BENCHMARKS.md for the commands and numbers.

func BenchmarkCachedToken(b *testing.B) {
	b.Run("no-store", func(b *testing.B) { storetest.BenchCachedToken(b, nil) })
	b.Run("file", func(b *testing.B) { storetest.BenchCachedToken(b, openBench(b)) })
}

func BenchmarkRefresh(b *testing.B) {
	b.Run("no-store", func(b *testing.B) { storetest.BenchRefresh(b, nil) })
	b.Run("file", func(b *testing.B) { storetest.BenchRefresh(b, openBench(b)) })
}

func BenchmarkUpdate(b *testing.B) {
	b.Run("memory", func(b *testing.B) { storetest.BenchUpdate(b, auth.NewMemoryStore()) })
	b.Run("file", func(b *testing.B) { storetest.BenchUpdate(b, openBench(b)) })
}

func openBench(b *testing.B) *filestore.Store {
	st, err := filestore.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	return st
}

func BenchmarkExpiry(b *testing.B) {
	b.Run("file", func(b *testing.B) { storetest.BenchExpiry(b, openBench(b)) })
}

// A record file larger than any token record is unreadable, even one
// that holds a record padded out, and is not read whole: a planted huge
// file costs the store a megabyte at most.
func TestOversizedRecord(t *testing.T) {
	ctx := context.Background()
	st := open(t)
	if err := st.Save(ctx, "u", &oauth2.Token{AccessToken: "padded"}); err != nil {
		t.Fatal(err)
	}
	path := filestore.RecordPath(st, "u")
	rec, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	padded := append(rec, strings.Repeat(" ", 1<<20)...)
	if err := os.WriteFile(path, padded, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Load(ctx, "u"); !errors.Is(err, auth.ErrUnreadable) {
		t.Errorf("Load: err = %v, want auth.ErrUnreadable", err)
	}
	if err := st.Save(ctx, "u", &oauth2.Token{AccessToken: "a"}); err != nil {
		t.Fatal(err)
	}
	if got, err := st.Load(ctx, "u"); err != nil || got.AccessToken != "a" {
		t.Errorf("after Save: %v, %v", got, err)
	}
}
