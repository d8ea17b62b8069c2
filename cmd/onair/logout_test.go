package main

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/scopes"
)

// sandboxApp is a provider's sandbox that "onair sandbox" serves: the
// environment its help prints, and the app's credentials from it.
type sandboxApp struct {
	env              []string // ONAIR_<PROVIDER>_BASE_URL=... and the client's
	base, id, secret string
}

func sandboxAppOf(t *testing.T, sb *proc, provider string) sandboxApp {
	t.Helper()
	upper := strings.ToUpper(provider)
	line := sb.await(t, regexp.MustCompile(`environment +(ONAIR_`+upper+`_BASE_URL=.*)`))
	app := sandboxApp{env: strings.Fields(line)}
	for _, kv := range app.env {
		k, v, _ := strings.Cut(kv, "=")
		switch strings.TrimPrefix(k, "ONAIR_"+upper+"_") {
		case "BASE_URL":
			app.base = v
		case "CLIENT_ID":
			app.id = v
		case "CLIENT_SECRET":
			app.secret = v
		}
	}
	return app
}

// loginTo logs in to a sandbox "onair sandbox" serves, approving the
// consent page, and returns the redirect URL the login used.
func loginTo(t *testing.T, env []string, provider string, args ...string) string {
	t.Helper()
	p := start(t, env, append([]string{"login", provider, "--no-browser"}, args...)...)
	authURL := p.await(t, authURLPattern)
	if _, _, err := browse(authURL, "approve"); err != nil {
		t.Fatal(err)
	}
	if r := p.wait(t); r.code != 0 {
		t.Fatalf("onair login %s:\n%s", provider, r)
	}
	return redirectOf(t, authURL)
}

// refreshAt trades refreshToken at the sandbox, as the app would, and
// returns the error of the token endpoint.
func refreshAt(t *testing.T, ep auth.Endpoint, app sandboxApp, redirect, refreshToken string) error {
	t.Helper()
	ctx := context.Background()
	ep = rebase(ep, app.base)
	switch ep.Name {
	case "livestorm":
		c := &auth.Config[scopes.Livestorm]{ClientID: app.id, ClientSecret: app.secret, RedirectURL: redirect, Endpoint: ep}
		_, err := c.Refresh(ctx, refreshToken)
		return err
	case "livepush":
		c := &auth.Config[scopes.Livepush]{ClientID: app.id, ClientSecret: app.secret, RedirectURL: redirect, Endpoint: ep}
		_, err := c.Refresh(ctx, refreshToken)
		return err
	case "dlive":
		c := &auth.Config[scopes.DLive]{ClientID: app.id, ClientSecret: app.secret, RedirectURL: redirect, Endpoint: ep}
		_, err := c.Refresh(ctx, refreshToken)
		return err
	}
	t.Fatalf("no refresh for %s", ep.Name)
	return nil
}

// counter is a server that answers every request with invalid_client and
// counts them: where a command that must send nothing is pointed.
func counter(t *testing.T) (*httptest.Server, *atomic.Int32) {
	var hits atomic.Int32
	s := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":"invalid_client"}`))
	}))
	t.Cleanup(s.Close)
	return s, &hits
}

