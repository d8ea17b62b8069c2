package auth

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/scopes"
)

// A token that arrives already expired, or already due for refresh, must
// not be handed out as a good one, and must not make every call refresh.
// The rows are the shapes such a token takes once decoded: an absolute
// expiry in the past or at the arrival instant, a lifetime the answer's
// delay ate up, and a lifetime the delay left shorter than the margin.
func TestTokenDueOnArrival(t *testing.T) {
	type row struct {
		name      string
		expiry    time.Duration // the new token's expiry, from its arrival
		expiresIn int64         // its stated lifetime in seconds; 0: none
		want      string        // in the error; "" for a token that is fine
	}
	rows := []row{
		{"expiry an hour ago", -time.Hour, 0, "already expired"},
		{"expiry a second ago", -time.Second, 0, "already expired"},
		{"expiry at arrival", 0, 0, "already expired"},
		{"1s lifetime, answer took 1s", 0, 1, "already expired"},
		{"60s lifetime, answer took 2m", -time.Minute, 60, "already expired"},
		{"30-day lifetime, expiry a nanosecond ago", -time.Nanosecond, 30 * 24 * 3600, "already expired"},
		{"10s lifetime, 500ms left", 500 * time.Millisecond, 10, "expires within"},
		{"10s lifetime, 1s left", time.Second, 10, "expires within"},
		{"1h lifetime, 59s left", 59 * time.Second, 3600, "expires within"},
		{"2s lifetime, 1ns left", time.Nanosecond, 2, "expires within"},
		// Short lives the margin leaves room for are fine.
		{"2s lifetime, 1.5s left", 1500 * time.Millisecond, 2, ""},
		{"1h lifetime, 61s left", 61 * time.Second, 3600, ""},
		{"expiry 50ms ahead, no lifetime stated", 50 * time.Millisecond, 0, ""},
	}
	variants := []struct {
		name string
		opts func(clk *clock, hooked *[]string) []TokenSourceOption
	}{
		{"plain", func(clk *clock, _ *[]string) []TokenSourceOption {
			return []TokenSourceOption{withClock(clk), named("livestorm")}
		}},
		{"OnToken", func(clk *clock, hooked *[]string) []TokenSourceOption {
			return []TokenSourceOption{withClock(clk), named("livestorm"), OnToken(func(_ context.Context, tok *oauth2.Token) error {
				*hooked = append(*hooked, tok.RefreshToken)
				return nil
			})}
		}},
		{"WithStore", func(clk *clock, _ *[]string) []TokenSourceOption {
			st := NewMemoryStore()
			st.Save(context.Background(), "k", &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now()})
			return []TokenSourceOption{withClock(clk), named("livestorm"), WithStore(st, "k")}
		}},
	}
	for _, v := range variants {
		for _, r := range rows {
			t.Run(v.name+"/"+r.name, func(t *testing.T) {
				clk := &clock{now: start()}
				var fetches atomic.Int32
				var refreshedFrom []string
				fetch := func(_ context.Context, old *oauth2.Token) (*oauth2.Token, error) {
					n := fetches.Add(1)
					refreshedFrom = append(refreshedFrom, old.RefreshToken)
					return &oauth2.Token{
						AccessToken: fmt.Sprintf("at-%d", n), RefreshToken: fmt.Sprintf("rt-%d", n),
						Expiry: clk.Now().Add(r.expiry), ExpiresIn: r.expiresIn,
					}, nil
				}
				var hooked []string
				tok := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now()}
				s := newSource(context.Background(), tok, fetch, v.opts(clk, &hooked))

				for i := range 5 {
					got, err := s.Token()
					checkDueCall(t, i, got, err, clk.Now(), r.want)
				}
				if n := fetches.Load(); n != 1 {
					t.Fatalf("token requests for 5 calls = %d, want 1", n)
				}
				if r.want == "" {
					return
				}
				// After the pause the source tries again, from the refresh
				// token of the answer it refused: that answer may have
				// rotated it, and the one before is spent.
				clk.Set(clk.Now().Add(retryPause))
				s.Token()
				waitFor(t, func() bool { s.mu.Lock(); defer s.mu.Unlock(); return s.flight == nil && fetches.Load() == 2 })
				s.mu.Lock()
				from := fmt.Sprint(refreshedFrom)
				s.mu.Unlock()
				if want := "[rt-0 rt-1]"; from != want {
					t.Errorf("refreshed from %v, want %v", from, want)
				}
				if v.name == "OnToken" && len(hooked) == 0 {
					t.Errorf("OnToken never saw the refused token, whose refresh token may be the only live one")
				}
			})
		}
	}
}

