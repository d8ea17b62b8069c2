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
	b, err := os.ReadFile(s.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("filestore: key %q: %w", key, auth.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("filestore: key %q: %w", key, err)
	}
	var env envelope
	if err := json.Unmarshal(b, &env); err != nil || env.V != 1 {
		return nil, fmt.Errorf("filestore: key %q: %w: not a record file", key, tokenrec.ErrMalformed)
	}
	tok, err := tokenrec.Unpack(s.sealer, key, env.KeyID, env.Data)
	if err != nil {
		return nil, fmt.Errorf("filestore: key %q: %w", key, err)
	}
	return tok, nil
}

// Save stores tok under key. It takes the key's lock, so that it never
// lands in the middle of another process's refresh.
func (s *Store) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	if tok == nil {
		return fmt.Errorf("filestore: key %q: the token is nil", key)
	}
	_, err := s.Update(ctx, key, func(context.Context, *oauth2.Token) (*oauth2.Token, error) { return tok, nil })
	return err
}

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
	if err := s.write(key, next); err != nil {
		return nil, err
	}
	return next, nil
}

// write replaces key's record atomically and durably.
func (s *Store) write(key string, tok *oauth2.Token) error {
	keyID, data, err := tokenrec.Pack(s.sealer, key, tok)
	if err != nil {
		return fmt.Errorf("filestore: key %q: %w", key, err)
	}
	b, err := json.Marshal(envelope{V: 1, KeyID: keyID, Data: data})
	if err != nil {
		return fmt.Errorf("filestore: key %q: %w", key, err)
	}
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
		err = os.Rename(tmp, s.path(key))
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
