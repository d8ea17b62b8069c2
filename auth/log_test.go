package auth_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/internal/leaktest"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

const (
	logAccess  = "at.Kz3+Lx5/Mv7=Nb9~Pc"
	logRefresh = "rt/Gq2+Hw4=Jy6.Kc8~Lv"
	logID      = "eyJ.id/Vj2+Wk4=Xl6~Ym"
)

func logToken() *oauth2.Token {
	return (&oauth2.Token{AccessToken: logAccess, RefreshToken: logRefresh, TokenType: "Bearer", Expiry: time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC)}).
		WithExtra(map[string]any{"scope": "identity:read", "id_token": logID})
}

// logBoth logs args through a text and a JSON handler with opts.
func logBoth(opts *slog.HandlerOptions, args ...any) string {
	var out bytes.Buffer
	slog.New(slog.NewTextHandler(&out, opts)).Info("logged", args...)
	slog.New(slog.NewJSONHandler(&out, opts)).Info("logged", args...)
	return out.String()
}

func findTokens(out string) []string {
	var found []string
	for name, s := range map[string]string{"access token": logAccess, "refresh token": logRefresh, "id token": logID} {
		if form, ok := leaktest.Find(out, s); ok {
			found = append(found, name+" ("+form+")")
		}
	}
	return found
}

// ReplaceAttr logs an oauth2.Token, by pointer or value, as Redacted does,
// and blanks strings under secrets' names; without it slog shows them.
func TestReplaceAttr(t *testing.T) {
	tok := logToken()
	args := []any{"tok", tok, "value", *tok, "refresh_token", logRefresh, "accessToken", logAccess, slog.Group("g", "tok", tok),
		"client_secret", []byte(logRefresh), "password", http.Header{"X": {logAccess}}}
	if found := findTokens(logBoth(nil, args...)); len(found) == 0 {
		t.Fatal("without ReplaceAttr slog shows no token: the test proves nothing")
	}
	out := logBoth(&slog.HandlerOptions{ReplaceAttr: auth.ReplaceAttr}, args...)
	if found := findTokens(out); len(found) > 0 {
		t.Errorf("with ReplaceAttr the log shows %v:\n%s", found, out)
	}
	for _, want := range []string{`tok.type=Bearer tok.expiry=2030-01-02T03:04:05.000Z tok.scope=identity:read tok.refresh_token=true`, `g.tok.type=Bearer`, `refresh_token=[redacted]`, `client_secret=[redacted]`, `password=[redacted]`, `"value":{"type":"Bearer"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

// A token source onair returns, and the errors of this package that hold
// an answer, print and log without a token.
func TestLogValuers(t *testing.T) {
	cfg := &auth.Config[scopes.Livestorm]{ClientID: "id", ClientSecret: "cs/9Kx+Qz=Vw~Lm.42Rb", Endpoint: livestorm.Endpoint}
	src := cfg.TokenSource(context.Background(), logToken(), auth.WithStore(auth.NewMemoryStore(), "user-1"))
	values := []any{
		src,
		&auth.InsufficientScopeError{StatusCode: 403, Scope: []string{"events:write"}, Description: "access_token=" + logAccess,
			Header: http.Header{"Www-Authenticate": {"Bearer token=" + logAccess}}, Body: []byte(`{"token":"` + logAccess + `"}`)},
		&auth.Error{StatusCode: 400, Code: "invalid_grant", Description: "refresh token expired"},
		&auth.ReauthorizeError{Provider: "livestorm", Key: "user-1", Reason: auth.ReasonInvalidGrant, Err: &auth.Error{StatusCode: 400, Code: "invalid_grant"}},
	}
	for _, v := range values {
		out := logBoth(nil, "v", v) + fmt.Sprintf("%v %+v %#v %s", v, v, v, v)
		if found := findTokens(out); len(found) > 0 {
			t.Errorf("%T shows %v:\n%s", v, found, out)
		}
	}
	out := logBoth(nil, "src", src)
	for _, want := range []string{"src.provider=livestorm", "src.key=user-1", "src.token.scope=identity:read", `"src":{"provider":"livestorm"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log of the source lacks %q:\n%s", want, out)
		}
	}
	if got, want := fmt.Sprint(src), `auth: livestorm token source for key "user-1"`; got != want {
		t.Errorf("source prints %q, want %q", got, want)
	}
	out = logBoth(nil, "err", values[3])
	for _, want := range []string{"err.reason=invalid_grant", "err.key=user-1", `"reason":"invalid_grant"`} {
		if !strings.Contains(out, want) {
			t.Errorf("log of the ReauthorizeError lacks %q:\n%s", want, out)
		}
	}
}

// A source with WithLogger logs, at debug level, its token request's
// exchange, its wait for the store's lock and the refresh itself.
func TestWithLogger(t *testing.T) {
	f := authserver.Start(streamdivertest.Dialect(), streamdiver.Endpoint("acme"), "http://127.0.0.1/callback")
	defer f.Close()
	cfg := &auth.Config[scopes.Streamdiver]{ClientID: f.Client.ID, ClientSecret: f.Client.Secret, Endpoint: f.Endpoint}
	var out bytes.Buffer
	l := slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tok, err := cfg.ClientCredentialsTokenSource(t.Context(), auth.WithStore(auth.NewMemoryStore(), "app"), auth.WithLogger(l)).Token()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`level=DEBUG msg="onair: HTTP exchange" method=POST url=` + regexp.QuoteMeta(f.Endpoint.TokenURL) + ` .*status=200`),
		regexp.MustCompile(`level=DEBUG msg="onair: waited for the token store's lock" key=app waited=`),
		regexp.MustCompile(`level=DEBUG msg="onair: token refreshed" provider=streamdiver grant=client_credentials key=app duration=\S+ adopted=false`),
	} {
		if !want.MatchString(out.String()) {
			t.Errorf("the log has no line matching %v:\n%s", want, out.String())
		}
	}
	for name, s := range map[string]string{"client secret": f.Client.Secret, "access token": tok.AccessToken} {
		if form, ok := leaktest.Find(out.String(), s); ok {
			t.Errorf("the log shows the %s (%s):\n%s", name, form, out.String())
		}
	}
}
