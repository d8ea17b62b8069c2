package auth_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/internal/storetest"
	"github.com/onair-go/onair/scopes"
)

func TestMemoryStoreConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) auth.Store { return auth.NewMemoryStore() })
}

func TestMemoryStoreUnreadable(t *testing.T) {
	storetest.Unreadable(t, func(*testing.T) (auth.Store, storetest.Corrupt) {
		st := auth.NewMemoryStore()
		return st, func(_ *testing.T, key string, raw []byte) { st.SetRecord(key, raw) }
	})
}

// dliveSession starts the DLive fake (single-use refresh tokens) and
// stores an authorized pair under "user".
func dliveSession(t *testing.T, st auth.Store) (*authserver.Fake, *auth.Config[scopes.DLive]) {
	t.Helper()
	f := authserver.Start(dlivetest.Dialect(), dlive.Endpoint, redirectURI)
	t.Cleanup(f.Close)
	cfg := &auth.Config[scopes.DLive]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, RedirectURL: redirectURI,
		Scopes: []scopes.DLive{scopes.DLiveIdentity}, Endpoint: f.Endpoint}
	u, err := cfg.AuthCodeURL("s")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cfg.Exchange(context.Background(), authorize(t, u).Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Save(context.Background(), "user", tok); err != nil {
		t.Fatal(err)
	}
	return f, cfg
}

type invalidator interface{ Invalidate(*oauth2.Token) }

// refresh forces src to refresh, as a 401 would.
func refresh(t *testing.T, src oauth2.TokenSource) *oauth2.Token {
	t.Helper()
	tok, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	src.(invalidator).Invalidate(tok)
	next, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	return next
}

// A source that finds the stored token changed by another process takes
// it instead of spending its own, already spent, refresh token.
func TestStoreAdoptsAnotherProcessRefresh(t *testing.T) {
	st := auth.NewMemoryStore()
	f, cfg := dliveSession(t, st)
	ctx := context.Background()
	a := cfg.TokenSource(ctx, nil, auth.WithStore(st, "user"))
	b := cfg.TokenSource(ctx, nil, auth.WithStore(st, "user"))
	held, err := b.Token()
	if err != nil {
		t.Fatal(err)
	}
	fromA := refresh(t, a)
	if f.Stats().Refreshes != 1 {
		t.Fatalf("refreshes = %d, want 1", f.Stats().Refreshes)
	}
	b.(invalidator).Invalidate(held) // b learns its token is stale
	got, err := b.Token()
	if err != nil {
		t.Fatal(err)
	}
	if got.AccessToken != fromA.AccessToken || f.Stats().Refreshes != 1 || len(f.Stats().Errors) > 0 {
		t.Errorf("b got a token of its own after %d refreshes (errors %v); want a's, with no refresh", f.Stats().Refreshes, f.Stats().Errors)
	}
	stored, _ := st.Load(ctx, "user")
	if stored.AccessToken != fromA.AccessToken {
		t.Error("the store does not hold a's token")
	}
}

// countingStore counts reads and can fail writes.
type countingStore struct {
	auth.Store
	loads, updates atomic.Int32
	failWrites     atomic.Bool
	onUpdate       func() // runs inside Update, before f
}

func (s *countingStore) Load(ctx context.Context, key string) (*oauth2.Token, error) {
	s.loads.Add(1)
	return s.Store.Load(ctx, key)
}

func (s *countingStore) Update(ctx context.Context, key string, f func(context.Context, *oauth2.Token) (*oauth2.Token, error)) (*oauth2.Token, error) {
	s.updates.Add(1)
	return s.Store.Update(ctx, key, func(ctx context.Context, cur *oauth2.Token) (*oauth2.Token, error) {
		if s.onUpdate != nil {
			s.onUpdate()
		}
		next, err := f(ctx, cur)
		if err == nil && next != nil && next != cur && s.failWrites.Load() {
			return nil, errors.New("disk full while writing " + next.RefreshToken)
		}
		return next, err
	})
}

