package auth

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/redact"
	"github.com/onair-go/onair/internal/tokenrec"
)

// A Store keeps one token per key (a user ID, say) where every process of
// an application can reach it, and coordinates their refreshes.
//
// Single-use refresh tokens (DLive's) make refresh a read-modify-write:
// two processes that refresh the same token at once spend it twice, and
// one of them, or the user, is lost. A source made WithStore therefore
// refreshes inside Update, which holds the key's lock across processes.
//
// This package has MemoryStore; auth/filestore keeps files, and
// auth/sqlstore SQLite or PostgreSQL. internal/storetest holds the tests a
// Store must pass. Implementations are safe for concurrent use, and never
// put a token in an error text.
//
// A key is a non-empty string of valid UTF-8 without NUL bytes, which
// every database can keep in a text column; stores refuse other keys.
//
// The stores of this module keep, besides the token's fields and scope,
// its refresh expiry (RefreshExpiry) and the re-authorization marker
// (NeedsReauthorization). A Store of your own that keeps only
// oauth2.Token's fields loses both: its users are refreshed until the
// provider refuses, and a marker reads as a token without a refresh
// token, whose sources fail asking to authorize again.
type Store interface {
	// Load returns the token stored under key, or an error wrapping
	// ErrNotFound.
	Load(ctx context.Context, key string) (*oauth2.Token, error)

	// Save stores tok under key, replacing any record there, even one the
	// store cannot read (ErrUnreadable). When Save returns nil, the token
	// survives a crash of the process.
	Save(ctx context.Context, key string, tok *oauth2.Token) error

	// Delete removes the token stored under key; removing none is not an
	// error.
	Delete(ctx context.Context, key string) error

	// Update takes the key's lock, which excludes every other Update of
	// the key in any process sharing the store, calls f with the token
	// stored under key (nil if there is none), stores what f returns and
	// releases the lock, in that order. It returns the token now stored.
	//
	// When f returns cur itself, or nil, nothing is written; when f fails,
	// nothing is written and Update returns f's error as it is. ctx bounds
	// the wait for the lock and is passed to f. Once f has returned a new
	// token, Update stores it even if ctx is done: f may have spent a
	// single-use refresh token to get it, and dropping the answer would
	// lose the user. A process that dies holding the lock releases it.
	Update(ctx context.Context, key string, f func(ctx context.Context, cur *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error)
}

// ErrNotFound is wrapped by a Store's error for a key with no token.
var ErrNotFound = errors.New("no token stored under this key")

// ErrUnreadable is wrapped by a Store's error for a key whose record the
// store holds and cannot read: torn or edited, written by a newer version,
// or sealed with a key the store lacks. Load and Update report it, Update
// without calling f, so a source made WithStore cannot refresh past it.
// Save replaces the record, so authorizing again and saving the new token
// mends the key; Delete removes it. The error never quotes the record.
var ErrUnreadable = errors.New("the stored token record cannot be read")

// WithStore makes a token source keep its token in st under key.
//
// The source hands out its cached token with an atomic load, as without a
// store, and reads the store only to refresh: it takes the key's lock
// (Store.Update), reads the stored token and uses it if another process
// has already refreshed; otherwise it refreshes and stores the new token
// before releasing the lock and before any caller gets it. When the
// provider answers invalid_grant, the source reads the store once more
// before it gives up, in case a process that does not take the lock has
// refreshed meanwhile. If the store fails to save a new token, the source
// keeps it, hands it to no one, and saves it on the next call instead of
// refreshing again.
//
// The token given to TokenSource may be nil: the first call loads the
// stored one. Save the token of an Exchange yourself (st.Save) before
// handing the key to sources. OnToken, when set too, runs after the store
// has saved the token, for every token new to the source, including one
// another process stored.
//
// When the user must authorize again (see [ReauthorizeError]), the source
// saves a marker under the key ([MarkReauthorize]) in place of the dead
// token, unless another process has stored a token meanwhile, so that no
// process asks the provider with the dead pair again: every source of the
// key then fails at once with a ReauthorizeError. Saving a new token
// (after the user has authorized again) mends the key.
//
// Whether a stored token is due is judged by each process's clock against
// the token's expiry: machines whose clocks disagree by more than the
// refresh margin (a tenth of the lifetime, at most a minute) may refresh
// early, never twice.
//
// One window remains: a process that dies after the provider answered a
// refresh and before the store has saved the answer loses the new token,
// and with a provider whose refresh tokens are single use the stored one
// is already spent, so the user must authorize again. Nothing on the
// client's side can close it; Update keeps it as short as one write.
func WithStore(st Store, key string) TokenSourceOption {
	return func(o *sourceOptions) { o.store, o.storeKey = st, key }
}

// noStoredToken marks a client-credentials source, which needs nothing
// stored to start.
func noStoredToken() TokenSourceOption {
	return func(o *sourceOptions) { o.anonymous = true }
}

// named tells a source its provider's name, for error texts.
func named(name string) TokenSourceOption {
	return func(o *sourceOptions) { o.name = name }
}

// storeSync is the store side of a source's refresh: the fetch of a source
// made WithStore. Its refreshes run one at a time (the source's flight).
type storeSync struct {
	st       Store
	key      string
	name     string // the provider, for error texts
	fetch    func(context.Context, *oauth2.Token) (*oauth2.Token, error)
	fresh    func(*oauth2.Token) bool // not yet due for refresh
	valid    func(*oauth2.Token) bool // not yet expired
	needsTok bool                     // refresh needs a token to start from
	// lockWaited is Hooks.LockWaited, if set.
	lockWaited func(context.Context, LockWait)

	mu sync.Mutex
	// unsaved is a token the provider issued that the store failed to
	// save, and from is the token it was refreshed from.
	unsaved, from *oauth2.Token
}

// get returns the token that replaces held (nil at the start), persisted
// in the store.
func (s *storeSync) get(ctx context.Context, held *oauth2.Token) (*oauth2.Token, error) {
	if s.st == nil || s.key == "" {
		return nil, fmt.Errorf("auth: %s: WithStore needs a Store and a non-empty key", s.name)
	}
	s.mu.Lock()
	unsaved, unsavedFrom := s.unsaved, s.from
	s.mu.Unlock()

	if unsaved == nil {
		// Most often another process has refreshed already: a read
		// without the lock settles that.
		cur, err := s.st.Load(ctx, s.key)
		switch {
		case err == nil && s.marker(cur) != "":
			return nil, s.reauthErr(s.marker(cur), nil)
		case err == nil && s.adoptable(cur, held):
			adopted(ctx)
			return cur, nil
		case err != nil && !errors.Is(err, ErrNotFound):
			return nil, s.storeErr("reading the stored token", err, held, nil)
		}
	}

	// While waiting for the lock, watch the store: when the holder stores
	// a fresh token, stop waiting and take it, rather than queue behind
	// every other source of the key. Cancelling ends only the wait: f
	// fetches with ctx, not the context Update passes it.
	lockCtx, stop := context.WithCancel(ctx)
	defer stop()
	adoptedTok := make(chan *oauth2.Token, 1)
	var watching sync.WaitGroup
	if unsaved == nil {
		watching.Add(1)
		go func() {
			defer watching.Done()
			s.watch(lockCtx, held, adoptedTok, stop)
		}()
	}

	var from, fetched *oauth2.Token
	var fetchErr, stored error
	var asked, locked time.Time
	if s.lockWaited != nil {
		asked = time.Now()
	}
	tok, err := s.st.Update(lockCtx, s.key, func(_ context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
		if s.lockWaited != nil {
			locked = time.Now()
		}
		if r := s.marker(cur); r != "" && (r != ReasonInvalidGrant || unsaved == nil) {
			// Marked by another source or by Logout: the provider is not
			// asked, and an unsaved token of this source is dropped.
			// An invalid_grant marker is the exception: another process
			// found the spent pair this source failed to replace, and the
			// pair it kept is alive, so it is saved below.
			unsaved = nil
			stored = s.reauthErr(r, nil)
			return nil, stored
		}
		if _, ok := NeedsReauthorization(cur); ok {
			cur = nil // a client-credentials source needs nothing stored
		}
		base := cur
		if unsaved != nil {
			if cur == nil || same(cur, unsavedFrom) || same(cur, unsaved) {
				// The store still holds what unsaved replaced.
				base = unsaved
			} else {
				// Someone stored another token meanwhile: it wins, and the
				// unsaved one is dropped (it is still live, just unused).
				unsaved = nil
			}
		}
		if base != nil && s.adoptable(base, held) {
			if unsaved == nil {
				adopted(ctx)
			}
			return base, nil // stored when base is unsaved
		}
		from = base
		if from == nil {
			from = held
		}
		if from == nil && s.needsTok {
			fetchErr = fmt.Errorf("auth: %s: key %q: %w: authorize, then Save the token", s.name, s.key, ErrNotFound)
			return nil, fetchErr
		}
		t, err := s.fetch(ctx, from)
		if err != nil {
			fetchErr = err
			return nil, err
		}
		if t.RefreshToken == "" && from != nil {
			t.RefreshToken = from.RefreshToken
		}
		fetched = t
		return t, nil
	})
	stop()
	watching.Wait()
	if err != nil && fetched == nil && fetchErr == nil {
		select {
		case t := <-adoptedTok:
			adopted(ctx)
			s.reportLock(ctx, asked, locked, nil)
			return t, nil
		default:
		}
	}
	var lockErr error
	if s.lockWaited != nil && locked.IsZero() && err != nil {
		// The caller's error is cleaned of the tokens at hand; so is the hook's.
		lockErr = s.storeErr("locking the stored token", err, held, unsaved)
	}
	s.reportLock(ctx, asked, locked, lockErr)
	switch {
	case err == nil:
		s.mu.Lock()
		s.unsaved, s.from = nil, nil
		s.mu.Unlock()
		if tok == nil {
			return nil, fmt.Errorf("auth: %s: key %q: the store's Update returned no token", s.name, s.key)
		}
		return tok, nil
	case fetched != nil:
		// The provider answered and the store did not keep the answer: its
		// refresh token may be the only live one, so keep it.
		s.mu.Lock()
		s.unsaved, s.from = fetched, from
		s.mu.Unlock()
		return nil, s.storeErr("saving the new token (kept in memory, saved again on the next call)", err, held, fetched)
	case stored != nil:
		s.mu.Lock()
		s.unsaved, s.from = nil, nil
		s.mu.Unlock()
		return nil, stored
	case fetchErr == nil && errors.Is(err, ErrUnreadable):
		return nil, s.storeErr("reading the stored token", err, held, unsaved)
	case fetchErr == nil:
		return nil, s.storeErr("locking the stored token", err, held, unsaved)
	case isInvalidGrant(fetchErr) && from != nil:
		// A process that does not take the lock may have refreshed: read
		// once more before giving up.
		if cur, lerr := s.st.Load(ctx, s.key); lerr == nil && s.marker(cur) == "" && cur.RefreshToken != from.RefreshToken && s.valid(cur) {
			adopted(ctx)
			return cur, nil
		}
	}
	re, ok := asReauth(fetchErr)
	if !ok {
		return nil, fetchErr // the provider's answer: already clean
	}
	if t := s.mark(ctx, re.Reason, from, unsavedFrom); t != nil {
		adopted(ctx)
		return t, nil
	}
	return nil, s.reauthErr(re.Reason, re.Err)
}

// reportLock tells Hooks.LockWaited of a wait for the key's lock that
// started at asked and ended at locked, or, when locked is zero, now,
// without the lock and with err.
func (s *storeSync) reportLock(ctx context.Context, asked, locked time.Time, err error) {
	if s.lockWaited == nil {
		return
	}
	w := LockWait{Key: s.key, Start: asked}
	if locked.IsZero() {
		w.Waited, w.Err = time.Since(asked), err
	} else {
		w.Waited = locked.Sub(asked)
	}
	s.lockWaited(ctx, w)
}

// marker returns the reason of tok when it is a re-authorization marker
// that stops this source; a client-credentials source needs no user.
func (s *storeSync) marker(tok *oauth2.Token) ReauthReason {
	if r, ok := NeedsReauthorization(tok); ok && s.needsTok {
		return r
	}
	return ""
}

func (s *storeSync) reauthErr(r ReauthReason, cause error) *ReauthorizeError {
	return &ReauthorizeError{Provider: s.name, Key: s.key, Reason: r, Err: cause}
}

// mark saves the marker for reason under the key, so that no process asks
// the provider with the dead tokens again, unless the store holds another
// token than the dead ones: one stored meanwhile, which stays and is
// returned if valid. A marker that cannot be saved costs another process
// one refused refresh, so a store error is not reported to the caller;
// Hooks.LockWaited hears of the wait for the lock all the same.
func (s *storeSync) mark(ctx context.Context, reason ReauthReason, dead ...*oauth2.Token) *oauth2.Token {
	var other *oauth2.Token
	var asked, locked time.Time
	if s.lockWaited != nil {
		asked = time.Now()
	}
	_, err := s.st.Update(ctx, s.key, func(_ context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
		if s.lockWaited != nil {
			locked = time.Now()
		}
		if cur == nil {
			return nil, nil // deleted meanwhile: nothing left to mark
		}
		if !slices.ContainsFunc(dead, func(d *oauth2.Token) bool { return same(cur, d) }) {
			other = cur
			return cur, nil
		}
		return MarkReauthorize(reason), nil
	})
	var lockErr error
	if s.lockWaited != nil && locked.IsZero() && err != nil {
		lockErr = s.storeErr("locking the stored token to mark it", err, dead...)
	}
	s.reportLock(ctx, asked, locked, lockErr)
	if other != nil && s.marker(other) == "" && s.valid(other) {
		return other
	}
	return nil
}

// watch reads the store until ctx ends, at growing intervals (so that
// many waiters do not load a database server), and hands over the first
// token that can replace held.
func (s *storeSync) watch(ctx context.Context, held *oauth2.Token, adopted chan<- *oauth2.Token, stop func()) {
	pause := 2 * time.Millisecond
	timer := time.NewTimer(pause)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		pause = min(2*pause, 20*time.Millisecond)
		timer.Reset(pause)
		if cur, err := s.st.Load(ctx, s.key); err == nil && s.adoptable(cur, held) {
			adopted <- cur
			stop()
			return
		}
	}
}

