package authserver

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/onair-go/onair/auth"
)

// Fake is a Server on a loopback httptest server, at the paths the provider
// uses, with one registered client.
type Fake struct {
	*Server
	HTTP     *httptest.Server
	Endpoint auth.Endpoint // the provider's Endpoint pointed at the fake
	Client   Client
	// APIURL answers 200 with the token's scopes to a request Protect
	// accepts; it needs no scope.
	APIURL string
}

// Start serves d at the paths of real (the provider's Endpoint), with a
// client whose redirect URI is redirectURI, approving consent at once.
func Start(d Dialect, real auth.Endpoint, redirectURI string) *Fake {
	c := Client{ID: "client-" + d.Name, Secret: "secret-" + newSecret(), Name: "onair test app", RedirectURIs: []string{redirectURI}}
	s := New(d, c)
	s.SetAutoApprove(true)
	mux := http.NewServeMux()
	s.Mount(mux, real)
	mux.Handle("/api/check", s.Protect(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, strings.Join(GrantedScope(r.Context()), " "))
	})))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, fmt.Sprintf("%s fake: no route for %s %s", d.Name, r.Method, r.URL.Path), http.StatusNotFound)
	})
	hs := httptest.NewServer(mux)
	return &Fake{Server: s, HTTP: hs, Endpoint: Rebase(real, hs.URL), Client: c, APIURL: hs.URL + "/api/check"}
}

// Mount serves the authorization, token and revocation endpoints on mux
// at the paths of real, the provider's Endpoint.
func (s *Server) Mount(mux *http.ServeMux, real auth.Endpoint) {
	for u, h := range map[string]http.HandlerFunc{real.AuthURL: s.Authorize, real.TokenURL: s.Token, real.RevokeURL: s.Revocation} {
		if u != "" {
			mux.HandleFunc(path(u), h)
		}
	}
}

// Rebase returns real with its URLs moved to base (scheme and host, no
// trailing slash), keeping their paths: the Endpoint of a server that
// Mount serves.
func Rebase(real auth.Endpoint, base string) auth.Endpoint {
	for _, u := range []*string{&real.AuthURL, &real.TokenURL, &real.RevokeURL} {
		if *u != "" {
			*u = base + path(*u)
		}
	}
	return real
}

// Close shuts the HTTP server down.
func (f *Fake) Close() { f.HTTP.Close() }

func path(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "/"
	}
	return u.EscapedPath()
}
