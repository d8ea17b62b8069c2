package apiclient

import (
	"context"
	"math"
	"math/big"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// A Retry-After delay never wraps, never goes negative and never reads
// what RFC 9110 does not allow (a sign, a fraction, junk) as a delay.
func TestRetryAfterValues(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	largest := time.Duration(math.MaxInt64)
	for _, tc := range []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"0", 0, true},
		{"7", 7 * time.Second, true},
		{" 7\t", 7 * time.Second, true},
		{"0007", 7 * time.Second, true},
		{"120", 2 * time.Minute, true},
		{"2592000", 30 * 24 * time.Hour, true}, // Livestorm's monthly quota
		{"9223372036", 9223372036 * time.Second, true},
		// Beyond what a Duration holds: the largest one, not a wrap.
		{"9223372037", largest, true},
		{"18446744074", largest, true},
		{"99999999999999999999999999999999999999", largest, true},
		{strings.Repeat("9", 4096), largest, true},
		{"", 0, false},
		{"   ", 0, false},
		{"soon", 0, false},
		{"-1", 0, false},
		{"-9223372037", 0, false},
		{"+7", 0, false},
		{"1.5", 0, false},
		{"1e3", 0, false},
		{"7 7", 0, false},
		{"0x10", 0, false},
		{"٣", 0, false}, // a digit, but not an ASCII one
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
		{"Thu, 01 Jan 1970 00:00:00 GMT", 0, true},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{" " + now.Add(90*time.Second).Format(http.TimeFormat) + " ", 90 * time.Second, true},
		{"Fri, 31 Dec 9999 23:59:59 GMT", largest, true},
		{"Sun, 06 Nov 1994 08:49:37", 0, false}, // no zone
	} {
		got, ok := retryAfter(tc.v, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("retryAfter(%.40q) = %v, %v; want %v, %v", tc.v, got, ok, tc.want, tc.ok)
		}
	}
}

// RetryAfter reads the header of an answer.
func TestRetryAfterHeader(t *testing.T) {
	if d, ok := RetryAfter(http.Header{"Retry-After": {"7"}}); d != 7*time.Second || !ok {
		t.Errorf("RetryAfter(7) = %v, %v", d, ok)
	}
	if d, ok := RetryAfter(http.Header{}); d != 0 || ok {
		t.Errorf("RetryAfter of no header = %v, %v", d, ok)
	}
}

// A Retry-After beyond MaxWait, however large, is not slept on and does
// not turn into a short or negative wait: the caller gets the 429 or 503
// answer at once, after one request.
func TestRetryDoesNotSleepOnHugeRetryAfter(t *testing.T) {
	for _, v := range []string{
		"31", "3600", "2592000", "9223372036", "9223372037", "18446744074",
		"99999999999999999999999999", "Fri, 31 Dec 9999 23:59:59 GMT",
	} {
		for _, status := range []int{http.StatusTooManyRequests, http.StatusServiceUnavailable} {
			var n atomic.Int32
			base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
				n.Add(1)
				return &http.Response{StatusCode: status, Header: http.Header{"Retry-After": {v}}, Body: http.NoBody, Request: r}, nil
			})
			// No deadline: only MaxWait stands between the answer and a sleep.
			req, _ := http.NewRequestWithContext(context.Background(), http.MethodGet, "https://api.example/x", nil)
			res, err := (&Retry{Base: base}).RoundTrip(req)
			if err != nil || res.StatusCode != status || n.Load() != 1 {
				t.Errorf("Retry-After %q on %d: status %v, err %v after %d requests; want the answer after 1", v, status, res, err, n.Load())
				continue
			}
			if d, _ := RetryAfter(res.Header); d <= 30*time.Second {
				t.Errorf("Retry-After %q on %d: the caller reads %v", v, status, d)
			}
		}
	}
}

