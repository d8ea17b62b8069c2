package livepushtest_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/sandbox/probe"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/scopes"
)

// TestStrict sends what Livepush refuses and expects Livepush's error.
func TestStrict(t *testing.T) {
	srv := livepushtest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	cfg := srv.Config(scopes.LivepushStreamsRead)
	code := func() string {
		u, _ := cfg.AuthCodeURL("st")
		c, err := srv.Approve(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	exchange := func(code, redirect, secret string) url.Values {
		return url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect},
			"client_id": {srv.ClientID}, "client_secret": {secret}}
	}
	used := code()
	if a := probe.Token(t, srv.Client(), "GET", srv.Endpoint.TokenURL, exchange(used, srv.RedirectURL, srv.ClientSecret), "", ""); a.Status != 200 {
		t.Fatalf("a right exchange: %+v", a)
	}
	tests := []struct {
		name   string
		method string
		form   url.Values
		want   probe.Answer
	}{
		{"POST to the GET token endpoint", "POST", exchange(code(), srv.RedirectURL, srv.ClientSecret), probe.Answer{Status: 405, Error: "invalid_request"}},
		{"wrong secret", "GET", exchange(code(), srv.RedirectURL, "wrong"), probe.Answer{Status: 401, Error: "invalid_client"}},
		{"a code used twice", "GET", exchange(used, srv.RedirectURL, srv.ClientSecret), probe.Answer{Status: 400, Error: "invalid_grant"}},
		{"another redirect URI", "GET", exchange(code(), "http://127.0.0.1/other", srv.ClientSecret), probe.Answer{Status: 400, Error: "invalid_grant"}},
		{"no grant type", "GET", url.Values{"client_id": {srv.ClientID}, "client_secret": {srv.ClientSecret}}, probe.Answer{Status: 400, Error: "invalid_request"}},
		{"client credentials", "GET", url.Values{"grant_type": {"client_credentials"}, "client_id": {srv.ClientID}, "client_secret": {srv.ClientSecret}}, probe.Answer{Status: 400, Error: "unsupported_grant_type"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := probe.Token(t, srv.Client(), tt.method, srv.Endpoint.TokenURL, tt.form, "", "")
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTokenAnswer checks Livepush's answer: token_type "access_token", an
// hour's lifetime and no scope, which onair's client must cope with.
func TestTokenAnswer(t *testing.T) {
	srv := livepushtest.NewServer()
	defer srv.Close()
	cfg := srv.Config(scopes.LivepushStreamsRead)
	u, _ := cfg.AuthCodeURL("st")
	code, err := srv.Approve(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	q := url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {srv.RedirectURL},
		"client_id": {srv.ClientID}, "client_secret": {srv.ClientSecret}}
	resp, err := srv.Client().Get(srv.Endpoint.TokenURL + "?" + q.Encode())
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	if body["token_type"] != "access_token" || body["expires_in"] != 3600.0 || body["scope"] != nil || body["refresh_token"] == nil {
		t.Errorf("answer %v: want token_type access_token, expires_in 3600, a refresh token and no scope", body)
	}
}

// TestAuthorize checks the authorization endpoint's refusals: an
// unregistered redirect URI gets no redirect at all; a bad scope is sent
// back to the client with its state.
func TestAuthorize(t *testing.T) {
	srv := livepushtest.NewServer(livepushtest.WithAutoApprove())
	defer srv.Close()
	base := url.Values{"response_type": {"code"}, "client_id": {srv.ClientID}, "redirect_uri": {srv.RedirectURL}, "state": {"s1"}, "scope": {"streams.read"}}
	with := func(k, v string) string {
		q := url.Values{}
		for kk, vv := range base {
			q[kk] = vv
		}
		q.Set(k, v)
		return srv.Endpoint.AuthURL + "?" + q.Encode()
	}
	tests := []struct {
		name       string
		url        string
		wantStatus int
		want       url.Values
	}{
		{"approved", with("state", "s1"), http.StatusFound, url.Values{"state": {"s1"}}},
		{"unregistered redirect", with("redirect_uri", "https://evil.example/cb"), http.StatusBadRequest, nil},
		{"unknown client", with("client_id", "nobody"), http.StatusBadRequest, nil},
		{"unknown scope", with("scope", "streams.read,nope"), http.StatusFound, url.Values{"error": {"invalid_scope"}, "state": {"s1"}}},
		{"space-separated scopes", with("scope", "streams.read streams.create"), http.StatusFound, url.Values{"error": {"invalid_scope"}, "state": {"s1"}}},
		{"no scope", with("scope", ""), http.StatusFound, url.Values{"error": {"invalid_scope"}, "state": {"s1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, q := probe.Redirect(t, srv.Client(), tt.url)
			if status != tt.wantStatus {
				t.Fatalf("status %d, want %d", status, tt.wantStatus)
			}
			got := url.Values{}
			for k := range tt.want {
				got[k] = q[k]
			}
			if diff := cmp.Diff(tt.want, got, cmpEmpty); diff != "" {
				t.Errorf("redirect query (-want +got):\n%s", diff)
			}
			if tt.name == "approved" && q.Get("code") == "" {
				t.Error("no code in the approval")
			}
		})
	}
}

var cmpEmpty = cmp.Comparer(func(a, b url.Values) bool {
	return len(a) == 0 && len(b) == 0 || cmp.Equal(map[string][]string(a), map[string][]string(b))
})
