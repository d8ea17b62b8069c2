package auth_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
)

// invalidGrantShapes refuse the refresh token with an error_description
// that quotes the request back, in every encoding the leak test knows.
func invalidGrantShapes() []leakShape {
	var shapes []leakShape
	add := func(what string, enc func(r *seenRequest) string) {
		shapes = append(shapes, leakShape{name: "invalid_grant quoting the " + what,
			answer: rawAnswer(func(r *seenRequest) string {
				b, _ := json.Marshal(map[string]string{"error": "invalid_grant", "error_description": "refused " + enc(r)})
				return httpAnswer(400, "Content-Type: application/json\r\n", string(b))
			})})
	}
	for _, e := range echoEncodings {
		add("request "+e.name, func(r *seenRequest) string { return e.encode(r.echo()) })
	}
	for _, e := range paramEncodings {
		add("parameters "+e.name, func(r *seenRequest) string { return e.encode(r.params) })
	}
	return shapes
}

// A ReauthorizeError, and every error it wraps, shows no secret, whether
// the source has a store (the key and the marker in play) or not.
func TestNoSecretInReauthorizeError(t *testing.T) {
	type sourceFunc func(ctx context.Context, e auth.Endpoint, tok *oauth2.Token, opts ...auth.TokenSourceOption) oauth2.TokenSource
	providers := []struct {
		name     string
		endpoint auth.Endpoint
		source   sourceFunc
	}{
		{"livepush", livepush.Endpoint, func(ctx context.Context, e auth.Endpoint, tok *oauth2.Token, opts ...auth.TokenSourceOption) oauth2.TokenSource {
			return leakConfig(e, scopes.LivepushStreamsRead).TokenSource(ctx, tok, opts...)
		}},
		{"livestorm", livestorm.Endpoint, func(ctx context.Context, e auth.Endpoint, tok *oauth2.Token, opts ...auth.TokenSourceOption) oauth2.TokenSource {
			return leakConfig(e, scopes.LivestormEventsRead).TokenSource(ctx, tok, opts...)
		}},
		{"dlive", dlive.Endpoint, func(ctx context.Context, e auth.Endpoint, tok *oauth2.Token, opts ...auth.TokenSourceOption) oauth2.TokenSource {
			return leakConfig(e, scopes.DLiveIdentity).TokenSource(ctx, tok, opts...)
		}},
	}
	for _, p := range providers {
		for _, withStore := range []bool{false, true} {
			name := p.name
			if withStore {
				name += " with a store"
			}
			t.Run(name, func(t *testing.T) {
				for _, sh := range invalidGrantShapes() {
					t.Run(sh.name, func(t *testing.T) {
						e := p.endpoint
						e.TokenURL = serveRaw(t, sh.answer)
						tok := &oauth2.Token{AccessToken: "old-access", RefreshToken: leakRefresh, Expiry: time.Now().Add(-time.Hour)}
						var hooked *auth.ReauthorizeError
						opts := []auth.TokenSourceOption{auth.OnReauthorize(func(_ context.Context, err *auth.ReauthorizeError) { hooked = err })}
						if withStore {
							st := auth.NewMemoryStore()
							if err := st.Save(t.Context(), "user", tok); err != nil {
								t.Fatal(err)
							}
							opts = append(opts, auth.WithStore(st, "user"))
							tok = nil
						}
						_, err := p.source(t.Context(), e, tok, opts...).Token()
						if !errors.Is(err, auth.ErrReauthorize) || hooked == nil {
							t.Fatalf("err = %v (hook got %v), want ErrReauthorize and the hook called", err, hooked)
						}
						assertNoSecret(t, err)
						assertNoSecret(t, hooked)
					})
				}
			})
		}
	}
}

// Revoke and Logout errors show no secret: the revocation request carries
// the client secret and the tokens, which a server may quote back.
func TestNoSecretInRevocationError(t *testing.T) {
	var shapes []leakShape
	shapes = append(shapes, transportShapes()...)
	for _, sh := range echoShapes() {
		if !strings.HasPrefix(sh.name, "2xx") { // a 2xx answer is a revocation done
			shapes = append(shapes, sh)
		}
	}
	granted := &oauth2.Token{AccessToken: leakIssuedAccess, RefreshToken: leakRefresh}
	for _, p := range []struct {
		name     string
		endpoint auth.Endpoint
		revoke   func(ctx context.Context, e auth.Endpoint) error
	}{
		{"livestorm revoke", livestorm.Endpoint, func(ctx context.Context, e auth.Endpoint) error {
			return leakConfig(e, scopes.LivestormEventsRead).Revoke(ctx, granted)
		}},
		{"livepush logout", livepush.Endpoint, func(ctx context.Context, e auth.Endpoint) error {
			st := auth.NewMemoryStore()
			if err := st.Save(ctx, "user", granted); err != nil {
				return err
			}
			return leakConfig(e, scopes.LivepushStreamsRead).Logout(ctx, st, "user")
		}},
		// DLive has no endpoint; Basic client authentication is tried
		// against one anyway, as a provider that adds one would get it.
		{"dlive-style Basic revoke", dlive.Endpoint, func(ctx context.Context, e auth.Endpoint) error {
			return leakConfig(e, scopes.DLiveIdentity).Revoke(ctx, granted)
		}},
		{"streamdiver revoke", streamdiver.Endpoint("acme"), func(ctx context.Context, e auth.Endpoint) error {
			return leakConfig[scopes.Streamdiver](e).Revoke(ctx, &oauth2.Token{AccessToken: leakIssuedAccess})
		}},
	} {
		t.Run(p.name, func(t *testing.T) {
			for _, sh := range shapes {
				t.Run(sh.name, func(t *testing.T) {
					e := p.endpoint
					e.RevokeURL = serveRaw(t, sh.answer)
					ctx := t.Context()
					if sh.deadline {
						var cancel context.CancelFunc
						ctx, cancel = context.WithTimeout(ctx, 50*time.Millisecond)
						defer cancel()
					}
					err := p.revoke(ctx, e)
					if err == nil {
						t.Fatal("no error")
					}
					if sh.check != nil {
						sh.check(t, err)
					}
					assertNoSecret(t, err)
				})
			}
		})
	}
}