// An answer Final calls final is returned after one request, however short
// its Retry-After; the others are retried as before.
func TestRetryFinal(t *testing.T) {
	for _, tc := range []struct {
		spent    string
		requests int32
	}{{"yes", 1}, {"no", 2}} {
		var n atomic.Int32
		base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			n.Add(1)
			h := http.Header{"Retry-After": {"0"}, "Spent": {tc.spent}}
			return &http.Response{StatusCode: http.StatusTooManyRequests, Header: h, Body: http.NoBody, Request: r}, nil
		})
		final := func(res *http.Response) bool { return res.Header.Get("Spent") == "yes" }
		req, _ := http.NewRequest(http.MethodGet, "https://api.example/x", nil)
		res, err := (&Retry{Base: base, Attempts: 2, Final: final}).RoundTrip(req)
		if err != nil || res.StatusCode != http.StatusTooManyRequests || n.Load() != tc.requests {
			t.Errorf("Spent %s: status %v, err %v after %d requests; want the 429 after %d", tc.spent, res, err, n.Load(), tc.requests)
		}
	}
}

// Retry-After that RFC 9110 does not allow is ignored: the retry waits its
// own backoff rather than reading the value as no wait at all.
func TestRetryIgnoresMalformedRetryAfter(t *testing.T) {
	for _, v := range []string{"-1", "-9223372037", "1.5", "+1", "soon"} {
		var n atomic.Int32
		base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
			n.Add(1)
			return &http.Response{StatusCode: 429, Header: http.Header{"Retry-After": {v}}, Body: http.NoBody, Request: r}, nil
		})
		req, _ := http.NewRequest(http.MethodGet, "https://api.example/x", nil)
		// A backoff longer than MaxWait: the answer comes back after one
		// request only if the malformed value was not taken as a delay.
		res, err := (&Retry{Base: base, Backoff: time.Hour}).RoundTrip(req)
		if err != nil || res.StatusCode != 429 || n.Load() != 1 {
			t.Errorf("Retry-After %q: status %v, err %v after %d requests; want the 429 after 1", v, res, err, n.Load())
		}
	}
}

// FuzzRetryAfter checks RetryAfter against a reference reading of
// delay-seconds with big integers: never negative, saturating at the
// largest Duration instead of wrapping, and monotone in the value.
func FuzzRetryAfter(f *testing.F) {
	for _, s := range []string{"0", "7", " 120 ", "9223372036", "9223372037", "18446744074",
		"99999999999999999999", "-1", "1.5", "+5", "", "Sun, 06 Nov 1994 08:49:37 GMT",
		"Fri, 31 Dec 9999 23:59:59 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "Sun Nov  6 08:49:37 1994"} {
		f.Add(s)
	}
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	largest := big.NewInt(math.MaxInt64)
	f.Fuzz(func(t *testing.T, v string) {
		d, ok := retryAfter(v, now)
		if d < 0 {
			t.Fatalf("retryAfter(%q) = %v: negative", v, d)
		}
		if !ok && d != 0 {
			t.Fatalf("retryAfter(%q) = %v, false: a wait for no value", v, d)
		}
		digits := strings.Trim(v, " \t")
		if digits == "" || strings.Trim(digits, "0123456789") != "" {
			return
		}
		// delay-seconds: exactly min(value s, the largest Duration).
		want, _ := new(big.Int).SetString(digits, 10)
		want.Mul(want, big.NewInt(int64(time.Second)))
		if want.Cmp(largest) > 0 {
			want = largest
		}
		if !ok || want.Cmp(big.NewInt(int64(d))) != 0 {
			t.Fatalf("retryAfter(%q) = %v, %v; want %v ns", v, d, ok, want)
		}
		// Monotone: a larger value (one more second, ten times as many)
		// never waits less.
		for _, more := range []string{increment(digits), digits + "0"} {
			if d2, _ := retryAfter(more, now); d2 < d {
				t.Fatalf("retryAfter(%q) = %v < retryAfter(%q) = %v", more, d2, v, d)
			}
		}
	})
}

// increment adds one to a decimal string.
func increment(digits string) string {
	b := []byte(digits)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}
