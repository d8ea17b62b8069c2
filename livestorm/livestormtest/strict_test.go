package livestormtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/sandbox/probe"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// TestStrict sends what Livestorm's Doorkeeper refuses and expects its
// error: PKCE is checked, credentials belong in the body, codes are single
// use.
func TestStrict(t *testing.T) {
	srv := livestormtest.NewServer()
	defer srv.Close()
	cfg := srv.Config(scopes.LivestormEventsRead)
	verifier := oauth2.GenerateVerifier()
	code := func() string {
		u, _ := cfg.AuthCodeURL("st", oauth2.S256ChallengeOption(verifier))
		c, err := srv.Approve(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	exchange := func(code, verifier string) url.Values {
		f := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {srv.RedirectURL},
			"client_id": {srv.ClientID}, "client_secret": {srv.ClientSecret}}
		if verifier != "" {
			f.Set("code_verifier", verifier)
		}
		return f
	}
	used := code()
	if a := probe.Token(t, srv.Client(), "POST", srv.Endpoint.TokenURL, exchange(used, verifier), "", ""); a.Status != 200 {
		t.Fatalf("a right exchange: %+v", a)
	}
	tests := []struct {
		name       string
		method     string
		form       url.Values
		user, pass string
		want       probe.Answer
	}{
		{name: "missing PKCE verifier", method: "POST", form: exchange(code(), ""), want: probe.Answer{Status: 400, Error: "invalid_request"}},
		{name: "wrong PKCE verifier", method: "POST", form: exchange(code(), oauth2.GenerateVerifier()), want: probe.Answer{Status: 400, Error: "invalid_grant"}},
		{name: "a code used twice", method: "POST", form: exchange(used, verifier), want: probe.Answer{Status: 400, Error: "invalid_grant"}},
		{name: "GET token request", method: "GET", form: exchange(code(), verifier), want: probe.Answer{Status: 405, Error: "invalid_request"}},
		{name: "HTTP Basic credentials", method: "POST", form: url.Values{"grant_type": {"authorization_code"}, "code": {code()}, "redirect_uri": {srv.RedirectURL}, "code_verifier": {verifier}},
			user: srv.ClientID, pass: srv.ClientSecret, want: probe.Answer{Status: 400, Error: "invalid_request"}},
		{name: "wrong secret", method: "POST", form: url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}, "client_id": {srv.ClientID}, "client_secret": {"nope"}},
			want: probe.Answer{Status: 401, Error: "invalid_client"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := probe.Token(t, srv.Client(), tt.method, srv.Endpoint.TokenURL, tt.form, tt.user, tt.pass)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

// TestFullWriteStandsAlone: full:write with any other scope is refused at
// the authorization endpoint, with the state echoed.
func TestFullWriteStandsAlone(t *testing.T) {
	srv := livestormtest.NewServer(livestormtest.WithAutoApprove())
	defer srv.Close()
	q := url.Values{"response_type": {"code"}, "client_id": {srv.ClientID}, "redirect_uri": {srv.RedirectURL},
		"state": {"s9"}, "scope": {"full:write events:read"}}
	_, got := probe.Redirect(t, srv.Client(), srv.Endpoint.AuthURL+"?"+q.Encode())
	if got.Get("error") != "invalid_scope" || got.Get("state") != "s9" {
		t.Errorf("redirect query %v, want error=invalid_scope and state=s9", got)
	}
}

// TestTokenAnswer checks Doorkeeper's answer: two-hour tokens, created_at,
// the granted scope.
func TestTokenAnswer(t *testing.T) {
	srv := livestormtest.NewServer()
	defer srv.Close()
	cfg := srv.Config(scopes.LivestormEventsRead, scopes.LivestormIdentityRead)
	u, _ := cfg.AuthCodeURL("st")
	code, err := srv.Approve(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	form := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {srv.RedirectURL},
		"client_id": {srv.ClientID}, "client_secret": {srv.ClientSecret}}
	resp, err := srv.Client().PostForm(srv.Endpoint.TokenURL, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	if body["expires_in"] != 7200.0 || body["created_at"] == nil || body["scope"] != "events:read identity:read" || body["token_type"] != "Bearer" {
		t.Errorf("answer %v: want expires_in 7200, created_at, scope \"events:read identity:read\", token_type Bearer", body)
	}
}

// TestRateLimit makes six requests with one token within a second: the
// sixth gets 429 with Retry-After, and every answer has the RateLimit-*
// headers.
func TestRateLimit(t *testing.T) {
	srv := livestormtest.NewServer()
	defer srv.Close()
	tok := srv.IssueToken(scopes.LivestormIdentityRead).AccessToken
	type answer struct {
		Status              int
		Interval, Remain    string
		RetryAfter, Monthly string
	}
	var got []answer
	for range 6 {
		req, _ := http.NewRequest("GET", srv.URL+"/ping", nil)
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		h := resp.Header
		got = append(got, answer{resp.StatusCode, h.Get("RateLimit-Interval-Limit"), h.Get("RateLimit-Interval-Remaining"), h.Get("Retry-After"), h.Get("RateLimit-Monthly-Limit")})
	}
	want := []answer{
		{204, "5", "4", "", "10000"}, {204, "5", "3", "", "10000"}, {204, "5", "2", "", "10000"},
		{204, "5", "1", "", "10000"}, {204, "5", "0", "", "10000"}, {429, "5", "0", "1", "10000"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers (-want +got):\n%s", diff)
	}
}
