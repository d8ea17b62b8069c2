package providers_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/providers"
)

func TestLookup(t *testing.T) {
	var names []string
	for _, p := range providers.All() {
		names = append(names, p.Name())
		for _, name := range []string{p.Name(), strings.ToUpper(p.Name()), p.Title()} {
			got, ok := providers.Lookup(name)
			if !ok || got.Name() != p.Name() {
				t.Errorf("Lookup(%q) = %v, %v; want %s", name, got, ok, p.Name())
			}
		}
		if e := p.Endpoint("acme"); e.Name != p.Name() {
			t.Errorf("%s: its Endpoint is named %q", p.Name(), e.Name)
		}
	}
	if d := cmp.Diff([]string{"livepush", "livestorm", "streamdiver", "dlive"}, names); d != "" {
		t.Errorf("All, in the README's order (-want +got):\n%s", d)
	}
	if p, ok := providers.Lookup("twitch"); ok {
		t.Errorf("Lookup(twitch) = %s", p.Name())
	}
}

var noFollow = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// Every sandbox starts with the common options, and each option reaches
// it: an extra redirect URL is registered, approval is automatic, and a
// provider with tenants serves the one asked for.
func TestStartSandbox(t *testing.T) {
	const redirect = "https://app.example/callback"
	for _, p := range providers.All() {
		t.Run(p.Name(), func(t *testing.T) {
			s, err := p.StartSandbox(providers.SandboxOptions{AutoApprove: true, RedirectURLs: []string{redirect}, AppName: "registry test", Tenant: "acme"})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if s.ClientID == "" || s.ClientSecret == "" || !strings.HasPrefix(s.Endpoint.TokenURL, s.URL+"/") {
				t.Errorf("sandbox at %s: client %q, token URL %q", s.URL, s.ClientID, s.Endpoint.TokenURL)
			}
			if p.NeedsTenant() {
				if s.Tenant != "acme" || !strings.Contains(s.Endpoint.TokenURL, "/acme/") {
					t.Errorf("tenant %q, token URL %q; want acme's", s.Tenant, s.Endpoint.TokenURL)
				}
			} else if s.Tenant != "" {
				t.Errorf("tenant %q for a provider without tenants", s.Tenant)
			}
			if !p.CodeFlow() {
				return
			}
			cl, err := p.Client(providers.ClientConfig{ClientID: s.ClientID, ClientSecret: s.ClientSecret, RedirectURL: redirect, Scopes: p.DefaultScopes(), Endpoint: s.Endpoint})
			if err != nil {
				t.Fatal(err)
			}
			authURL, err := cl.AuthCodeURL("st")
			if err != nil {
				t.Fatal(err)
			}
			res, err := noFollow.Get(authURL)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			loc, _ := url.Parse(res.Header.Get("Location"))
			if res.StatusCode != http.StatusFound || !strings.HasPrefix(loc.String(), redirect+"?") || loc.Query().Get("code") == "" {
				t.Errorf("authorization: %d to %q; want an approval at once, redirected to %s with a code", res.StatusCode, loc, redirect)
			}
		})
	}
}

// Each sandbox's dialect says what its provider's Endpoint and scopes say.
func TestDialectFollowsEndpoint(t *testing.T) {
	for _, p := range providers.All() {
		t.Run(p.Name(), func(t *testing.T) {
			d, e := p.Dialect(), p.Endpoint("acme")
			type rules struct {
				Name, TokenMethod string
				ClientAuth        int
				Code, Credentials bool
				Bare              bool
				Scopes            []string
			}
			var documented []string
			for _, s := range p.ScopeDocs() {
				documented = append(documented, s.Scope)
			}
			want := rules{p.Name(), e.TokenMethod, int(e.AuthStyle), p.CodeFlow(), e.ClientCredentials, e.BareToken, documented}
			got := rules{d.Name, d.TokenMethod, int(d.ClientAuth), d.AuthorizationCode, d.ClientCredentials, d.BareToken, d.Scopes}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("(-endpoint +dialect):\n%s", diff)
			}
		})
	}
}
