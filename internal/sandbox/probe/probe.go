// Package probe sends the sandboxes what a misbehaving client would, for
// the tests that prove each fake is as strict as its provider.
package probe

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// Answer is the part of an OAuth or API answer the strictness tests
// compare.
type Answer struct {
	Status int
	Error  string // the RFC 6749 error code, or the error of WWW-Authenticate
}

// Token sends a token request: form in the query for GET, in the body for
// POST, with HTTP Basic when user is not empty.
func Token(t *testing.T, c *http.Client, method, tokenURL string, form url.Values, user, pass string) Answer {
	t.Helper()
	var body io.Reader
	u := tokenURL
	if method == http.MethodGet {
		u += "?" + form.Encode()
	} else {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequest(method, u, body)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if user != "" {
		req.SetBasicAuth(url.QueryEscape(user), url.QueryEscape(pass))
	}
	return Do(t, c, req)
}

// Do sends req and reads the error code from a JSON body's "error" or
// the WWW-Authenticate header's error.
func Do(t *testing.T, c *http.Client, req *http.Request) Answer {
	t.Helper()
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	a := Answer{Status: resp.StatusCode}
	if h := resp.Header.Get("WWW-Authenticate"); strings.Contains(h, `error="`) {
		a.Error, _, _ = strings.Cut(h[strings.Index(h, `error="`)+len(`error="`):], `"`)
		return a
	}
	var b struct {
		Error any `json:"error"`
	}
	raw, _ := io.ReadAll(resp.Body)
	if json.Unmarshal(raw, &b) == nil {
		if s, ok := b.Error.(string); ok {
			a.Error = s
		}
	}
	return a
}

// Redirect follows nothing: it sends a GET to u and returns the status and
// the Location's query (code, state, error).
func Redirect(t *testing.T, c *http.Client, u string) (int, url.Values) {
	t.Helper()
	nc := *c
	nc.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := nc.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, err := resp.Location()
	if err != nil {
		return resp.StatusCode, nil
	}
	return resp.StatusCode, loc.Query()
}

// Throughput runs call b.N times and reports calls per second of wall
// time and, where the system says, per second of the process's CPU time:
// client and sandbox share the process, so the second is the rate one
// core sustains even when other work slows the wall clock.
func Throughput(b *testing.B, call func() error) {
	b.ReportAllocs()
	cpu0, ok := CPUTime()
	for b.Loop() {
		if err := call(); err != nil {
			b.Fatal(err)
		}
	}
	cpu1, _ := CPUTime()
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "calls/s")
	if ok && cpu1 > cpu0 {
		b.ReportMetric(float64(b.N)/(cpu1-cpu0).Seconds(), "calls/cpu-s")
	}
}
