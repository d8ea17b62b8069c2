package livestorm

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/apiclient"
)

// fakeClock is a clock the test moves by hand; the pacer's timers fire
// when it passes them.
type fakeClock struct {
	mu     sync.Mutex
	t      time.Time
	timers []*fakeTimer
}

type fakeTimer struct {
	at time.Time
	c  chan time.Time
}

// newFakeClock starts an hour ahead of the real clock, so that contexts
// whose deadlines the test sets on the fake clock do not expire for real
// while it runs.
func newFakeClock() *fakeClock { return &fakeClock{t: time.Now().Add(time.Hour).Round(time.Second)} }

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// wake is the pacer's timer: it fires once the clock reaches at, and
// stop takes it off the clock.
func (c *fakeClock) wake(at time.Time) (<-chan time.Time, func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ch := make(chan time.Time, 1)
	if !at.After(c.t) {
		ch <- c.t
		return ch, func() {}
	}
	tm := &fakeTimer{at, ch}
	c.timers = append(c.timers, tm)
	return ch, func() {
		c.mu.Lock()
		defer c.mu.Unlock()
		if i := slices.Index(c.timers, tm); i >= 0 {
			c.timers = slices.Delete(c.timers, i, i+1)
		}
	}
}

// advanceToTimer moves the clock to the earliest timer, and fires every
// timer due.
func (c *fakeClock) advanceToTimer(t *testing.T) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.timers) == 0 {
		t.Fatal("no timer to advance to")
	}
	first := c.timers[0].at
	for _, tm := range c.timers {
		if tm.at.Before(first) {
			first = tm.at
		}
	}
	c.t = later(c.t, first)
	c.fire()
}

// advance moves the clock on by d, and fires every timer due.
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
	c.fire()
}

// fire fires and removes the timers due. c.mu is held.
func (c *fakeClock) fire() {
	c.timers = slices.DeleteFunc(c.timers, func(tm *fakeTimer) bool {
		if tm.at.After(c.t) {
			return false
		}
		tm.c <- c.t
		return true
	})
}

func (c *fakeClock) pending() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.timers)
}

// startRecorder records when each request started, by the pacer's clock,
// and whose it was.
type startRecorder struct {
	now    func() time.Time
	mu     sync.Mutex
	starts []time.Time
	who    []string
}

func (r *startRecorder) RoundTrip(req *http.Request) (*http.Response, error) {
	r.mu.Lock()
	r.starts = append(r.starts, r.now())
	r.who = append(r.who, req.Header.Get("Caller"))
	r.mu.Unlock()
	return &http.Response{StatusCode: 200, Body: http.NoBody, Request: req}, nil
}

func (r *startRecorder) callers() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.who)
}

// byWindow groups callers in order of start by rateLimit: those that start
// at the same time reach the recorder in any order.
func byWindow(callers []string) [][]string {
	var out [][]string
	for c := range slices.Chunk(callers, rateLimit) {
		out = append(out, slices.Sorted(slices.Values(c)))
	}
	return out
}

func (r *startRecorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.starts)
}

// offsets are the recorded starts as durations since t0.
func (r *startRecorder) offsets(t0 time.Time) []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]time.Duration, len(r.starts))
	for i, s := range r.starts {
		out[i] = s.Sub(t0)
	}
	return out
}

// pacedTest is a pacer on a fake clock, and the callers it serves.
type pacedTest struct {
	t     *testing.T
	clock *fakeClock
	rec   *startRecorder
	p     *pacer
	wg    sync.WaitGroup
	mu    sync.Mutex
	done  map[int]chan error // caller index -> its error, once it returns
}

func newPacedTest(t *testing.T) *pacedTest {
	clock := newFakeClock()
	rec := &startRecorder{now: clock.now}
	return &pacedTest{t: t, clock: clock, rec: rec, p: &pacer{base: rec, now: clock.now, wake: clock.wake}, done: map[int]chan error{}}
}

func (pt *pacedTest) call(ctx context.Context) error { return pt.callAs(ctx, "") }

// callAs sends a request whose Caller header is who.
func (pt *pacedTest) callAs(ctx context.Context, who string) error {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.livestorm.co/v1/ping", nil)
	req.Header.Set("Caller", who)
	_, err := pt.p.RoundTrip(req)
	return err
}