// adoptable reports whether cur, read from the store, can replace held:
// it is another token than held, and not yet due for refresh.
func (s *storeSync) adoptable(cur, held *oauth2.Token) bool {
	if _, marker := NeedsReauthorization(cur); marker {
		return false
	}
	return cur != nil && (held == nil || !same(cur, held)) && s.fresh(cur)
}

// storeErr wraps a store's error, whose text may quote a token it was
// given (a custom Store's may), with the tokens at hand removed.
func (s *storeSync) storeErr(what string, err error, toks ...*oauth2.Token) error {
	var red redact.Set
	for _, t := range toks {
		if t != nil {
			red.Add(t.AccessToken, t.RefreshToken)
		}
	}
	return fmt.Errorf("auth: %s: key %q: %s: %w", s.name, s.key, what, red.Err(err))
}

func same(a, b *oauth2.Token) bool {
	return a != nil && b != nil && a.AccessToken == b.AccessToken && a.RefreshToken == b.RefreshToken
}

// isInvalidGrant reports whether err is the provider refusing a grant: an
// invalid_grant error answered with a 4xx status. A 5xx answer is the
// server failing, whatever its body says, and never a dead grant.
func isInvalidGrant(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == "invalid_grant" && e.StatusCode/100 == 4
}

// MemoryStore is a Store that keeps tokens in memory: for tests, and for
// a single process that may lose its tokens when it stops. The zero value
// is not usable; call NewMemoryStore.
type MemoryStore struct {
	mu    sync.Mutex
	recs  map[string][]byte        // encoded as the other stores keep them
	locks map[string]chan struct{} // a key's lock: a full channel is held
}

