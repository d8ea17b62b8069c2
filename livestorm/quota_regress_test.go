package livestorm_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// Before a fix: with one call left in the quota, a 429 of the per-second window
// says RateLimit-Monthly-Remaining: 0 (the sandbox counts the refused
// request in "remaining"), and the client reads it as a spent quota: the
// call fails with ErrQuotaExhausted instead of being retried a second
// later, when it would have been served.
func TestPerSecond429WithOneCallLeftIsNotQuota(t *testing.T) {
	srv := livestormtest.NewServer(livestormtest.WithMonthlyQuota(6))
	defer srv.Close()
	tok := srv.IssueToken(scopes.LivestormIdentityRead)
	// No pacing, as behind a proxy that paces, or a second replica.
	c, err := livestorm.NewClient(oauth2.StaticTokenSource(tok), livestorm.WithBaseURL(srv.URL), livestorm.WithoutPacing())
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 5 {
		if err := c.Identity.Ping(ctx); err != nil {
			t.Fatalf("call %d: %v", i+1, err)
		}
	}
	// The 6th, within the same second: refused by the window, one call
	// of the quota left.
	if err := c.Identity.Ping(ctx); errors.Is(err, livestorm.ErrQuotaExhausted) {
		t.Fatalf("6th call, quota 6: %v; want it retried after the window and served", err)
	} else if err != nil {
		t.Fatalf("6th call, quota 6: %v", err)
	}
}

// Before a fix: RateLimit-Reset is read as Unix seconds whatever its size, so a
// delta (the IETF RateLimit header's meaning, "seconds until reset") or a
// time in the past gives a Reset in 1970, which QuotaError prints as when
// to call again. A value before now should fall back to Retry-After.
func TestQuotaResetNotInThePast(t *testing.T) {
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("RateLimit-Monthly-Remaining", "0")
		w.Header().Set("RateLimit-Reset", "2592000") // 30 days, as a delta
		w.Header().Set("Retry-After", "2592000")
		w.WriteHeader(http.StatusTooManyRequests)
	}))
	defer fake.Close()
	c, err := livestorm.NewClient(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "a-long-access-token"}),
		livestorm.WithBaseURL(fake.URL), livestorm.WithoutPacing())
	if err != nil {
		t.Fatal(err)
	}
	err = c.Identity.Ping(context.Background())
	var qe *livestorm.QuotaError
	if !errors.As(err, &qe) {
		t.Fatalf("%v: no QuotaError", err)
	}
	if qe.Reset.Before(time.Now()) {
		t.Errorf("Reset = %v, in the past: %v", qe.Reset.UTC(), err)
	}
}
