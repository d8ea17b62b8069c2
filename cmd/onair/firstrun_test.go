package main

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// These tests take the paths a new user takes first: logging in to "onair
// sandbox" as its help says, and asking for tokens before and after.

// tree returns every path under dir with its mode, or nil if dir does not
// exist.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	if _, err := os.Lstat(dir); os.IsNotExist(err) {
		return nil
	}
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		out[path] = fi.Mode().String()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestTokenNothingStored asks for tokens that were never stored: each
// answer says so and how to log in, whatever the flags, and reading
// creates nothing, with or without a configuration directory.
func TestTokenNothingStored(t *testing.T) {
	for _, p := range providers() {
		for _, flags := range [][]string{nil, {"--json"}, {"--refresh"}, {"--sandbox"}} {
			name := strings.TrimSpace(p.Name() + " " + strings.Join(flags, " "))
			t.Run(name, func(t *testing.T) {
				login := `"onair login ` + p.Name() + `"`
				want := "onair token: no " + p.Title() + " token is stored: run " + login + " first\n"
				if len(flags) > 0 && flags[0] == "--sandbox" {
					want = "onair token: no " + p.Title() + ` sandbox token is stored: run "onair login ` + p.Name() + ` --sandbox" first` + "\n"
				}
				for _, mkdir := range []bool{false, true} {
					env := environ(t)
					dir := configDir(t, env)
					if mkdir {
						if err := os.MkdirAll(dir, 0o700); err != nil {
							t.Fatal(err)
						}
					}
					before := tree(t, dir)
					r := onair(t, env, append([]string{"token", p.Name()}, flags...)...)
					if r.code != 1 || r.stderr != want || r.stdout != "" {
						t.Errorf("config directory exists: %v; want exit 1 and %q; got\n%s", mkdir, want, r)
					}
					if d := cmp.Diff(before, tree(t, dir)); d != "" {
						t.Errorf("onair token changed the configuration directory (-before +after):\n%s", d)
					}
				}
			})
		}
	}
}

// TestTokenAfterSandboxLogin asks for the real token after a sandbox
// login: the answer points at --sandbox, and reading either creates no
// file.
func TestTokenAfterSandboxLogin(t *testing.T) {
	env := environ(t)
	if r := sandboxLogin(t, env); r.code != 0 {
		t.Fatalf("onair login dlive --sandbox:\n%s", r)
	}
	dir := configDir(t, env)
	before := tree(t, dir)
	r := onair(t, env, "token", "dlive")
	want := `onair token: no DLive token is stored, only the token of an "onair login dlive --sandbox": add --sandbox to see it, or run "onair login dlive" to log in to DLive` + "\n"
	if r.code != 1 || r.stderr != want {
		t.Errorf("onair token dlive after a sandbox login: want exit 1 and %q; got\n%s", want, r)
	}
	if r := onair(t, env, "token", "dlive", "--sandbox"); r.code != 0 {
		t.Errorf("onair token dlive --sandbox:\n%s", r)
	}
	if d := cmp.Diff(before, tree(t, dir)); d != "" {
		t.Errorf("onair token changed the configuration directory (-before +after):\n%s", d)
	}
}

// TestLoginToSandboxAnyPort logs in to the sandboxes "onair sandbox"
// serves, started without flags, the way its help says: the login listens
// on a port the system picks, and the sandbox accepts it (RFC 8252 §7.3).
func TestLoginToSandboxAnyPort(t *testing.T) {
	env := environ(t)
	sb := start(t, env, "sandbox")
	sb.await(t, regexp.MustCompile(`Serving the four sandboxes until interrupted`))
	defer func() {
		sb.interrupt(t)
		if r := sb.wait(t); r.code != 0 {
			t.Errorf("onair sandbox:\n%s", r)
		}
	}()
	for _, tt := range []struct{ provider, title string }{
		{"livepush", "Livepush"},
		{"livestorm", "Livestorm"},
		{"dlive", "DLive"},
	} {
		t.Run(tt.provider, func(t *testing.T) {
			upper := strings.ToUpper(tt.provider)
			line := sb.await(t, regexp.MustCompile(`environment +(ONAIR_`+upper+`_BASE_URL=.*)`))
			penv := append(append([]string{}, env...), strings.Fields(line)...)

			p := start(t, penv, "login", tt.provider, "--no-browser")
			authURL := p.await(t, authURLPattern)
			redirect, err := url.Parse(redirectOf(t, authURL))
			if err != nil || redirect.Hostname() != "127.0.0.1" || redirect.Port() == "" || redirect.Path != "/callback" {
				t.Errorf("redirect URL %s: want http://127.0.0.1:<port>/callback", redirect)
			}
			consent, landing, err := browse(authURL, "approve")
			if err != nil {
				t.Fatal(err)
			}
			if consent.status != http.StatusOK || !strings.Contains(consent.body, `id="deny"`) {
				t.Errorf("no consent page: %d\n%s", consent.status, consent.body)
			}
			checkLanding(t, landing, http.StatusOK, "You can close this tab")
			if r := p.wait(t); r.code != 0 || !strings.Contains(r.stdout, "Logged in to "+tt.title+".\n") {
				t.Fatalf("onair login %s:\n%s", tt.provider, r)
			}
			if r := onair(t, penv, "token", tt.provider, "--refresh"); r.code != 0 || !strings.Contains(r.stdout, "Refreshed the "+tt.title+" token.") {
				t.Errorf("onair token %s --refresh:\n%s", tt.provider, r)
			}
			// Only a real login's token is stored.
			want := "onair token: no " + tt.title + ` sandbox token is stored, only a token of a real login: drop --sandbox to see it, or run "onair login ` + tt.provider + ` --sandbox"` + "\n"
			if r := onair(t, penv, "token", tt.provider, "--sandbox"); r.code != 1 || r.stderr != want {
				t.Errorf("onair token %s --sandbox: want exit 1 and %q; got\n%s", tt.provider, want, r)
			}
		})
	}
	t.Run("refresh without the secret", func(t *testing.T) {
		// The stored Livestorm login, refreshed at a server that counts
		// what it is sent.
		line := sb.await(t, regexp.MustCompile(`environment +(ONAIR_LIVESTORM_BASE_URL=.*)`))
		var hits atomic.Int32
		counter := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			hits.Add(1)
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(`{"error":"invalid_client"}`))
		}))
		defer counter.Close()
		penv := append(append([]string{}, env...), strings.Fields(line)...)
		penv = append(penv, "ONAIR_LIVESTORM_BASE_URL="+counter.URL, "ONAIR_LIVESTORM_CLIENT_SECRET=")

		r := onair(t, penv, "token", "livestorm", "--refresh")
		want := "onair token: refreshing a Livestorm token needs your app's client secret: set ONAIR_LIVESTORM_CLIENT_SECRET (or pass --client-secret)\n"
		if r.code != 1 || r.stderr != want {
			t.Errorf("want exit 1 and %q; got\n%s", want, r)
		}
		if n := hits.Load(); n != 0 {
			t.Errorf("the refresh without a secret sent %d requests", n)
		}
		// With a secret, the same command refuses the server that did
		// not issue the token, and still sends nothing.
		if r := onair(t, penv, "token", "livestorm", "--refresh", "--client-secret", "s"); r.code != 2 || !strings.Contains(r.stderr, "ONAIR_LIVESTORM_BASE_URL names the server at "+counter.URL) || hits.Load() != 0 {
			t.Errorf("with a secret: %d requests;\n%s", hits.Load(), r)
		}
	})
}