// NewMemoryStore returns an empty MemoryStore.
func NewMemoryStore() *MemoryStore {
	return &MemoryStore{recs: map[string][]byte{}, locks: map[string]chan struct{}{}}
}

// Load returns the token stored under key.
func (m *MemoryStore) Load(ctx context.Context, key string) (*oauth2.Token, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	m.mu.Lock()
	rec, ok := m.recs[key]
	m.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("auth: MemoryStore: key %q: %w", key, ErrNotFound)
	}
	tok, err := tokenrec.Unmarshal(rec)
	if err != nil {
		return nil, fmt.Errorf("auth: MemoryStore: key %q: %w (%w): Save a new token over it (authorize again), or Delete it", key, ErrUnreadable, err)
	}
	return tok, nil
}

// Save stores tok under key, under the key's lock, so that it never lands
// in the middle of an Update.
func (m *MemoryStore) Save(ctx context.Context, key string, tok *oauth2.Token) error {
	if err := checkKey(key); err != nil {
		return err
	}
	unlock, err := m.lock(ctx, key)
	if err != nil {
		return err
	}
	defer unlock()
	return m.save(key, tok)
}

// save stores tok under key; the caller holds the key's lock.
func (m *MemoryStore) save(key string, tok *oauth2.Token) error {
	rec, err := tokenrec.Marshal(tok)
	if err != nil {
		return fmt.Errorf("auth: MemoryStore: key %q: %w", key, err)
	}
	m.mu.Lock()
	m.recs[key] = rec
	m.mu.Unlock()
	return nil
}

