package main

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// tokenJSON runs "onair token --json" with args and decodes its answer.
func tokenJSON(t *testing.T, env []string, args ...string) tokenView {
	t.Helper()
	r := onair(t, env, append([]string{"token"}, append(args, "--json")...)...)
	if r.code != 0 {
		t.Fatalf("onair token %v:\n%s", args, r)
	}
	var v tokenView
	if err := json.Unmarshal([]byte(r.stdout), &v); err != nil {
		t.Fatalf("onair token --json: %v\n%s", err, r)
	}
	return v
}

// redirectOf returns the redirect URL an authorization URL names.
func redirectOf(t *testing.T, authURL string) string {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("redirect_uri")
}

// assertPortClosed checks that nothing listens at the redirect URL any
// more: the port is open only while the login runs.
func assertPortClosed(t *testing.T, redirect string) {
	t.Helper()
	u, _ := url.Parse(redirect)
	if c, err := net.DialTimeout("tcp", u.Host, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still listens after the login ended", u.Host)
	}
}

// TestLoginSandbox logs in to each provider's sandbox with --sandbox,
// answering the consent page as a browser would, and reads the token back.
func TestLoginSandbox(t *testing.T) {
	tests := []struct {
		provider, scope string
		consent         []string // what the consent page lists
		granted         []string
	}{
		{"livestorm", "events:read,identity:read", []string{"<code>events:read</code>", "<code>identity:read</code>"}, []string{"events:read", "identity:read"}},
		{"livepush", "streams.read", []string{"<code>streams.read</code>"}, []string{"streams.read"}},
		{"dlive", "", []string{"<code>identity</code>"}, []string{"identity"}}, // the default scope
	}
	for _, tt := range tests {
		t.Run(tt.provider, func(t *testing.T) {
			env := environ(t)
			args := []string{"login", tt.provider, "--sandbox", "--no-browser"}
			if tt.scope != "" {
				args = append(args, "--scope", tt.scope)
			}
			p := start(t, env, args...)
			authURL := p.await(t, authURLPattern)
			consent, landing, err := browse(authURL, "approve")
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range tt.consent {
				if !strings.Contains(consent.body, want) {
					t.Errorf("the consent page does not list %s:\n%s", want, consent.body)
				}
			}
			if !strings.Contains(consent.body, "onair CLI") {
				t.Errorf("the consent page does not name the app onair CLI")
			}
			checkLanding(t, landing, http.StatusOK, "You can close this tab")
			r := p.wait(t)
			if r.code != 0 || !strings.Contains(r.stdout, "Logged in to ") || !strings.Contains(r.stdout, " sandbox.\n") {
				t.Fatalf("onair login:\n%s", r)
			}
			assertPortClosed(t, redirectOf(t, authURL))

			v := tokenJSON(t, env, tt.provider, "--sandbox")
			want := tokenView{Provider: tt.provider, Key: tt.provider + "-sandbox", AccessToken: redacted, RefreshToken: redacted, TokenType: "Bearer", Scopes: tt.granted, Sandbox: true}
			got := v
			got.Expiry, got.ClientID, got.BaseURL, got.RefreshExpiry = time.Time{}, "", "", time.Time{}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("stored token (-want +got):\n%s", diff)
			}
			if !v.Expiry.After(time.Now()) || !strings.HasPrefix(v.ClientID, tt.provider+"-sandbox-") || !strings.HasPrefix(v.BaseURL, "http://127.0.0.1:") {
				t.Errorf("stored token: %+v", v)
			}
			// Only DLive documents how long a refresh token lives: a year.
			if yearOn := v.RefreshExpiry.After(time.Now().Add(364 * 24 * time.Hour)); yearOn != (tt.provider == "dlive") {
				t.Errorf("refresh expiry %v", v.RefreshExpiry)
			}
			secret := tokenJSON(t, env, tt.provider, "--sandbox", "--show-secrets")
			if secret.AccessToken == redacted || len(secret.AccessToken) < 16 || secret.RefreshToken == redacted {
				t.Errorf("--show-secrets shows %q, %q", secret.AccessToken, secret.RefreshToken)
			}
			text := onair(t, env, "token", tt.provider, "--sandbox")
			if text.code != 0 || strings.Contains(text.stdout, secret.AccessToken) || !strings.Contains(text.stdout, "access token   [redacted]") || !strings.Contains(text.stdout, "server         a sandbox that ran during the login, at http://127.0.0.1:") {
				t.Errorf("onair token, as text:\n%s", text)
			}
			// A sandbox login leaves a real login alone.
			if r := onair(t, env, "token", tt.provider); r.code != 1 || !strings.Contains(r.stderr, "add --sandbox to see it, or run \"onair login "+tt.provider+"\"") {
				t.Errorf("onair token %s after a sandbox login:\n%s", tt.provider, r)
			}
			if r := onair(t, env, "token", tt.provider, "--sandbox", "--refresh"); r.code != 1 || !strings.Contains(r.stderr, "stopped when the login ended") {
				t.Errorf("refreshing a --sandbox token:\n%s", r)
			}
			checkPrivate(t, env)
		})
	}
}

