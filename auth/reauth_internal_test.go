package auth

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/redact"
)

// A source learns once that its user must authorize again: retries after
// the pause neither ask the provider again (without a store the source
// remembers; with one, the stored marker answers) nor call the hook again.
func TestReauthorizeOnceAcrossRetries(t *testing.T) {
	refused := &ReauthorizeError{Provider: "dlive", Reason: ReasonInvalidGrant, Err: &Error{StatusCode: 400, Code: "invalid_grant"}}
	for _, tc := range []struct {
		name      string
		withStore bool
	}{
		{"no store", false},
		{"store", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := &clock{now: start()}
			f := &fetcher{clk: clk, fail: refused}
			old := &oauth2.Token{AccessToken: "at-0", RefreshToken: "rt-0", Expiry: clk.Now().Add(-time.Second)}
			var hooked []string
			opts := []TokenSourceOption{withClock(clk), named("dlive"),
				OnReauthorize(func(_ context.Context, err *ReauthorizeError) { hooked = append(hooked, err.Key) })}
			wantKey := ""
			var st *MemoryStore
			if tc.withStore {
				st = NewMemoryStore()
				if err := st.Save(context.Background(), "user", old); err != nil {
					t.Fatal(err)
				}
				opts = append(opts, WithStore(st, "user"))
				wantKey = "user"
				old = nil
			}
			s := newSource(context.Background(), old, f.fetch, opts)
			for i := range 3 {
				_, err := s.Token()
				var re *ReauthorizeError
				if !errors.As(err, &re) || re.Key != wantKey || re.Reason != ReasonInvalidGrant {
					t.Fatalf("call %d: err = %v, want a ReauthorizeError for key %q", i, err, wantKey)
				}
				clk.Set(clk.Now().Add(2 * retryPause)) // past the pause
			}
			if d := cmp.Diff([]string{wantKey}, hooked); d != "" {
				t.Errorf("OnReauthorize calls (-want +got):\n%s", d)
			}
			if n := f.calls.Load(); n != 1 {
				t.Errorf("the provider was asked %d times, want 1", n)
			}
			if st != nil {
				tok, _ := st.Load(context.Background(), "user")
				if r, ok := NeedsReauthorization(tok); !ok || r != ReasonInvalidGrant {
					t.Errorf("stored %v, want the invalid_grant marker", Redacted(tok))
				}
			}
		})
	}
}

// The refresh expiry comes from refresh_expires_in (0: never), else from
// the Endpoint's RefreshLifetime, and an answer that does not rotate the
// refresh token keeps the old one's.
func TestRefreshExpiryOfAnswer(t *testing.T) {
	sent := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	kept := sent.Add(100 * time.Hour)
	year := 365 * 24 * time.Hour
	for _, tc := range []struct {
		name     string
		body     string
		lifetime time.Duration // Endpoint.RefreshLifetime
		want     time.Time
	}{
		{"keycloak states it", `{"access_token":"a","refresh_token":"r","refresh_expires_in":1800}`, year, sent.Add(30 * time.Minute)},
		{"keycloak quotes it", `{"access_token":"a","refresh_token":"r","refresh_expires_in":"1800"}`, 0, sent.Add(30 * time.Minute)},
		{"keycloak 0 means never", `{"access_token":"a","refresh_token":"r","refresh_expires_in":0}`, year, time.Time{}},
		{"documented lifetime", `{"access_token":"a","refresh_token":"r"}`, year, sent.Add(year)},
		{"unknown", `{"access_token":"a","refresh_token":"r"}`, 0, time.Time{}},
		{"not rotated keeps the old expiry", `{"access_token":"a"}`, year, kept},
		{"not rotated, stated anyway", `{"access_token":"a","refresh_expires_in":60}`, 0, kept},
		{"server field of our name ignored", `{"access_token":"a","refresh_token":"r","onair_refresh_expiry":"2030-01-01T00:00:00Z"}`, 0, time.Time{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var red redact.Set
			tok, err := decodeAnswer(200, "application/json", []byte(tc.body), &Endpoint{RefreshLifetime: tc.lifetime}, "", sent, kept, &red)
			if err != nil {
				t.Fatal(err)
			}
			if got := RefreshExpiry(tok); !got.Equal(tc.want) {
				t.Errorf("RefreshExpiry = %v, want %v", got, tc.want)
			}
		})
	}
}
