// Package filestore is an auth.Store that keeps one file per key in a
// directory, for one machine with any number of processes.
//
// Each token is a file of its own, readable by its owner only (0600, in a
// 0700 directory), replaced atomically: written to a temporary file,
// synced, renamed over the old one, and the directory synced, so that a
// crash leaves the old record or the new one, never a torn one. Update
// holds an advisory lock (flock) on a lock file beside the record, which
// excludes every other process on the machine and is released by the
// kernel when a process dies.
//
// The directory is what keeps the tokens secret, and the store sees to it:
// Open makes the directory 0700 whatever its mode was (a pre-existing 0755
// or 0777 one too), and refuses it when it cannot, or when the directory
// is a symbolic link (links among its parents are followed). Inside it, no symbolic link is followed and
// nothing but a regular file is opened: a link, FIFO or directory in place
// of a record makes it unreadable, in place of a lock file an error. A
// record looser than 0600 is tightened when read. Hard links are allowed
// (some backups make them) and harmless: the store writes by renaming, so
// a write never goes through a link.
//
// A Save over a record that cannot be read (auth.ErrUnreadable) first
// copies it to <hash>.unreadable beside it, one per key, the latest: it may
// hold a token that another keyring opens. Delete it once you have looked.
//
// File names are hashes of the keys, so a key can hold any character. Locks
// need flock, which Linux, macOS and the BSDs have; on other systems (such
// as Windows) Open returns an error wrapping errors.ErrUnsupported. A
// network file system may not honour flock: keep the directory local, or
// use auth/sqlstore.
package filestore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/sealed"
	"github.com/onair-go/onair/internal/tokenrec"
)

// Store is a directory of token files. It is safe for concurrent use by
// goroutines and processes.
type Store struct {
	dir    string
	sealer sealed.Sealer
}

// An Option configures a Store.
type Option func(*Store)

// Sealed encrypts every record with s (a *sealed.Keyring), and stores the
// key ID beside it. A Store that seals refuses records in clear.
func Sealed(s sealed.Sealer) Option {
	return func(st *Store) { st.sealer = s }
}

// Open returns the store in dir, creating dir (mode 0700) if needed, or
// making it 0700 if it is looser. It refuses a dir that is a symbolic link.
func Open(dir string, opts ...Option) (*Store, error) {
	if err := lockSupported(); err != nil {
		return nil, err
	}
	if dir == "" {
		return nil, errors.New("filestore: the directory is empty")
	}
	if err := notLink(dir); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("filestore: %w", err)
	}
	if err := makePrivate(dir); err != nil {
		return nil, err
	}
	s := &Store{dir: dir}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// envelope is a record file: the encoded token, sealed when KeyID is set,
// and the key it is stored under, which its hashed name hides (Keys reads
// it; records written before it was added lack it).
type envelope struct {
	V     int    `json:"v"`
	Key   string `json:"key,omitempty"`
	KeyID string `json:"key_id,omitempty"`
	Data  []byte `json:"data"`
}

// name returns the base name of key's files: a hash, so that a key can hold
// any byte and no two keys clash on a case-insensitive file system.
func name(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:])
}

func (s *Store) path(key string) string { return filepath.Join(s.dir, name(key)+".json") }

// Load returns the token stored under key.
func (s *Store) Load(ctx context.Context, key string) (*oauth2.Token, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	tok, err := s.read(key)
	if err != nil {
		return nil, err
	}
	return tok, nil
}

func (s *Store) read(key string) (*oauth2.Token, error) {
	b, err := s.readFile(key)
	if err != nil {
		return nil, err
	}
	return s.decode(key, b)
}

// maxRecord bounds what is read of a record file: a token is a few
// kilobytes at most, sealed or not.
const maxRecord = 1 << 20

// readFile returns the bytes of key's record, and makes the file its
// owner's alone if it was not.
func (s *Store) readFile(key string) ([]byte, error) {
	f, fi, err := openFile(s.path(key), os.O_RDONLY)
	var nf *notFileError
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("filestore: key %q: %w", key, auth.ErrNotFound)
	case errors.As(err, &nf):
		return nil, unreadable(key, err)
	case err != nil:
		return nil, fmt.Errorf("filestore: key %q: %w", key, err)
	}
	defer f.Close()
	if fi.Mode().Perm() != 0o600 {
		if err := f.Chmod(0o600); err != nil {
			return nil, fmt.Errorf("filestore: key %q: the record has mode %v and cannot be made 0600 (%w): chmod 600 it as its owner", key, fi.Mode().Perm(), err)
		}
	}
	b, err := io.ReadAll(io.LimitReader(f, maxRecord+1))
	if err != nil {
		return nil, fmt.Errorf("filestore: key %q: %w", key, err)
	}
	if len(b) > maxRecord {
		return nil, unreadable(key, fmt.Errorf("%w: larger than %d bytes", tokenrec.ErrMalformed, maxRecord))
	}
	return b, nil
}

