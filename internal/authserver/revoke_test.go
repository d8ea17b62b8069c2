package authserver

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// tokenPair starts a fake with a revocation
// endpoint) and returns an access and a refresh token of one grant.
func tokenPair(t *testing.T) (f *Fake, access, refresh string) {
	t.Helper()
	f = startFor(formDialect())
	t.Cleanup(f.Close)
	c := authCode(t, f, url.Values{"scope": {"events:read"}})
	a := post(t, f, url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {cb},
		"client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}, false)
	access, _ = a.body["access_token"].(string)
	refresh, _ = a.body["refresh_token"].(string)
	if access == "" || refresh == "" {
		t.Fatalf("exchange answered %v", a)
	}
	return f, access, refresh
}

func revoke(t *testing.T, f *Fake, form url.Values) int {
	t.Helper()
	res, err := http.PostForm(f.Endpoint.RevokeURL, form)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

// After a revocation, what the fake says to the grant's tokens.
type afterRevocation struct {
	Status       int    // of the revocation request
	RefreshError string // the token endpoint's error for the refresh token; "" if it refreshes
	AccessLive   bool   // the access token is still accepted
}

func TestRevocation(t *testing.T) {
	for _, tc := range []struct {
		name string
		form func(f *Fake, access, refresh string) url.Values
		want afterRevocation
	}{
		{"refresh token takes its pair", func(f *Fake, _, refresh string) url.Values {
			return url.Values{"token": {refresh}, "token_type_hint": {"refresh_token"}, "client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}
		}, afterRevocation{Status: 200, RefreshError: "invalid_grant"}},
		{"access token alone", func(f *Fake, access, _ string) url.Values {
			return url.Values{"token": {access}, "token_type_hint": {"access_token"}, "client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}
		}, afterRevocation{Status: 200}},
		{"unknown token is no error", func(f *Fake, _, _ string) url.Values {
			return url.Values{"token": {"never-issued"}, "client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}
		}, afterRevocation{Status: 200, AccessLive: true}},
		{"wrong client secret", func(f *Fake, _, refresh string) url.Values {
			return url.Values{"token": {refresh}, "client_id": {f.Client.ID}, "client_secret": {"wrong"}}
		}, afterRevocation{Status: 401, AccessLive: true}},
		{"another client's token", func(f *Fake, _, refresh string) url.Values {
			f.Server.mu.Lock()
			f.Server.clients["other"] = Client{ID: "other", Secret: "other-secret"}
			f.Server.mu.Unlock()
			return url.Values{"token": {refresh}, "client_id": {"other"}, "client_secret": {"other-secret"}}
		}, afterRevocation{Status: 400, AccessLive: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, access, refresh := tokenPair(t)
			var got afterRevocation
			got.Status = revoke(t, f, tc.form(f, access, refresh))
			req, _ := http.NewRequest(http.MethodGet, f.APIURL, nil)
			req.Header.Set("Authorization", "Bearer "+access)
			got.AccessLive = do(t, req).status == http.StatusOK
			a := post(t, f, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh},
				"client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}, false)
			got.RefreshError, _ = a.body["error"].(string)
			if d := cmp.Diff(tc.want, got); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

// A dialect whose provider has no RevokeURL serves no revocation
// endpoint; refresh tokens expire when told to, and Keycloak answers
// state their lifetime.
func TestRefreshLifetime(t *testing.T) {
	if endpointOf(basicDialect()).RevokeURL != "" {
		t.Fatal("the made-up basicco has a RevokeURL; the test needs one without")
	}
	f := startFor(basicDialect())
	defer f.Close()
	f.SetRefreshLifetime(time.Nanosecond) // expired by the time it is used
	c := authCode(t, f, url.Values{"scope": {"identity"}})
	a := post(t, f, url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {cb}}, true)
	rt, _ := a.body["refresh_token"].(string)
	r := post(t, f, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {rt}}, true)
	if r.body["error"] != "invalid_grant" || !strings.Contains(r.body["error_description"].(string), "expired") {
		t.Errorf("refresh with an expired refresh token: %v, want invalid_grant saying it expired", r)
	}

	d := realmDialect()
	d.AuthorizationCode, d.RefreshTokens, d.RefreshLifetime = true, true, 30*time.Minute
	k := Start(d, formEndpoint(), cb) // any paths with an authorization endpoint
	defer k.Close()
	c = authCode(t, k, nil)
	a = post(t, k, url.Values{"grant_type": {"authorization_code"}, "code": {c}, "redirect_uri": {cb},
		"client_id": {k.Client.ID}, "client_secret": {k.Client.Secret}}, false)
	if a.body["refresh_expires_in"] != 1800.0 {
		t.Errorf("Keycloak answer: refresh_expires_in = %v, want 1800", a.body["refresh_expires_in"])
	}
}

// A revocation that names its token twice is refused, and revokes
// nothing.
func TestRevocationRefusesRepeatedParameters(t *testing.T) {
	f, access, refresh := tokenPair(t)
	status := revoke(t, f, url.Values{"token": {refresh, access}, "client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}})
	if status != http.StatusBadRequest {
		t.Errorf("revocation answered %d, want 400", status)
	}
	if a := post(t, f, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {refresh},
		"client_id": {f.Client.ID}, "client_secret": {f.Client.Secret}}, false); a.status != http.StatusOK {
		t.Errorf("after a refused revocation the refresh answered %v, want 200", a)
	}
}
