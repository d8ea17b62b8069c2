package livestormtest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/onair-go/onair/internal/sandbox"
)

// monthlyQuota is Livestorm's default number of calls per 30-day period.
const monthlyQuota = 10000

// rateHeaders writes Livestorm's rate-limit headers: the per-second
// window and the monthly quota, on every answer, and Retry-After in whole
// seconds on a refusal.
func rateHeaders(h http.Header, s sandbox.LimitState) {
	h.Set("RateLimit-Monthly-Limit", strconv.Itoa(monthlyQuota))
	h.Set("RateLimit-Interval-Limit", strconv.Itoa(s.Limit))
	h.Set("RateLimit-Monthly-Remaining", strconv.Itoa(max(monthlyQuota-s.Total, 0)))
	h.Set("RateLimit-Interval-Remaining", strconv.Itoa(s.Remaining))
	h.Set("RateLimit-Reset", strconv.FormatInt(nextMonth(time.Now()).Unix(), 10))
	if s.RetryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int((s.RetryAfter+time.Second-1)/time.Second)))
	}
}

// nextMonth is when a quota counted from the start of t's month resets.
func nextMonth(t time.Time) time.Time {
	y, m, _ := t.UTC().Date()
	return time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC)
}