// decode reads a record file. Its errors never quote the file.
func (s *Store) decode(key string, b []byte) (*oauth2.Token, error) {
	var env envelope
	if err := json.Unmarshal(b, &env); err != nil || env.V != 1 {
		return nil, unreadable(key, fmt.Errorf("%w: not a record file", tokenrec.ErrMalformed))
	}
	tok, err := tokenrec.Unpack(s.sealer, key, env.KeyID, env.Data)
	if err != nil {
		return nil, unreadable(key, err)
	}
	return tok, nil
}

func unreadable(key string, err error) error {
	return fmt.Errorf("filestore: key %q: %w (%w): Save a new token over it (authorize again), or Delete it", key, auth.ErrUnreadable, err)
}

// encode returns the record file of tok.
func (s *Store) encode(key string, tok *oauth2.Token) ([]byte, error) {
	keyID, data, err := tokenrec.Pack(s.sealer, key, tok)
	if err != nil {
		return nil, fmt.Errorf("filestore: key %q: %w", key, err)
	}
	b, err := json.Marshal(envelope{V: 1, Key: key, KeyID: keyID, Data: data})
	if err != nil {
		return nil, fmt.Errorf("filestore: key %q: %w", key, err)
	}
	return b, nil
}

// Save stores tok under key, replacing whatever record is there, even one
// that cannot be read (which it keeps aside, as Store says). It takes the
// key's lock, so that it never lands in the middle of another process's
// refresh.
func (s *Store) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	if err := checkKey(key); err != nil {
		return err
	}
	b, err := s.encode(key, tok)
	if err != nil {
		return err
	}
	unlock, err := s.lock(ctx, key)
	if err != nil {
		return err
	}
	defer unlock()
	s.removeTemps(key)
	// From here on ctx is not consulted: the write must happen.
	if err := s.keepUnreadable(key); err != nil {
		return err
	}
	return s.replace(key, s.path(key), b)
}

// keepUnreadable copies key's record to its .unreadable file when the
// record cannot be read, before Save replaces it: it may be the only copy
// of a token that another keyring opens, or the evidence of what tore it.
// A record that cannot even be read as a file is replaced as it is.
func (s *Store) keepUnreadable(key string) error {
	b, err := s.readFile(key)
	if err != nil {
		return nil
	}
	if _, err := s.decode(key, b); !errors.Is(err, auth.ErrUnreadable) {
		return nil
	}
	return s.replace(key, s.asidePath(key), b)
}

func (s *Store) asidePath(key string) string { return filepath.Join(s.dir, name(key)+".unreadable") }

// Delete removes the token stored under key.
func (s *Store) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	unlock, err := s.lock(ctx, key)
	if err != nil {
		return err
	}
	defer unlock()
	if err := os.Remove(s.path(key)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("filestore: key %q: %w", key, err)
	}
	return syncDir(s.dir)
}

// Update runs f under the key's lock, as auth.Store says.
func (s *Store) Update(ctx context.Context, key string, f func(context.Context, *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	unlock, err := s.lock(ctx, key)
	if err != nil {
		return nil, err
	}
	defer unlock()
	s.removeTemps(key)

	cur, err := s.read(key)
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
	// From here on ctx is not consulted: the write must happen.
	b, err := s.encode(key, next)
	if err != nil {
		return nil, err
	}
	if err := s.replace(key, s.path(key), b); err != nil {
		return nil, err
	}
	return next, nil
}

// replace replaces the file at path, one of key's, with b, atomically and
// durably.
func (s *Store) replace(key, path string, b []byte) error {
	// CreateTemp makes the file 0600 before any byte is written.
	f, err := os.CreateTemp(s.dir, name(key)+".*.tmp")
	if err != nil {
		return fmt.Errorf("filestore: key %q: %w", key, err)
	}
	tmp := f.Name()
	_, err = f.Write(b)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("filestore: key %q: writing the record: %w", key, err)
	}
	// The rename is durable once the directory is.
	if err := syncDir(s.dir); err != nil {
		return fmt.Errorf("filestore: key %q: %w", key, err)
	}
	return nil
}

