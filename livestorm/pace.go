package livestorm

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
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
	// answerTime is the least a caller's turn must leave before its
	// deadline: a request that starts later would time out waiting for
	// its answer anyway, and have spent a start others could have used.
	// When answers have lately taken longer, twice that is left.
	answerTime = 100 * time.Millisecond
	// maxMargin caps the margin, so that a few slow answers cannot make
	// the pacer refuse calls whose deadlines are seconds away.
	maxMargin = time.Second
)

// ErrPacingDeadline reports a call that the client's pacing could not start
// in time for its context's deadline: so many calls were waiting ahead of it
// that its turn, at 5 a second, would have come too late, or too close to
// the deadline for an answer (100 ms, or twice the time answers have lately
// taken if that is longer). The call fails as soon as that is known,
// without being sent, instead of waiting until the deadline; the error also
// matches context.DeadlineExceeded.
//
// This is the Client's own pacing. A Pacer given with WithPacer decides
// alone: an auth/sqlstore Pacer refuses a call whose start would come
// after its deadline, and keeps no margin for the answer.
//
// A retry at once is refused again until the calls ahead have started:
// pause before the next call (a tenth of a second will do), give calls a
// later deadline, or make fewer at once.
var ErrPacingDeadline = errors.New("livestorm: the client's pacing cannot start the request before its deadline")

// wakeAt returns a channel that receives at t, and a func that releases
// the timer.
func wakeAt(t time.Time) (<-chan time.Time, func()) {
	tm := time.NewTimer(time.Until(t))
	return tm.C, func() { tm.Stop() }
}

// pacer is a sliding-window limiter: it remembers when the last rateLimit
// requests started, and lets another start once the oldest of them is a
// window (and the slack) old.
//
// Callers wait in line, in order of arrival. Only the first in line waits
// for the window; the others wait for their turn. A caller whose context
// ends leaves the line, so nobody waits for a start that was held for a
// caller who has gone. A caller whose place in line could not start early
// enough before its deadline to be answered (see margin), counting every
// caller ahead as staying, fails at once with ErrPacingDeadline.
type pacer struct {
	base http.RoundTripper
	now  func() time.Time
	wake func(time.Time) (<-chan time.Time, func()) // wakeAt but in tests

	mu     sync.Mutex
	starts [rateLimit]time.Time // the last starts, oldest at next; zero: none
	next   int
	line   []*waiter // callers waiting, first in line first
	// answered is a moving average of the time from when a request was
	// to start to its answer: the wait for the first in line to be woken
	// and the round trip, both longer on a busy machine or network.
	answered time.Duration
}

// waiter is a caller in line; turn is closed when it becomes the first.
type waiter struct{ turn chan struct{} }

func (p *pacer) RoundTrip(req *http.Request) (*http.Response, error) {
	planned, err := p.wait(req.Context())
	if err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	res, err := p.base.RoundTrip(req)
	if err == nil {
		// A failure says nothing of how long answers take: a request that
		// hung until its deadline would make the margin refuse callers
		// who could have been answered.
		p.answer(p.now().Sub(planned))
	}
	return res, err
}

// wait returns when the caller may start its request, with the time it
// was to start, or why it may not.
func (p *pacer) wait(ctx context.Context) (time.Time, error) {
	if err := ctx.Err(); err != nil {
		return time.Time{}, err
	}
	p.mu.Lock()
	now := p.now()
	if len(p.line) == 0 && !now.Before(p.freeAt()) {
		p.start(now)
		p.mu.Unlock()
		return now, nil
	}
	planned := p.turnAt(now, len(p.line))
	if deadline, ok := ctx.Deadline(); ok && planned.Add(p.margin()).After(deadline) {
		err := &pacingError{ahead: len(p.line), wait: planned.Sub(now), left: deadline.Sub(now), margin: p.margin()}
		p.mu.Unlock()
		return time.Time{}, err
	}
	w := &waiter{turn: make(chan struct{})}
	p.line = append(p.line, w)
	if len(p.line) == 1 {
		close(w.turn)
	}
	p.mu.Unlock()

	select {
	case <-w.turn:
	case <-ctx.Done():
		p.leave(w)
		return time.Time{}, ctx.Err()
	}
	// First in line: wait for the oldest start to leave the window.
	for {
		p.mu.Lock()
		if err := ctx.Err(); err != nil {
			p.leaveLocked(w)
			p.mu.Unlock()
			return time.Time{}, err
		}
		now := p.now()
		free := p.freeAt()
		if !now.Before(free) {
			p.start(now)
			p.leaveLocked(w)
			p.mu.Unlock()
			return planned, nil
		}
		p.mu.Unlock()
		woken, stop := p.wake(free)
		select {
		case <-woken:
			stop()
		case <-ctx.Done():
			stop()
			p.leave(w)
			return time.Time{}, ctx.Err()
		}
	}
}

