package livestorm_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// A sandbox whose monthly quota is spent answers 429 with a Retry-After
// until next month: the call fails at once with a *QuotaError that says
// when the quota resets, after one request, and is still Livestorm's
// *Error underneath.
func TestQuotaExhaustedInTheSandbox(t *testing.T) {
	srv := livestormtest.NewServer(livestormtest.WithMonthlyQuota(2))
	defer srv.Close()
	tok := srv.IssueToken(scopes.LivestormIdentityRead)
	c, err := livestorm.NewClient(oauth2.StaticTokenSource(tok), livestorm.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 2 {
		if err := c.Identity.Ping(ctx); err != nil {
			t.Fatalf("call %d within the quota: %v", i+1, err)
		}
	}
	err = c.Identity.Ping(ctx)
	if !errors.Is(err, livestorm.ErrQuotaExhausted) {
		t.Fatalf("past the quota: %v; want ErrQuotaExhausted", err)
	}
	var qe *livestorm.QuotaError
	if !errors.As(err, &qe) {
		t.Fatalf("past the quota: %T is no *QuotaError", err)
	}
	y, m, _ := time.Now().UTC().Date()
	if want := time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC); !qe.Reset.Equal(want) {
		t.Errorf("Reset = %v; want the start of next month, %v", qe.Reset, want)
	}
	var le *livestorm.Error
	if !errors.As(err, &le) || le.StatusCode != http.StatusTooManyRequests {
		t.Errorf("the answer under the QuotaError: %v; want Livestorm's 429", le)
	}
	if n := srv.Calls(livestorm.OpIdentityPing); n != 3 {
		t.Errorf("the sandbox got %d requests; want 3: the refused one was retried", n)
	}
}

// Each signal of a spent quota fails the call at once with a QuotaError;
// a 429 of the per-second window is still retried after its Retry-After.
func TestQuotaSignals(t *testing.T) {
	now := time.Now()
	reset := time.Unix(1893456000, 0) // 2030-01-01
	for _, tc := range []struct {
		name     string
		header   http.Header
		quota    bool
		reset    time.Time // zero: about now + Retry-After
		requests int32
	}{
		{"monthly remaining 0, calls left in the second", http.Header{"Ratelimit-Monthly-Remaining": {"0"}, "Ratelimit-Interval-Remaining": {"4"},
			"Retry-After": {"1"}, "Ratelimit-Reset": {strconv.FormatInt(reset.Unix(), 10)}}, true, reset, 1},
		{"monthly remaining 0, the second's window spent", http.Header{"Ratelimit-Monthly-Remaining": {"0"}, "Ratelimit-Interval-Remaining": {"0"},
			"Retry-After": {"0"}, "Ratelimit-Reset": {strconv.FormatInt(reset.Unix(), 10)}}, false, time.Time{}, 2},
		{"monthly remaining 0, no Retry-After", http.Header{"Ratelimit-Monthly-Remaining": {"0"},
			"Ratelimit-Reset": {strconv.FormatInt(reset.Unix(), 10)}}, true, reset, 1},
		{"Retry-After past the bound", http.Header{"Retry-After": {"3600"}}, true, time.Time{}, 1},
		{"per-second window", http.Header{"Retry-After": {"0"}, "Ratelimit-Monthly-Remaining": {"17"}}, false, time.Time{}, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var n atomic.Int32
			fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if n.Add(1) > 1 {
					w.WriteHeader(http.StatusOK)
					return
				}
				for k, v := range tc.header {
					w.Header()[k] = v
				}
				w.Header().Set("Content-Type", "application/vnd.api+json")
				w.WriteHeader(http.StatusTooManyRequests)
				w.Write([]byte(`{"errors":[{"status":"429","title":"Too Many Requests"}]}`))
			}))
			defer fake.Close()
			c, err := livestorm.NewClient(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "a-long-access-token"}),
				livestorm.WithBaseURL(fake.URL), livestorm.WithoutPacing())
			if err != nil {
				t.Fatal(err)
			}
			// A deadline past the bound, so that only MaxRetryAfter keeps
			// the client from waiting.
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			err = c.Identity.Ping(ctx)
			if n.Load() != tc.requests {
				t.Errorf("%d requests; want %d", n.Load(), tc.requests)
			}
			if got := errors.Is(err, livestorm.ErrQuotaExhausted); got != tc.quota {
				t.Fatalf("errors.Is(%v, ErrQuotaExhausted) = %v; want %v", err, got, tc.quota)
			}
			if !tc.quota {
				return
			}
			var qe *livestorm.QuotaError
			if !errors.As(err, &qe) {
				t.Fatalf("%T is no *QuotaError", err)
			}
			want := tc.reset
			if want.IsZero() {
				d, _ := strconv.Atoi(tc.header.Get("Retry-After"))
				want = now.Add(time.Duration(d) * time.Second)
			}
			// Retry-After counts from the answer, a little after now.
			if diff := qe.Reset.Sub(want); diff < -time.Second || diff > time.Minute {
				t.Errorf("Reset = %v; want %v", qe.Reset, want)
			}
			if d := cmp.Diff("Too Many Requests", qe.Err.Errors[0].Title); d != "" {
				t.Errorf("Livestorm's error (-want +got):\n%s", d)
			}
		})
	}
}