// removeTemps removes the temporary files of key that a process killed
// while writing left behind. Only the lock holder writes, so none is in use.
func (s *Store) removeTemps(key string) {
	leftovers, _ := filepath.Glob(filepath.Join(s.dir, name(key)+".*.tmp"))
	for _, p := range leftovers {
		os.Remove(p)
	}
}

// lock takes key's advisory lock, polling so that ctx can end the wait.
func (s *Store) lock(ctx context.Context, key string) (unlock func(), err error) {
	f, _, err := openFile(filepath.Join(s.dir, name(key)+".lock"), os.O_RDWR|os.O_CREATE)
	if nf := (*notFileError)(nil); errors.As(err, &nf) {
		return nil, fmt.Errorf("filestore: key %q: the lock file %w: remove it", key, err)
	}
	if err != nil {
		return nil, fmt.Errorf("filestore: key %q: %w", key, err)
	}
	pause := time.Millisecond
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, fmt.Errorf("filestore: key %q: locking: %w", key, err)
		}
		if ok {
			// Closing the file releases the lock; the lock file itself
			// stays, since removing it would race with a waiter.
			return func() { f.Close() }, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, fmt.Errorf("filestore: key %q: waiting for the lock: %w", key, ctx.Err())
		case <-time.After(pause):
		}
		pause = min(2*pause, 20*time.Millisecond)
	}
}

// notFileError is openFile's error for a name that is not a regular file.
type notFileError struct{ path, what string }

func (e *notFileError) Error() string { return e.path + " is " + e.what }

// openFile opens a file of the store. It follows no symbolic link and
// opens nothing but a regular file: whoever planted a link in the
// directory would otherwise have the store read a token from, or create a
// file, where the link points. (A hard link carries no write out of the
// store: writes replace names, and the lock file is never written.) A new
// file has mode 0600.
func openFile(path string, flag int) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenFile(path, flag|noFollow, 0o600)
	if err != nil {
		if fi, lerr := os.Lstat(path); lerr == nil && !fi.Mode().IsRegular() {
			return nil, nil, notFile(path, fi.Mode())
		}
		return nil, nil, err
	}
	fi, err := f.Stat()
	if err == nil && !fi.Mode().IsRegular() {
		err = notFile(path, fi.Mode())
	}
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	return f, fi, nil
}

func notFile(path string, m fs.FileMode) error {
	what := "not a regular file (" + m.Type().String() + ")"
	switch {
	case m&fs.ModeSymlink != 0:
		what = "a symbolic link, which the store does not follow"
	case m.IsDir():
		what = "a directory"
	case m&fs.ModeNamedPipe != 0:
		what = "a FIFO"
	}
	return &notFileError{path, what}
}

// notLink refuses a store directory that is a symbolic link, which
// whoever can write its parent could point anywhere. Links among its
// parents are followed, as by every program.
func notLink(dir string) error {
	if fi, err := os.Lstat(dir); err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		return fmt.Errorf("filestore: %s is a symbolic link, which the store does not follow: pass the directory it points to", dir)
	}
	return nil
}

// makePrivate makes dir its owner's alone (0700) if it is not, so that no
// one else can list, plant or replace a file in it. A directory this
// process may not change is refused.
func makePrivate(dir string) error {
	d, err := os.OpenFile(dir, os.O_RDONLY|noFollow, 0)
	if err != nil {
		return fmt.Errorf("filestore: %w", err)
	}
	defer d.Close()
	fi, err := d.Stat()
	if err != nil {
		return fmt.Errorf("filestore: %w", err)
	}
	if !fi.IsDir() {
		return fmt.Errorf("filestore: %s is not a directory", dir)
	}
	const modeBits = fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky
	if fi.Mode()&modeBits == 0o700 {
		return nil
	}
	if err := d.Chmod(0o700); err != nil {
		return fmt.Errorf("filestore: %s has mode %v and cannot be made 0700 (%w): chmod 700 it as its owner, or use a directory of your own", dir, fi.Mode()&modeBits, err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}

func checkKey(key string) error {
	if err := auth.CheckKey(key); err != nil {
		return fmt.Errorf("filestore: %w", err)
	}
	return nil
}
