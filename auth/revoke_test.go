package auth_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

// revocable is one provider's sandbox with an authorized token, its type
// parameter hidden behind closures so that one table holds every provider.
type revocable struct {
	ctx     context.Context // carries the sandbox's HTTP client
	tok     *oauth2.Token
	logout  func(ctx context.Context, st auth.Store, key string) error
	refresh func(ctx context.Context, refreshToken string) error // nil: no refresh tokens
	source  func(ctx context.Context, st auth.Store, key string) oauth2.TokenSource
	api     func(t *testing.T, tok *oauth2.Token) int // an API call's status; nil: not checked
}

// userToken runs the authorization-code flow against a sandbox.
func userToken[S scopes.Scope](t *testing.T, ctx context.Context, cfg *auth.Config[S], approve func(context.Context, string) (string, error)) *oauth2.Token {
	t.Helper()
	u, err := cfg.AuthCodeURL("state-1")
	if err != nil {
		t.Fatal(err)
	}
	code, err := approve(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := cfg.Exchange(ctx, code)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func userRevocable[S scopes.Scope](t *testing.T, ctx context.Context, cfg *auth.Config[S], approve func(context.Context, string) (string, error), api func(*testing.T, *oauth2.Token) int) revocable {
	return revocable{
		ctx:    ctx,
		tok:    userToken(t, ctx, cfg, approve),
		logout: cfg.Logout,
		refresh: func(ctx context.Context, rt string) error {
			_, err := cfg.Refresh(ctx, rt)
			return err
		},
		source: func(ctx context.Context, st auth.Store, key string) oauth2.TokenSource {
			return cfg.TokenSource(ctx, nil, auth.WithStore(st, key))
		},
		api: api,
	}
}

// bearerStatus returns the status of a GET of url with tok.
func bearerStatus(c *http.Client, url string) func(*testing.T, *oauth2.Token) int {
	return func(t *testing.T, tok *oauth2.Token) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
}

type revokeOutcome struct {
	Unsupported  bool   // Logout's error matches ErrRevocationUnsupported
	Stored       string // the reason of the marker stored after Logout
	Source       string // the ReauthReason a source of the key then fails with; "" if it gets a token
	APIRefused   bool   // the API answers 401 to the old access token after Logout (it did not before)
	RefreshAfter string // the old refresh token after Logout: "ok" or the provider's error code; "" without one
}

// Logout revokes the stored pair where the provider has a revocation
// endpoint, so that the sandbox refuses both tokens, and replaces it by the
// revoked marker everywhere, DLive included.
func TestLogoutPerProvider(t *testing.T) {
	for _, tc := range []struct {
		name  string
		start func(t *testing.T) revocable
		want  revokeOutcome
	}{
		{"livestorm", func(t *testing.T) revocable {
			srv := livestormtest.NewServer(livestormtest.WithAutoApprove())
			t.Cleanup(srv.Close)
			return userRevocable(t, srv.Context(t.Context()), srv.Config(scopes.LivestormIdentityRead), srv.Approve, bearerStatus(srv.Client(), srv.URL+"/ping"))
		}, revokeOutcome{Stored: "revoked", Source: "revoked", APIRefused: true, RefreshAfter: "invalid_grant"}},
		{"livepush", func(t *testing.T) revocable {
			srv := livepushtest.NewServer(livepushtest.WithAutoApprove())
			t.Cleanup(srv.Close)
			return userRevocable(t, srv.Context(t.Context()), srv.Config(scopes.LivepushProfileRead), srv.Approve, bearerStatus(srv.Client(), srv.URL+"/account/this"))
		}, revokeOutcome{Stored: "revoked", Source: "revoked", APIRefused: true, RefreshAfter: "invalid_grant"}},
		{"dlive", func(t *testing.T) revocable {
			srv := dlivetest.NewServer(dlivetest.WithAutoApprove())
			t.Cleanup(srv.Close)
			return userRevocable(t, srv.Context(t.Context()), srv.Config(scopes.DLiveIdentity), srv.Approve, nil)
		}, revokeOutcome{Unsupported: true, Stored: "revoked", Source: "revoked", RefreshAfter: "ok"}},
		// Client credentials: the app token is revoked, and a source of
		// the key simply requests a new one, as it needs no user.
		{"streamdiver", func(t *testing.T) revocable {
			srv := streamdivertest.NewServer()
			t.Cleanup(srv.Close)
			cfg := srv.Config()
			ctx := srv.Context(t.Context())
			tok, err := cfg.ClientCredentials(ctx)
			if err != nil {
				t.Fatal(err)
			}
			return revocable{ctx: ctx, tok: tok, logout: cfg.Logout,
				source: func(ctx context.Context, st auth.Store, key string) oauth2.TokenSource {
					return cfg.ClientCredentialsTokenSource(ctx, auth.WithStore(st, key))
				},
				api: bearerStatus(srv.Client(), srv.URL+"/uploads")}
		}, revokeOutcome{Stored: "revoked", APIRefused: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := tc.start(t)
			st := auth.NewMemoryStore()
			if err := st.Save(r.ctx, "user", r.tok); err != nil {
				t.Fatal(err)
			}
			apiBefore := 0
			if r.api != nil {
				apiBefore = r.api(t, r.tok)
			}

			var got revokeOutcome
			err := r.logout(r.ctx, st, "user")
			got.Unsupported = errors.Is(err, auth.ErrRevocationUnsupported)
			if err != nil && !got.Unsupported {
				t.Fatalf("Logout: %v", err)
			}
			if stored, err := st.Load(r.ctx, "user"); err == nil {
				reason, _ := auth.NeedsReauthorization(stored)
				got.Stored = string(reason)
			}
			if _, err := r.source(r.ctx, st, "user").Token(); err != nil {
				var re *auth.ReauthorizeError
				if !errors.As(err, &re) {
					t.Fatalf("source after Logout: %v, want a ReauthorizeError or a token", err)
				}
				got.Source = string(re.Reason)
			}
			if r.api != nil {
				got.APIRefused = apiBefore != http.StatusUnauthorized && r.api(t, r.tok) == http.StatusUnauthorized
			}
			if r.refresh != nil {
				got.RefreshAfter = "ok"
				if err := r.refresh(r.ctx, r.tok.RefreshToken); err != nil {
					var ae *auth.Error
					if !errors.As(err, &ae) {
						t.Fatalf("refresh after Logout: %v", err)
					}
					got.RefreshAfter = ae.Code
				}
			}
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// Revoke needs a RevokeURL, and a Logout whose revocation fails for a
// transient reason keeps the stored pair, so that it can be tried again.
func TestRevokeFailures(t *testing.T) {
	srv := livestormtest.NewServer(livestormtest.WithAutoApprove())
	defer srv.Close()
	ctx := srv.Context(t.Context())
	cfg := srv.Config(scopes.LivestormIdentityRead)
	tok := userToken(t, ctx, cfg, srv.Approve)

	none := *cfg
	none.Endpoint.RevokeURL = ""
	if err := none.Revoke(ctx, tok); !errors.Is(err, auth.ErrRevocationUnsupported) {
		t.Errorf("Revoke without a RevokeURL: err = %v, want ErrRevocationUnsupported", err)
	}

	st := auth.NewMemoryStore()
	if err := st.Save(ctx, "user", tok); err != nil {
		t.Fatal(err)
	}
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusServiceUnavailable)
		w.Write([]byte(`{"error":"temporarily_unavailable"}`))
	}))
	defer failing.Close()
	down := *cfg
	down.Endpoint.RevokeURL = failing.URL + "/oauth/revoke"
	err := down.Logout(ctx, st, "user")
	var ae *auth.Error
	if !errors.As(err, &ae) || ae.StatusCode != http.StatusServiceUnavailable || errors.Is(err, auth.ErrRevocationUnsupported) {
		t.Errorf("Logout with a failing endpoint: err = %v, want the endpoint's 503", err)
	}
	stored, err := st.Load(ctx, "user")
	if err != nil || stored.RefreshToken != tok.RefreshToken {
		t.Errorf("after a failed Logout the store holds %v (%v), want the pair", auth.Redacted(stored), err)
	}

	// An assumed endpoint that is not there: no retry can help, so the
	// key is logged out in the store, and the error says the tokens live on.
	missing := *cfg
	missing.Endpoint.RevokeURL = srv.URL + "/no-such-revocation-endpoint"
	if err := missing.Logout(ctx, st, "user"); !errors.Is(err, auth.ErrRevocationUnsupported) {
		t.Errorf("Logout with a 404 endpoint: err = %v, want ErrRevocationUnsupported", err)
	}
	stored, err = st.Load(ctx, "user")
	if r, ok := auth.NeedsReauthorization(stored); err != nil || !ok || r != auth.ReasonRevoked {
		t.Errorf("after Logout at a missing endpoint the store holds %v (%v), want the revoked marker", auth.Redacted(stored), err)
	}
}