// freeAt is when the next request may start. p.mu is held.
func (p *pacer) freeAt() time.Time {
	oldest := p.starts[p.next]
	if oldest.IsZero() {
		return time.Time{}
	}
	return oldest.Add(rateWindow + paceSlack)
}

// start records a request starting at now. p.mu is held.
func (p *pacer) start(now time.Time) {
	p.starts[p.next] = now
	p.next = (p.next + 1) % rateLimit
}

// turnAt is the latest a caller joining the line behind ahead others
// starts, if none of them leaves: the kth in line (from 0) takes the start
// the kth oldest leaves free, and from the rateLimit-th on, the start of
// the one rateLimit places ahead, a window later. p.mu is held.
func (p *pacer) turnAt(now time.Time, ahead int) time.Time {
	at := now
	if oldest := p.starts[(p.next+ahead)%rateLimit]; !oldest.IsZero() {
		at = later(at, oldest.Add(rateWindow+paceSlack))
	}
	return at.Add(time.Duration(ahead/rateLimit) * (rateWindow + paceSlack))
}

// margin is how long before its deadline a caller's turn must come for
// its request to be answered in time. p.mu is held.
func (p *pacer) margin() time.Duration {
	return min(max(answerTime, 2*p.answered), maxMargin)
}

// answer counts the time a request took from when it was to start to its
// answer into the moving average. The first answer counts no more than any
// other: it is the one most likely to have paid for a new connection.
func (p *pacer) answer(d time.Duration) {
	d = max(d, 0) // it started earlier than planned: callers ahead left
	p.mu.Lock()
	defer p.mu.Unlock()
	p.answered += (d - p.answered) / 8
}

// leave takes w out of the line; if it was first, the next has its turn.
func (p *pacer) leave(w *waiter) {
	p.mu.Lock()
	p.leaveLocked(w)
	p.mu.Unlock()
}

func (p *pacer) leaveLocked(w *waiter) {
	i := slices.Index(p.line, w)
	if i < 0 {
		return
	}
	p.line = slices.Delete(p.line, i, i+1)
	if i == 0 && len(p.line) > 0 {
		close(p.line[0].turn)
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// pacingError is ErrPacingDeadline with what the pacer knew.
type pacingError struct {
	ahead              int
	wait, left, margin time.Duration
}

func (e *pacingError) Error() string {
	return fmt.Sprintf("pacing: %d requests are waiting ahead of this one and Livestorm allows %d a second, "+
		"so it could start in %v, less than %v (the time answers take) before its deadline in %v: give the call a later deadline or make fewer calls at once",
		e.ahead, rateLimit, e.wait.Round(time.Millisecond), e.margin.Round(time.Millisecond), e.left.Round(time.Millisecond))
}

func (e *pacingError) Is(target error) bool {
	return target == ErrPacingDeadline || target == context.DeadlineExceeded
}

// WithoutPacing turns the client's own pacing off: for a sandbox whose
// rate limit is off (livestormtest.WithoutRateLimit), so that a test suite
// runs at full speed, or behind a proxy that paces requests itself. Calls
// over Livestorm's limit then draw 429s, which are retried after
// Retry-After.
func WithoutPacing() Option {
	return Option{func(c *apiclient.Config) { c.Wrap = nil }}
}