// spawn starts caller i; result reports its error.
func (pt *pacedTest) spawn(ctx context.Context, i int) {
	done := make(chan error, 1)
	pt.mu.Lock()
	pt.done[i] = done
	pt.mu.Unlock()
	pt.wg.Add(1)
	go func() {
		defer pt.wg.Done()
		done <- pt.callAs(ctx, strconv.Itoa(i))
	}()
}

// result waits for caller i to return, and returns its error.
func (pt *pacedTest) result(i int) error {
	pt.t.Helper()
	pt.mu.Lock()
	done := pt.done[i]
	pt.mu.Unlock()
	select {
	case err := <-done:
		done <- err // for another look
		return err
	case <-time.After(30 * time.Second):
		pt.t.Fatalf("caller %d has not returned after 30 s", i)
		return nil
	}
}

func (pt *pacedTest) waiting() int {
	pt.p.mu.Lock()
	defer pt.p.mu.Unlock()
	return len(pt.p.line)
}

// settle waits until every caller has started, returned or is waiting in
// line, and the first in line, if any, is waiting on its timer. The real
// time it allows is generous: a pacer that holds a caller forever fails
// here, one that is slow to schedule does not.
func (pt *pacedTest) settle(started, waiting int) {
	pt.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		n, w, timers := pt.rec.count(), pt.waiting(), pt.clock.pending()
		if n == started && w == waiting && timers == min(w, 1) {
			return
		}
		if time.Now().After(deadline) {
			pt.t.Fatalf("after 30 s: %d started, %d waiting, %d timers; want %d started and %d waiting", n, w, timers, started, waiting)
		}
		time.Sleep(100 * time.Microsecond)
	}
}

// window is how far apart the first and the sixth start must be.
const window = rateWindow + paceSlack

// Many concurrent callers start five at a time, each five a window after
// the five before: never six within a window, and never later than the
// window allows.
func TestPacerKeepsTheWindow(t *testing.T) {
	for _, callers := range []int{1, 5, 6, 12, 23} {
		pt := newPacedTest(t)
		t0 := pt.clock.now()
		for i := range callers {
			pt.spawn(context.Background(), i)
		}
		for started := min(callers, rateLimit); ; started = min(callers, started+rateLimit) {
			pt.settle(started, callers-started)
			if started == callers {
				break
			}
			pt.clock.advanceToTimer(t)
		}
		pt.wg.Wait()
		var want []time.Duration
		for i := range callers {
			want = append(want, time.Duration(i/rateLimit)*window)
		}
		if d := cmp.Diff(want, pt.rec.offsets(t0)); d != "" {
			t.Errorf("%d callers: starts after t0 (-want +got):\n%s", callers, d)
		}
	}
}

// Callers who give up while waiting leave no hole: after 100 of them leave,
// a lone call starts as soon as the window allows, and the callers who
// stayed start as if the others had never come, in their order.
func TestPacerCallersWhoLeaveGiveBackTheirPlace(t *testing.T) {
	for _, tc := range []struct {
		name  string
		leave func(i int) bool // which of 100 waiting callers give up
	}{
		{"all", func(int) bool { return true }},
		{"the first", func(i int) bool { return i == 0 }},
		{"every other", func(i int) bool { return i%2 == 0 }},
		{"all but the last", func(i int) bool { return i < 99 }},
		{"the first 50", func(i int) bool { return i < 50 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pt := newPacedTest(t)
			t0 := pt.clock.now()
			for range rateLimit {
				if err := pt.call(context.Background()); err != nil {
					t.Fatal(err)
				}
			}
			// 100 callers queue up behind a full window, one at a time so
			// that caller i is ith in line.
			var cancels []context.CancelFunc
			for i := range 100 {
				ctx, cancel := context.WithCancel(context.Background())
				cancels = append(cancels, cancel)
				pt.spawn(ctx, i)
				pt.settle(rateLimit, i+1)
			}
			stay := 0
			for i, cancel := range cancels {
				if tc.leave(i) {
					cancel()
				} else {
					stay++
				}
			}
			pt.settle(rateLimit, stay)
			for i := range 100 {
				if !tc.leave(i) {
					continue
				}
				if err := pt.result(i); !errors.Is(err, context.Canceled) {
					t.Errorf("caller %d gave up, err = %v", i, err)
				}
			}
			// A lone newcomer comes after those who stayed, and nobody
			// waits for those who left.
			pt.spawn(context.Background(), 100)
			callers := rateLimit + stay + 1
			pt.settle(rateLimit, stay+1)
			for started := rateLimit; started < callers; {
				pt.clock.advanceToTimer(t)
				started = min(callers, started+rateLimit)
				pt.settle(started, callers-started)
			}
			pt.wg.Wait()
			var want []time.Duration
			for i := range callers {
				want = append(want, time.Duration(i/rateLimit)*window)
			}
			if d := cmp.Diff(want, pt.rec.offsets(t0)); d != "" {
				t.Errorf("starts after t0 (-want +got):\n%s", d)
			}
			order := make([]string, rateLimit)
			for i := range 100 {
				if !tc.leave(i) {
					order = append(order, strconv.Itoa(i))
				}
			}
			order = append(order, "100")
			if d := cmp.Diff(byWindow(order), byWindow(pt.rec.callers())); d != "" {
				t.Errorf("callers by window of start (-want +got):\n%s", d)
			}
			for i := range 100 {
				if err := pt.result(i); !tc.leave(i) && err != nil {
					t.Errorf("caller %d stayed, err = %v", i, err)
				}
			}
			for _, cancel := range cancels {
				cancel()
			}
		})
	}
}

