package deliver

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// receiver answers the i-th request with statuses[i], and the last status
// after that, recording the bodies it got.
type receiver struct {
	mu       sync.Mutex
	statuses []int
	bodies   []string
	headers  []http.Header
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	rc.mu.Lock()
	i := min(len(rc.bodies), len(rc.statuses)-1)
	rc.bodies = append(rc.bodies, string(b))
	rc.headers = append(rc.headers, r.Header.Clone())
	status := rc.statuses[i]
	rc.mu.Unlock()
	w.WriteHeader(status)
}

// outcome is an Outcome with its error reduced to whether there is one,
// for cmp.
type outcome struct {
	Attempts int
	Status   int
	Failed   bool
}

func summarize(o Outcome) outcome { return outcome{o.Attempts, o.Status, o.Err != nil} }

func TestDeliver(t *testing.T) {
	tests := []struct {
		name         string
		statuses     []int
		schedule     []time.Duration
		wantAttempts []outcome
		wantDone     outcome
	}{
		{
			name:         "accepted at once",
			statuses:     []int{200},
			schedule:     []time.Duration{time.Minute},
			wantAttempts: []outcome{{1, 200, false}},
			wantDone:     outcome{1, 200, false},
		},
		{
			name:         "any 2xx is success",
			statuses:     []int{204},
			wantAttempts: []outcome{{1, 204, false}},
			wantDone:     outcome{1, 204, false},
		},
		{
			name:         "no schedule means one attempt",
			statuses:     []int{500},
			wantAttempts: []outcome{{1, 500, true}},
			wantDone:     outcome{1, 500, true},
		},
		{
			name:         "retried until accepted",
			statuses:     []int{500, 404, 200},
			schedule:     []time.Duration{30 * time.Second, time.Minute, 150 * time.Second},
			wantAttempts: []outcome{{1, 500, true}, {2, 404, true}, {3, 200, false}},
			wantDone:     outcome{3, 200, false},
		},
		{
			name:         "schedule spent",
			statuses:     []int{503},
			schedule:     []time.Duration{30 * time.Second, time.Minute},
			wantAttempts: []outcome{{1, 503, true}, {2, 503, true}, {3, 503, true}},
			wantDone:     outcome{3, 503, true},
		},
		{
			name:         "a redirect is not acceptance",
			statuses:     []int{302},
			wantAttempts: []outcome{{1, 302, true}},
			wantDone:     outcome{1, 302, true},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := &receiver{statuses: tt.statuses}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			client := srv.Client()
			client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
			d := New(WithClient(client), WithSchedule(tt.schedule), WithScale(0))
			defer d.Close()

			var mu sync.Mutex
			var attempts []outcome
			var done []outcome
			err := d.Send(Delivery{
				URL:       srv.URL + "/hook",
				Body:      []byte(`{"data":1}`),
				OnAttempt: func(o Outcome) { mu.Lock(); attempts = append(attempts, summarize(o)); mu.Unlock() },
				Done:      func(o Outcome) { mu.Lock(); done = append(done, summarize(o)); mu.Unlock() },
			})
			if err != nil {
				t.Fatal(err)
			}
			if err := d.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
			mu.Lock()
			defer mu.Unlock()
			if diff := cmp.Diff(tt.wantAttempts, attempts); diff != "" {
				t.Errorf("attempts (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff([]outcome{tt.wantDone}, done); diff != "" {
				t.Errorf("done (-want +got):\n%s", diff)
			}
			if got := d.Attempts(); got != len(tt.wantAttempts) {
				t.Errorf("Attempts() = %d; want %d", got, len(tt.wantAttempts))
			}
			rc.mu.Lock()
			defer rc.mu.Unlock()
			if len(rc.bodies) != len(tt.wantAttempts) {
				t.Errorf("receiver got %d requests; want %d", len(rc.bodies), len(tt.wantAttempts))
			}
			for _, b := range rc.bodies {
				if b != `{"data":1}` {
					t.Errorf("receiver got body %q; want the delivery's", b)
				}
			}
		})
	}
}

func TestDeliverHeaders(t *testing.T) {
	tests := []struct {
		name            string
		header          http.Header
		wantContentType string
		wantExtra       string
	}{
		{"defaults to JSON", nil, "application/json", ""},
		{"keeps the caller's", http.Header{"Content-Type": {"application/vnd.api+json"}, "X-Extra": {"1"}}, "application/vnd.api+json", "1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc := &receiver{statuses: []int{200}}
			srv := httptest.NewServer(rc)
			defer srv.Close()
			d := New(WithClient(srv.Client()))
			defer d.Close()
			if err := d.Send(Delivery{URL: srv.URL, Body: []byte("{}"), Header: tt.header}); err != nil {
				t.Fatal(err)
			}
			if err := d.Wait(context.Background()); err != nil {
				t.Fatal(err)
			}
			rc.mu.Lock()
			defer rc.mu.Unlock()
			got := []string{rc.headers[0].Get("Content-Type"), rc.headers[0].Get("X-Extra")}
			if diff := cmp.Diff([]string{tt.wantContentType, tt.wantExtra}, got); diff != "" {
				t.Errorf("headers (-want +got):\n%s", diff)
			}
		})
	}
}

