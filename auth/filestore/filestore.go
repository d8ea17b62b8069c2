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

// Open returns the store in dir, creating dir (mode 0700) if needed.
func Open(dir string, opts ...Option) (*Store, error) {
	if err := lockSupported(); err != nil {
		return nil, err
	}
	if dir == "" {
		return nil, errors.New("filestore: the directory is empty")
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("filestore: %w", err)
	}
	s := &Store{dir: dir}
	for _, o := range opts {
		o(s)
	}
	return s, nil
}

// envelope is a record file: the encoded token, sealed when KeyID is set.
type envelope struct {
	V     int    `json:"v"`
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

// readFile returns the bytes of key's record.
func (s *Store) readFile(key string) ([]byte, error) {
	b, err := os.ReadFile(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("filestore: key %q: %w", key, auth.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("filestore: key %q: %w", key, err)
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
	b, err := json.Marshal(envelope{V: 1, KeyID: keyID, Data: data})
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
	f, err := os.OpenFile(filepath.Join(s.dir, name(key)+".lock"), os.O_RDWR|os.O_CREATE, 0o600)
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