// checkLanding checks the page the browser lands on at the redirect URL.
func checkLanding(t *testing.T, got page, status int, text string) {
	t.Helper()
	if got.status != status || !strings.Contains(got.body, text) {
		t.Errorf("landing page: %d, want %d with %q:\n%s", got.status, status, text, got.body)
	}
	for k, v := range map[string]string{
		"Referrer-Policy":         "no-referrer",
		"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
		"Cache-Control":           "no-store",
	} {
		if got.header.Get(k) != v {
			t.Errorf("landing page %s: %q, want %q", k, got.header.Get(k), v)
		}
	}
	if strings.Contains(got.body, "src=") || strings.Contains(got.body, "href=") {
		t.Errorf("the landing page refers to other content:\n%s", got.body)
	}
}

// checkPrivate checks that the stored files are the user's alone.
func checkPrivate(t *testing.T, env []string) {
	t.Helper()
	var dir string
	for _, kv := range env {
		if v, ok := strings.CutPrefix(kv, "ONAIR_CONFIG_DIR="); ok {
			dir = v
		}
	}
	n := 0
	err := filepath.Walk(dir, func(path string, fi os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		want := os.FileMode(0o600)
		if fi.IsDir() {
			want = 0o700
		}
		if path != dir && fi.Mode().Perm() != want {
			t.Errorf("%s has mode %v, want %v", path, fi.Mode().Perm(), want)
		}
		n++
		return nil
	})
	if err != nil || n < 3 {
		t.Errorf("walking %s: %d entries, %v", dir, n, err)
	}
}

// TestLoginEnds checks each way a login ends without a token: a clear
// message, a non-zero status, nothing stored, and the port closed.
func TestLoginEnds(t *testing.T) {
	tests := []struct {
		name   string
		flags  []string
		answer func(t *testing.T, p *proc, authURL string)
		code   int
		stderr string
	}{
		{
			name: "denied",
			answer: func(t *testing.T, p *proc, authURL string) {
				consent, landing, err := browse(authURL, "deny")
				if err != nil {
					t.Fatal(err)
				}
				if !strings.Contains(consent.body, `id="deny"`) {
					t.Errorf("no Deny button on the consent page:\n%s", consent.body)
				}
				checkLanding(t, landing, http.StatusOK, "You denied access on Livestorm&#39;s consent page, so nothing was stored")
			},
			code:   1,
			stderr: "onair login: access denied: the consent page at Livestorm was answered with Deny, so no token was stored\n",
		},
		{
			name: "state mismatch",
			answer: func(t *testing.T, p *proc, authURL string) {
				res, err := http.Get(redirectOf(t, authURL) + "?code=forged&state=" + url.QueryEscape("not-the-state"))
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusBadRequest {
					t.Errorf("a forged answer got %d, want 400", res.StatusCode)
				}
			},
			code:   1,
			stderr: "onair login: the answer that came back does not carry this login's state, so it was refused: it may be forged, or left over from another login. Nothing was stored; run the login again\n",
		},
		{
			name:   "timeout",
			flags:  []string{"--timeout", "700ms"},
			answer: func(*testing.T, *proc, string) {},
			code:   1,
			stderr: "onair login: timed out: no answer from the browser within 700ms, so nothing was stored (--timeout sets the wait)\n",
		},
		{
			name:   "interrupted",
			answer: func(t *testing.T, p *proc, _ string) { p.interrupt(t) },
			code:   130,
			stderr: "onair login: interrupted\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := environ(t)
			p := start(t, env, append([]string{"login", "livestorm", "--sandbox", "--no-browser"}, tt.flags...)...)
			authURL := p.await(t, authURLPattern)
			tt.answer(t, p, authURL)
			r := p.wait(t)
			// The waiting line comes first on stderr; the error ends it.
			if r.code != tt.code || !strings.HasSuffix(r.stderr, tt.stderr) {
				t.Errorf("want exit %d ending stderr with %q; got\n%s", tt.code, tt.stderr, r)
			}
			assertPortClosed(t, redirectOf(t, authURL))
			if r := onair(t, env, "token", "livestorm", "--sandbox"); r.code != 1 || !strings.Contains(r.stderr, "no Livestorm sandbox token is stored") {
				t.Errorf("a token was stored:\n%s", r)
			}
		})
	}
}

