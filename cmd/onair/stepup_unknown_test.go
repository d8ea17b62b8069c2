package main

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth/filestore"
)

// TestLoginForKeepsUndocumentedGrantedScope steps up a login that was
// granted a scope onair does not document: onair cannot ask for it again,
// so rather than a new login that silently loses it, login --for refuses,
// names the scope and says what to do, and the stored login stays.
func TestLoginForKeepsUndocumentedGrantedScope(t *testing.T) {
	env := environ(t)
	st, err := filestore.Open(filepath.Join(configDir(t, env), "tokens"))
	if err != nil {
		t.Fatal(err)
	}
	tok := (&oauth2.Token{AccessToken: "a", RefreshToken: "r", TokenType: "Bearer"}).
		WithExtra(map[string]any{"scope": "identity:read admin:beta"})
	if err := st.Save(context.Background(), "livestorm-sandbox", tok); err != nil {
		t.Fatal(err)
	}
	// The timeout ends a login that wrongly starts: it fails otherwise.
	r := onair(t, env, "login", "livestorm", "--sandbox", "--no-browser", "--timeout", "1ns", "--for", "Events.List")
	want := `onair login: --for: the stored Livestorm login was granted admin:beta, which onair does not document and so cannot ask for again: ` +
		`to log in without admin:beta, run "onair login livestorm --sandbox" with --scope naming the scopes you need` + "\n"
	if r.code != 1 || r.stderr != want || authURLPattern.MatchString(r.stdout) {
		t.Errorf("login --for with admin:beta granted: want exit 1, no authorization and %q; got\n%s", want, r)
	}
	v := tokenJSON(t, env, "livestorm", "--sandbox")
	if diff := cmp.Diff([]string{"identity:read", "admin:beta"}, v.Scopes); diff != "" {
		t.Errorf("the stored login's scopes changed (-want +got):\n%s", diff)
	}
}
