package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth/filestore"
)

// TestLogoutDoesNotPrintBaseURLPassword passes a base URL with a password
// (a proxy's or a staging server's): logout refuses it without printing
// the password, and "onair token" does not print one a login's details
// hold from an older onair either.
func TestLogoutDoesNotPrintBaseURLPassword(t *testing.T) {
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
	r := onair(t, env, "logout", "livestorm", "--client-id", "id", "--client-secret", "secret-0123456789",
		"--base-url", "https://deploy:hunter2@127.0.0.1:1")
	if r.code != 2 || strings.Contains(r.stdout+r.stderr, "hunter2") || !strings.Contains(r.stderr, "user name or password") {
		t.Errorf("onair logout with a password in the base URL: want exit 2 and a refusal that does not print it; got\n%s", r)
	}

	if err := os.MkdirAll(filepath.Join(dir, "logins"), 0o700); err != nil {
		t.Fatal(err)
	}
	meta := `{"provider": "livestorm", "client_id": "id", "base_url": "https://deploy:hunter2@127.0.0.1:1"}`
	if err := os.WriteFile(filepath.Join(dir, "logins", "livestorm.json"), []byte(meta), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"livestorm"}, {"livestorm", "--json"}} {
		r := onair(t, env, append([]string{"token"}, args...)...)
		if r.code != 0 || strings.Contains(r.stdout+r.stderr, "hunter2") || !strings.Contains(r.stdout, "127.0.0.1:1") {
			t.Errorf("onair token %v with a password in the login's base URL: want it shown without the password; got\n%s", args, r)
		}
	}
}
