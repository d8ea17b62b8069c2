package apiclient

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/scopes"
)

// A client built from Provider.Config sends the token in the scheme its
// Endpoint says, over a token source that says nothing of it.
func TestProviderSchemeFromEndpoint(t *testing.T) {
	tests := []struct {
		name string
		bare bool
		want string
	}{
		{"Bearer", false, "Bearer tok"},
		{"bare", true, "tok"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sent := make(chan string, 1)
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				sent <- r.Header.Get("Authorization")
			}))
			defer srv.Close()
			p := Provider{Endpoint: auth.Endpoint{Name: "p", BareToken: tc.bare}, DecodeError: decodeAny}
			c, err := New[scopes.Livepush](p.Config(grantedSource(""), srv.URL+"/"))
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/x", nil)
			if err := c.Do(context.Background(), &Op[scopes.Livepush]{Name: "X.Get"}, req, nil, nil); err != nil {
				t.Fatal(err)
			}
			if got := <-sent; got != tc.want {
				t.Errorf("Authorization = %q, want %q", got, tc.want)
			}
		})
	}
}

// Everything a Provider holds reaches the client: its name in errors, its
// error decoder, its rate limits, and its Configure, which runs before the
// options so that an option can undo it.
func TestProviderConfig(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Limit", "5")
		http.Error(w, "no", http.StatusNotFound)
	}))
	defer srv.Close()
	var wrapped []string
	wrap := func(name string) func(http.RoundTripper) http.RoundTripper {
		return func(rt http.RoundTripper) http.RoundTripper {
			return roundTripFunc(func(r *http.Request) (*http.Response, error) {
				wrapped = append(wrapped, name)
				return rt.RoundTrip(r)
			})
		}
	}
	errDecoded := errors.New("decoded")
	p := Provider{
		Endpoint:    auth.Endpoint{Name: "someprovider"},
		DecodeError: func(base onair.APIError, body []byte) error { return errDecoded },
		RateLimits: func(h http.Header) []onair.RateLimit {
			return []onair.RateLimit{{Window: "second", Limit: len(h.Get("X-Limit"))}}
		},
		Configure: func(cfg *Config) { cfg.Wrap = wrap("provider") },
	}
	for _, tc := range []struct {
		name   string
		option func(*Config)
		want   []string
	}{
		{"Configure", func(*Config) {}, []string{"provider"}},
		{"an option after it", func(cfg *Config) { cfg.Wrap = wrap("option") }, []string{"option"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wrapped = nil
			cfg := p.Config(grantedSource(""), srv.URL+"/")
			tc.option(&cfg)
			c, err := New[scopes.Livepush](cfg)
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest(http.MethodGet, srv.URL+"/x", nil)
			var res onair.Response
			err = c.Do(context.Background(), &Op[scopes.Livepush]{Name: "X.Get"}, req, nil, []onair.CallOption{onair.WithResponse(&res)})
			if !errors.Is(err, errDecoded) || !strings.HasPrefix(err.Error(), "someprovider: X.Get: ") {
				t.Errorf("err = %v, want the provider's decoded error, named by its Endpoint", err)
			}
			if d := cmp.Diff([]onair.RateLimit{{Window: "second", Limit: 1}}, res.RateLimits); d != "" {
				t.Errorf("RateLimits (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.want, wrapped); d != "" {
				t.Errorf("transports wrapped (-want +got):\n%s", d)
			}
		})
	}
}

func decodeAny(base onair.APIError, body []byte) error { return errors.New(base.Error()) }