// TestLoginOpensBrowser checks that without --no-browser, login hands the
// URL to the browser ($BROWSER: this test binary, which approves).
func TestLoginOpensBrowser(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	env := environ(t, "BROWSER="+self, "ONAIR_TEST_BROWSER=approve")
	r := onair(t, env, "login", "livestorm", "--sandbox", "--timeout", "30s")
	if r.code != 0 || !strings.Contains(r.stdout, "Opening your browser at:") || !strings.Contains(r.stdout, "Logged in to Livestorm sandbox.") {
		t.Fatalf("onair login with a browser:\n%s", r)
	}
}

// freePort returns a loopback port that nothing listens on now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// TestLoginToServer takes the path of a login to a real provider, with an
// app's credentials from the environment, against the sandboxes "onair
// sandbox" serves in another process; then refreshes the token twice
// there, as "onair token --refresh" would at the provider.
func TestLoginToServer(t *testing.T) {
	env := environ(t)
	port := freePort(t)
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", port)
	sb := start(t, env, "sandbox", "--auto-approve", "--redirect-url", redirect, "--tenant", "acme")
	sb.await(t, regexp.MustCompile(`Serving the four sandboxes until interrupted`))

	for _, tt := range []struct {
		provider, title string
		browser         bool
	}{
		{"livepush", "Livepush", true},
		{"livestorm", "Livestorm", true},
		{"dlive", "DLive", true},
		{"streamdiver", "Streamdiver", false},
	} {
		t.Run(tt.provider, func(t *testing.T) {
			upper := strings.ToUpper(tt.provider)
			line := sb.await(t, regexp.MustCompile(`environment +(ONAIR_`+upper+`_BASE_URL=.*)`))
			penv := append([]string{}, env...)
			penv = append(penv, strings.Fields(line)...)
			base := strings.TrimPrefix(strings.Fields(line)[0], "ONAIR_"+upper+"_BASE_URL=")

			p := start(t, penv, "login", tt.provider, "--port", strconv.Itoa(port), "--no-browser")
			if tt.browser {
				authURL := p.await(t, authURLPattern)
				if !strings.HasPrefix(authURL, base+"/") || redirectOf(t, authURL) != redirect {
					t.Errorf("authorization URL %s: want one at %s redirecting to %s", authURL, base, redirect)
				}
				if _, landing, err := browse(authURL, "approve"); err != nil {
					t.Fatal(err)
				} else {
					checkLanding(t, landing, http.StatusOK, "You can close this tab")
				}
			}
			r := p.wait(t)
			if r.code != 0 || !strings.Contains(r.stdout, "Logged in to "+tt.title+".\n") {
				t.Fatalf("onair login:\n%s", r)
			}
			if !tt.browser && !strings.Contains(r.stdout, "requesting an application token with the client-credentials grant") {
				t.Errorf("onair login %s:\n%s", tt.provider, r)
			}

			before := tokenJSON(t, penv, tt.provider, "--show-secrets")
			if before.BaseURL != base || before.Key != tt.provider || before.Sandbox {
				t.Errorf("stored token: base URL %q key %q sandbox %v, want %q %q false", before.BaseURL, before.Key, before.Sandbox, base, tt.provider)
			}
			for range 2 {
				after := tokenJSON(t, penv, tt.provider, "--refresh", "--show-secrets")
				if !after.Refreshed || after.AccessToken == before.AccessToken || !slicesEqual(after.Scopes, before.Scopes) {
					t.Errorf("refresh: before %+v, after %+v", before, after)
				}
				if tt.provider == "dlive" && after.RefreshToken == before.RefreshToken {
					t.Errorf("DLive's refresh token did not rotate")
				}
				before = after
			}
			if r := onair(t, penv, "token", tt.provider, "--refresh"); r.code != 0 || !strings.Contains(r.stdout, "ok Refreshed the "+tt.title+" token.\n") {
				t.Errorf("onair token --refresh:\n%s", r)
			}
		})
	}

	// Without the secret, a refresh fails before it sends anything, and
	// says what to pass.
	penv := append(append([]string{}, env...), "ONAIR_DLIVE_CLIENT_SECRET=")
	if r := onair(t, penv, "token", "dlive", "--refresh"); r.code != 1 || !strings.Contains(r.stderr, "needs your app's client secret: set ONAIR_DLIVE_CLIENT_SECRET") {
		t.Errorf("refresh without the secret:\n%s", r)
	}

	sb.interrupt(t)
	r := sb.wait(t)
	if r.code != 0 || !strings.HasSuffix(r.stdout, "Stopped.\n") {
		t.Errorf("onair sandbox, interrupted:\n%s", r)
	}
	for _, want := range []string{"Livepush sandbox", "Livestorm sandbox", "Streamdiver sandbox", "DLive sandbox", "client secret", "tenant         acme", redirect} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("onair sandbox does not print %q:\n%s", want, r.stdout)
		}
	}
}

func slicesEqual(a, b []string) bool { return cmp.Equal(a, b) }
