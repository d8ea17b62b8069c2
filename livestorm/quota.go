package livestorm

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/onair-go/onair/internal/apiclient"
)

// MaxRetryAfter is the longest Retry-After on a 429 that a Client waits
// for. Livestorm's per-second window never asks for more than a second;
// a longer wait is its monthly quota (or an outage), which no retry within
// a call can outlast. It equals the longest wait of the client's retries,
// so that no 429 falls between a retry and a QuotaError.
const MaxRetryAfter = 30 * time.Second

// ErrQuotaExhausted is matched (errors.Is) by the error of a call that
// Livestorm refused because the account's monthly quota of calls is spent:
// a 429 whose Retry-After is longer than MaxRetryAfter, or whose
// RateLimit-Monthly-Remaining is 0 with no Retry-After. The call fails at once, without a retry; the
// error is a *QuotaError, which says when the quota resets.
var ErrQuotaExhausted = errors.New("livestorm: the monthly API quota is exhausted")

// QuotaError is a 429 for the monthly quota (see ErrQuotaExhausted).
type QuotaError struct {
	// Reset is when the quota resets: RateLimit-Reset (Unix seconds) when
	// it is in the future, or else now plus Retry-After; zero when the
	// answer said neither.
	Reset time.Time
	// Err is Livestorm's answer.
	Err *Error
}

func (e *QuotaError) Error() string {
	when := "at a time Livestorm did not say"
	if !e.Reset.IsZero() {
		when = "at " + e.Reset.UTC().Format(time.RFC3339)
	}
	return fmt.Sprintf("the monthly API quota is exhausted and resets %s: make no calls until then, or ask Livestorm for a larger quota: %v", when, e.Err)
}

// Is reports whether target is ErrQuotaExhausted.
func (e *QuotaError) Is(target error) bool { return target == ErrQuotaExhausted }

// Unwrap returns Livestorm's answer.
func (e *QuotaError) Unwrap() error { return e.Err }

// quotaSpent reports whether an answer is a 429 for the monthly quota.
func quotaSpent(res *http.Response) bool {
	return res.StatusCode == http.StatusTooManyRequests && quotaHeader(res.Header)
}

// quotaHeader reports whether a 429's header says the monthly quota is
// spent: a Retry-After beyond MaxRetryAfter, or no call left this month
// with no Retry-After or with calls left in the second; a 429 of the
// per-second window may come when the month's last call is left.
func quotaHeader(h http.Header) bool {
	d, ok := apiclient.RetryAfter(h)
	if ok && d > MaxRetryAfter {
		return true
	}
	if strings.TrimSpace(h.Get("RateLimit-Monthly-Remaining")) != "0" {
		return false
	}
	interval, err := strconv.Atoi(strings.TrimSpace(h.Get("RateLimit-Interval-Remaining")))
	return !ok || err == nil && interval > 0
}

// quotaReset is when the quota that h says is spent resets: RateLimit-Reset
// read as Unix seconds when that is in the future, else now plus
// Retry-After.
func quotaReset(h http.Header, now time.Time) time.Time {
	if s, err := strconv.ParseInt(strings.TrimSpace(h.Get("RateLimit-Reset")), 10, 64); err == nil && s > 0 && time.Unix(s, 0).After(now) {
		return time.Unix(s, 0)
	}
	if d, ok := apiclient.RetryAfter(h); ok && d < time.Duration(1<<62) {
		return now.Add(d).Truncate(time.Second)
	}
	return time.Time{}
}