// The cached token is an atomic load: no store read once it is held.
func TestStoreNotReadOnHotPath(t *testing.T) {
	st := &countingStore{Store: auth.NewMemoryStore()}
	_, cfg := dliveSession(t, st)
	src := cfg.TokenSource(context.Background(), nil, auth.WithStore(st, "user"))
	first, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	loads := st.loads.Load()
	for range 1000 {
		if tok, err := src.Token(); err != nil || tok != first {
			t.Fatalf("Token() = %v, %v; want the cached token", tok, err)
		}
	}
	if n := st.loads.Load() - loads; n != 0 || st.updates.Load() != 0 {
		t.Errorf("1000 cached calls made %d loads and %d updates, want none", n, st.updates.Load())
	}
}

// When the store fails to save a new pair, nobody gets it; the source
// keeps it and saves it on the next call, without spending it.
func TestStoreSaveFailureKeepsNewPair(t *testing.T) {
	st := &countingStore{Store: auth.NewMemoryStore()}
	f, cfg := dliveSession(t, st)
	ctx := context.Background()
	src := cfg.TokenSource(ctx, nil, auth.WithStore(st, "user"))
	old, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	st.failWrites.Store(true)
	src.(invalidator).Invalidate(old)
	_, saveErr := src.Token()
	err = saveErr
	if err == nil || !strings.Contains(err.Error(), "kept in memory") {
		t.Fatalf("err = %v, want the save failure", err)
	}
	if !strings.Contains(err.Error(), "disk full while writing [redacted]") {
		t.Errorf("err = %v; want the store's error with the refresh token it quoted removed", err)
	}
	if f.Stats().Refreshes != 1 {
		t.Fatalf("refreshes = %d, want 1", f.Stats().Refreshes)
	}
	st.failWrites.Store(false)
	time.Sleep(time.Second + 50*time.Millisecond) // the pause after a failure
	got, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	if f.Stats().Refreshes != 1 || len(f.Stats().Errors) > 0 {
		t.Errorf("refreshes = %d, errors %v: the kept pair was not the one saved", f.Stats().Refreshes, f.Stats().Errors)
	}
	stored, _ := st.Load(ctx, "user")
	if stored.AccessToken != got.AccessToken || got.AccessToken == old.AccessToken {
		t.Error("the store does not hold the new pair handed out")
	}
	// Nothing in the save failure's chain quotes the pair it failed to save.
	for e := saveErr; e != nil; e = errors.Unwrap(e) {
		if strings.Contains(e.Error(), got.RefreshToken) {
			t.Errorf("%T in the chain quotes the refresh token: %q", e, e.Error())
		}
	}
	if _, err := cfg.Refresh(ctx, stored.RefreshToken); err != nil {
		t.Errorf("the saved pair does not refresh: %v", err)
	}
}

// On invalid_grant the source reads the store once more: a process that
// does not take the lock may have refreshed in between.
func TestStoreRereadsOnInvalidGrant(t *testing.T) {
	st := &countingStore{Store: auth.NewMemoryStore()}
	f, cfg := dliveSession(t, st)
	ctx := context.Background()
	src := cfg.TokenSource(ctx, nil, auth.WithStore(st, "user"))
	held, err := src.Token()
	if err != nil {
		t.Fatal(err)
	}
	var rogue *oauth2.Token
	var once sync.Once
	st.onUpdate = func() {
		once.Do(func() {
			// Under the source's lock, a rogue process refreshes the same
			// token and writes without locking.
			var err error
			if rogue, err = cfg.Refresh(ctx, held.RefreshToken); err != nil {
				t.Error(err)
			}
			if err := st.Store.(*auth.MemoryStore).SaveWithoutLock("user", rogue); err != nil {
				t.Error(err)
			}
		})
	}
	src.(invalidator).Invalidate(held)
	got, err := src.Token()
	if err != nil {
		t.Fatalf("err = %v, want the rogue's token from the second read", err)
	}
	if got.AccessToken != rogue.AccessToken {
		t.Error("the source did not take the token the rogue stored")
	}
	if n := f.Stats().Errors["invalid_grant"]; n != 1 {
		t.Errorf("invalid_grant answers = %d, want 1", n)
	}
}

