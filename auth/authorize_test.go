package auth_test

import (
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
)

// lastRequest answers 200 and remembers the request it was given.
type lastRequest struct{ req *http.Request }

func (s *lastRequest) RoundTrip(r *http.Request) (*http.Response, error) {
	s.req = r
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
}

// Authorize sets what RoundTrip would send, only where RoundTrip would
// send a token; RoundTrip then sends the caller's request itself, and
// replaces a token that has changed since.
func TestAuthorize(t *testing.T) {
	tok := &oauth2.Token{AccessToken: "tok-123", Expiry: time.Now().Add(time.Hour)}
	for _, tc := range []struct {
		name, url string
		hosts     []string
		preset    *oauth2.Token
		wantSet   bool
		wantSame  bool   // RoundTrip sent the caller's request, not a copy
		wantSent  string // Authorization the base transport saw
	}{
		{"allowed host", "https://api.example/x", []string{"api.example"}, tok, true, true, "Bearer tok-123"},
		{"loopback http", "http://127.0.0.1:9/x", nil, tok, true, true, "Bearer tok-123"},
		{"other host", "https://evil.example/x", []string{"api.example"}, tok, false, true, ""},
		{"plain http", "http://api.example/x", []string{"api.example"}, tok, false, false, ""},
		{"stale token", "https://api.example/x", []string{"api.example"},
			&oauth2.Token{AccessToken: "old", Expiry: time.Now().Add(time.Hour)}, true, false, "Bearer tok-123"},
		{"no token", "https://api.example/x", []string{"api.example"}, nil, false, false, "Bearer tok-123"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			base := &lastRequest{}
			tr := &auth.Transport{Source: oauth2.StaticTokenSource(tok), Base: base, Hosts: tc.hosts}
			req, _ := http.NewRequest(http.MethodGet, tc.url, nil)
			if got := tr.Authorize(req, tc.preset); got != tc.wantSet {
				t.Fatalf("Authorize = %v, want %v", got, tc.wantSet)
			}
			res, err := tr.RoundTrip(req)
			if tc.name == "plain http" {
				if err == nil {
					t.Fatal("a token over plain http was sent")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if (base.req == req) != tc.wantSame {
				t.Errorf("sent the caller's request: %v, want %v", base.req == req, tc.wantSame)
			}
			if got := base.req.Header.Get("Authorization"); got != tc.wantSent {
				t.Errorf("sent Authorization %q, want %q", got, tc.wantSent)
			}
		})
	}
}
