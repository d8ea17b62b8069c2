package main

import (
	"encoding/json"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/onair-go/onair/cassette"
	"github.com/onair-go/onair/internal/leaktest"
)

// "onair record -- demo" records the demo's token requests and API calls
// of every provider, each under its provider, with credentials removed
// but their schemes kept; "onair cassette check" finds that they confirm
// the specs.
func TestRecordDemo(t *testing.T) {
	env := environ(t)
	out := filepath.Join(t.TempDir(), "demo.json")
	r := onair(t, env, "record", "--out", out, "--", "demo")
	if r.code != 0 || !strings.Contains(r.stderr, "exchanges written to") {
		t.Fatalf("onair record -- demo:\n%s", r)
	}
	if !strings.Contains(r.stdout, "Four providers") {
		t.Errorf("the recorded demo did not run to its end:\n%s", r)
	}
	c, err := cassette.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	auths := map[string]map[string]bool{}
	for i, in := range c.Interactions {
		p := c.ProviderOf(i)
		if auths[p] == nil {
			auths[p] = map[string]bool{}
		}
		if a := in.Request.Header.Get("Authorization"); a != "" {
			auths[p][a] = true
		}
	}
	for _, want := range []struct{ provider, auth string }{
		{"livepush", "Bearer [redacted]"},
		{"livestorm", "Bearer [redacted]"},
		{"streamdiver", "Bearer [redacted]"},
		{"dlive", "[redacted]"}, // DLive's bare token
		{"dlive", "Basic [redacted]"},
	} {
		if !auths[want.provider][want.auth] {
			t.Errorf("no %s request recorded with Authorization %q; got %v", want.provider, want.auth, auths[want.provider])
		}
	}

	r = onair(t, env, "cassette", "check", "--specs", "../../specs", out)
	if r.code != 0 || !strings.Contains(r.stdout, "none contradicts the spec") || !strings.Contains(r.stdout, "createStream\tconfirms") {
		t.Errorf("onair cassette check:\n%s", r)
	}
}

// A cassette edited to contradict the spec fails the check, which names
// the operation and the field.
func TestCassetteCheckContradiction(t *testing.T) {
	env := environ(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "demo.json")
	if r := onair(t, env, "record", "--out", out, "--", "demo"); r.code != 0 {
		t.Fatalf("onair record -- demo:\n%s", r)
	}
	c, err := cassette.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	edited := false
	for i, in := range c.Interactions {
		if c.ProviderOf(i) != "livepush" || in.Request.Method != "POST" || !strings.HasSuffix(in.Request.URL, "/streams") {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal(in.Response.Body, &m); err != nil {
			t.Fatal(err)
		}
		m["id"] = 7
		b, _ := json.Marshal(m)
		c.Interactions[i].Response.Body = b
		edited = true
	}
	if !edited {
		t.Fatal("no Streams.Create recorded")
	}
	bad := filepath.Join(dir, "edited.json")
	if err := cassette.Save(bad, c); err != nil {
		t.Fatal(err)
	}
	r := onair(t, env, "cassette", "check", "--specs", "../../specs", bad)
	if r.code != 1 || !strings.Contains(r.stdout, "createStream\tcontradicts") || !strings.Contains(r.stdout, "answer /id:") {
		t.Errorf("onair cassette check of an edited cassette:\n%s", r)
	}
}

// "onair record -- login <provider> --sandbox" records the token
// exchange, and the cassette holds neither the tokens the login stored
// nor the state of its authorization URL, in any usual encoding.
func TestRecordLogin(t *testing.T) {
	env := environ(t)
	out := filepath.Join(t.TempDir(), "login.json")
	p := start(t, env, "record", "--out", out, "--", "login", "dlive", "--sandbox", "--no-browser")
	authURL := p.await(t, authURLPattern)
	if _, _, err := browse(authURL, "approve"); err != nil {
		t.Fatal(err)
	}
	if r := p.wait(t); r.code != 0 || !strings.Contains(r.stderr, "exchanges written to") {
		t.Fatalf("onair record -- login:\n%s", r)
	}
	tok := tokenJSON(t, env, "dlive", "--sandbox", "--show-secrets")
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	secrets := []string{tok.AccessToken, tok.RefreshToken, u.Query().Get("state")}
	for _, s := range secrets {
		if len(s) < 8 || s == redacted {
			t.Fatalf("a secret of the login is %q", s)
		}
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range secrets {
		if form, ok := leaktest.Find(string(data), s); ok {
			t.Errorf("the cassette holds a secret of the login (%.4s…), %s", s, form)
		}
	}
	c, err := cassette.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	if c.Provider != "dlive" || len(c.Interactions) == 0 || c.Interactions[0].Request.Method != "POST" || c.Interactions[0].Response.Status != http.StatusOK {
		t.Errorf("the cassette does not hold the token exchange: %+v", c)
	}
}

func TestRecordUsage(t *testing.T) {
	env := environ(t)
	out := filepath.Join(t.TempDir(), "c.json")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"record", "--", "demo"}, "--out"},
		{[]string{"record", "--out", out}, "name the command"},
		{[]string{"record", "--out", out, "--", "record", "--out", out, "--", "demo"}, "cannot record itself"},
		{[]string{"cassette", "verify", out}, "usage: onair cassette check"},
	} {
		r := onair(t, env, tc.args...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("onair %s: want exit 2 and %q:\n%s", strings.Join(tc.args, " "), tc.want, r)
		}
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("a usage error wrote a cassette: %v", err)
	}
}
