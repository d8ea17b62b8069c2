package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth/filestore"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
)

// TestRefreshAtAnotherServerKeepsTheLogin points the shell at a second
// sandbox (as "onair sandbox" prints its variables to copy) and refreshes
// a login made at the first: onair refuses before sending the refresh
// token and the secret there, says which variables differ, and the login
// stays as good as before, not replaced by the invalid_grant mark.
func TestRefreshAtAnotherServerKeepsTheLogin(t *testing.T) {
	env := environ(t)
	sb := start(t, env, "sandbox")
	sb.await(t, regexp.MustCompile(`Serving the four sandboxes until interrupted`))
	defer func() { sb.interrupt(t); sb.wait(t) }()
	app := sandboxAppOf(t, sb, "livestorm")
	penv := append(append([]string{}, env...), app.env...)
	loginTo(t, penv, "livestorm")
	stored := tokenJSON(t, penv, "livestorm", "--show-secrets")

	other := livestormtest.NewServer()
	defer other.Close()
	oenv := append(append([]string{}, env...),
		"ONAIR_LIVESTORM_BASE_URL="+other.URL, "ONAIR_LIVESTORM_CLIENT_ID="+other.ClientID, "ONAIR_LIVESTORM_CLIENT_SECRET="+other.ClientSecret)
	r := onair(t, oenv, "token", "livestorm", "--refresh")
	want := "onair token: the stored Livestorm login used the server at " + app.base + ` and client ID "` + app.id + `", ` +
		"but ONAIR_LIVESTORM_BASE_URL names the server at " + other.URL + ` and ONAIR_LIVESTORM_CLIENT_ID names client ID "` + other.ClientID + `": ` +
		`unset ONAIR_LIVESTORM_BASE_URL and unset ONAIR_LIVESTORM_CLIENT_ID to use the login's, or run "onair login livestorm" with them to log in there first` + "\n"
	if r.code != 2 || !strings.HasPrefix(r.stderr, want) || strings.Contains(r.stderr, other.ClientSecret) {
		t.Errorf("onair token --refresh at another server: want exit 2 and %q; got\n%s", want, r)
	}
	// The login, at its own server, is as good as before, and refreshes.
	after := onair(t, penv, "token", "livestorm", "--show-secrets", "--json")
	if !strings.Contains(after.stdout, stored.RefreshToken) {
		t.Errorf("after a refresh refused by another server, the stored login is gone:\n%s", after)
	}
	if r := onair(t, penv, "token", "livestorm", "--refresh"); r.code != 0 {
		t.Errorf("refreshing at the login's own server:\n%s", r)
	}
}

// TestLogoutRevokesAtTheIssuer logs out of a sandbox login while the shell
// names another server: logout refuses, so it neither sends the refresh
// token and the secret to a server that would answer 200 for a token it
// does not know (RFC 7009), nor says "revoked" of a token the issuer still
// honours.
func TestLogoutRevokesAtTheIssuer(t *testing.T) {
	env := environ(t)
	sb := start(t, env, "sandbox")
	sb.await(t, regexp.MustCompile(`Serving the four sandboxes until interrupted`))
	defer func() { sb.interrupt(t); sb.wait(t) }()
	app := sandboxAppOf(t, sb, "livestorm")
	penv := append(append([]string{}, env...), app.env...)
	redirect := loginTo(t, penv, "livestorm")
	stored := tokenJSON(t, penv, "livestorm", "--show-secrets")

	var mu sync.Mutex
	var got []string
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		mu.Lock()
		got = append(got, r.Form.Encode())
		mu.Unlock()
		w.WriteHeader(http.StatusOK) // RFC 7009 §2.2: 200 for an unknown token too
	}))
	defer other.Close()
	r := onair(t, append(penv, "ONAIR_LIVESTORM_BASE_URL="+other.URL), "logout", "livestorm")
	mu.Lock()
	sent := strings.Join(got, "\n")
	mu.Unlock()
	if strings.Contains(sent, url.QueryEscape(stored.RefreshToken)) {
		t.Errorf("logout sent the refresh token issued by %s to %s", app.base, other.URL)
	}
	if err := refreshAt(t, livestorm.Endpoint, app, redirect, stored.RefreshToken); err == nil && r.code == 0 {
		t.Errorf("logout said %q, yet the issuer still refreshes the token", strings.TrimSpace(r.stdout))
	}
	want := "onair logout: the stored Livestorm login used the server at " + app.base + ", but ONAIR_LIVESTORM_BASE_URL names the server at " + other.URL + ": unset ONAIR_LIVESTORM_BASE_URL"
	if r.code != 2 || !strings.HasPrefix(r.stderr, want) {
		t.Errorf("logout with another server's base URL: want exit 2 and %q...; got\n%s", want, r)
	}
	// At the issuer, the logout goes through.
	if r := onair(t, penv, "logout", "livestorm"); r.code != 0 {
		t.Errorf("logout at the issuer:\n%s", r)
	}
	if err := refreshAt(t, livestorm.Endpoint, app, redirect, stored.RefreshToken); err == nil {
		t.Errorf("after the logout at the issuer, it still refreshes the token")
	}
}

