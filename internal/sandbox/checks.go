package sandbox

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/onair-go/onair/internal/authserver"
)

// ops keeps, per operation name, the calls counted (Server.Calls) and the
// failures injected and not yet answered (Server.FailOperation).
type ops struct {
	mu     sync.Mutex
	calls  map[string]int
	faults map[string][]int
}

func (o *ops) count(op string) {
	o.mu.Lock()
	o.calls[op]++
	o.mu.Unlock()
}

func (o *ops) counts() map[string]int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return maps.Clone(o.calls)
}

func (o *ops) fail(op string, status, n int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for range n {
		o.faults[op] = append(o.faults[op], status)
	}
}

func (o *ops) takeFault(op string) (int, bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	q := o.faults[op]
	if len(q) == 0 {
		return 0, false
	}
	o.faults[op] = q[1:]
	return q[0], true
}

// checkFault is the engine's first check: an injected fault answers
// before the token is looked at, as an outage would.
func (o *ops) checkFault(x *exchange) bool {
	status, ok := o.takeFault(x.name)
	if !ok {
		return true
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		x.w.Header().Set("Retry-After", "1")
	}
	return x.refuse(status, "injected_fault", fmt.Sprintf("the sandbox was told to fail %s with %d", x.name, status))
}

// checkToken looks the request's access token up, by the provider's
// rules; what it grants goes to the handler.
func (s *Server) checkToken(x *exchange) bool {
	acc, err := s.Auth.Lookup(x.r)
	if err != nil {
		h := `Bearer realm="` + s.p.Dialect.Name + `"`
		if !errors.Is(err, authserver.ErrNoToken) {
			h += `, error="invalid_token", error_description="` + err.Error() + `"`
		}
		x.w.Header().Set("WWW-Authenticate", h)
		return x.refuse(http.StatusUnauthorized, "invalid_token", err.Error())
	}
	x.lent = &lent{grant: s.p.Grant(acc.ClientID, acc.User, acc.Scope), token: acc.Token, ops: &s.ops, auth: s.Auth}
	return true
}

// checkScopes checks the grant against the operation's scopes:
// Grant.Allows, under which one scope may imply another by the provider's
// Covers.
func (s *Server) checkScopes(x *exchange) bool {
	need := x.op.Scopes
	if x.lent.grant.Allows(need) {
		return true
	}
	x.w.Header().Set("WWW-Authenticate", `Bearer realm="`+s.p.Dialect.Name+`", error="insufficient_scope", scope="`+strings.Join(need[0], " ")+`"`)
	alts := make([]string, len(need))
	for i, all := range need {
		alts[i] = strings.Join(all, " and ")
	}
	return x.refuse(http.StatusForbidden, "insufficient_scope", fmt.Sprintf("%s needs the scope %s", x.name, strings.Join(alts, ", or ")))
}

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
