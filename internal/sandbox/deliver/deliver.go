// Package deliver POSTs webhook deliveries from a sandbox to the URLs its
// users subscribed, retrying on a provider's schedule. Each sandbox owns a
// Deliverer for its lifetime: Close stops pending deliveries and waits for
// their goroutines.
//
// A Deliverer reaches loopback hosts only, so that a sandbox in a test
// never POSTs to the network, unless it was given a client (WithClient).
//
// Deliveries are asynchronous and not ordered. Tests wait on their
// outcomes with Wait, or with the callbacks a Delivery carries, never by
// sleeping.
package deliver

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"
)

// Delivery is one webhook to POST.
type Delivery struct {
	URL    string
	Body   []byte
	Header http.Header // sent as given; Content-Type defaults to application/json

	// OnAttempt, if set, is called after each attempt with its outcome
	// (Attempts counts attempts so far), for a provider's delivery logs.
	OnAttempt func(Outcome)

	// Done, if set, is called once with the final outcome: the first
	// success, or the last failure once the schedule is spent. It is not
	// called for a delivery that Close or Live stopped.
	Done func(Outcome)

	// Live, if set, is asked before each retry whether the subscription
	// still wants the delivery; false ends it there, as a provider does
	// not retry to a subscription that was deleted meanwhile.
	Live func() bool
}

// Outcome is what an attempt, or a whole delivery, came to.
type Outcome struct {
	Attempts int   // attempts made so far
	Status   int   // the receiver's answer; 0 if none came
	Err      error // nil when the receiver answered 2xx
}

// Delivered reports whether the receiver accepted the delivery.
func (o Outcome) Delivered() bool { return o.Err == nil }

// Deliverer POSTs deliveries in the background. Its zero value is not
// usable; create one with New.
type Deliverer struct {
	client   *http.Client
	anyHost  bool // a client was given: deliver to every host
	schedule []time.Duration
	scale    float64

	ctx  context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup

	attempts atomic.Int64

	mu      sync.Mutex
	closed  bool
	pending int
	idle    chan struct{} // closed when pending drops to 0; nil while idle
}

// Option configures a Deliverer.
type Option func(*Deliverer)

// WithClient sets the HTTP client deliveries are POSTed with, and lets
// them reach any host; the default client has a 10 s timeout per attempt
// and reaches loopback hosts only.
func WithClient(c *http.Client) Option {
	return func(d *Deliverer) { d.client, d.anyHost = c, true }
}

// Reaches reports whether d delivers to rawURL: to any host with a client
// of its own, else to loopback hosts only.
func (d *Deliverer) Reaches(rawURL string) bool { return d.anyHost || Loopback(rawURL) }

// Loopback reports whether rawURL is an http or https URL of a loopback
// host, one a Deliverer without WithClient delivers to.
func Loopback(rawURL string) bool {
	u, err := url.Parse(rawURL)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" {
		return false
	}
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// WithSchedule sets the waits before each retry: a delivery is attempted
// once, then once more after each wait, until the receiver accepts it. The
// default retries nothing.
func WithSchedule(waits []time.Duration) Option {
	return func(d *Deliverer) { d.schedule = append([]time.Duration(nil), waits...) }
}

// WithScale multiplies every wait of the schedule by factor, so that a
// test can compress a provider's schedule of minutes (0 retries at once).
// A negative factor counts as 0.
func WithScale(factor float64) Option {
	return func(d *Deliverer) { d.scale = max(factor, 0) }
}

// New returns a Deliverer; Close it when its sandbox stops.
func New(opts ...Option) *Deliverer {
	d := &Deliverer{client: &http.Client{Timeout: 10 * time.Second}, scale: 1}
	for _, o := range opts {
		o(d)
	}
	d.ctx, d.stop = context.WithCancel(context.Background())
	return d
}

// ErrClosed is returned by Send after Close.
var ErrClosed = errors.New("deliver: the sandbox is closed; deliver from a running sandbox")

// Send starts delivering dv in the background.
func (d *Deliverer) Send(dv Delivery) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.closed {
		return ErrClosed
	}
	if d.pending == 0 {
		d.idle = make(chan struct{})
	}
	d.pending++
	d.wg.Add(1)
	go d.run(dv)
	return nil
}

// Wait blocks until no delivery is pending, or ctx ends.
func (d *Deliverer) Wait(ctx context.Context) error {
	d.mu.Lock()
	idle := d.idle
	d.mu.Unlock()
	if idle == nil {
		return nil
	}
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("deliver: waiting for pending deliveries: %w", ctx.Err())
	}
}

// Attempts reports how many attempts d has made, of every delivery.
func (d *Deliverer) Attempts() int { return int(d.attempts.Load()) }

// Close stops pending deliveries, in the middle of an attempt or of a
// wait, and waits for their goroutines to end. Later Sends fail.
func (d *Deliverer) Close() error {
	d.mu.Lock()
	d.closed = true
	d.mu.Unlock()
	d.stop()
	d.wg.Wait()
	return nil
}

func (d *Deliverer) run(dv Delivery) {
	defer func() {
		d.mu.Lock()
		if d.pending--; d.pending == 0 {
			close(d.idle)
			d.idle = nil
		}
		d.mu.Unlock()
		d.wg.Done()
	}()
	for n := 0; ; n++ {
		out := d.attempt(dv)
		out.Attempts = n + 1
		if d.ctx.Err() != nil {
			return // closed: the outcome is the sandbox's shutdown, not the receiver's
		}
		if dv.OnAttempt != nil {
			dv.OnAttempt(out)
		}
		if out.Delivered() || n == len(d.schedule) {
			if dv.Done != nil {
				dv.Done(out)
			}
			return
		}
		if !d.sleep(d.schedule[n]) || dv.Live != nil && !dv.Live() {
			return
		}
	}
}

// sleep waits for wait, scaled; it reports false if d closed meanwhile.
func (d *Deliverer) sleep(wait time.Duration) bool {
	scaled := time.Duration(float64(wait) * d.scale)
	if scaled <= 0 {
		return d.ctx.Err() == nil
	}
	t := time.NewTimer(scaled)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-d.ctx.Done():
		return false
	}
}

// attempt POSTs dv once. Its errors never carry the URL, which may hold
// the subscriber's secret.
func (d *Deliverer) attempt(dv Delivery) Outcome {
	d.attempts.Add(1)
	if !d.Reaches(dv.URL) {
		return Outcome{Err: errors.New("deliver: the sandbox delivers to loopback hosts only; subscribe a 127.0.0.1 URL, or give the sandbox an HTTP client for others")}
	}
	req, err := http.NewRequestWithContext(d.ctx, http.MethodPost, dv.URL, bytes.NewReader(dv.Body))
	if err != nil {
		return Outcome{Err: errors.New("deliver: the subscribed URL does not parse; subscribe a valid URL")}
	}
	if dv.Header != nil {
		req.Header = dv.Header.Clone()
	}
	if req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := d.client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return Outcome{Err: fmt.Errorf("deliver: the receiver could not be reached: %w", err)}
	}
	// Drain a little so that the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return Outcome{Status: resp.StatusCode, Err: fmt.Errorf("deliver: the receiver answered %s", resp.Status)}
	}
	return Outcome{Status: resp.StatusCode}
}
