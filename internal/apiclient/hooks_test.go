package apiclient

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/scopes"
)

// slowGate is a pacer stand-in: it holds each attempt for d before
// passing it on, as Livestorm's pacer holds a caller for a slot.
type slowGate struct {
	base http.RoundTripper
	d    time.Duration
}

func (g slowGate) RoundTrip(req *http.Request) (*http.Response, error) {
	time.Sleep(g.d)
	return g.base.RoundTrip(req)
}

// The Operation hook sees one call of the operation with its template,
// and after the call what the runtime recorded: attempts, retries, the
// waits and the last status. The Attempt hook sees every request sent.
func TestHooksRecordTheCall(t *testing.T) {
	const gate = 20 * time.Millisecond
	for _, tc := range []struct {
		name     string
		statuses []int
		header   http.Header
		paced    bool
		want     onair.Operation
		wantErr  bool
	}{
		{name: "ok at once", want: onair.Operation{StatusCode: 200, Attempts: 1}},
		{name: "503 retried", statuses: []int{503}, want: onair.Operation{StatusCode: 200, Attempts: 2, Retries: 1, RetryWait: 10 * time.Millisecond}},
		{name: "429 retried after Retry-After", statuses: []int{429, 429}, header: http.Header{"Retry-After": {"0"}},
			want: onair.Operation{StatusCode: 200, Attempts: 3, Retries: 2}},
		{name: "400 not retried", statuses: []int{400}, want: onair.Operation{StatusCode: 400, Attempts: 1}, wantErr: true},
		{name: "paced", paced: true, statuses: []int{503}, want: onair.Operation{StatusCode: 200, Attempts: 2, Retries: 1, RetryWait: 10 * time.Millisecond}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv, _, _ := scripted(tc.statuses, tc.header)
			defer srv.Close()
			var ops []onair.Operation
			var sent []string
			cfg := Config{Provider: "livepush", Source: grantedSource(""), BaseURL: srv.URL + "/v2",
				DecodeError: func(base onair.APIError, _ []byte) error { return &base },
				Retry:       Retry{Backoff: 10 * time.Millisecond},
				Hooks: onair.Hooks{
					Operation: func(ctx context.Context, op *onair.Operation, call func(context.Context) error) error {
						err := call(ctx)
						ops = append(ops, *op)
						return err
					},
					Attempt: func(req *http.Request, send func(*http.Request) (*http.Response, error)) (*http.Response, error) {
						sent = append(sent, req.Method+" "+req.URL.Path)
						return send(req)
					},
				}}
			if tc.paced {
				cfg.Wrap = func(rt http.RoundTripper) http.RoundTripper { return slowGate{rt, gate} }
			}
			c, err := New[scopes.Livepush](cfg)
			if err != nil {
				t.Fatal(err)
			}
			op := &Op[scopes.Livepush]{Name: "Streams.Get", Method: http.MethodGet, Path: "streams/{streamId}"}
			err = c.Call(context.Background(), op, []string{"st_1"}, Args{}, nil, nil)
			if (err != nil) != tc.wantErr {
				t.Fatalf("Call: %v, want error %v", err, tc.wantErr)
			}
			want := tc.want
			want.Provider, want.Name, want.Method, want.URLTemplate = "livepush", "Streams.Get", "GET", "/v2/streams/{streamId}"
			if len(ops) != 1 {
				t.Fatalf("Operation hook ran %d times, want 1", len(ops))
			}
			got := ops[0]
			if tc.paced {
				// Each attempt waited at the gate: at least that long.
				if min := time.Duration(want.Attempts) * gate; got.PaceWait < min {
					t.Errorf("PaceWait %v, want at least %v", got.PaceWait, min)
				}
			} else if got.PaceWait != 0 {
				t.Errorf("PaceWait %v without a pacer", got.PaceWait)
			}
			if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(onair.Operation{}, "PaceWait")); diff != "" {
				t.Errorf("Operation (-want +got):\n%s", diff)
			}
			if len(sent) != want.Attempts {
				t.Errorf("Attempt hook saw %d requests (%v), want %d", len(sent), sent, want.Attempts)
			}
			for _, s := range sent {
				if s != "GET /v2/streams/st_1" {
					t.Errorf("Attempt hook saw %q", s)
				}
			}
		})
	}
}

// A hook's error is the call's, and an Operation hook that wraps the
// context passes it down to the request.
func TestHooksWrap(t *testing.T) {
	srv, n, _ := scripted(nil, nil)
	defer srv.Close()
	type key struct{}
	var seen any
	refused := errors.New("refused by the hook")
	cfg := Config{Provider: "livepush", Source: grantedSource(""), BaseURL: srv.URL,
		DecodeError: func(base onair.APIError, _ []byte) error { return &base },
		Hooks: onair.Hooks{
			Operation: func(ctx context.Context, op *onair.Operation, call func(context.Context) error) error {
				if err := call(context.WithValue(ctx, key{}, "span")); err != nil {
					return err
				}
				return refused
			},
			Attempt: func(req *http.Request, send func(*http.Request) (*http.Response, error)) (*http.Response, error) {
				seen = req.Context().Value(key{})
				return send(req)
			},
		}}
	c, err := New[scopes.Livepush](cfg)
	if err != nil {
		t.Fatal(err)
	}
	op := &Op[scopes.Livepush]{Name: "Streams.Get", Method: http.MethodGet, Path: "streams"}
	if err := c.Call(context.Background(), op, nil, Args{}, nil, nil); !errors.Is(err, refused) {
		t.Errorf("Call: %v, want the hook's error", err)
	}
	if seen != "span" || n.Load() != 1 {
		t.Errorf("the attempt saw context value %v after %d requests, want the Operation hook's after 1", seen, n.Load())
	}
}