// Delete removes the token stored under key.
func (m *MemoryStore) Delete(ctx context.Context, key string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	m.mu.Lock()
	delete(m.recs, key)
	m.mu.Unlock()
	return nil
}

// Update runs f under the key's lock, as Store says.
func (m *MemoryStore) Update(ctx context.Context, key string, f func(context.Context, *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	if err := checkKey(key); err != nil {
		return nil, err
	}
	unlock, err := m.lock(ctx, key)
	if err != nil {
		return nil, err
	}
	defer unlock()

	cur, err := m.Load(ctx, key)
	if err != nil && !errors.Is(err, ErrNotFound) {
		return nil, err
	}
	next, err := f(ctx, cur)
	if err != nil {
		return nil, err
	}
	if next == nil || next == cur {
		return cur, nil
	}
	if err := m.save(key, next); err != nil {
		return nil, err
	}
	return next, nil
}

// lock takes key's lock, and returns the func that releases it.
func (m *MemoryStore) lock(ctx context.Context, key string) (unlock func(), err error) {
	m.mu.Lock()
	l, ok := m.locks[key]
	if !ok {
		l = make(chan struct{}, 1)
		m.locks[key] = l
	}
	m.mu.Unlock()
	select {
	case l <- struct{}{}:
		return func() { <-l }, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("auth: MemoryStore: key %q: waiting for the lock: %w", key, ctx.Err())
	}
}

func checkKey(key string) error {
	if err := CheckKey(key); err != nil {
		return fmt.Errorf("auth: MemoryStore: %w", err)
	}
	return nil
}

// CheckKey reports whether key is one a Store accepts: not empty, valid
// UTF-8, without NUL bytes. Stores call it; the error does not name the
// store.
func CheckKey(key string) error {
	switch {
	case key == "":
		return errors.New("the key is empty")
	case !utf8.ValidString(key) || strings.ContainsRune(key, 0):
		return fmt.Errorf("the key %q is not valid UTF-8 without NUL bytes", key)
	}
	return nil
}
