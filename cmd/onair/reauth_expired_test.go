package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth/filestore"
	"github.com/onair-go/onair/internal/tokenrec"
)

// TestTokenWithExpiredRefreshTokenSaysAuthorizeAgain reads a stored token
// whose refresh token has expired, without --refresh: as its help says,
// "onair token" says the user must authorize again and fails, with the
// line the stored mark prints, and shows no token to use.
func TestTokenWithExpiredRefreshTokenSaysAuthorizeAgain(t *testing.T) {
	env := environ(t)
	st, err := filestore.Open(filepath.Join(configDir(t, env), "tokens"))
	if err != nil {
		t.Fatal(err)
	}
	past := time.Now().Add(-time.Hour).UTC().Truncate(time.Second)
	tok := (&oauth2.Token{AccessToken: "access-0123456789", RefreshToken: "refresh-0123456789", TokenType: "Bearer", Expiry: past}).
		WithExtra(map[string]any{"scope": "identity", tokenrec.ExtraRefreshExpiry: past})
	if err := st.Save(context.Background(), "dlive", tok); err != nil {
		t.Fatal(err)
	}
	want := `onair token: the DLive refresh token has expired: run "onair login dlive" to authorize again` + "\n"
	for _, args := range [][]string{{"dlive"}, {"dlive", "--show-secrets"}} {
		r := onair(t, env, append([]string{"token"}, args...)...)
		if r.code != 1 || r.stderr != want || strings.Contains(r.stdout, "0123456789") {
			t.Errorf("onair token %v with access and refresh tokens expired: want exit 1 and %q; got\n%s", args, want, r)
		}
	}
}