// TestLogoutOfARealLoginSendsNothingToASandbox logs out of a login at the
// provider itself (no base URL recorded) while a sandbox's variables are
// set: logout sends nothing to the sandbox and keeps the login.
func TestLogoutOfARealLoginSendsNothingToASandbox(t *testing.T) {
	env := environ(t)
	dir := configDir(t, env)
	st, err := filestore.Open(filepath.Join(dir, "tokens"))
	if err != nil {
		t.Fatal(err)
	}
	tok := (&oauth2.Token{AccessToken: "access-0123456789", RefreshToken: "refresh-0123456789", TokenType: "Bearer"}).
		WithExtra(map[string]any{"scope": "identity:read"})
	if err := st.Save(context.Background(), "livestorm", tok); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "logins"), 0o700); err != nil {
		t.Fatal(err)
	}
	meta := `{"provider": "livestorm", "client_id": "real-app"}`
	if err := os.WriteFile(filepath.Join(dir, "logins", "livestorm.json"), []byte(meta), 0o600); err != nil {
		t.Fatal(err)
	}
	count, hits := counter(t)
	for _, args := range [][]string{
		{"logout", "livestorm"},
		{"token", "livestorm", "--refresh"},
	} {
		senv := append(append([]string{}, env...),
			"ONAIR_LIVESTORM_BASE_URL="+count.URL, "ONAIR_LIVESTORM_CLIENT_ID=real-app", "ONAIR_LIVESTORM_CLIENT_SECRET=secret-0123456789")
		r := onair(t, senv, args...)
		want := "the stored Livestorm login used Livestorm itself, but ONAIR_LIVESTORM_BASE_URL names the server at " + count.URL + ": unset ONAIR_LIVESTORM_BASE_URL"
		if r.code != 2 || !strings.Contains(r.stderr, want) {
			t.Errorf("onair %v with a sandbox's base URL: want exit 2 and %q...; got\n%s", args, want, r)
		}
	}
	if n := hits.Load(); n != 0 {
		t.Errorf("a real login sent %d requests to the sandbox", n)
	}
	if v := tokenJSON(t, env, "livestorm", "--show-secrets"); v.RefreshToken != tok.RefreshToken {
		t.Errorf("after the refused logout, the stored refresh token is %q, want %q", v.RefreshToken, tok.RefreshToken)
	}
}

// TestRefreshRefusedWithoutLoginDetailsKeepsTheToken refreshes a token
// another program stored (no login details name its server) at the server
// the flags name, which refuses it: that server may not have issued it, so
// onair says so and fails, but does not mark the token dead.
func TestRefreshRefusedWithoutLoginDetailsKeepsTheToken(t *testing.T) {
	env := environ(t)
	st, err := filestore.Open(filepath.Join(configDir(t, env), "tokens"))
	if err != nil {
		t.Fatal(err)
	}
	tok := (&oauth2.Token{AccessToken: "access-0123456789", RefreshToken: "refresh-0123456789", TokenType: "Bearer"}).
		WithExtra(map[string]any{"scope": "identity:read"})
	if err := st.Save(context.Background(), "livestorm", tok); err != nil {
		t.Fatal(err)
	}
	refuse := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		w.Write([]byte(`{"error":"invalid_grant"}`))
	}))
	defer refuse.Close()
	r := onair(t, env, "token", "livestorm", "--refresh", "--base-url", refuse.URL, "--client-id", "id", "--client-secret", "secret-0123456789")
	if r.code != 1 || !strings.Contains(r.stderr, "invalid_grant") {
		t.Errorf("refresh refused by the server the flags name: want exit 1 and the refusal; got\n%s", r)
	}
	if v := tokenJSON(t, env, "livestorm", "--show-secrets"); v.RefreshToken != tok.RefreshToken || v.Reauthorize != "" {
		t.Errorf("after a refusal by a server that may not have issued it: %+v, want the refresh token kept", v)
	}
}
