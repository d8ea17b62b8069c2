// Package sidebyside lets a benchmark measure a typed call through a
// sandbox next to the same call against a bare loopback server that
// answers the same bytes, so the sandbox's own cost can be read off.
package sidebyside

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/onair-go/onair/internal/sandbox/probe"
)

// Answer is what a server answered: the parts a typed client reads.
type Answer struct {
	Status      int
	ContentType string
	Body        []byte
}

// Recorder is an http.RoundTripper that keeps the last answer Base gave.
type Recorder struct {
	Base http.RoundTripper

	mu   sync.Mutex
	last *Answer
}

// RoundTrip sends req through Base and keeps a copy of the answer.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.Base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("sidebyside: reading the answer: %w", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	r.mu.Lock()
	r.last = &Answer{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Body: body}
	r.mu.Unlock()
	return resp, nil
}

// Last returns the last answer recorded, or nil before the first.
func (r *Recorder) Last() *Answer {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.last
}

// Bare starts a loopback server that answers every request with a, and
// closes it when tb ends.
func Bare(tb testing.TB, a *Answer) *httptest.Server {
	tb.Helper()
	if a == nil {
		tb.Fatal("sidebyside: no answer was recorded: make one call through the Recorder first")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Drain the request as a real server would.
		io.Copy(io.Discard, r.Body)
		if a.ContentType != "" {
			w.Header().Set("Content-Type", a.ContentType)
		}
		w.WriteHeader(a.Status)
		w.Write(a.Body)
	}))
	tb.Cleanup(srv.Close)
	return srv
}

// Run times one typed call through a sandbox and against a bare server, as
// the sub-benchmarks "sandbox" and "bare" of b. newCall returns the call,
// made by a client of baseURL that sends with hc (nil: the client's own).
// Run first makes it once through the sandbox at sandboxURL, reached
// through transport, to record the answer the bare server gives back.
func Run(b *testing.B, sandboxURL string, transport http.RoundTripper, newCall func(baseURL string, hc *http.Client) func() error) {
	b.Helper()
	rec := &Recorder{Base: transport}
	if err := newCall(sandboxURL, &http.Client{Transport: rec})(); err != nil {
		b.Fatal(err)
	}
	bare := Bare(b, rec.Last())
	for _, s := range []struct{ name, url string }{{"sandbox", sandboxURL}, {"bare", bare.URL}} {
		call := newCall(s.url, nil)
		b.Run(s.name, func(b *testing.B) { probe.Throughput(b, call) })
	}
}