// A caller whose place in line could not start at least answerTime before
// its deadline is told so at once, without waiting and without sending;
// one whose place can waits and starts.
func TestPacerFailsEarlyPastTheDeadline(t *testing.T) {
	pt := newPacedTest(t)
	t0 := pt.clock.now()
	for range rateLimit {
		if err := pt.call(context.Background()); err != nil {
			t.Fatal(err)
		}
	}
	ms := time.Millisecond
	steps := []struct {
		deadline time.Duration // after t0
		turn     time.Duration // when its place could start; 0: it fails
	}{
		{500 * ms, 0},  // 1st in line starts at 1020 ms
		{1020 * ms, 0}, // at its deadline is too late
		{1119 * ms, 0}, // and so is less than answerTime before it
		{1120 * ms, window},
		{2000 * ms, window},
		{1500 * ms, window},
		{1500 * ms, window},
		{1500 * ms, window}, // the 5th in line, the last of the second window
		{1500 * ms, 0},      // the 6th, in the third window
		{2139 * ms, 0},
		{time.Hour, 2 * window},
		{2140 * ms, 2 * window},
		{time.Hour, 2 * window},
		{time.Hour, 2 * window},
		{time.Hour, 2 * window},
		{3 * time.Second, 0},
		{time.Hour, 3 * window},
	}
	admitted := 0
	for i, s := range steps {
		ctx, cancel := context.WithDeadline(context.Background(), t0.Add(s.deadline))
		defer cancel()
		if s.turn == 0 {
			err := pt.call(ctx)
			var pe *pacingError
			if !errors.Is(err, ErrPacingDeadline) || !errors.Is(err, context.DeadlineExceeded) || !errors.As(err, &pe) || pe.ahead != admitted {
				t.Errorf("step %d: err = %v; want ErrPacingDeadline with %d ahead", i, err, admitted)
			} else if !strings.Contains(err.Error(), "later deadline") {
				t.Errorf("step %d: %q does not say what to do", i, err)
			}
			continue
		}
		pt.spawn(ctx, i)
		admitted++
		pt.settle(rateLimit, admitted)
	}
	if n := pt.rec.count(); n != rateLimit {
		t.Fatalf("%d requests sent, want the %d before the steps", n, rateLimit)
	}
	for started := rateLimit; started < rateLimit+admitted; {
		pt.clock.advanceToTimer(t)
		started = min(rateLimit+admitted, started+rateLimit)
		pt.settle(started, rateLimit+admitted-started)
	}
	pt.wg.Wait()
	want := make([]time.Duration, rateLimit)
	for i, s := range steps {
		if s.turn != 0 {
			want = append(want, s.turn)
			if err := pt.result(i); err != nil {
				t.Errorf("step %d: %v", i, err)
			}
		}
	}
	if d := cmp.Diff(want, pt.rec.offsets(t0)); d != "" {
		t.Errorf("starts after t0 (-want +got):\n%s", d)
	}
}