// The same class end to end: a token endpoint's answers, decoded by
// Config, expired or due when they arrive. The source's clock stands still
// at the instant the answer was written, so nothing depends on how fast
// this machine is: each delay is the least the answer can have taken.
func TestTokenEndpointIssuesDueTokens(t *testing.T) {
	for _, tc := range []struct {
		name   string
		delay  time.Duration
		answer func(now time.Time) string // the JSON fields besides the tokens
		want   string                     // in the error; "" for a fine token
	}{
		{"expiry an hour ago", 0, func(now time.Time) string {
			return fmt.Sprintf(`"expiry":%q`, now.Add(-time.Hour).Format(time.RFC3339))
		}, "already expired"},
		{"expiry now", 0, func(now time.Time) string {
			return fmt.Sprintf(`"expiry":%q`, now.Format(time.RFC3339))
		}, "already expired"},
		{"expiry in the past, other zone", 0, func(now time.Time) string {
			return fmt.Sprintf(`"expiry":%q`, now.Add(-time.Minute).In(time.FixedZone("", -7*3600)).Format(time.RFC3339))
		}, "already expired"},
		{"expires_in 1, answered after 1.1s", 1100 * time.Millisecond, func(time.Time) string {
			return `"expires_in":1`
		}, "already expired"},
		// Within 50ms of expiry when the answer is written; a busy machine
		// may deliver it after expiry.
		{"expires_in \"1\", answered after 950ms", 950 * time.Millisecond, func(time.Time) string {
			return `"expires_in":"1"`
		}, "expires within|already expired"},
		{"expires_in -60", 0, func(time.Time) string { return `"expires_in":-60` }, "already expired"},
		{"expires_in \"-1\"", 0, func(time.Time) string { return `"expires_in":"-1"` }, "already expired"},
		{"expires_in -1e300", 0, func(time.Time) string { return `"expires_in":-1e300` }, "already expired"},
		{"expires_in 3600", 0, func(time.Time) string { return `"expires_in":3600` }, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			clk := &clock{now: time.Now()}
			var requests atomic.Int32
			var mu sync.Mutex
			var sentRT []string // the refresh tokens of the requests
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				n := requests.Add(1)
				mu.Lock()
				sentRT = append(sentRT, r.FormValue("refresh_token"))
				mu.Unlock()
				time.Sleep(tc.delay)
				now := time.Now()
				if now.After(clk.Now()) {
					clk.Set(now)
				}
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"access_token":"at-%d","refresh_token":"rt-%d",%s}`, n, n, tc.answer(now))
			}))
			defer srv.Close()
			cfg := &Config[scopes.Livestorm]{ClientID: "id", ClientSecret: "secret",
				Endpoint: Endpoint{Name: "livestorm", TokenURL: srv.URL, AuthStyle: oauth2.AuthStyleInParams}}
			old := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now()}
			s := cfg.TokenSource(context.Background(), old, withClock(clk))

			for i := range 5 {
				got, err := s.Token()
				checkDueCall(t, i, got, err, clk.Now(), tc.want)
			}
			if n := requests.Load(); n != 1 {
				t.Fatalf("token requests for 5 calls = %d, want 1", n)
			}
			if tc.want == "" {
				return
			}
			clk.Set(clk.Now().Add(retryPause))
			got, err := s.Token()
			checkDueCall(t, 0, got, err, clk.Now(), tc.want)
			mu.Lock()
			sent := fmt.Sprint(sentRT)
			mu.Unlock()
			if got, want := sent, "[rt-0 rt-1]"; got != want {
				t.Errorf("refresh tokens sent = %s, want %s", got, want)
			}
		})
	}
}

// checkDueCall checks call i of a source given a due token: it fails saying
// why (want holds the accepted texts, split at |), or, when want is empty,
// it returns a token that has not expired.
func checkDueCall(t *testing.T, i int, got *oauth2.Token, err error, now time.Time, want string) {
	t.Helper()
	switch {
	case want == "" && err != nil:
		t.Fatalf("call %d: %v; want the token", i+1, err)
	case want != "" && err == nil:
		t.Fatalf("call %d: token %s expiring %v at %v; want an error saying %q", i+1, got.AccessToken, got.Expiry, now, want)
	case err == nil && !got.Expiry.After(now):
		t.Fatalf("call %d: got %s expiring %v at %v with no error", i+1, got.AccessToken, got.Expiry, now)
	case err != nil && !slices.ContainsFunc(strings.Split(want, "|"), func(w string) bool { return strings.Contains(err.Error(), w) }):
		t.Fatalf("call %d: error %q does not say %q", i+1, err, want)
	case err != nil && (strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "livestorm")):
		t.Fatalf("call %d: error %q is not one line naming the provider", i+1, err)
	}
}
