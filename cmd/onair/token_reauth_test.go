package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/filestore"
	"github.com/onair-go/onair/internal/tokenrec"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/scopes"
)

// markerJSON runs "onair token --json" on a key that holds a mark, which
// prints the reason and fails with msg.
func markerJSON(t *testing.T, env []string, msg string, args ...string) tokenView {
	t.Helper()
	r := onair(t, env, append([]string{"token"}, append(args, "--json")...)...)
	if r.code != 1 || r.stderr != msg {
		t.Errorf("onair token %v --json: want exit 1 and %q; got\n%s", args, msg, r)
	}
	var v tokenView
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("onair token --json: %v\n%s", err, r)
	}
	return v
}

// checkReauthorize checks what onair token says of a key the user must
// authorize again: with and without --refresh (which sends nothing, at a
// server that counts), as text and as JSON.
func checkReauthorize(t *testing.T, env []string, provider, msg, reason string) {
	t.Helper()
	count, hits := counter(t)
	cenv := append(append([]string{}, env...), "ONAIR_"+strings.ToUpper(provider)+"_BASE_URL="+count.URL)
	for _, args := range [][]string{{provider}, {provider, "--refresh"}} {
		if r := onair(t, cenv, append([]string{"token"}, args...)...); r.code != 1 || r.stderr != "onair token: "+msg || r.stdout != "" {
			t.Errorf("onair token %v: want exit 1 and %q; got\n%s", args, msg, r)
		}
		v := markerJSON(t, cenv, "onair token: "+msg, args...)
		if v.Reauthorize != reason || v.AccessToken != "" || v.RefreshToken != "" || v.Refreshed {
			t.Errorf("onair token %v --json: %+v, want reauthorize %q and no token", args, v, reason)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("onair token on a key to authorize again sent %d requests", n)
	}
}

// TestTokenReauthorize takes each path to "authorize again" as a user of
// onair token meets it: after a logout, after the provider refused the
// refresh token, and with a refresh token known to have expired.
func TestTokenReauthorize(t *testing.T) {
	env := environ(t)
	sb := start(t, env, "sandbox")
	sb.await(t, regexp.MustCompile(`Serving the four sandboxes until interrupted`))
	defer func() {
		sb.interrupt(t)
		if r := sb.wait(t); r.code != 0 {
			t.Errorf("onair sandbox:\n%s", r)
		}
	}()

	t.Run("logged out", func(t *testing.T) {
		app := sandboxAppOf(t, sb, "livestorm")
		penv := append(append([]string{}, env...), app.env...)
		loginTo(t, penv, "livestorm")
		if r := onair(t, penv, "logout", "livestorm"); r.code != 0 {
			t.Fatalf("onair logout:\n%s", r)
		}
		checkReauthorize(t, penv, "livestorm", `logged out of Livestorm: run "onair login livestorm" to log in again`+"\n", "revoked")
		// A new login mends the key.
		loginTo(t, penv, "livestorm")
		if v := tokenJSON(t, penv, "livestorm"); v.Reauthorize != "" || v.AccessToken != redacted {
			t.Errorf("after a new login: %+v", v)
		}
	})

	t.Run("invalid_grant", func(t *testing.T) {
		app := sandboxAppOf(t, sb, "livestorm")
		penv := append(append([]string{}, env...), app.env...)
		redirect := loginTo(t, penv, "livestorm")
		stored := tokenJSON(t, penv, "livestorm", "--show-secrets")
		// The provider forgets the grant (the user removed the app there,
		// say): revoke it behind onair's back.
		c := &auth.Config[scopes.Livestorm]{ClientID: app.id, ClientSecret: app.secret, RedirectURL: redirect, Endpoint: rebase(livestorm.Endpoint, app.base)}
		if err := c.Revoke(context.Background(), &oauth2.Token{RefreshToken: stored.RefreshToken}); err != nil {
			t.Fatal(err)
		}
		msg := `Livestorm refused the refresh token (invalid_grant): run "onair login livestorm" to authorize again` + "\n"
		if r := onair(t, penv, "token", "livestorm", "--refresh"); r.code != 1 || r.stderr != "onair token: "+msg {
			t.Errorf("refreshing a revoked token: want exit 1 and %q; got\n%s", msg, r)
		}
		// The refusal is stored: the next command sends nothing.
		checkReauthorize(t, penv, "livestorm", msg, "invalid_grant")
	})

	t.Run("refresh token expired", func(t *testing.T) {
		app := sandboxAppOf(t, sb, "dlive")
		penv := append(append([]string{}, env...), app.env...)
		loginTo(t, penv, "dlive")
		// DLive documents a year for its refresh tokens.
		v := tokenJSON(t, penv, "dlive")
		if d := time.Until(v.RefreshExpiry); d < 364*24*time.Hour || d > 366*24*time.Hour {
			t.Errorf("refresh_expiry %v: want a year from now", v.RefreshExpiry)
		}
		text := onair(t, penv, "token", "dlive")
		if !regexp.MustCompile(`\n    refresh expiry +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC \(in \d+h`).MatchString(text.stdout) {
			t.Errorf("onair token dlive does not show the refresh token's expiry:\n%s", text)
		}

		// A year later: the stored refresh token has expired.
		st, err := filestore.Open(filepath.Join(configDir(t, env), "tokens"))
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		tok, err := st.Load(ctx, "dlive")
		if err != nil {
			t.Fatal(err)
		}
		past := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
		if err := st.Save(ctx, "dlive", tok.WithExtra(map[string]any{"scope": tok.Extra("scope"), tokenrec.ExtraRefreshExpiry: past})); err != nil {
			t.Fatal(err)
		}
		// Read, it says to authorize again and fails, as its help says.
		msg := `the DLive refresh token has expired: run "onair login dlive" to authorize again` + "\n"
		if v := markerJSON(t, penv, "onair token: "+msg, "dlive"); !v.RefreshExpiry.Equal(past) || v.Reauthorize != "refresh_token_expired" || v.AccessToken != "" || v.RefreshToken != "" {
			t.Errorf("onair token dlive --json: %+v, want refresh_expiry %v, reauthorize refresh_token_expired and no token", v, past)
		}
		if r := onair(t, penv, "token", "dlive"); r.code != 1 || r.stderr != "onair token: "+msg || r.stdout != "" {
			t.Errorf("onair token dlive with an expired refresh token: want exit 1 and %q; got\n%s", msg, r)
		}
		count, hits := counter(t)
		cenv := append(append([]string{}, penv...), "ONAIR_DLIVE_BASE_URL="+count.URL)
		if r := onair(t, cenv, "token", "dlive", "--refresh"); r.code != 1 || r.stderr != "onair token: "+msg || hits.Load() != 0 {
			t.Errorf("refreshing an expired refresh token: %d requests; want exit 1 and %q; got\n%s", hits.Load(), msg, r)
		}
		checkReauthorize(t, penv, "dlive", msg, "refresh_token_expired")
	})
}
