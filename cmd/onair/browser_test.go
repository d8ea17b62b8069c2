package main

import (
	"context"
	"encoding/base64"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/google/go-cmp/cmp"
)

// chromePath finds a Chromium or Chrome to drive: $CHROME_PATH, Debian's
// chromium package, or one on $PATH.
func chromePath() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestBrowserLogin drives a real, headless Chromium through "onair login
// livestorm --sandbox --no-browser": it opens the URL the command prints,
// reads the requested scopes on the consent page, clicks Approve (or Deny),
// and lands on the command's loopback page. The consent page's screenshot
// is kept as an artifact.
func TestBrowserLogin(t *testing.T) {
	chrome := chromePath()
	if chrome == "" {
		if os.Getenv("ONAIR_REQUIRE_BROWSER") != "" {
			t.Fatal("no Chromium to drive, and ONAIR_REQUIRE_BROWSER is set: install Debian's chromium package, or set CHROME_PATH")
		}
		t.Skip("no Chromium to drive: install Debian's chromium package (.ci/run does), or set CHROME_PATH")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome),
		chromedp.Headless,
		chromedp.NoSandbox, // root in CI containers
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-default-apps", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancel := chromedp.NewExecAllocator(t.Context(), opts...)
	defer cancel()
	// One browser for both runs; each gets its own tab.
	browserCtx, cancel := chromedp.NewContext(allocCtx)
	defer cancel()
	if err := chromedp.Do(browserCtx); err != nil {
		t.Fatalf("starting %s: %v", chrome, err)
	}

	tests := []struct {
		button      string
		code        int
		title, text string // the landing page's
		out         string // what the command says last
	}{
		{"approve", 0, "Login received", "You can close this tab", "ok Logged in to Livestorm sandbox.\n"},
		{"deny", 1, "Login not authorized", "You denied access on Livestorm's consent page", "onair login: access denied: the consent page at Livestorm was answered with Deny, so no token was stored\n"},
	}
	for _, tt := range tests {
		t.Run(tt.button, func(t *testing.T) {
			env := environ(t)
			p := start(t, env, "login", "livestorm", "--sandbox", "--no-browser", "--scope", "events:read,webhooks:write")
			authURL := p.await(t, authURLPattern)

			tab, cancel := chromedp.NewContext(browserCtx)
			defer cancel()
			ctx, cancel := context.WithTimeout(tab, 30*time.Second)
			defer cancel()
			var (
				shown       []string
				app         string
				shot        []byte
				title, text string
				landed      string
			)
			// Each step keeps what it read; the first error stops the rest.
			err := chromedp.Do(ctx, chromedp.Navigate(authURL), chromedp.WaitVisible(chromedp.ID("approve")))
			read := func(f func() error) {
				if err == nil {
					err = f()
				}
			}
			read(func() (err error) { app, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("app"))); return })
			read(func() (err error) {
				shown, err = chromedp.Run(ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#scopes code"), e => e.textContent)`))
				return
			})
			read(func() (err error) { shot, err = chromedp.Run(ctx, chromedp.FullScreenshot(100)); return })
			read(func() error {
				return chromedp.Do(ctx, chromedp.Click(chromedp.ID(tt.button)), chromedp.WaitVisible(chromedp.ID("title")))
			})
			read(func() (err error) { title, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("title"))); return })
			read(func() (err error) { text, err = chromedp.Run(ctx, chromedp.Text(chromedp.ID("message"))); return })
			read(func() (err error) { landed, err = chromedp.Run(ctx, chromedp.Location()); return })
			if len(shot) > 0 {
				path := filepath.Join(artifactDir(t), "consent-"+tt.button+".png")
				if err := os.WriteFile(path, shot, 0o644); err != nil {
					t.Error(err)
				}
				t.Logf("consent page: %s", path)
			}
			if err != nil {
				t.Fatalf("in the browser: %v\nonair so far:\n%s%s", err, p.stdout.String(), p.stderr.String())
			}

			if diff := cmp.Diff([]string{"events:read", "webhooks:write"}, shown); diff != "" {
				t.Errorf("scopes on the consent page (-want +got):\n%s", diff)
			}
			if app != "onair CLI" {
				t.Errorf("the consent page names the app %q, want %q", app, "onair CLI")
			}
			if png := []byte("\x89PNG"); len(shot) < 1000 || string(shot[:4]) != string(png) {
				t.Errorf("the screenshot is not a PNG: %d bytes, starting %q", len(shot), base64.StdEncoding.EncodeToString(shot[:min(8, len(shot))]))
			}
			if title != tt.title || !strings.Contains(text, tt.text) || !strings.HasPrefix(landed, redirectOf(t, authURL)+"?") {
				t.Errorf("landed on %s: %q, %q; want the redirect URL with %q, %q", landed, title, text, tt.title, tt.text)
			}

			r := p.wait(t)
			var out string
			if tt.code == 0 {
				out = r.stdout[strings.Index(r.stdout, "ok Logged in"):][:len(tt.out)]
			} else {
				out = r.stderr[strings.LastIndex(r.stderr, "onair login:"):]
			}
			if r.code != tt.code || out != tt.out {
				t.Fatalf("want exit %d and %q; got\n%s", tt.code, tt.out, r)
			}
			stored := onair(t, env, "token", "livestorm", "--sandbox", "--json")
			if tt.code == 0 {
				if v := tokenJSON(t, env, "livestorm", "--sandbox"); !cmp.Equal(v.Scopes, []string{"events:read", "webhooks:write"}) {
					t.Errorf("stored scopes %v", v.Scopes)
				}
			} else if stored.code != 1 {
				t.Errorf("a denied login stored a token:\n%s", stored)
			}
		})
	}
}