// The time from a request's planned start to its answer feeds a moving
// average; answers that have lately been slow leave a caller more time
// before its deadline, so that it is not started only to time out.
func TestPacerMarginFollowsAnswers(t *testing.T) {
	pt := newPacedTest(t)
	answerIn := 300 * time.Millisecond
	pt.p.base = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		pt.clock.advance(answerIn)
		return &http.Response{StatusCode: 200, Body: http.NoBody, Request: r}, nil
	})
	var got []time.Duration
	for _, d := range []time.Duration{300, 300, 1100, 0, 0, 0} {
		answerIn = d * time.Millisecond
		if err := pt.call(context.Background()); err != nil {
			t.Fatal(err)
		}
		got = append(got, pt.p.answered)
	}
	ms := time.Millisecond
	// Each answer moves the average an eighth of the way, the first too
	// (from zero), in whole nanoseconds.
	want := []time.Duration{37500 * time.Microsecond, 70312500, 199023437, 174145508, 152377320, 133330155}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("the average after each answer (-want +got):\n%s", d)
	}

	// With answers averaging 400 ms, a turn must come 800 ms before the
	// deadline; with fast ones, 100 ms.
	for _, tc := range []struct {
		answered time.Duration
		deadline time.Duration // after the turn
		admitted bool
	}{
		{400 * ms, 799 * ms, false},
		{400 * ms, 800 * ms, true},
		{10 * ms, 99 * ms, false},
		{10 * ms, 100 * ms, true},
		{0, 100 * ms, true},
	} {
		pt := newPacedTest(t)
		t0 := pt.clock.now()
		for range rateLimit {
			pt.call(context.Background())
		}
		pt.p.answered = tc.answered
		ctx, cancel := context.WithDeadline(context.Background(), t0.Add(window+tc.deadline))
		defer cancel()
		if !tc.admitted {
			if err := pt.call(ctx); !errors.Is(err, ErrPacingDeadline) {
				t.Errorf("answers in %v, deadline %v after the turn: err = %v, want ErrPacingDeadline", tc.answered, tc.deadline, err)
			}
			continue
		}
		pt.spawn(ctx, 0)
		pt.settle(rateLimit, 1)
		pt.clock.advanceToTimer(t)
		if err := pt.result(0); err != nil {
			t.Errorf("answers in %v, deadline %v after the turn: %v", tc.answered, tc.deadline, err)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// A caller first in line whose context ends while it waits for the window
// passes its turn on: the next caller starts when the window allows.
func TestPacerFirstInLineLeaves(t *testing.T) {
	pt := newPacedTest(t)
	t0 := pt.clock.now()
	for range rateLimit {
		pt.call(context.Background())
	}
	ctx, cancel := context.WithCancel(context.Background())
	pt.spawn(ctx, 0)
	pt.settle(rateLimit, 1)
	pt.spawn(context.Background(), 1)
	pt.settle(rateLimit, 2)
	cancel()
	pt.settle(rateLimit, 1)
	pt.clock.advanceToTimer(t)
	pt.settle(rateLimit+1, 0)
	pt.wg.Wait()
	if err := pt.result(0); !errors.Is(err, context.Canceled) {
		t.Errorf("the caller who left: %v", err)
	}
	if got := pt.rec.offsets(t0)[rateLimit]; got != window {
		t.Errorf("the next caller started at %v, want %v", got, window)
	}
}

func TestPacerGivesUpWithTheContext(t *testing.T) {
	pt := newPacedTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for i := range rateLimit + 1 {
		if err := pt.call(ctx); !errors.Is(err, context.Canceled) {
			t.Errorf("request %d with a cancelled context: err = %v", i, err)
		}
	}
	if n := pt.rec.count(); n != 0 {
		t.Errorf("%d requests with a cancelled context were sent", n)
	}
}

func TestWithoutPacing(t *testing.T) {
	var cfg apiclient.Config
	configure(&cfg)
	if cfg.Wrap == nil {
		t.Fatal("configure set no pacer")
	}
	WithoutPacing().apply(&cfg)
	if cfg.Wrap != nil {
		t.Error("WithoutPacing left the pacer in place")
	}
}

// A request that fails (one that hung until its deadline, say) does not
// count into the average, and slow answers cannot push the margin past
// maxMargin: neither may make the pacer refuse a call that has seconds.
func TestPacerMarginIgnoresFailuresAndIsCapped(t *testing.T) {
	pt := newPacedTest(t)
	pt.p.base = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		pt.clock.advance(30 * time.Second)
		return nil, context.DeadlineExceeded
	})
	if err := pt.call(context.Background()); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the transport's", err)
	}
	if pt.p.answered != 0 {
		t.Errorf("after a failure the average is %v, want 0: failures do not count", pt.p.answered)
	}
	pt.p.answered = time.Hour
	if m := pt.p.margin(); m != maxMargin {
		t.Errorf("margin with answers of an hour = %v, want the cap %v", m, maxMargin)
	}
}
