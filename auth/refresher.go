package auth

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/redact"
	"github.com/onair-go/onair/scopes"
)

// Lister is a Store that can list its keys. MemoryStore, auth/filestore
// and auth/sqlstore implement it; a Refresher needs it.
type Lister interface {
	// Keys returns every key that holds a record, in no particular order:
	// records that cannot be read and re-authorization markers too.
	Keys(ctx context.Context) ([]string, error)
}

// Defaults of a Refresher's zero fields.
const (
	DefaultRefreshAhead       = 10 * time.Minute
	DefaultRefreshConcurrency = 4
	DefaultRefreshInterval    = time.Minute
)

// A Refresher keeps every token of a Store refreshed ahead of expiry, so
// that the application's token sources never refresh in the path of a
// call, and tokens of users who are not active stay alive (DLive's refresh
// tokens die unused after a year).
//
// Run it in every replica of an application: each pass lists the store's
// keys and refreshes those that are due, each inside Store.Update, which
// holds the key's lock across processes, and only after reading the token
// again under the lock and finding it still due. A token is therefore
// refreshed once however many Refreshers, and token sources made
// WithStore, share the store; a single-use refresh token is never spent
// twice.
//
// A token is due when it expires within Ahead (at most half its
// lifetime, when the provider stated it), plus a share of Ahead/2 chosen
// by hashing its key and expiry: users who all fall due at once
// (imported together, say) are refreshed spread over Ahead/2, and their
// new tokens expire spread out as well. Each pass takes the keys in a new
// random order, so that replicas start on different keys, and runs at
// most Concurrency refreshes at once. Run waits Interval between passes,
// give or take a fifth, so that replicas drift apart.
//
// A token whose refresh the provider refuses with invalid_grant, or whose
// refresh token has expired, belongs to a user who must authorize again:
// the pass stores the marker of NeedsReauthorization in its place,
// reports the key (RefreshReport.Reauthorize), calls OnReauthorize once,
// and no process tries that refresh token again. One key failing otherwise (the provider down,
// a record that cannot be read) is reported in RefreshReport.Failed and
// tried again on the next pass; it never stops the other keys. No error or
// log line quotes a token.
//
// The crash window: a process killed during a pass loses at most the
// users whose refreshes it had in flight, at most Concurrency (one with
// a store whose lock covers every key, such as SQLite). For each, the
// provider may have rotated the refresh token and the answer never reached
// the store, so the stored pair is spent and the user must authorize
// again; the next pass of any process reports the key. Nothing on the
// client's side can close this window (see WithStore); the Refresher keeps
// it to the refreshes in flight. Cancelling a pass's context is not a
// crash: it starts no more refreshes, and lets those under way finish and
// be stored.
//
// Two stores need care. SQLite's lock covers the whole database, so a
// pass holds it for one refresh after another, and other writers of that
// database (a Save, a token source's refresh, a shared Livestorm pacer)
// wait for the refresh in flight each time: give a busy pass PostgreSQL
// or files. auth/filestore lists only records that name their key, which
// records written before its Keys existed do not, until saved again.
//
// The HTTP client of token requests comes from the context, as for
// Config.TokenSource (oauth2.HTTPClient). The exported fields must not
// change once a pass has started; a Refresher is safe for concurrent use.
type Refresher[S scopes.Scope] struct {
	// Config refreshes the tokens: its client credentials and Endpoint.
	Config *Config[S]

	// Store holds the tokens; it must implement Lister.
	Store Store

	// Match selects the keys whose tokens Config issued; nil selects every
	// key. A Refresher sends each selected token's refresh token, with
	// Config's client secret, to Config's token endpoint: in a store that
	// also holds other providers' or other clients' tokens (a sandbox's
	// beside production's, say), set Match, or their tokens go to a server
	// that did not issue them, which refuses them, and their users are
	// marked to authorize again.
	Match func(key string) bool

	// Ahead is how long before expiry a token falls due, at least (see
	// above). Make it longer than Interval plus the time a pass takes,
	// or a token may expire between two passes. Zero means
	// DefaultRefreshAhead.
	Ahead time.Duration

	// Concurrency is the most refreshes this Refresher runs at once.
	// Zero means DefaultRefreshConcurrency.
	Concurrency int

	// Interval is the mean wait of Run between passes. Zero means
	// DefaultRefreshInterval.
	Interval time.Duration

	// Timeout bounds each token request. Zero means 30 seconds.
	Timeout time.Duration

	// OnReauthorize, when set, is called once for each key whose user a
	// pass of this Refresher learns must authorize again (err.Key says
	// which). A key that a token source marked is in the report's
	// Reauthorize but not told here: that source's own OnReauthorize was.
	// It runs on the pass's goroutines and must not block for long.
	OnReauthorize func(ctx context.Context, err *ReauthorizeError)

	// Logger, when set, gets a line per pass and per failed key.
	Logger *slog.Logger

	mu sync.Mutex
	// refused remembers, by key, a digest of the refresh token the
	// provider refused, so that no pass of this Refresher spends a request
	// on it again; a new token saved under the key is refreshed as usual.
	refused map[string][sha256.Size]byte
	// unsaved holds, by key, a token the provider issued that the store
	// failed to save, and the refresh token it replaced: its predecessor
	// may be spent, so the next pass saves it instead of refreshing.
	unsaved map[string]unsavedToken
}

