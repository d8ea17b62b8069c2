package auth_test

// Regression tests of the token lifecycle, from a review: each comment
// says what went wrong before the fix the test guards.

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/scopes"
)

// One Refresher over a store shared by two authorizations
// (two providers, or one provider's sandbox and production, or two client
// IDs, as the CLI's store and any single sqlstore table hold) sends the
// other authorization's refresh token, with this Config's client secret,
// to this Config's token endpoint, and on the resulting invalid_grant
// replaces the other authorization's good token by a marker.
func TestRefresherMatchKeepsOtherIssuersTokens(t *testing.T) {
	ctx := context.Background()
	mine := startCountingFake(t)  // the Refresher's provider
	other := startCountingFake(t) // another provider (or client) in the same store
	st := auth.NewMemoryStore()

	mineToks, err := mine.authorizeUsers(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	otherToks, err := other.authorizeUsers(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	for key, tok := range map[string]*oauth2.Token{"dlive:alice": mineToks[0], "other:bob": otherToks[0]} {
		tok.Expiry = time.Now() // due
		if err := st.Save(ctx, key, tok); err != nil {
			t.Fatal(err)
		}
	}

	r := &auth.Refresher[scopes.DLive]{Config: mine.config(), Store: st, Match: func(key string) bool { return strings.HasPrefix(key, "dlive:") }}
	rep, err := r.RefreshDue(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(auth.RefreshReport{Keys: 1, Refreshed: []string{"dlive:alice"}}, rep); d != "" {
		t.Errorf("report (-want +got):\n%s", d)
	}
	if _, refused := mine.counts(otherToks[0].RefreshToken); refused > 0 {
		t.Errorf("other:bob's refresh token was sent to the Refresher's provider (%d times): a token leaves for a server that did not issue it", refused)
	}
	got, err := st.Load(ctx, "other:bob")
	if err != nil {
		t.Fatal(err)
	}
	if reason, marked := auth.NeedsReauthorization(got); marked {
		t.Errorf("other:bob's good token was replaced by the %q marker (report: %+v); its user is lost", reason, rep)
	}
}

// The Refresher writes the invalid_grant marker inside the
// Update that refreshed, without the re-read that a token source does
// ("in case a process that does not take the lock has refreshed"). A
// store whose Save takes no lock (MemoryStore; Store does not require it)
// loses a token the application saved while the refused request was in
// flight: the user who has just authorized again is marked again. The
// token source, in the same situation, keeps the new token.
func TestRefresherMarkerYieldsToTokenSavedMeanwhile(t *testing.T) {
	ctx := context.Background()
	f := startCountingFake(t)
	st := auth.NewMemoryStore()
	toks := seedUsers(t, f, st, 1, func(int) time.Time { return time.Now() })
	f.Revoke(toks[0].RefreshToken) // the user revoked the app, and is now authorizing again
	fresh, err := f.authorizeUsers(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	var once sync.Once
	var saved sync.WaitGroup
	f.setHooks(func(http.ResponseWriter, string) bool {
		// The application saves the user's new pair while the refresh
		// of the old one is in flight.
		once.Do(func() {
			saved.Go(func() {
				if err := st.Save(ctx, userKey(0), fresh[0]); err != nil {
					t.Error(err)
				}
			})
		})
		return false
	}, nil)
	r := &auth.Refresher[scopes.DLive]{Config: f.config(), Store: st}
	if _, err := r.RefreshDue(ctx); err != nil {
		t.Fatal(err)
	}
	saved.Wait()
	got, err := st.Load(ctx, userKey(0))
	if err != nil {
		t.Fatal(err)
	}
	if got.RefreshToken != fresh[0].RefreshToken {
		reason, _ := auth.NeedsReauthorization(got)
		t.Errorf("the store holds %v (marker %q), want the pair saved after the user authorized again", auth.Redacted(got), reason)
	}
}

// doc.go: "A transient failure (5xx, network) never matches
// ErrReauthorize." A 503 whose body carries error=invalid_grant (a proxy
// or a provider in trouble) is taken for a dead pair: the source fails
// with ErrReauthorize and stores a permanent marker, so every process
// stops and the user must log in again once the provider is back.
func Test5xxInvalidGrantIsNotReauthorize(t *testing.T) {
	ctx := context.Background()
	_, cfg, tok := dliveToken(t, 365*24*time.Hour)
	f := authserver.Start(dlivetest.Dialect(), cfg.Endpoint, redirectURI)
	t.Cleanup(f.Close)
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"error":"invalid_grant","error_description":"backend unavailable"}`))
	}))
	t.Cleanup(down.Close)
	cfg.Endpoint.TokenURL = down.URL + "/o/token"

	st := auth.NewMemoryStore()
	if err := st.Save(ctx, "user", tok); err != nil {
		t.Fatal(err)
	}
	_, err := cfg.TokenSource(ctx, nil, auth.WithStore(st, "user")).Token()
	if errors.Is(err, auth.ErrReauthorize) {
		t.Errorf("a 503 answer: err = %v; want a transient error, not ErrReauthorize", err)
	}
	stored, _ := st.Load(ctx, "user")
	if reason, marked := auth.NeedsReauthorization(stored); marked {
		t.Errorf("a 503 answer stored the %q marker over a live pair", reason)
	}
}

// Logout cannot complete against an RFC 7009 server that does
// not revoke access tokens (§2.2.1 unsupported_token_type, the RFC's own
// example): each try revokes the refresh token, then fails on the access
// token, keeps the pair stored and asks to "try again", forever.
func TestLogoutServerRevokingRefreshTokensOnly(t *testing.T) {
	ctx := context.Background()
	_, cfg, tok := dliveToken(t, 365*24*time.Hour)
	rev := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		if r.PostForm.Get("token_type_hint") == "access_token" {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadRequest)
			w.Write([]byte(`{"error":"unsupported_token_type"}`))
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	t.Cleanup(rev.Close)
	cfg.Endpoint.RevokeURL = rev.URL + "/o/revoke"
	st := auth.NewMemoryStore()
	if err := st.Save(ctx, "user", tok); err != nil {
		t.Fatal(err)
	}
	for try := range 3 {
		err := cfg.Logout(ctx, st, "user")
		if err == nil {
			return
		}
		t.Logf("try %d: %v", try, err)
	}
	stored, _ := st.Load(ctx, "user")
	_, marked := auth.NeedsReauthorization(stored)
	t.Errorf("Logout failed 3 times against a server that revokes refresh tokens only; key marked: %v", marked)
}

// A source whose store failed to save a new pair keeps it
// ("saves it on the next call instead of refreshing again"), and before
// this change that was enough: the store still held the spent pair, and
// the next call saved the kept one. Now any other process that meets the
// spent pair first (a token source of another replica, or a Refresher)
// gets invalid_grant and stores the marker, and the source then drops the
// live pair it kept ("an unsaved token of this source is dropped"): one
// failed write loses the user, outside the documented crash window,
// although a live pair was in memory all along.
func TestMarkerYieldsToPairKeptAfterFailedSave(t *testing.T) {
	for _, other := range []string{"source", "refresher"} {
		t.Run(other, func(t *testing.T) {
			ctx := context.Background()
			f := startCountingFake(t)
			mem := auth.NewMemoryStore()
			toks := seedUsers(t, f, mem, 1, func(int) time.Time { return time.Now() })
			a := f.config().TokenSource(ctx, nil, auth.WithStore(&failSaveOnce{MemoryStore: mem}, userKey(0)))
			if _, err := a.Token(); err == nil {
				t.Fatal("the first save was meant to fail")
			}
			kept := f.successor[toks[0].RefreshToken]
			if kept == "" {
				t.Fatal("the provider issued no pair")
			}
			// Another replica meets the stored, spent pair.
			switch other {
			case "source":
				b := f.config().TokenSource(ctx, nil, auth.WithStore(mem, userKey(0)))
				b.Token()
			case "refresher":
				(&auth.Refresher[scopes.DLive]{Config: f.config(), Store: mem}).RefreshDue(ctx)
			}
			time.Sleep(1100 * time.Millisecond) // the source's pause after a failure
			tok, err := a.Token()
			if err != nil {
				stored, _ := mem.Load(ctx, userKey(0))
				reason, _ := auth.NeedsReauthorization(stored)
				t.Errorf("source A: %v; stored marker %q; the live pair it kept (never presented: %v) is lost", err, reason, func() bool { a, r := f.counts(kept); return a+r == 0 }())
				return
			}
			if tok.RefreshToken != "" && tok.RefreshToken != kept {
				t.Errorf("source A got another pair than the one it kept")
			}
		})
	}
}

// ErrReauthorize "is matched by every error that means the
// user must authorize again", but Config.Narrow and Config.Refresh with a
// refused (or known-expired) refresh token return the provider's plain
// *Error: the same dead pair matches ErrReauthorize through a source and
// not through the Config.
func TestNarrowDeadPairIsReauthorize(t *testing.T) {
	ctx := context.Background()
	f, cfg, tok := dliveToken(t, 365*24*time.Hour)
	f.Revoke(tok.RefreshToken)
	_, err := cfg.Narrow(ctx, tok, scopes.DLiveIdentity)
	if !errors.Is(err, auth.ErrReauthorize) {
		t.Errorf("Narrow with a refused refresh token: %v; does not match ErrReauthorize", err)
	}
	_, err = cfg.Refresh(ctx, tok.RefreshToken)
	if !errors.Is(err, auth.ErrReauthorize) {
		t.Errorf("Refresh with a refused refresh token: %v; does not match ErrReauthorize", err)
	}
}
