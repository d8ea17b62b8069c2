package auth_test

import (
	"fmt"
	"log/slog"
	"os"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
)

// An *oauth2.Token prints its access and refresh tokens with %v and in
// slog; Redacted keeps what is worth logging and leaves them out.
func ExampleRedacted() {
	tok := (&oauth2.Token{
		AccessToken:  "eyJhbGciOiJSUzI1NiJ9.e30.c2lnbmF0dXJl",
		RefreshToken: "def50200a1b2c3",
		Expiry:       time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC),
	}).WithExtra(map[string]any{"scope": "events:read"})

	// Leave the time out, so that the output is the same every run.
	noTime := func(groups []string, a slog.Attr) slog.Attr {
		if len(groups) == 0 && a.Key == slog.TimeKey {
			return slog.Attr{}
		}
		return a
	}
	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{ReplaceAttr: noTime}))
	logger.Info("token refreshed", "token", auth.Redacted(tok))
	fmt.Println(auth.Redacted(tok))
	// Output:
	// level=INFO msg="token refreshed" token.type=Bearer token.expiry=2026-01-02T15:04:05.000Z token.scope=events:read token.refresh_token=true
	// Bearer token, expires 2026-01-02T15:04:05Z, scope "events:read", with a refresh token
}