type unsavedToken struct {
	from [sha256.Size]byte
	tok  *oauth2.Token
}

// RefreshReport is what one pass did.
type RefreshReport struct {
	// Keys is how many keys the store listed that Match selects.
	Keys int
	// Refreshed are the keys this pass refreshed, in no order.
	Refreshed []string
	// Reauthorize are the keys whose user must authorize again: learned
	// in this pass or before. They are not refreshed.
	Reauthorize []string
	// Failed are the keys whose refresh or read failed otherwise; the next
	// pass tries them again. The errors quote no token.
	Failed map[string]error
}

// outcome is what became of one key in a pass.
type outcome int

const (
	notDue      outcome = iota // fresh, gone, or refreshed meanwhile by another process
	refreshed                  // this pass refreshed it
	reauthorize                // its user must authorize again
	failed                     // see the error
)

// RefreshDue makes one pass: it refreshes every stored token that is due,
// and reports what it did. It returns an error only when it could not
// start (no Config, a Store without Keys, listing failed); the failures of
// single keys are in the report. It returns once every refresh it started
// has been stored, even when ctx ends meanwhile.
func (r *Refresher[S]) RefreshDue(ctx context.Context) (RefreshReport, error) {
	lister, err := r.check()
	if err != nil {
		return RefreshReport{}, err
	}
	keys, err := lister.Keys(ctx)
	if err != nil {
		return RefreshReport{}, fmt.Errorf("auth: %s: refresher: listing the stored keys: %w", r.Config.name(), err)
	}
	if r.Match != nil {
		keys = slices.DeleteFunc(keys, func(k string) bool { return !r.Match(k) })
	}
	rep := RefreshReport{Keys: len(keys)}
	r.forget(keys)
	rand.Shuffle(len(keys), func(i, j int) { keys[i], keys[j] = keys[j], keys[i] })

	var mu sync.Mutex // guards rep
	next := make(chan string)
	var wg sync.WaitGroup
	for range min(cmp.Or(r.Concurrency, DefaultRefreshConcurrency), max(len(keys), 1)) {
		wg.Go(func() {
			for key := range next {
				res, err := r.refreshKey(ctx, key)
				mu.Lock()
				switch res {
				case refreshed:
					rep.Refreshed = append(rep.Refreshed, key)
				case reauthorize:
					rep.Reauthorize = append(rep.Reauthorize, key)
				case failed:
					if rep.Failed == nil {
						rep.Failed = map[string]error{}
					}
					rep.Failed[key] = err
				}
				mu.Unlock()
			}
		})
	}
feed:
	for _, key := range keys {
		select {
		case next <- key:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	slices.Sort(rep.Reauthorize)
	r.log(ctx, rep)
	return rep, nil
}

// Run makes a pass at once and then every Interval, give or take a fifth,
// until ctx ends; it then returns ctx's error, once the refreshes under
// way are stored. A pass that cannot list the keys is logged and tried
// again at the next interval. Run returns at once the error of a
// Refresher it cannot run (no Config, a Store without Keys).
func (r *Refresher[S]) Run(ctx context.Context) error {
	if _, err := r.check(); err != nil {
		return err
	}
	interval := cmp.Or(r.Interval, DefaultRefreshInterval)
	for {
		if _, err := r.RefreshDue(ctx); err != nil && r.Logger != nil && ctx.Err() == nil {
			r.Logger.WarnContext(ctx, "token refresher: pass failed", "error", err)
		}
		// A wait between 0.8 and 1.2 intervals.
		wait := interval*4/5 + rand.N(interval*2/5+1)
		timer := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-timer.C:
		}
	}
}

// check reports whether r can run, and returns its store's Lister.
func (r *Refresher[S]) check() (Lister, error) {
	if r.Config == nil {
		return nil, errors.New("auth: refresher: Config is nil: set it to the Config the tokens were issued to")
	}
	if r.Store == nil {
		return nil, fmt.Errorf("auth: %s: refresher: Store is nil: set it to the store that holds the tokens", r.Config.name())
	}
	l, ok := r.Store.(Lister)
	if !ok {
		return nil, fmt.Errorf("auth: %s: refresher: the store (%T) cannot list its keys: use a store with a Keys method (MemoryStore, auth/filestore, auth/sqlstore)", r.Config.name(), r.Store)
	}
	return l, nil
}

// refreshKey refreshes key's token if it is due.
func (r *Refresher[S]) refreshKey(ctx context.Context, key string) (outcome, error) {
	// A read without the lock settles most keys: not due.
	cur, err := r.Store.Load(ctx, key)
	switch {
	case errors.Is(err, ErrNotFound):
		return notDue, nil // deleted since the listing
	case err != nil:
		return r.fail(ctx, key, fmt.Errorf("auth: %s: refresher: key %q: reading the token (tried again on the next pass): %w", r.Config.name(), key, err), cur)
	}
	if !r.hasUnsaved(key) {
		if res, ok := r.settled(key, cur); ok {
			return res, nil
		}
		if !r.due(key, cur, time.Now()) {
			return notDue, nil
		}
	}

	res := notDue
	var refusal *ReauthorizeError
	var issued *oauth2.Token
	_, err = r.Store.Update(ctx, key, func(_ context.Context, held *oauth2.Token) (*oauth2.Token, error) {
		cur = held
		if held == nil {
			return nil, nil
		}
		if tok := r.takeUnsaved(key, held); tok != nil {
			res, issued = refreshed, tok
			return tok, nil
		}
		if s, ok := r.settled(key, held); ok {
			res = s
			return held, nil
		}
		if !r.due(key, held, time.Now()) {
			return held, nil // another process refreshed it meanwhile
		}
		next, err := r.refresh(ctx, held)
		if err != nil {
			var re *ReauthorizeError
			if errors.As(err, &re) {
				// Stored, so that no process refreshes the dead pair again.
				res, refusal = reauthorize, re
				return MarkReauthorize(re.Reason), nil
			}
			return nil, err
		}
		res, issued = refreshed, next
		return next, nil
	})
	switch {
	case res == reauthorize && refusal != nil:
		r.refuse(key, cur)
		if r.OnReauthorize != nil {
			refusal.Key = key
			r.OnReauthorize(ctx, refusal)
		}
		return reauthorize, nil
	case err != nil && res == refreshed:
		// The provider answered and the store did not keep the answer.
		r.keepUnsaved(key, cur, issued)
		return r.fail(ctx, key, fmt.Errorf("auth: %s: refresher: key %q: saving the new token (kept in memory, saved again on the next pass): %w", r.Config.name(), key, err), cur, issued)
	case err != nil:
		return r.fail(ctx, key, fmt.Errorf("auth: %s: refresher: key %q (tried again on the next pass): %w", r.Config.name(), key, err), cur)
	}
	return res, nil
}

// keepUnsaved keeps tok, issued for key's stored token from, for the next
// pass to save.
func (r *Refresher[S]) keepUnsaved(key string, from, tok *oauth2.Token) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.unsaved == nil {
		r.unsaved = map[string]unsavedToken{}
	}
	r.unsaved[key] = unsavedToken{from: sha256.Sum256([]byte(from.RefreshToken)), tok: tok}
}

