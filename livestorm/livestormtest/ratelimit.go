package livestormtest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/onair-go/onair/internal/sandbox"
)

// monthlyQuota is Livestorm's default number of calls per 30-day period.
const monthlyQuota = 10000

// WithMonthlyQuota gives each access token a quota of n calls, Livestorm's
// monthly quota (10,000 by default, which the sandbox reports but does not
// enforce). Calls past it answer 429 with RateLimit-Monthly-Remaining 0 and
// a Retry-After until the quota resets at the start of next month, as
// Livestorm does when an account's quota is spent: what
// livestorm.ErrQuotaExhausted reports.
func WithMonthlyQuota(n int) Option { return func(c *sandbox.Config) { c.Quota = max(n, 0) } }

// rateHeaders writes Livestorm's rate-limit headers: the per-second
// window and the monthly quota, on every answer, and Retry-After in whole
// seconds on a refusal.
func rateHeaders(h http.Header, s sandbox.LimitState) {
	quota, now := monthlyQuota, time.Now()
	if s.Quota > 0 {
		quota = s.Quota
	}
	reset := nextMonth(now)
	h.Set("RateLimit-Monthly-Limit", strconv.Itoa(quota))
	h.Set("RateLimit-Interval-Limit", strconv.Itoa(s.Limit))
	h.Set("RateLimit-Monthly-Remaining", strconv.Itoa(max(quota-s.Total, 0)))
	h.Set("RateLimit-Interval-Remaining", strconv.Itoa(s.Remaining))
	h.Set("RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	switch {
	case s.Exhausted:
		h.Set("Retry-After", strconv.FormatInt(int64(reset.Sub(now)/time.Second)+1, 10))
	case s.RetryAfter > 0:
		h.Set("Retry-After", strconv.Itoa(int((s.RetryAfter+time.Second-1)/time.Second)))
	}
}

// nextMonth is when a quota counted from the start of t's month resets.
func nextMonth(t time.Time) time.Time {
	y, m, _ := t.UTC().Date()
	return time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
}
