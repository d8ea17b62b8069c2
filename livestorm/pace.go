package livestorm

import (
	"net/http"
	"sync"
	"time"

	"github.com/onair-go/onair/internal/apiclient"
)

// Livestorm allows 5 requests a second per access token, and cannot be
// asked for more.
const (
	rateLimit  = 5
	rateWindow = time.Second
	// paceSlack covers clock and network jitter between us and Livestorm.
	paceSlack = 20 * time.Millisecond
)

// configure makes every client pace itself: no more than rateLimit
// requests start in any window of rateWindow, so a burst of calls draws no
// 429.
func configure(cfg *apiclient.Config) {
	cfg.Wrap = func(rt http.RoundTripper) http.RoundTripper {
		return &pacer{base: rt, now: time.Now}
	}
}

// pacer is a sliding-window limiter: it remembers when the last rateLimit
// requests started and holds a request until the oldest is a window old.
type pacer struct {
	base http.RoundTripper
	now  func() time.Time

	mu     sync.Mutex
	starts [rateLimit]time.Time // ring of the last starts
	next   int
}

func (p *pacer) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := p.wait(req); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	return p.base.RoundTrip(req)
}

// wait reserves a start time for req and sleeps until it.
func (p *pacer) wait(req *http.Request) error {
	p.mu.Lock()
	at := p.now()
	if free := p.starts[p.next].Add(rateWindow + paceSlack); !p.starts[p.next].IsZero() && free.After(at) {
		at = free
	}
	p.starts[p.next] = at
	p.next = (p.next + 1) % rateLimit
	p.mu.Unlock()

	d := at.Sub(p.now())
	if d <= 0 {
		return nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-req.Context().Done():
		return req.Context().Err()
	}
}

// WithoutPacing turns the client's own pacing off: for a sandbox whose
// rate limit is off (livestormtest.WithoutRateLimit), so that a test suite
// runs at full speed, or behind a proxy that paces requests itself. Calls
// over Livestorm's limit then draw 429s, which are retried after
// Retry-After.
func WithoutPacing() Option {
	return Option{func(c *apiclient.Config) { c.Wrap = nil }}
}