// hasUnsaved reports whether a token is kept for key, to be saved.
func (r *Refresher[S]) hasUnsaved(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.unsaved[key]
	return ok
}

// takeUnsaved returns the token kept for key when the store still holds
// the one it replaced, and forgets it either way: another token stored
// meanwhile wins.
func (r *Refresher[S]) takeUnsaved(key string, held *oauth2.Token) *oauth2.Token {
	r.mu.Lock()
	defer r.mu.Unlock()
	u, ok := r.unsaved[key]
	if !ok {
		return nil
	}
	delete(r.unsaved, key)
	// An invalid_grant marker is another process finding the spent pair
	// that tok failed to replace: tok is alive, and wins.
	if reason, _ := NeedsReauthorization(held); reason != ReasonInvalidGrant && u.from != sha256.Sum256([]byte(held.RefreshToken)) {
		return nil
	}
	return u.tok
}

// refresh asks the provider for a new token. The request is not cancelled
// with ctx: once sent, a single-use refresh token may be spent, and its
// answer must reach the store.
func (r *Refresher[S]) refresh(ctx context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cmp.Or(r.Timeout, defaultRefreshTimeout))
	defer cancel()
	return r.Config.refreshFrom(ctx, cur)
}

// settled reports whether tok needs no refresh whatever its expiry: a
// user who must authorize again, or a token without a refresh token.
func (r *Refresher[S]) settled(key string, tok *oauth2.Token) (outcome, bool) {
	if _, ok := NeedsReauthorization(tok); ok {
		return reauthorize, true
	}
	if tok.RefreshToken == "" {
		return notDue, true
	}
	if r.refusedBefore(key, tok) {
		return reauthorize, true
	}
	return 0, false
}