// TestLogout logs in to the sandboxes "onair sandbox" serves and logs out:
// where the provider offers revocation, the refresh token is refused at
// the sandbox afterwards; DLive's stays valid, as the warning says.
func TestLogout(t *testing.T) {
	env := environ(t)
	sb := start(t, env, "sandbox")
	sb.await(t, regexp.MustCompile(`Serving the four sandboxes until interrupted`))
	defer func() {
		sb.interrupt(t)
		if r := sb.wait(t); r.code != 0 {
			t.Errorf("onair sandbox:\n%s", r)
		}
	}()

	for _, tt := range []struct {
		provider, title string
		endpoint        auth.Endpoint
	}{
		{"livestorm", "Livestorm", livestorm.Endpoint},
		{"livepush", "Livepush", livepush.Endpoint},
	} {
		t.Run(tt.provider, func(t *testing.T) {
			app := sandboxAppOf(t, sb, tt.provider)
			penv := append(append([]string{}, env...), app.env...)
			redirect := loginTo(t, penv, tt.provider)
			stored := tokenJSON(t, penv, tt.provider, "--show-secrets")

			// Without the secret, logout says what to pass and sends
			// nothing: the token stays stored.
			count, hits := counter(t)
			nosecret := append(append([]string{}, penv...), "ONAIR_"+strings.ToUpper(tt.provider)+"_CLIENT_SECRET=", "ONAIR_"+strings.ToUpper(tt.provider)+"_BASE_URL="+count.URL)
			want := "onair logout: revoking a " + tt.title + " token needs your app's client secret: set ONAIR_" + strings.ToUpper(tt.provider) + "_CLIENT_SECRET (or pass --client-secret)\n"
			if r := onair(t, nosecret, "logout", tt.provider); r.code != 1 || r.stderr != want {
				t.Errorf("logout without the secret: want exit 1 and %q; got\n%s", want, r)
			}
			if n := hits.Load(); n != 0 {
				t.Errorf("logout without the secret sent %d requests", n)
			}
			if v := tokenJSON(t, penv, tt.provider, "--show-secrets"); v.RefreshToken != stored.RefreshToken {
				t.Errorf("after a failed logout, the stored refresh token changed")
			}

			r := onair(t, penv, "logout", tt.provider)
			wantOut := "ok Logged out of " + tt.title + ` (key "` + tt.provider + `"): revoked the tokens at ` + app.base + ".\n"
			if r.code != 0 || r.stdout != wantOut || r.stderr != "" {
				t.Errorf("onair logout: want exit 0 and %q; got\n%s", wantOut, r)
			}
			// The sandbox, not the real provider, was told.
			var ae *auth.Error
			if err := refreshAt(t, tt.endpoint, app, redirect, stored.RefreshToken); !errors.As(err, &ae) || ae.Code != "invalid_grant" {
				t.Errorf("refreshing with the logged-out refresh token: %v, want invalid_grant", err)
			}
			// Logging out again has nothing left to do.
			again := onair(t, penv, "logout", tt.provider)
			wantAgain := `Nothing to log out (key "` + tt.provider + `"): logged out of ` + tt.title + `: run "onair login ` + tt.provider + `" to log in again.` + "\n"
			if again.code != 0 || again.stdout != wantAgain {
				t.Errorf("the second logout: want exit 0 and %q; got\n%s", wantAgain, again)
			}
		})
	}

	t.Run("dlive", func(t *testing.T) {
		app := sandboxAppOf(t, sb, "dlive")
		penv := append(append([]string{}, env...), app.env...)
		redirect := loginTo(t, penv, "dlive")
		stored := tokenJSON(t, penv, "dlive", "--show-secrets")

		// No revocation, so no secret is needed.
		r := onair(t, append(penv, "ONAIR_DLIVE_CLIENT_SECRET="), "logout", "dlive")
		if r.code != 0 || r.stdout != "ok Logged out of DLive (key \"dlive\"): onair no longer uses the stored tokens.\n" {
			t.Errorf("onair logout dlive:\n%s", r)
		}
		warning := regexp.MustCompile(`^onair logout: warning: DLive did not revoke the tokens \(it has no revocation endpoint onair can use\), so they stay valid at DLive until they expire \(the refresh token on \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)\n$`)
		if !warning.MatchString(r.stderr) {
			t.Errorf("the warning: %q, want one matching %v", r.stderr, warning)
		}
		// As the warning says, DLive still takes the refresh token.
		if err := refreshAt(t, dlive.Endpoint, app, redirect, stored.RefreshToken); err != nil {
			t.Errorf("the refresh token after a logout from DLive: %v", err)
		}
	})
}

// TestLogoutSandbox logs out of an "onair login --sandbox": its sandbox
// ended with the login, so nothing is sent, and the token is no longer
// used.
func TestLogoutSandbox(t *testing.T) {
	env := environ(t)
	if r := sandboxLogin(t, env); r.code != 0 {
		t.Fatalf("onair login dlive --sandbox:\n%s", r)
	}
	// The real key holds nothing: say so, and point at --sandbox.
	r := onair(t, env, "logout", "dlive")
	want := "No DLive token is stored (key \"dlive\"): nothing to log out.\nThe token of an \"onair login dlive --sandbox\" is stored: add --sandbox to log out of it.\n"
	if r.code != 0 || r.stdout != want {
		t.Errorf("onair logout dlive: want exit 0 and %q; got\n%s", want, r)
	}
	r = onair(t, env, "logout", "dlive", "--sandbox")
	want = "ok Logged out of the DLive sandbox (key \"dlive-sandbox\"): its tokens ended with the sandbox that issued them, so nothing was sent.\n"
	if r.code != 0 || r.stdout != want || r.stderr != "" {
		t.Errorf("onair logout dlive --sandbox: want exit 0 and %q; got\n%s", want, r)
	}
}

// TestLogoutNothingStored logs out with nothing stored: it says so,
// succeeds, and creates no file.
func TestLogoutNothingStored(t *testing.T) {
	for _, p := range providers() {
		t.Run(p.Name(), func(t *testing.T) {
			env := environ(t)
			dir := configDir(t, env)
			r := onair(t, env, "logout", p.Name())
			want := "No " + p.Title() + ` token is stored (key "` + p.Name() + `"): nothing to log out.` + "\n"
			if r.code != 0 || r.stdout != want || r.stderr != "" {
				t.Errorf("want exit 0 and %q; got\n%s", want, r)
			}
			if got := tree(t, dir); got != nil {
				t.Errorf("onair logout created %v", got)
			}
		})
	}
}
