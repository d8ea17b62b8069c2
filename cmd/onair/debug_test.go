package main

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/onair-go/onair/internal/leaktest"
)

// TestDebug logs in to each provider's sandbox (in another process, as a
// real provider would be), refreshes and logs out, all with --debug: the
// token requests are printed on stderr, and no secret of the exchange
// (client secret, code, PKCE verifier, access and refresh tokens, old or
// new) appears in any encoding in anything onair printed.
func TestDebug(t *testing.T) {
	env := environ(t)
	port := freePort(t)
	redirect := fmt.Sprintf("http://127.0.0.1:%d/callback", port)
	sb := start(t, env, "sandbox", "--auto-approve", "--redirect-url", redirect, "--tenant", "acme")
	sb.await(t, regexp.MustCompile(`Serving the four sandboxes until interrupted`))
	defer func() {
		sb.interrupt(t)
		sb.wait(t)
	}()

	for _, tt := range []struct {
		provider  string
		browser   bool
		tokenVerb string // the method of its token requests
	}{
		{provider: "livepush", browser: true, tokenVerb: "GET"},
		{provider: "livestorm", browser: true, tokenVerb: "POST"},
		{provider: "dlive", browser: true, tokenVerb: "POST"},
		{provider: "streamdiver", tokenVerb: "POST"},
	} {
		t.Run(tt.provider, func(t *testing.T) {
			upper := strings.ToUpper(tt.provider)
			line := sb.await(t, regexp.MustCompile(`environment +(ONAIR_`+upper+`_BASE_URL=.*)`))
			penv := append(append([]string{}, env...), strings.Fields(line)...)
			var base, clientSecret string
			for _, kv := range strings.Fields(line) {
				if v, ok := strings.CutPrefix(kv, "ONAIR_"+upper+"_BASE_URL="); ok {
					base = v
				}
				if v, ok := strings.CutPrefix(kv, "ONAIR_"+upper+"_CLIENT_SECRET="); ok {
					clientSecret = v
				}
			}
			if base == "" || clientSecret == "" {
				t.Fatalf("no base URL or client secret in %q", line)
			}
			secrets := map[string]string{"client secret": clientSecret}
			var printed strings.Builder
			exchange := regexp.MustCompile(`level=DEBUG msg="onair: HTTP exchange" method=(GET|POST) url="?` + regexp.QuoteMeta(base) + `/\S+ .*status=200`)
			debugRun := func(args ...string) result {
				t.Helper()
				r := onair(t, penv, append(args, "--debug")...)
				printed.WriteString(r.stdout + r.stderr)
				if r.code != 0 {
					t.Fatalf("onair %v --debug:\n%s", args, r)
				}
				return r
			}
			keepTokens := func(when string) {
				v := tokenJSON(t, penv, tt.provider, "--show-secrets")
				secrets["access token "+when] = v.AccessToken
				if v.RefreshToken != "" {
					secrets["refresh token "+when] = v.RefreshToken
				}
			}

			p := start(t, penv, "login", tt.provider, "--port", strconv.Itoa(port), "--no-browser", "--debug")
			var challenge string
			if tt.browser {
				authURL := p.await(t, authURLPattern)
				u, err := url.Parse(authURL)
				if err != nil {
					t.Fatal(err)
				}
				challenge = u.Query().Get("code_challenge")
				secrets["code"] = approve(t, authURL)
			}
			r := p.wait(t)
			printed.WriteString(r.stdout + r.stderr)
			if m := exchange.FindStringSubmatch(r.stderr); r.code != 0 || m == nil || m[1] != tt.tokenVerb {
				t.Fatalf("onair login --debug prints no %s token request:\n%s", tt.tokenVerb, r)
			}
			keepTokens("from the login")
			if r := debugRun("token", tt.provider, "--refresh"); !exchange.MatchString(r.stderr) {
				t.Errorf("onair token --refresh --debug prints no token request:\n%s", r)
			}
			keepTokens("from the refresh")
			// A provider without revocation sends nothing.
			if r := debugRun("logout", tt.provider); !exchange.MatchString(r.stderr) && !strings.Contains(r.stderr, "did not revoke") {
				t.Errorf("onair logout --debug prints no revocation request:\n%s", r)
			}

			out := printed.String()
			for name, s := range secrets {
				if form, ok := leaktest.Find(out, s); ok {
					t.Errorf("onair --debug shows the %s (%s):\n%s", name, form, out)
				}
			}
			if challenge != "" {
				if v := verifierIn(out, challenge); v != "" {
					t.Errorf("onair --debug shows the PKCE verifier %q:\n%s", v, out)
				}
			}
		})
	}
}

// approve answers an authorization URL as a browser would before an
// auto-approving sandbox, and returns the code it was redirected with.
func approve(t *testing.T, authURL string) string {
	t.Helper()
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := noFollow.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	to, err := url.Parse(res.Header.Get("Location"))
	if err != nil || res.StatusCode != http.StatusFound || to.Query().Get("code") == "" {
		t.Fatalf("authorization answered %d to %q (%v), want a redirect with a code", res.StatusCode, res.Header.Get("Location"), err)
	}
	if res, err = http.Get(to.String()); err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return to.Query().Get("code")
}

// verifierIn returns a PKCE verifier in text whose S256 challenge is
// challenge, or "": the verifier never leaves the process but in the
// token request, so the test can find it only by its challenge.
func verifierIn(text, challenge string) string {
	for _, v := range regexp.MustCompile(`[A-Za-z0-9._~-]{43,128}`).FindAllString(text, -1) {
		for i := 0; i+43 <= len(v); i++ {
			for j := i + 43; j <= len(v) && j-i <= 128; j++ {
				sum := sha256.Sum256([]byte(v[i:j]))
				if base64.RawURLEncoding.EncodeToString(sum[:]) == challenge {
					return v[i:j]
				}
			}
		}
	}
	return ""
}

// TestDebugDemo: with --debug, the demo's typed calls print each HTTP
// exchange and each call's summary, for every provider.
func TestDebugDemo(t *testing.T) {
	r := onair(t, environ(t), "demo", "--debug")
	if r.code != 0 {
		t.Fatalf("onair demo --debug:\n%s", r)
	}
	for _, p := range []string{"livepush", "livestorm", "streamdiver", "dlive"} {
		for _, re := range []*regexp.Regexp{
			regexp.MustCompile(`level=DEBUG msg="onair: call" provider=` + p + ` operation=\S+( method=[A-Z]+)? url_template=\S+ status=[1-5]\d\d attempts=1 `),
			regexp.MustCompile(`level=DEBUG msg="onair: HTTP exchange" provider=` + p + ` operation=\S+ method=[A-Z]+ url="?http://127\.0\.0\.1:\d+/.* credentials=(Bearer|token) .*status=[1-5]\d\d`),
		} {
			if !re.MatchString(r.stderr) {
				t.Errorf("onair demo --debug prints no line matching %v:\n%s", re, r.stderr)
			}
		}
	}
}
