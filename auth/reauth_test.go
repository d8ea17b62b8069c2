package auth_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/internal/sandbox"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

// dliveToken starts the DLive fake and returns an authorized token, its
// access token already expired so that the first use refreshes. cfg's
// Endpoint.RefreshLifetime is the client's idea of the refresh lifetime.
func dliveToken(t *testing.T, refreshLifetime time.Duration) (*authserver.Fake, *auth.Config[scopes.DLive], *oauth2.Token) {
	t.Helper()
	f := authserver.Start(dlivetest.Dialect(), dlive.Endpoint, redirectURI)
	t.Cleanup(f.Close)
	cfg := &auth.Config[scopes.DLive]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, RedirectURL: redirectURI,
		Scopes: []scopes.DLive{scopes.DLiveIdentity}, Endpoint: f.Endpoint}
	cfg.Endpoint.RefreshLifetime = refreshLifetime
	u, err := cfg.AuthCodeURL("s")
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cfg.Exchange(context.Background(), authorize(t, u).Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	expired := *tok
	expired.Expiry = time.Now().Add(-time.Hour)
	return f, cfg, &expired
}

// reauthOutcome is what a test of a path to "authorize again" compares.
type reauthOutcome struct {
	Reason   auth.ReauthReason
	Key      string
	Cause    string // the code of the provider's *auth.Error in the chain, if any
	Requests int    // token requests sent by two calls of the source
	Stored   string // the reason of the marker stored afterwards; "" for none
}

