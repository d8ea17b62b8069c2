package dlivetest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/internal/sandbox/probe"
	"github.com/onair-go/onair/scopes"
)

// login runs the code flow by hand and returns the raw token answer.
func login(t *testing.T, srv *dlivetest.Server, scope ...scopes.DLive) map[string]any {
	t.Helper()
	u, _ := srv.Config(scope...).AuthCodeURL("st")
	code, err := srv.Approve(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	return token(t, srv, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {srv.RedirectURL}})
}

func token(t *testing.T, srv *dlivetest.Server, form url.Values) map[string]any {
	t.Helper()
	req, _ := http.NewRequest("POST", srv.Endpoint.TokenURL, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(srv.ClientID, srv.ClientSecret)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	return body
}

// TestStrict sends what DLive refuses and expects DLive's error.
func TestStrict(t *testing.T) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	first := login(t, srv, scopes.DLiveIdentity, scopes.DLiveEmailRead)
	rt, _ := first["refresh_token"].(string)
	refresh := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}
	if got := token(t, srv, refresh); got["access_token"] == nil {
		t.Fatalf("the first refresh failed: %v", got["error"])
	}
	tests := []struct {
		name       string
		form       url.Values
		user, pass string
		want       probe.Answer
	}{
		{name: "a reused refresh token", form: refresh, user: srv.ClientID, pass: srv.ClientSecret, want: probe.Answer{Status: 400, Error: "invalid_grant"}},
		{name: "credentials in the body", form: url.Values{"grant_type": {"client_credentials"}, "scope": {"identity"}, "client_id": {srv.ClientID}, "client_secret": {srv.ClientSecret}},
			want: probe.Answer{Status: 401, Error: "invalid_client"}},
		{name: "wrong secret", form: url.Values{"grant_type": {"client_credentials"}, "scope": {"identity"}}, user: srv.ClientID, pass: "nope", want: probe.Answer{Status: 401, Error: "invalid_client"}},
		{name: "client credentials", form: url.Values{"grant_type": {"client_credentials"}, "scope": {"identity"}}, user: srv.ClientID, pass: srv.ClientSecret, want: probe.Answer{Status: 200}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := probe.Token(t, srv.Client(), "POST", srv.Endpoint.TokenURL, tt.form, tt.user, tt.pass)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTokenAnswer: a code answer carries a zero "expiry" and neither
// expires_in nor scope; a refresh rotates the refresh token and may narrow
// the scope to a granted subset, never widen it.
func TestTokenAnswer(t *testing.T) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	first := login(t, srv, scopes.DLiveIdentity, scopes.DLiveEmailRead)
	if first["expiry"] != "0001-01-01T00:00:00Z" || first["expires_in"] != nil || first["scope"] != nil {
		t.Errorf("code answer %v: want a zero expiry and no expires_in or scope", first)
	}
	narrowed := token(t, srv, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {first["refresh_token"].(string)}, "scope": {"identity"}})
	if narrowed["scope"] != "identity" || narrowed["refresh_token"] == first["refresh_token"] || narrowed["refresh_token"] == nil {
		t.Errorf("narrowing refresh %v: want scope identity and a new refresh token", narrowed)
	}
	widened := token(t, srv, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {narrowed["refresh_token"].(string)}, "scope": {"identity email:read"}})
	if widened["error"] != "invalid_scope" {
		t.Errorf("widening refresh %v: want invalid_scope", widened)
	}
}

// TestAPIToken: DLive's API takes the bare token; "Bearer <token>" is a
// different, unknown token.
func TestAPIToken(t *testing.T) {
	srv := dlivetest.NewServer()
	defer srv.Close()
	tok := srv.IssueToken(scopes.DLiveIdentity).AccessToken
	query := `{"query":"query { me { username } }"}`
	for _, tt := range []struct {
		header string
		want   int
	}{{tok, 200}, {"Bearer " + tok, 401}, {"", 401}} {
		req, _ := http.NewRequest("POST", srv.URL+"/", strings.NewReader(query))
		req.Header.Set("Content-Type", "application/json")
		if tt.header != "" {
			req.Header.Set("Authorization", tt.header)
		}
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tt.want {
			t.Errorf("Authorization %.12q...: status %d, want %d", tt.header, resp.StatusCode, tt.want)
		}
	}
}
