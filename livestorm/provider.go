package livestorm

import (
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/apiclient"
	"github.com/onair-go/onair/internal/webhookserve"
)

// provider is everything the client knows of Livestorm beyond the spec:
// the generated NewClient starts from it (see apiclient.Provider).
var provider = apiclient.Provider{
	Endpoint:    Endpoint, // Bearer tokens
	DecodeError: decodeError,
	RateLimits:  rateLimits,
	BodySecrets: webhookSecrets,
	Configure:   configure,
}

// webhookSecrets returns the secrets of the receiver URLs a request
// carries, as WebhookURL builds them: the segment before the event's name.
func webhookSecrets(body []byte) []string {
	return webhookserve.URLSecrets(body, func(segs []string) string {
		if n := len(segs); n >= 2 {
			if ev, _ := newNotification(WebhookEvent(segs[n-1])); ev != nil {
				return segs[n-2]
			}
		}
		return ""
	})
}

// decodeError reads a JSON:API error document; a 429 for the monthly
// quota becomes a *QuotaError.
func decodeError(base onair.APIError, body []byte) error {
	e := &Error{APIError: base}
	status := base.StatusCode
	var doc ErrorDocument
	if json.Unmarshal(body, &doc) == nil {
		e.Errors = doc.Errors
	}
	for i := range e.Errors {
		cleanObject(&e.Errors[i])
	}
	if len(e.Errors) == 0 {
		e.Errors = []ErrorObject{{Status: apiclient.Excerpt(status, body)}}
	}
	if status == http.StatusTooManyRequests && quotaHeader(base.Header) {
		return &QuotaError{Reset: quotaReset(base.Header, time.Now()), Err: e}
	}
	return e
}

// configure makes every client pace itself: no more than rateLimit
// requests start in any window of rateWindow, so a burst of calls draws no
// 429. A 429 for the monthly quota is not retried (see ErrQuotaExhausted).
func configure(cfg *apiclient.Config) {
	cfg.Retry.Final = quotaSpent
	cfg.Wrap = func(rt http.RoundTripper) http.RoundTripper {
		return &pacer{base: rt, now: time.Now, wake: wakeAt}
	}
}

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
