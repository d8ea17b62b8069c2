package auth

import (
	"errors"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

// redirected builds the request net/http makes for a redirect from the
// chain of URLs before it.
func redirected(to string, chain ...string) *http.Request {
	var prev *http.Request
	for _, u := range chain {
		r, _ := http.NewRequest(http.MethodGet, u, nil)
		if prev != nil {
			r.Response = &http.Response{Request: prev}
		}
		prev = r
	}
	r, _ := http.NewRequest(http.MethodGet, to, nil)
	if prev != nil {
		r.Response = &http.Response{Request: prev}
	}
	return r
}

func TestTransportAllowed(t *testing.T) {
	brokenChain := redirected("https://other.example/x")
	brokenChain.Response = &http.Response{} // a Base that left Request unset

	for _, tc := range []struct {
		name  string
		hosts []string
		req   *http.Request
		want  bool
	}{
		{"first request", nil, redirected("https://api.example/v1"), true},
		{"same host redirect", nil, redirected("https://api.example/b", "https://api.example/a"), true},
		{"other host redirect", nil, redirected("https://cdn.example/b", "https://api.example/a"), false},
		{"back home after a detour", nil, redirected("https://api.example/c", "https://api.example/a", "https://cdn.example/b"), true},
		{"https to http, same host", nil, redirected("http://api.example/b", "https://api.example/a"), false},
		{"other port", nil, redirected("https://api.example:8443/b", "https://api.example/a"), false},
		{"chain that cannot be followed", nil, brokenChain, false},
		{"listed host, any port", []string{"api.example"}, redirected("https://api.example:8443/x"), true},
		{"listed host:port, other port", []string{"api.example:443"}, redirected("https://api.example:8443/x"), false},
		{"unlisted host", []string{"api.example"}, redirected("https://cdn.example/x"), false},
		{"listed redirect target", []string{"api.example", "cdn.example"}, redirected("https://cdn.example/b", "https://api.example/a"), true},
		{"ipv6 with port, listed bare", []string{"::1"}, redirected("http://[::1]:8080/x"), true},
		{"ipv6 with port, listed in brackets", []string{"[::1]"}, redirected("http://[::1]:8080/x"), true},
		{"ipv6 listed with port", []string{"[::1]:8080"}, redirected("http://[::1]:8080/x"), true},
		{"ipv6 other port", []string{"[::1]:9090"}, redirected("http://[::1]:8080/x"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tr := &Transport{Hosts: tc.hosts}
			if got := tr.allowed(tc.req); got != tc.want {
				t.Errorf("allowed = %v, want %v", got, tc.want)
			}
		})
	}
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

// RoundTrip must close the request body on every path it does not send.
func TestTransportClosesBodyOnErrors(t *testing.T) {
	failing := oauth2.TokenSource(tokenSourceFunc(func() (*oauth2.Token, error) { return nil, errors.New("no token") }))
	valid := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "t", Expiry: time.Now().Add(time.Hour)})
	for _, tc := range []struct {
		name string
		tr   *Transport
		url  string
	}{
		{"nil source", &Transport{}, "https://api.example/"},
		{"plain http", &Transport{Source: valid}, "http://api.example/"},
		{"token error", &Transport{Source: failing}, "https://api.example/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := &closeRecorder{Reader: strings.NewReader("x")}
			req := &http.Request{Method: http.MethodPost, URL: mustURL(tc.url), Header: http.Header{}, Body: body}
			if _, err := tc.tr.RoundTrip(req); err == nil {
				t.Fatal("no error")
			}
			if !body.closed {
				t.Error("request body not closed")
			}
		})
	}
}

func TestTransportPlainHTTPLoopback(t *testing.T) {
	for _, host := range []string{"127.0.0.1:8080", "[::1]:8080", "localhost:8080", "127.9.9.9"} {
		if !isLoopback(mustURL("http://" + host).Hostname()) {
			t.Errorf("%s is not taken for loopback", host)
		}
	}
	for _, host := range []string{"10.0.0.1", "example.com", "[::2]", "localhost.example.com"} {
		if isLoopback(mustURL("http://" + host).Hostname()) {
			t.Errorf("%s is taken for loopback", host)
		}
	}
}

type tokenSourceFunc func() (*oauth2.Token, error)

func (f tokenSourceFunc) Token() (*oauth2.Token, error) { return f() }

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