func TestStoreNothingStored(t *testing.T) {
	st := auth.NewMemoryStore()
	_, cfg := dliveSession(t, st)
	src := cfg.TokenSource(context.Background(), nil, auth.WithStore(st, "nobody"))
	if _, err := src.Token(); !errors.Is(err, auth.ErrNotFound) {
		t.Errorf("err = %v, want auth.ErrNotFound", err)
	}
}

// Transport's refresh-once on 401 goes through the store.
func TestStoreTransport401(t *testing.T) {
	st := auth.NewMemoryStore()
	f, cfg := dliveSession(t, st)
	ctx := context.Background()
	old, _ := st.Load(ctx, "user")
	f.Revoke(old.AccessToken)
	client := cfg.Client(ctx, nil, auth.WithStore(st, "user"))
	res, err := client.Get(f.APIURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("HTTP %d, want 200 after one refresh", res.StatusCode)
	}
	stored, _ := st.Load(ctx, "user")
	if stored.AccessToken == old.AccessToken || f.Stats().Refreshes != 1 {
		t.Errorf("after the 401: %d refreshes, stored token changed: %v", f.Stats().Refreshes, stored.AccessToken != old.AccessToken)
	}
}

// The stored record keeps the granted scope, which a restored token
// otherwise loses.
func TestStoreKeepsScope(t *testing.T) {
	st := auth.NewMemoryStore()
	_, cfg := dliveSession(t, st)
	src := cfg.TokenSource(context.Background(), nil, auth.WithStore(st, "user"))
	tok := refresh(t, src)
	stored, _ := st.Load(context.Background(), "user")
	got, err := auth.Granted[scopes.DLive](stored)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff([]scopes.DLive{scopes.DLiveIdentity}, got); d != "" || stored.AccessToken != tok.AccessToken {
		t.Errorf("granted scopes of the stored token (-want +got):\n%s", d)
	}
}

// An application token is shared too: the second source takes the first's.
func TestStoreClientCredentials(t *testing.T) {
	st := auth.NewMemoryStore()
	f, cfg := dliveSession(t, auth.NewMemoryStore())
	ctx := context.Background()
	a, err := cfg.ClientCredentialsTokenSource(ctx, auth.WithStore(st, "app")).Token()
	if err != nil {
		t.Fatal(err)
	}
	b, err := cfg.ClientCredentialsTokenSource(ctx, auth.WithStore(st, "app")).Token()
	if err != nil {
		t.Fatal(err)
	}
	if a.AccessToken != b.AccessToken || f.Stats().ClientCredentials != 1 {
		t.Errorf("two sources made %d client-credentials requests, want 1", f.Stats().ClientCredentials)
	}
}

// OnToken sees a token only after the store has it.
func TestStoreSavesBeforeOnToken(t *testing.T) {
	st := auth.NewMemoryStore()
	_, cfg := dliveSession(t, st)
	var inStore []bool
	hook := auth.OnToken(func(ctx context.Context, tok *oauth2.Token) error {
		stored, err := st.Load(ctx, "user")
		inStore = append(inStore, err == nil && stored.AccessToken == tok.AccessToken)
		return nil
	})
	src := cfg.TokenSource(context.Background(), nil, auth.WithStore(st, "user"), hook)
	refresh(t, src)
	if d := cmp.Diff([]bool{true, true}, inStore); d != "" {
		t.Errorf("was each token in the store when OnToken saw it (-want +got):\n%s", d)
	}
}