// TestDeliverErrorsHideURL checks that a failed delivery's error does not
// carry the URL, whose path may be the subscriber's secret.
func TestDeliverErrorsHideURL(t *testing.T) {
	const secret = "s3cret-in-the-path"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens there now

	for _, u := range []string{"http://" + addr + "/" + secret, "http://%zz/" + secret} {
		d := New()
		done := make(chan Outcome, 1)
		if err := d.Send(Delivery{URL: u, Done: func(o Outcome) { done <- o }}); err != nil {
			t.Fatal(err)
		}
		o := <-done
		d.Close()
		if o.Err == nil || o.Status != 0 {
			t.Fatalf("delivery to %q: outcome %+v; want an error and no status", u, o)
		}
		if strings.Contains(o.Err.Error(), secret) {
			t.Errorf("error %q shows the URL's secret", o.Err)
		}
	}
}

// TestClose checks that Close stops a delivery waiting for its next retry
// (an hour away), returns once its goroutine ended, and that Done is not
// called for it.
func TestClose(t *testing.T) {
	rc := &receiver{statuses: []int{500}}
	srv := httptest.NewServer(rc)
	defer srv.Close()
	d := New(WithClient(srv.Client()), WithSchedule([]time.Duration{time.Hour}))
	first := make(chan struct{})
	var once sync.Once
	err := d.Send(Delivery{
		URL:       srv.URL,
		OnAttempt: func(Outcome) { once.Do(func() { close(first) }) },
		Done:      func(o Outcome) { t.Errorf("Done called with %+v after Close", o) },
	})
	if err != nil {
		t.Fatal(err)
	}
	<-first
	if err := d.Close(); err != nil {
		t.Fatal(err)
	}
	if err := d.Wait(context.Background()); err != nil {
		t.Errorf("Wait after Close: %v", err)
	}
	if err := d.Send(Delivery{URL: srv.URL}); !errors.Is(err, ErrClosed) {
		t.Errorf("Send after Close = %v; want ErrClosed", err)
	}
	if got := d.Attempts(); got != 1 {
		t.Errorf("Attempts() = %d; want 1", got)
	}
}

func TestWaitEndsWithContext(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)
	d := New(WithClient(srv.Client()))
	defer d.Close()
	if err := d.Send(Delivery{URL: srv.URL}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := d.Wait(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Wait with an ended context = %v; want context.Canceled", err)
	}
}

func TestWaitIdle(t *testing.T) {
	d := New()
	defer d.Close()
	if err := d.Wait(context.Background()); err != nil {
		t.Errorf("Wait with nothing pending = %v", err)
	}
}

// TestDeliverLive checks that a delivery whose Live turns false is not
// retried, and ends without Done.
func TestDeliverLive(t *testing.T) {
	rc := &receiver{statuses: []int{500}}
	srv := httptest.NewServer(rc)
	t.Cleanup(srv.Close)
	d := New(WithSchedule([]time.Duration{time.Minute, time.Minute}), WithScale(0))
	t.Cleanup(func() { d.Close() })
	var mu sync.Mutex
	asked, done := 0, false
	err := d.Send(Delivery{
		URL:  srv.URL,
		Live: func() bool { mu.Lock(); defer mu.Unlock(); asked++; return false },
		Done: func(Outcome) { mu.Lock(); defer mu.Unlock(); done = true },
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Wait(t.Context()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.bodies) != 1 || asked != 1 || done {
		t.Errorf("%d attempts, Live asked %d times, Done called: %v; want 1, 1, false", len(rc.bodies), asked, done)
	}
}

// roundTripFunc answers requests without a network.
type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestDeliverLoopbackOnly checks that a Deliverer without a client of its
// own refuses a host that is not loopback before any request, and that one
// given a client delivers there.
func TestDeliverLoopbackOnly(t *testing.T) {
	const remote = "https://hooks.example.com/in"
	var sent []string
	client := &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		sent = append(sent, r.URL.String())
		return &http.Response{StatusCode: http.StatusNoContent, Body: http.NoBody, Request: r}, nil
	})}
	for _, tt := range []struct {
		name      string
		opts      []Option
		delivered bool
	}{
		{"default client", nil, false},
		{"client given", []Option{WithClient(client)}, true},
	} {
		sent = nil
		d := New(tt.opts...)
		done := make(chan Outcome, 1)
		if err := d.Send(Delivery{URL: remote, Done: func(o Outcome) { done <- o }}); err != nil {
			t.Fatal(err)
		}
		o := <-done
		d.Close()
		if o.Delivered() != tt.delivered {
			t.Errorf("%s: outcome %+v, want delivered = %t", tt.name, o, tt.delivered)
		}
		if !tt.delivered && (len(sent) != 0 || !strings.Contains(o.Err.Error(), "loopback hosts only")) {
			t.Errorf("%s: sent %q with error %v; want nothing sent and the loopback rule named", tt.name, sent, o.Err)
		}
	}
	for u, want := range map[string]bool{
		"http://127.0.0.1:8788/x": true, "https://localhost/x": true, "http://[::1]:1/x": true,
		remote: false, "ftp://127.0.0.1/x": false, "http://10.0.0.1/x": false, "%zz": false,
	} {
		if got := Loopback(u); got != want {
			t.Errorf("Loopback(%q) = %t, want %t", u, got, want)
		}
	}
}
