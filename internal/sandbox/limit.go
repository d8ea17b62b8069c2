package sandbox

import (
	"fmt"
	"net/http"
	"sync"
	"time"
)

// Limit is a provider's rate limit per access token: at most PerSecond
// requests in any one-second window.
type Limit struct {
	PerSecond int
	// Headers writes the provider's rate-limit headers, on every answer.
	Headers func(h http.Header, s LimitState)
}

// LimitState is what a token has left when a request arrives.
type LimitState struct {
	Limit      int           // requests allowed per second
	Remaining  int           // requests left in the current window
	Total      int           // requests the token has made, this one included if allowed
	RetryAfter time.Duration // when refused by the window: until a request is allowed again
	// Quota is the requests a token may make in all (Config.Quota), 0
	// for the provider's own; Exhausted reports a request refused because
	// the token has made them.
	Quota     int
	Exhausted bool
}

// limiter keeps, per token, the start times of its last PerSecond
// requests: a sliding window, so a burst at the end of one second and the
// start of the next is refused as the provider would.
type limiter struct {
	perSecond int // 0: no window, only the quota
	quota     int // 0: none
	headers   func(http.Header, LimitState)

	mu     sync.Mutex
	starts map[string][]time.Time
	totals map[string]int
}

func newLimiter(l Limit, quota int) *limiter {
	return &limiter{perSecond: l.PerSecond, quota: quota, headers: l.Headers, starts: map[string][]time.Time{}, totals: map[string]int{}}
}

// allow records a request by token and reports whether it is within the
// limit, writing the provider's headers to h.
func (l *limiter) allow(token string, h http.Header) (LimitState, bool) {
	now := time.Now()
	l.mu.Lock()
	q := l.starts[token]
	for len(q) > 0 && now.Sub(q[0]) >= time.Second {
		q = q[1:]
	}
	st := LimitState{Limit: l.perSecond, Quota: l.quota}
	st.Exhausted = l.quota > 0 && l.totals[token] >= l.quota
	ok := !st.Exhausted && (l.perSecond == 0 || len(q) < l.perSecond)
	switch {
	case ok:
		q = append(q, now)
		l.totals[token]++
		st.Remaining = max(l.perSecond-len(q), 0)
	case !st.Exhausted:
		st.RetryAfter = q[0].Add(time.Second).Sub(now)
	}
	st.Total = l.totals[token] // a refused request is not counted
	l.starts[token] = q
	l.mu.Unlock()
	if l.headers != nil {
		l.headers(h, st)
	}
	return st, ok
}

// check enforces the limit for the request's token.
func (l *limiter) check(x *exchange) bool {
	st, ok := l.allow(x.r.Header.Get("Authorization"), x.w.Header())
	if ok {
		return true
	}
	msg := fmt.Sprintf("more than %d requests in a second", l.perSecond)
	if st.Exhausted {
		msg = fmt.Sprintf("the quota of %d requests is spent", st.Quota)
	}
	return x.refuse(http.StatusTooManyRequests, "too_many_requests", msg)
}
