package auth

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/scopes"
)

// A token's lifetime counts from when its request was sent: the server
// starts its clock no later than that, so however slow the answer, the
// client never believes a token outlives the server's idea of it.
//
// The token endpoint holds each answer for delay, so the request went out
// at least delay before the call returned: Expiry must be at most
// (return time) + lifetime - delay. That bound holds however loaded the
// machine is; counting from the answer's arrival breaks it by about delay.
func TestLifetimeCountsFromRequest(t *testing.T) {
	const delay = 100 * time.Millisecond
	grants := []struct {
		name string
		get  func(ctx context.Context, c *Config[scopes.Livestorm]) (*oauth2.Token, error)
	}{
		{"exchange", func(ctx context.Context, c *Config[scopes.Livestorm]) (*oauth2.Token, error) {
			return c.Exchange(ctx, "code")
		}},
		{"refresh", func(ctx context.Context, c *Config[scopes.Livestorm]) (*oauth2.Token, error) {
			return c.Refresh(ctx, "rt")
		}},
		{"client credentials", func(ctx context.Context, c *Config[scopes.Livestorm]) (*oauth2.Token, error) {
			return c.ClientCredentials(ctx)
		}},
		{"token source", func(ctx context.Context, c *Config[scopes.Livestorm]) (*oauth2.Token, error) {
			return c.TokenSource(ctx, &oauth2.Token{RefreshToken: "rt"}).Token()
		}},
	}
	answers := []struct {
		name     string
		fields   string        // besides access_token
		lifetime time.Duration // the Endpoint's DefaultLifetime
		want     time.Duration // the lifetime the answer states
	}{
		{"expires_in", `"expires_in":3600`, 0, time.Hour},
		{"expires_in as a string", `"expires_in":"60"`, 0, time.Minute},
		{"expires_in with a fraction", `"expires_in":60.9`, 0, time.Minute},
		{"no expires_in, documented lifetime", `"token_type":"Bearer"`, 2 * time.Hour, 2 * time.Hour},
		{"zero expiry, documented lifetime", `"expiry":"0001-01-01T00:00:00Z"`, 30 * 24 * time.Hour, 30 * 24 * time.Hour},
	}
	for _, method := range []string{http.MethodPost, http.MethodGet} {
		for _, g := range grants {
			for _, a := range answers {
				t.Run(method+"/"+g.name+"/"+a.name, func(t *testing.T) {
					t.Parallel()
					srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
						time.Sleep(delay)
						w.Header().Set("Content-Type", "application/json")
						fmt.Fprintf(w, `{"access_token":"at","refresh_token":"rt2",%s}`, a.fields)
					}))
					defer srv.Close()
					cfg := &Config[scopes.Livestorm]{ClientID: "id", ClientSecret: "secret", RedirectURL: "http://127.0.0.1/cb",
						Endpoint: Endpoint{Name: "livestorm", AuthURL: srv.URL, TokenURL: srv.URL, TokenMethod: method,
							AuthStyle: oauth2.AuthStyleInParams, ClientCredentials: true, DefaultLifetime: a.lifetime}}
					before := time.Now()
					tok, err := g.get(t.Context(), cfg)
					after := time.Now()
					if err != nil {
						t.Fatal(err)
					}
					if latest := after.Add(a.want - delay); tok.Expiry.After(latest) {
						t.Errorf("Expiry = %v, later than %v (return time + lifetime - the answer's delay): the lifetime counts from the answer, not the request",
							tok.Expiry.Sub(before), latest.Sub(before))
					}
					if earliest := before.Add(a.want); tok.Expiry.Before(earliest) {
						t.Errorf("Expiry = %v after the call began, before %v: the lifetime is cut short", tok.Expiry.Sub(before), a.want)
					}
				})
			}
		}
	}
}
