package apiclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/hooks"
)

// AddHooks runs h's hooks inside those cfg already has.
func (cfg *Config) AddHooks(h onair.Hooks) { cfg.Hooks = hooks.Chain(cfg.Hooks, h) }

// callRecord is the state a call with hooks keeps in its context, where
// the transports under the client find it.
type callRecord struct {
	op       *onair.Operation
	paceFrom time.Time // when the attempt reached the pacer
	// retry is set when the retry policy resends, and retryWait is the
	// wait before it: they count once the resend reaches the wire, which
	// a pacer or the token source may stop.
	retry     bool
	retryWait time.Duration
}

type recordKey struct{}

func recordOf(ctx context.Context) *callRecord {
	r, _ := ctx.Value(recordKey{}).(*callRecord)
	return r
}

// observe runs call as op's, through the Operation hook, for a client
// with hooks (Call and DoStatus call it only then, so that a client
// without hooks pays nothing).
func (c *Client[S]) observe(ctx context.Context, op *Op[S], call func(context.Context) error) error {
	h := c.cfg.Hooks.Operation
	rec := &callRecord{op: &onair.Operation{
		Provider:    c.cfg.Provider,
		Name:        op.Name,
		Method:      op.Method,
		URLTemplate: c.template(op),
	}}
	ctx = context.WithValue(ctx, recordKey{}, rec)
	if h == nil {
		return call(ctx)
	}
	err := hooks.Run(ctx, func(ctx context.Context, call func(context.Context) error) error {
		return h(ctx, rec.op, call)
	}, call)
	if errors.Is(err, hooks.ErrNotRun) {
		return fmt.Errorf("%s: %s: the Operation hook did not run the call", c.cfg.Provider, op.Name)
	}
	return err
}

// template is op's path template under the server it is sent to.
func (c *Client[S]) template(op *Op[S]) string {
	base := c.base
	if base == nil {
		base = c.servers[op.Server]
	}
	if base == nil {
		return "/" + op.Path
	}
	return base.Path + op.Path
}

// retried notes a retry the policy chose and the wait before it, which
// the attempts transport counts once the retry is sent.
func retried(ctx context.Context, wait time.Duration) {
	if r := recordOf(ctx); r != nil {
		r.retry, r.retryWait = true, wait
	}
}

// attempts sits under the auth transport when hooks are set: it counts
// each request sent and its status, and runs the Attempt hook.
type attempts struct {
	base http.RoundTripper
	hook func(*http.Request, func(*http.Request) (*http.Response, error)) (*http.Response, error)
}

func (a *attempts) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := recordOf(req.Context())
	if rec != nil {
		rec.op.Attempts++
		if rec.retry {
			rec.op.Retries++
			rec.op.RetryWait += rec.retryWait
			rec.retry, rec.retryWait = false, 0
		}
	}
	var res *http.Response
	var err error
	if a.hook != nil {
		res, err = a.hook(req, a.base.RoundTrip)
		switch {
		case res == nil && err == nil:
			err = errors.New("the Attempt hook returned neither an answer nor an error")
		case res != nil && err != nil:
			res.Body.Close()
			res = nil
		}
	} else {
		res, err = a.base.RoundTrip(req)
	}
	if rec != nil && res != nil {
		rec.op.StatusCode = res.StatusCode
	}
	return res, err
}

// paceEntry sits above a pacer (Config.Wrap) when hooks are set: the time
// from here to the attempts transport below is the pacer's wait.
type paceEntry struct{ base http.RoundTripper }

func (p *paceEntry) RoundTrip(req *http.Request) (*http.Response, error) {
	rec := recordOf(req.Context())
	if rec == nil {
		return p.base.RoundTrip(req)
	}
	rec.paceFrom = time.Now()
	res, err := p.base.RoundTrip(req)
	if !rec.paceFrom.IsZero() {
		// The pacer refused the attempt: its wait counts all the same.
		rec.op.PaceWait += time.Since(rec.paceFrom)
		rec.paceFrom = time.Time{}
	}
	return res, err
}

// paceExit sits under a pacer, above the auth transport, when hooks are
// set: it ends the pacer's wait that paceEntry started, so that a wait
// for a token is not counted as pacing.
type paceExit struct{ base http.RoundTripper }

func (p *paceExit) RoundTrip(req *http.Request) (*http.Response, error) {
	if rec := recordOf(req.Context()); rec != nil && !rec.paceFrom.IsZero() {
		rec.op.PaceWait += time.Since(rec.paceFrom)
		rec.paceFrom = time.Time{}
	}
	return p.base.RoundTrip(req)
}
