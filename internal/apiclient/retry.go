package apiclient

import (
	"context"
	"errors"
	"io"
	"math"
	"net"
	"net/http"
	"strings"
	"syscall"
	"time"
)

// Retry is an http.RoundTripper that retries 429 and 503 answers after
// their Retry-After, and other failures (network errors, 502, 504) only for
// idempotent methods. It gives up when the request's context is done, when
// a wait would exceed MaxWait, or after Attempts tries.
type Retry struct {
	Base     http.RoundTripper
	Attempts int           // tries in all; 3 when zero
	MaxWait  time.Duration // longest single wait; 30 seconds when zero
	// Backoff is the wait before the first retry when the answer names
	// none, doubled each time; 500 ms when zero.
	Backoff time.Duration
	// Final, when set, reports a 429 or 503 answer that no retry can
	// help, whatever its Retry-After says (Livestorm's spent monthly
	// quota): it is returned at once.
	Final func(*http.Response) bool
}

// retriesKey is the context key of one call's retry budget, which
// replaces Attempts-1 (see onair.WithMaxRetries).
type retriesKey struct{}

// RoundTrip sends req, retrying as Retry says.
func (r *Retry) RoundTrip(req *http.Request) (*http.Response, error) {
	attempts := r.Attempts
	if attempts <= 0 {
		attempts = 3
	}
	if n, ok := req.Context().Value(retriesKey{}).(int); ok {
		attempts = n + 1
	}
	maxWait := r.MaxWait
	if maxWait <= 0 {
		maxWait = 30 * time.Second
	}
	backoff := r.Backoff
	if backoff <= 0 {
		backoff = 500 * time.Millisecond
	}
	replayable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	for try := 1; ; try++ {
		res, err := r.Base.RoundTrip(req)
		wait, retry := r.decide(req, res, err, backoff)
		if !retry || try >= attempts || !replayable || wait > maxWait || pastDeadline(req.Context(), wait) {
			return res, err
		}
		if res != nil {
			io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
			res.Body.Close()
		}
		if err := sleep(req.Context(), wait); err != nil {
			return nil, err
		}
		if backoff < maxDuration/2 {
			backoff *= 2
		}
		if req, err = rewind(req); err != nil {
			return nil, err
		}
		retried(req.Context(), wait) // counted once it is sent
	}
}

// decide reports whether an attempt's outcome is worth another try, and
// after how long.
func (r *Retry) decide(req *http.Request, res *http.Response, err error, backoff time.Duration) (time.Duration, bool) {
	if err != nil {
		// Only the network may do better next time: an auth, scope or
		// token-source error would fail the same way again.
		if req.Context().Err() != nil || !networkError(err) {
			return 0, false
		}
		return backoff, idempotent(req.Method)
	}
	switch res.StatusCode {
	case http.StatusTooManyRequests, http.StatusServiceUnavailable:
		if r.Final != nil && r.Final(res) {
			return 0, false
		}
		if d, ok := RetryAfter(res.Header); ok {
			return d, true
		}
		return backoff, true
	case http.StatusBadGateway, http.StatusGatewayTimeout:
		return backoff, idempotent(req.Method)
	}
	return 0, false
}

// RetryAfter reads a Retry-After header (RFC 9110, section 10.2.3): a
// delay in seconds or an HTTP date. It reports false when the header is
// absent or is neither (a sign, a fraction, junk), so that the caller
// falls back to a backoff of its own. The delay never wraps: one longer
// than a time.Duration holds (292 years) is the largest Duration, which a
// retry compares with its MaxWait; a date in the past is 0.
func RetryAfter(h http.Header) (time.Duration, bool) {
	return retryAfter(h.Get("Retry-After"), time.Now())
}

// maxDuration is the largest time.Duration: where a delay saturates.
const maxDuration = time.Duration(math.MaxInt64)

func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.Trim(v, " \t")
	if v == "" {
		return 0, false
	}
	if strings.Trim(v, "0123456789") == "" {
		return delaySeconds(v), true
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, false
	}
	return max(0, t.Sub(now)), true // Sub saturates too
}

// delaySeconds reads a string of ASCII digits as seconds, saturating at
// maxDuration.
func delaySeconds(digits string) time.Duration {
	const maxSeconds = int64(maxDuration / time.Second)
	var secs int64
	for _, c := range digits {
		secs = secs*10 + int64(c-'0')
		if secs > maxSeconds {
			return maxDuration
		}
	}
	return time.Duration(secs) * time.Second
}

// networkError reports whether err is a failure of the connection rather
// than of anything onair or the server decided.
func networkError(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED)
}

// pastDeadline reports whether waiting d would outlast ctx, in which case
// the answer in hand (a 429 with its Retry-After) is worth more to the
// caller than a context error.
func pastDeadline(ctx context.Context, d time.Duration) bool {
	deadline, ok := ctx.Deadline()
	return ok && time.Until(deadline) < d
}

func idempotent(method string) bool {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodPut, http.MethodDelete:
		return true
	}
	return false
}

func rewind(req *http.Request) (*http.Request, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return req, nil
	}
	body, err := req.GetBody()
	if err != nil {
		return nil, err
	}
	r := req.Clone(req.Context())
	r.Body = body
	return r, nil
}

func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