// Every path to "authorize again" ends in a ReauthorizeError matching
// ErrReauthorize; with a store, the marker stored under the key stops
// every later source before it asks the provider.
func TestReauthorizePaths(t *testing.T) {
	year := 365 * 24 * time.Hour
	ctx := context.Background()
	for _, tc := range []struct {
		name            string
		refreshLifetime time.Duration // the client's Endpoint.RefreshLifetime
		store           bool
		// prepare runs before the counted calls; src is the token given
		// to TokenSource (the stored one, with a store).
		prepare func(t *testing.T, f *authserver.Fake, cfg *auth.Config[scopes.DLive], st auth.Store, src *oauth2.Token)
		want    reauthOutcome
	}{
		{name: "provider refuses, no store", refreshLifetime: year,
			prepare: func(_ *testing.T, f *authserver.Fake, _ *auth.Config[scopes.DLive], _ auth.Store, src *oauth2.Token) {
				f.Revoke(src.RefreshToken)
			},
			want: reauthOutcome{Reason: auth.ReasonInvalidGrant, Cause: "invalid_grant", Requests: 1}},
		{name: "provider refuses after the store is re-read", refreshLifetime: year, store: true,
			prepare: func(_ *testing.T, f *authserver.Fake, _ *auth.Config[scopes.DLive], _ auth.Store, src *oauth2.Token) {
				f.Revoke(src.RefreshToken)
			},
			want: reauthOutcome{Reason: auth.ReasonInvalidGrant, Key: "user", Cause: "invalid_grant", Requests: 1, Stored: "invalid_grant"}},
		{name: "refresh token expired, no store", refreshLifetime: time.Nanosecond,
			want: reauthOutcome{Reason: auth.ReasonRefreshExpired}},
		{name: "refresh token expired, store", refreshLifetime: time.Nanosecond, store: true,
			want: reauthOutcome{Reason: auth.ReasonRefreshExpired, Key: "user", Stored: "refresh_token_expired"}},
		{name: "revoked key", refreshLifetime: year, store: true,
			prepare: func(t *testing.T, _ *authserver.Fake, _ *auth.Config[scopes.DLive], st auth.Store, _ *oauth2.Token) {
				if err := st.Save(ctx, "user", auth.MarkReauthorize(auth.ReasonRevoked)); err != nil {
					t.Fatal(err)
				}
			},
			want: reauthOutcome{Reason: auth.ReasonRevoked, Key: "user", Stored: "revoked"}},
		{name: "marker saved by another process", refreshLifetime: year, store: true,
			prepare: func(t *testing.T, f *authserver.Fake, cfg *auth.Config[scopes.DLive], st auth.Store, src *oauth2.Token) {
				f.Revoke(src.RefreshToken)
				other := cfg.TokenSource(ctx, nil, auth.WithStore(st, "user"))
				if _, err := other.Token(); !errors.Is(err, auth.ErrReauthorize) {
					t.Fatalf("the other process: err = %v, want ErrReauthorize", err)
				}
			},
			want: reauthOutcome{Reason: auth.ReasonInvalidGrant, Key: "user", Stored: "invalid_grant"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, cfg, tok := dliveToken(t, tc.refreshLifetime)
			st := auth.NewMemoryStore()
			if tc.store {
				if err := st.Save(ctx, "user", tok); err != nil {
					t.Fatal(err)
				}
			}
			if tc.prepare != nil {
				tc.prepare(t, f, cfg, st, tok)
			}
			var src oauth2.TokenSource
			if tc.store {
				src = cfg.TokenSource(ctx, nil, auth.WithStore(st, "user"))
			} else {
				src = cfg.TokenSource(ctx, tok)
			}
			before := len(f.TokenRequests())
			var got reauthOutcome
			for i := range 2 {
				_, err := src.Token()
				if !errors.Is(err, auth.ErrReauthorize) {
					t.Fatalf("call %d: err = %v, want one matching auth.ErrReauthorize", i, err)
				}
				var re *auth.ReauthorizeError
				if !errors.As(err, &re) || re.Provider != "dlive" {
					t.Fatalf("call %d: err = %#v, want a *auth.ReauthorizeError of dlive", i, err)
				}
				got.Reason, got.Key = re.Reason, re.Key
				var ae *auth.Error
				if errors.As(err, &ae) {
					got.Cause = ae.Code
				}
			}
			got.Requests = len(f.TokenRequests()) - before
			if stored, err := st.Load(ctx, "user"); err == nil {
				r, _ := auth.NeedsReauthorization(stored)
				got.Stored = string(r)
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// OnReauthorize runs once per key, however many callers wait on the
// failing refresh, and gets the key.
func TestOnReauthorizeOncePerKey(t *testing.T) {
	ctx := context.Background()
	st := auth.NewMemoryStore()
	f, cfg, first := dliveToken(t, 365*24*time.Hour)
	u, _ := cfg.AuthCodeURL("s")
	second, err := cfg.Exchange(ctx, authorize(t, u).Get("code"))
	if err != nil {
		t.Fatal(err)
	}
	second.Expiry = time.Now().Add(-time.Hour)
	var mu sync.Mutex
	calls := map[string]int{}
	hook := auth.OnReauthorize(func(_ context.Context, err *auth.ReauthorizeError) {
		mu.Lock()
		calls[err.Key]++
		mu.Unlock()
	})
	var wg sync.WaitGroup
	for key, tok := range map[string]*oauth2.Token{"a": first, "b": second} {
		if err := st.Save(ctx, key, tok); err != nil {
			t.Fatal(err)
		}
		f.Revoke(tok.RefreshToken)
		src := cfg.TokenSource(ctx, nil, auth.WithStore(st, key), hook)
		for range 8 {
			wg.Go(func() {
				if _, err := src.Token(); !errors.Is(err, auth.ErrReauthorize) {
					t.Errorf("key %s: err = %v, want ErrReauthorize", key, err)
				}
			})
		}
	}
	wg.Wait()
	if d := cmp.Diff(map[string]int{"a": 1, "b": 1}, calls); d != "" {
		t.Errorf("OnReauthorize calls per key (-want +got):\n%s", d)
	}
}

// A transient failure (5xx, network) is not a reason to authorize again:
// the error does not match ErrReauthorize, no hook runs, and the stored
// token stays.
func TestTransientFailureIsNotReauthorize(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name  string
		fault func(f *authserver.Fake)
		check func(t *testing.T, err error)
	}{
		{"503 page", func(f *authserver.Fake) {
			f.Fail(authserver.Fault{Status: http.StatusServiceUnavailable, Body: "<html>down for maintenance</html>"})
		}, func(t *testing.T, err error) {
			var ae *auth.Error
			if !errors.As(err, &ae) || ae.StatusCode != http.StatusServiceUnavailable {
				t.Errorf("err = %v, want an *auth.Error with HTTP 503", err)
			}
		}},
		{"503 server_error", func(f *authserver.Fake) {
			f.Fail(authserver.Fault{Status: http.StatusServiceUnavailable, Code: "temporarily_unavailable"})
		}, func(t *testing.T, err error) {
			var ae *auth.Error
			if !errors.As(err, &ae) || ae.Code != "temporarily_unavailable" {
				t.Errorf("err = %v, want the provider's temporarily_unavailable", err)
			}
		}},
		{"network", func(f *authserver.Fake) { f.Close() }, func(t *testing.T, err error) {
			var ae *auth.Error
			if errors.As(err, &ae) {
				t.Errorf("err = %v, want a network error, not an answer", err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, cfg, tok := dliveToken(t, 365*24*time.Hour)
			st := auth.NewMemoryStore()
			if err := st.Save(ctx, "user", tok); err != nil {
				t.Fatal(err)
			}
			tc.fault(f)
			hooked := false
			src := cfg.TokenSource(ctx, nil, auth.WithStore(st, "user"),
				auth.OnReauthorize(func(context.Context, *auth.ReauthorizeError) { hooked = true }))
			_, err := src.Token()
			if err == nil || errors.Is(err, auth.ErrReauthorize) || hooked {
				t.Fatalf("err = %v (hook called: %v), want a failure that does not match ErrReauthorize", err, hooked)
			}
			tc.check(t, err)
			stored, err := st.Load(ctx, "user")
			if err != nil || stored.RefreshToken != tok.RefreshToken {
				t.Errorf("the store holds %v (%v), want the token it had", auth.Redacted(stored), err)
			}
		})
	}
}

// The refresh expiry is on the token from the answer (DLive's documented
// year; Keycloak's refresh_expires_in), follows a rotation, survives a
// store round trip and shows in Redacted.
func TestRefreshExpiryOnTokens(t *testing.T) {
	ctx := context.Background()
	year := 365 * 24 * time.Hour

	t.Run("dlive", func(t *testing.T) {
		before := time.Now()
		_, cfg, tok := dliveToken(t, dlive.Endpoint.RefreshLifetime)
		after := time.Now()
		within(t, "after the exchange", auth.RefreshExpiry(tok), before.Add(year), after.Add(year))

		st := auth.NewMemoryStore()
		if err := st.Save(ctx, "user", tok); err != nil {
			t.Fatal(err)
		}
		before = time.Now()
		next, err := cfg.TokenSource(ctx, nil, auth.WithStore(st, "user")).Token()
		after = time.Now()
		if err != nil {
			t.Fatal(err)
		}
		if next.RefreshToken == tok.RefreshToken {
			t.Fatal("DLive did not rotate the refresh token")
		}
		within(t, "after the rotation", auth.RefreshExpiry(next), before.Add(year), after.Add(year))

		loaded, err := st.Load(ctx, "user")
		if err != nil {
			t.Fatal(err)
		}
		if got, want := auth.RefreshExpiry(loaded), auth.RefreshExpiry(next); !got.Equal(want) {
			t.Errorf("stored refresh expiry %v, want %v", got, want)
		}
		red := auth.Redacted(loaded)
		if !red.RefreshExpiry.Equal(auth.RefreshExpiry(next)) || !strings.Contains(red.String(), "refresh token that expires "+red.RefreshExpiry.Format(time.RFC3339)) {
			t.Errorf("Redacted = %+v, %q: want the refresh expiry shown", red, red.String())
		}
	})

	t.Run("keycloak refresh_expires_in", func(t *testing.T) {
		// A Keycloak realm with user logins: Streamdiver's dialect, which
		// has no refresh tokens itself, with the authorization-code grant.
		d := streamdivertest.Dialect()
		d.AuthorizationCode, d.RefreshTokens, d.RefreshLifetime = true, true, 30*time.Minute
		real := streamdiver.Endpoint("acme")
		real.AuthURL = "https://sso.streamdiver.com/realms/acme/protocol/openid-connect/auth"
		real.RefreshLifetime = year // refresh_expires_in takes precedence
		f := authserver.Start(d, real, redirectURI)
		t.Cleanup(f.Close)
		cfg := &auth.Config[scopes.Streamdiver]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, RedirectURL: redirectURI, Endpoint: f.Endpoint}
		u, err := cfg.AuthCodeURL("s")
		if err != nil {
			t.Fatal(err)
		}
		before := time.Now()
		tok, err := cfg.Exchange(ctx, authorize(t, u).Get("code"))
		after := time.Now()
		if err != nil {
			t.Fatal(err)
		}
		within(t, "from refresh_expires_in", auth.RefreshExpiry(tok), before.Add(30*time.Minute), after.Add(30*time.Minute))
	})
}

func within(t *testing.T, what string, got, lo, hi time.Time) {
	t.Helper()
	if got.Before(lo) || got.After(hi) {
		t.Errorf("%s: refresh expiry %v, want between %v and %v", what, got, lo, hi)
	}
}

// The DLive sandbox can make refresh tokens expire (sandbox.Config's
// RefreshLifetime, set through a dlivetest Option): the provider then
// refuses them, which a client that trusts the documented year learns as
// invalid_grant.
func TestSandboxRefreshTokenExpires(t *testing.T) {
	ctx := context.Background()
	srv := dlivetest.NewServer(dlivetest.WithAutoApprove(), func(c *sandbox.Config) { c.RefreshLifetime = time.Nanosecond })
	defer srv.Close()
	cfg := srv.Config(scopes.DLiveIdentity)
	u, err := cfg.AuthCodeURL("s")
	if err != nil {
		t.Fatal(err)
	}
	code, err := srv.Approve(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cfg.Exchange(srv.Context(ctx), code)
	if err != nil {
		t.Fatal(err)
	}
	tok.Expiry = time.Now().Add(-time.Hour)
	_, err = cfg.TokenSource(srv.Context(ctx), tok).Token()
	var re *auth.ReauthorizeError
	if !errors.As(err, &re) || re.Reason != auth.ReasonInvalidGrant {
		t.Fatalf("err = %v, want a ReauthorizeError for invalid_grant", err)
	}
}
