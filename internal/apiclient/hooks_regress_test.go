package apiclient

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/scopes"
)

func regressClient(t *testing.T, srvURL string, ts oauth2.TokenSource, h onair.Hooks, wrap func(http.RoundTripper) http.RoundTripper) *Client[scopes.Livepush] {
	t.Helper()
	c, err := New[scopes.Livepush](Config{Provider: "livepush", Source: ts, BaseURL: srvURL,
		DecodeError: func(base onair.APIError, _ []byte) error { return &base },
		Retry:       Retry{Backoff: time.Millisecond}, Hooks: h, Wrap: wrap})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

var regressOp = &Op[scopes.Livepush]{Name: "Streams.Get", Method: http.MethodGet, Path: "streams"}

// Regression (review of the hooks): a retry the policy chose but never sent (the context ended in
// the backoff) is counted in Retries and RetryWait: Retries 1 with
// Attempts 1, where the doc says Retries counts attempts added.
func TestHooksRegressRetryCountedButNotSent(t *testing.T) {
	srv, _, _ := scripted([]int{503, 503, 503}, nil)
	defer srv.Close()
	var got onair.Operation
	var cancel context.CancelFunc
	h := onair.Hooks{
		Operation: func(ctx context.Context, op *onair.Operation, call func(context.Context) error) error {
			ctx, cancel = context.WithCancel(ctx)
			defer cancel()
			err := call(ctx)
			got = *op
			return err
		},
		Attempt: func(req *http.Request, send func(*http.Request) (*http.Response, error)) (*http.Response, error) {
			res, err := send(req)
			cancel() // the caller gives up as the 503 arrives
			return res, err
		},
	}
	c := regressClient(t, srv.URL, grantedSource(""), h, nil)
	if err := c.Call(context.Background(), regressOp, nil, Args{}, nil, nil); err == nil {
		t.Fatal("want an error")
	}
	if got.Retries != got.Attempts-1 || (got.Retries == 0 && got.RetryWait != 0) {
		t.Errorf("Attempts %d, Retries %d, RetryWait %v: a retry that was never sent is counted", got.Attempts, got.Retries, got.RetryWait)
	}
}

// slowSecond is a token source whose second call (the auth transport's,
// after the pre-flight's) takes d, as a refresh does.
type slowSecond struct {
	n   atomic.Int32
	d   time.Duration
	tok *oauth2.Token
}

func (s *slowSecond) Token() (*oauth2.Token, error) { return s.TokenContext(context.Background()) }
func (s *slowSecond) TokenContext(context.Context) (*oauth2.Token, error) {
	if s.n.Add(1) == 2 {
		time.Sleep(s.d)
	}
	return s.tok, nil
}

type passThrough struct{ base http.RoundTripper }

func (p passThrough) RoundTrip(req *http.Request) (*http.Response, error) {
	return p.base.RoundTrip(req)
}

// Regression (review of the hooks): PaceWait is the time from above the pacer to below the auth
// transport, so a token the auth transport waits for (a refresh) counts
// as pacing, even with a pacer that never waits.
func TestHooksRegressPaceWaitCountsTokenWait(t *testing.T) {
	srv, _, _ := scripted(nil, nil)
	defer srv.Close()
	const refresh = time.Second // far above any pass-through under load
	ts := &slowSecond{d: refresh, tok: &oauth2.Token{AccessToken: "tok", Expiry: time.Now().Add(time.Hour)}}
	var got onair.Operation
	h := onair.Hooks{Operation: func(ctx context.Context, op *onair.Operation, call func(context.Context) error) error {
		err := call(ctx)
		got = *op
		return err
	}}
	c := regressClient(t, srv.URL, ts, h, func(rt http.RoundTripper) http.RoundTripper { return passThrough{rt} })
	if err := c.Call(context.Background(), regressOp, nil, Args{}, nil, nil); err != nil {
		t.Fatal(err)
	}
	if got.PaceWait >= refresh {
		t.Errorf("PaceWait %v with a pacer that never waits: the token wait (%v) is counted as pacing", got.PaceWait, refresh)
	}
}

// Regression (review of the hooks): an Attempt hook that returns neither a response nor an error
// panics the caller (nil dereference in the auth transport), where
// http.Client turns the same from a RoundTripper into an error.
func TestHooksRegressAttemptHookNilNil(t *testing.T) {
	srv, _, _ := scripted(nil, nil)
	defer srv.Close()
	h := onair.Hooks{Attempt: func(*http.Request, func(*http.Request) (*http.Response, error)) (*http.Response, error) {
		return nil, nil
	}}
	c := regressClient(t, srv.URL, grantedSource(""), h, nil)
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("Call panicked: %v", r)
		}
	}()
	if err := c.Call(context.Background(), regressOp, nil, Args{}, nil, nil); err == nil {
		t.Error("Call succeeded without an answer")
	}
}

// Regression (review of the hooks): an Operation hook that returns nil after the call failed makes
// the call succeed; the auth source guards the same misuse, the client
// does not.
func TestHooksRegressOperationHookSwallowsError(t *testing.T) {
	srv, _, _ := scripted([]int{400}, nil)
	defer srv.Close()
	h := onair.Hooks{Operation: func(ctx context.Context, op *onair.Operation, call func(context.Context) error) error {
		call(ctx)
		return nil
	}}
	c := regressClient(t, srv.URL, grantedSource(""), h, nil)
	if err := c.Call(context.Background(), regressOp, nil, Args{}, nil, nil); err == nil {
		t.Error("a 400 became a success through the hook")
	}
}
