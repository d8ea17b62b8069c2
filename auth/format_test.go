package auth_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/scopes"
)

const (
	fmtSecret  = "cfg-SECRET-x1/+=z"
	fmtAccess  = "at-SECRET-9f8e7d"
	fmtRefresh = "rt-SECRET-6c5b4a"
	fmtID      = "id-SECRET-3a2b1c"
)

// printings are the ways a value reaches a terminal or a log.
func printings(v any) map[string]string {
	var text, js bytes.Buffer
	slog.New(slog.NewTextHandler(&text, nil)).Info("m", "v", v)
	slog.New(slog.NewJSONHandler(&js, nil)).Info("m", "v", v)
	return map[string]string{
		"%v": fmt.Sprintf("%v", v), "%+v": fmt.Sprintf("%+v", v), "%#v": fmt.Sprintf("%#v", v), "%s": fmt.Sprintf("%s", v),
		"slog text": text.String(), "slog JSON": js.String(),
	}
}

// The values of this package that hold secrets print and log without
// them, every way, and still say what they are.
func TestValuesPrintNoSecret(t *testing.T) {
	ls := auth.Config[scopes.Livestorm]{ClientID: "my-client", ClientSecret: fmtSecret, RedirectURL: "https://app.example/cb",
		Scopes: []scopes.Livestorm{scopes.LivestormEventsRead}, Endpoint: livestorm.Endpoint}
	dl := &auth.Config[scopes.DLive]{ClientID: "my-client", ClientSecret: fmtSecret, Endpoint: dlive.Endpoint}
	tok := (&oauth2.Token{AccessToken: fmtAccess, RefreshToken: fmtRefresh, TokenType: "Bearer",
		Expiry: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}).WithExtra(map[string]any{"scope": "events:read", "id_token": fmtID})
	store := auth.NewMemoryStore()
	if err := store.Save(context.Background(), "user-1", tok); err != nil {
		t.Fatal(err)
	}
	scopeErr := &auth.InsufficientScopeError{StatusCode: 403, Scope: []string{"events:write"}, Description: "rejected Bearer " + fmtAccess,
		Header: http.Header{"X-Echo": {"Bearer " + fmtAccess}}, Body: []byte(`{"token":"` + fmtAccess + `"}`)}
	cases := []struct {
		name string
		v    any
		want []string // what every printing still shows
		// fmtOnly: encoding/json, which slog's JSON handler uses for a
		// struct, keeps a Config's secret, as a configuration file needs.
		fmtOnly bool
	}{
		{"Config", ls, []string{"my-client", "[redacted]"}, false},
		{"*Config", &ls, []string{"my-client", "[redacted]"}, false},
		{"*Config of DLive", dl, []string{"my-client", "[redacted]"}, false},
		{"struct holding a Config", struct {
			Name string
			Cfg  auth.Config[scopes.Livestorm]
		}{"app", ls}, []string{"my-client"}, true},
		{"Redacted token", auth.Redacted(tok), []string{"Bearer", "events:read", "2026"}, false},
		{"*MemoryStore", store, []string{"1"}, false},
		{"*InsufficientScopeError", scopeErr, []string{"403"}, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for how, out := range printings(tc.v) {
				if tc.fmtOnly && strings.HasPrefix(how, "slog JSON") {
					continue
				}
				for _, s := range []string{fmtSecret, fmtAccess, fmtRefresh, fmtID} {
					if strings.Contains(out, s) {
						t.Errorf("printed with %s, it shows a secret: %s", how, out)
					}
				}
				for _, w := range tc.want {
					if !strings.Contains(out, w) {
						t.Errorf("printed with %s, it does not say %q: %s", how, w, out)
					}
				}
			}
		})
	}
}

func TestConfigPrintings(t *testing.T) {
	cfg := &auth.Config[scopes.Livestorm]{ClientID: "my-client", ClientSecret: fmtSecret, RedirectURL: "https://app.example/cb",
		Scopes: []scopes.Livestorm{scopes.LivestormEventsRead, scopes.LivestormWebhooksWrite}, Endpoint: auth.Endpoint{Name: "livestorm"}}
	var js bytes.Buffer
	slog.New(slog.NewJSONHandler(&js, &slog.HandlerOptions{ReplaceAttr: dropTime})).Info("m", "cfg", cfg)
	got := map[string]string{"String": cfg.String(), "GoString": cfg.GoString(), "slog JSON": js.String()}
	want := map[string]string{
		"String": "{ClientID:my-client ClientSecret:[redacted] RedirectURL:https://app.example/cb Scopes:[events:read webhooks:write] " +
			"Endpoint:{AuthURL: TokenURL: RevokeURL: Name:livestorm AuthStyle:0 TokenMethod: RefreshWithRedirectURL:false ClientCredentials:false " +
			"DefaultLifetime:0s RefreshLifetime:0s BareToken:false Err:<nil>}}",
		"GoString": `auth.Config[github.com/onair-go/onair/scopes.Livestorm]{ClientID:"my-client", ClientSecret:"[redacted]", ` +
			`RedirectURL:"https://app.example/cb", Scopes:[]scopes.Livestorm{"events:read", "webhooks:write"}, ` +
			`Endpoint:auth.Endpoint{AuthURL:"", TokenURL:"", RevokeURL:"", Name:"livestorm", AuthStyle:0, TokenMethod:"", RefreshWithRedirectURL:false, ` +
			`ClientCredentials:false, DefaultLifetime:0, RefreshLifetime:0, BareToken:false, Err:error(nil)}}`,
		"slog JSON": `{"level":"INFO","msg":"m","cfg":{"provider":"livestorm","client_id":"my-client","client_secret":"[redacted]",` +
			`"redirect_url":"https://app.example/cb","scopes":["events:read","webhooks:write"]}}` + "\n",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
	// No secret set shows as none, not as redacted.
	if s := (auth.Config[scopes.Livestorm]{ClientID: "pub"}).String(); !strings.Contains(s, "ClientSecret: ") {
		t.Errorf("String of a Config without a secret = %q, want an empty ClientSecret", s)
	}
}

func TestRedacted(t *testing.T) {
	exp := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	cases := []struct {
		name string
		tok  *oauth2.Token
		want auth.RedactedToken
		str  string
		json string
	}{
		{"full", (&oauth2.Token{AccessToken: "a", RefreshToken: "r", Expiry: exp}).WithExtra(map[string]any{"scope": "events:read"}),
			auth.RedactedToken{Type: "Bearer", Expiry: exp, Scope: "events:read", RefreshToken: true},
			`Bearer token, expires 2026-01-02T03:04:05Z, scope "events:read", with a refresh token`,
			`{"type":"Bearer","expiry":"2026-01-02T03:04:05Z","scope":"events:read","refresh_token":true}`},
		{"never expires", &oauth2.Token{AccessToken: "a", TokenType: "bearer"},
			auth.RedactedToken{Type: "Bearer"},
			`Bearer token, never expires, scope "", no refresh token`,
			`{"type":"Bearer","scope":"","refresh_token":false}`},
		{"nil", nil, auth.RedactedToken{}, "<nil>", `null`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := auth.Redacted(tc.tok)
			var js bytes.Buffer
			slog.New(slog.NewJSONHandler(&js, &slog.HandlerOptions{ReplaceAttr: dropTime})).Info("m", "tok", r)
			got := []any{r, r.String(), js.String()}
			want := []any{tc.want, tc.str, `{"level":"INFO","msg":"m","tok":` + tc.json + "}\n"}
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}
