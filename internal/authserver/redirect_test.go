package authserver

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRedirectMatching sends authorization requests with redirect URIs
// near the registered ones: a loopback IP's port may vary (RFC 8252 §7.3),
// and nothing else may.
func TestRedirectMatching(t *testing.T) {
	registered := []string{"http://127.0.0.1/callback", "http://[::1]:8080/cb?app=1", "https://app.example/cb"}
	tests := []struct {
		redirect string
		allowed  bool
	}{
		{"http://127.0.0.1/callback", true},
		{"http://127.0.0.1:49152/callback", true},
		{"http://127.0.0.1:1/callback", true},
		{"http://[::1]:8080/cb?app=1", true},
		{"http://[::1]:50000/cb?app=1", true},
		{"http://[::1]/cb?app=1", true},
		{"https://app.example/cb", true},

		{"https://app.example:8443/cb", false},         // not loopback: exact
		{"http://127.0.0.1:49152/callback/", false},    // path
		{"http://127.0.0.1:49152/Callback", false},     // path, case
		{"http://127.0.0.1:49152/callback?x=1", false}, // query
		{"http://127.0.0.1:49152/callback?", false},    // an empty query is still one
		{"http://127.0.0.1:49152/callback#f", false},   // fragment
		{"http://u@127.0.0.1:49152/callback", false},   // credentials
		{"https://127.0.0.1:49152/callback", false},    // scheme
		{"http://localhost:49152/callback", false},     // a name, not the IP (§8.3)
		{"http://127.0.0.2:49152/callback", false},     // another loopback IP
		{"http://[::1]:50000/callback", false},         // the other family's path
		{"http://127.0.0.1.evil.example/callback", false},
		{"http://127.0.0.1:49152@evil.example/callback", false},
		{"http://[::1]:50000/cb?app=2", false},
		{"", false},
	}
	c := Client{ID: "app", Secret: "secret", Name: "app", RedirectURIs: registered}
	s := New(formDialect(), c)
	s.SetAutoApprove(true)
	mux := http.NewServeMux()
	s.Mount(mux, formEndpoint())
	hs := httptest.NewServer(mux)
	defer hs.Close()
	authURL := Rebase(formEndpoint(), hs.URL).AuthURL

	var got, want []string
	for _, tt := range tests {
		q := url.Values{"client_id": {c.ID}, "redirect_uri": {tt.redirect}, "response_type": {"code"},
			"scope": {"events:read"}, "state": {"s"}}
		res, err := noFollow.Get(authURL + "?" + q.Encode())
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		loc := res.Header.Get("Location")
		allowed := res.StatusCode == http.StatusFound && strings.HasPrefix(loc, tt.redirect+sep(tt.redirect)+"code=")
		if !allowed && res.StatusCode != http.StatusBadRequest {
			t.Errorf("%q: status %d, Location %q; want 302 to it or 400", tt.redirect, res.StatusCode, loc)
		}
		got = append(got, outcome(tt.redirect, allowed))
		want = append(want, outcome(tt.redirect, tt.allowed))
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("redirect URIs accepted (-want +got):\n%s", d)
	}
}

func outcome(redirect string, allowed bool) string {
	if allowed {
		return "allowed " + redirect
	}
	return "refused " + redirect
}
