package livestorm

import (
	"net/http"
	"strconv"
	"time"

	"github.com/onair-go/onair"
)

// rateLimits reads Livestorm's RateLimit-* headers into the two windows
// they describe: calls a second, and calls a 30-day period, which
// RateLimit-Reset ends (Unix seconds). A window whose limit or remaining
// count is missing or not a number is left out, rather than read as
// exhausted.
func rateLimits(h http.Header) []onair.RateLimit {
	var out []onair.RateLimit
	window := func(name, limit, remaining string, reset time.Time) {
		l, err := strconv.Atoi(h.Get(limit))
		if err != nil {
			return
		}
		r, err := strconv.Atoi(h.Get(remaining))
		if err != nil {
			return
		}
		out = append(out, onair.RateLimit{Window: name, Limit: l, Remaining: r, Reset: reset})
	}
	window("second", "RateLimit-Interval-Limit", "RateLimit-Interval-Remaining", time.Time{})
	var reset time.Time
	if s, err := strconv.ParseInt(h.Get("RateLimit-Reset"), 10, 64); err == nil && s > 0 {
		reset = time.Unix(s, 0)
	}
	window("month", "RateLimit-Monthly-Limit", "RateLimit-Monthly-Remaining", reset)
	return out
}
