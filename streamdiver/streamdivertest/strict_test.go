package streamdivertest_test

import (
	"encoding/json"
	"net/url"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/sandbox/probe"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

// TestStrict sends what Streamdiver's Keycloak realm refuses and expects
// its error: client credentials only, in the body, at the tenant's realm.
func TestStrict(t *testing.T) {
	srv := streamdivertest.NewServer(streamdivertest.WithTenant("acme"))
	defer srv.Close()
	cc := url.Values{"grant_type": {"client_credentials"}, "client_id": {srv.ClientID}, "client_secret": {srv.ClientSecret}}
	with := func(k, v string) url.Values {
		f := url.Values{}
		for kk, vv := range cc {
			f[kk] = vv
		}
		f.Set(k, v)
		return f
	}
	tests := []struct {
		name       string
		path       string
		form       url.Values
		user, pass string
		want       probe.Answer
	}{
		{name: "right", form: cc, want: probe.Answer{Status: 200}},
		{name: "authorization code", form: with("grant_type", "authorization_code"), want: probe.Answer{Status: 400, Error: "unsupported_grant_type"}},
		{name: "password grant", form: with("grant_type", "password"), want: probe.Answer{Status: 400, Error: "unsupported_grant_type"}},
		{name: "wrong secret", form: with("client_secret", "nope"), want: probe.Answer{Status: 401, Error: "invalid_client"}},
		{name: "HTTP Basic", form: url.Values{"grant_type": {"client_credentials"}}, user: srv.ClientID, pass: srv.ClientSecret, want: probe.Answer{Status: 400, Error: "invalid_request"}},
		{name: "unknown scope", form: with("scope", "streams.read"), want: probe.Answer{Status: 400, Error: "invalid_scope"}},
		{name: "another tenant's realm", path: "/realms/other/protocol/openid-connect/token", form: cc, want: probe.Answer{Status: 404, Error: ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u := srv.Endpoint.TokenURL
			if tt.path != "" {
				u = srv.URL + tt.path
			}
			got := probe.Token(t, srv.Client(), "POST", u, tt.form, tt.user, tt.pass)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
		})
	}
}

// TestTokenAnswer checks Keycloak's answer: no refresh token,
// refresh_expires_in and not-before-policy, and the realm's default
// client scopes when none is asked for.
func TestTokenAnswer(t *testing.T) {
	srv := streamdivertest.NewServer()
	defer srv.Close()
	resp, err := srv.Client().PostForm(srv.Endpoint.TokenURL, url.Values{"grant_type": {"client_credentials"}, "client_id": {srv.ClientID}, "client_secret": {srv.ClientSecret}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	json.NewDecoder(resp.Body).Decode(&body)
	delete(body, "access_token")
	want := map[string]any{"token_type": "Bearer", "expires_in": 7200.0, "refresh_expires_in": 0.0, "not-before-policy": 0.0, "scope": "email profile"}
	if diff := cmp.Diff(want, body); diff != "" {
		t.Errorf("answer (-want +got):\n%s", diff)
	}
}