// due reports whether tok, stored under key, is due at now: whether it
// expires within Ahead plus a share of Ahead/2 that key and expiry choose.
// Every process judges a token alike, so the check under the lock agrees
// with the one before it.
func (r *Refresher[S]) due(key string, tok *oauth2.Token, now time.Time) bool {
	if tok.Expiry.IsZero() {
		return false
	}
	ahead := cmp.Or(r.Ahead, DefaultRefreshAhead)
	if tok.ExpiresIn > 0 {
		// Tokens shorter-lived than Ahead would be due as they arrive, and
		// refreshed again by the next process to take the lock.
		ahead = min(ahead, time.Duration(tok.ExpiresIn)*time.Second/2)
	}
	h := sha256.Sum256(fmt.Appendf(nil, "%s\x00%d", key, tok.Expiry.UnixNano()))
	spread := time.Duration(binary.BigEndian.Uint64(h[:8]) % uint64(ahead/2+1))
	return !now.Before(tok.Expiry.Add(-ahead - spread))
}

// refuse remembers that the provider refused tok's refresh token.
func (r *Refresher[S]) refuse(key string, tok *oauth2.Token) {
	if tok == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.refused == nil {
		r.refused = map[string][sha256.Size]byte{}
	}
	r.refused[key] = sha256.Sum256([]byte(tok.RefreshToken))
}

func (r *Refresher[S]) refusedBefore(key string, tok *oauth2.Token) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	d, ok := r.refused[key]
	return ok && d == sha256.Sum256([]byte(tok.RefreshToken))
}

// forget drops what r remembers of keys no longer stored.
func (r *Refresher[S]) forget(keys []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.refused) == 0 && len(r.unsaved) == 0 {
		return
	}
	listed := make(map[string]bool, len(keys))
	for _, k := range keys {
		listed[k] = true
	}
	for k := range r.refused {
		if !listed[k] {
			delete(r.refused, k)
		}
	}
	for k := range r.unsaved {
		if !listed[k] {
			delete(r.unsaved, k)
		}
	}
}

// fail logs and returns a key's error, with the token at hand removed
// from it (a custom Store's error may quote it).
func (r *Refresher[S]) fail(ctx context.Context, key string, err error, toks ...*oauth2.Token) (outcome, error) {
	var red redact.Set
	for _, t := range toks {
		if t != nil {
			red.Add(t.AccessToken, t.RefreshToken)
		}
	}
	err = red.Err(err)
	if r.Logger != nil {
		r.Logger.WarnContext(ctx, "token refresher: key failed", "key", key, "error", err)
	}
	return failed, err
}

func (r *Refresher[S]) log(ctx context.Context, rep RefreshReport) {
	if r.Logger == nil {
		return
	}
	r.Logger.InfoContext(ctx, "token refresher: pass done", "provider", r.Config.name(), "keys", rep.Keys,
		"refreshed", len(rep.Refreshed), "reauthorize", len(rep.Reauthorize), "failed", len(rep.Failed))
}
