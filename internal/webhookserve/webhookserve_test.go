package webhookserve

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/webhook"
)

const secret = "0123456789abcdef-secret"

func TestSplitPath(t *testing.T) {
	type split struct {
		Secret, Tail string
		OK           bool
	}
	tests := []struct {
		path string
		tail int
		want split
	}{
		{"/hooks/" + secret, 0, split{secret, "", true}},
		{secret, 0, split{secret, "", true}}, // http.StripPrefix
		{"/hooks/", 0, split{"", "", false}},
		{"/hooks/" + secret + "/ev", 1, split{secret, "ev", true}},
		{secret + "/ev", 1, split{secret, "ev", true}}, // http.StripPrefix
		{"/hooks/" + secret + "/", 1, split{"", "", false}},
		{"ev", 1, split{"", "", false}},
		{"/ev", 1, split{"", "", false}},
		{"/" + secret + "/a/b", 2, split{secret, "a/b", true}},
		{"/" + secret + "//b", 2, split{"", "", false}},
	}
	for _, tt := range tests {
		var got split
		got.Secret, got.Tail, got.OK = splitPath(tt.path, tt.tail)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("splitPath(%q, %d) (-want +got):\n%s", tt.path, tt.tail, diff)
		}
	}
}

// testProvider takes a path tail "ok" and answers 404 to any other, the
// body being the key.
func testProvider() Provider[string] {
	return Provider[string]{
		Name: "test", Title: "Test", Tail: 1, DefaultWindow: time.Hour,
		Parse: func(tail string, body []byte) (Delivery[string], error) {
			if tail != "ok" {
				return Delivery[string]{}, &Refusal{Status: http.StatusNotFound, Text: "No such event.", Err: errors.New("test: unknown event")}
			}
			if len(body) == 0 {
				return Delivery[string]{}, errors.New("test: empty body")
			}
			return Delivery[string]{Key: "test/" + string(body), Notification: string(body)}, nil
		},
		About: func(n string) string { return "delivery " + n },
		Kind:  func(string) string { return "ok" },
	}
}

type downDedup struct{}

func (downDedup) Claim(context.Context, string, time.Duration) (webhook.Claim, error) {
	return 0, errors.New("store down")
}
func (downDedup) Done(context.Context, string, time.Duration) error { return nil }
func (downDedup) Release(context.Context, string) error             { return nil }

// TestReceiverAnswers checks the answers the core owns, for any provider.
func TestReceiverAnswers(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		path, body string
		opts       []webhook.Option
		handlerErr error
		wantStatus int
		wantCalls  int
		wantErrs   int
	}{
		{"handled", "POST", "/h/" + secret + "/ok", "a", nil, nil, 204, 1, 0},
		{"wrong secret", "POST", "/h/not-the-secret-at-all/ok", "a", nil, nil, 404, 0, 1},
		{"GET", "GET", "/h/" + secret + "/ok", "", nil, nil, 405, 0, 1},
		{"refused by the provider", "POST", "/h/" + secret + "/other", "a", nil, nil, 404, 0, 1},
		{"no delivery", "POST", "/h/" + secret + "/ok", "", nil, nil, 400, 0, 1},
		{"over the limit", "POST", "/h/" + secret + "/ok", "abc", []webhook.Option{webhook.WithBodyLimit(2)}, nil, 413, 0, 1},
		{"handler fails", "POST", "/h/" + secret + "/ok", "a", nil, errors.New("boom"), 500, 1, 1},
		{"store fails", "POST", "/h/" + secret + "/ok", "a", []webhook.Option{webhook.WithDedup(downDedup{})}, nil, 503, 0, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			var errs []error
			opts := append([]webhook.Option{webhook.WithErrorHandler(func(err error) { errs = append(errs, err) })}, tt.opts...)
			rc, err := New(testProvider(), secret, func(context.Context, string) error { calls++; return tt.handlerErr }, opts)
			if err != nil {
				t.Fatal(err)
			}
			w := httptest.NewRecorder()
			rc.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, strings.NewReader(tt.body)))
			if w.Code != tt.wantStatus || calls != tt.wantCalls || len(errs) != tt.wantErrs {
				t.Errorf("answered %d, handler ran %d times, %d errors; want %d, %d, %d", w.Code, calls, len(errs), tt.wantStatus, tt.wantCalls, tt.wantErrs)
			}
			if tt.method == "GET" && w.Header().Get("Allow") != http.MethodPost {
				t.Errorf("Allow %q; want POST", w.Header().Get("Allow"))
			}
			if body := w.Body.String(); strings.Count(strings.TrimSpace(body), "\n") != 0 {
				t.Errorf("the answer %q is not one line", body)
			}
		})
	}
}

// The Event hook wraps the handler with the delivery's kind, and a hook
// that returns nil over a failed handler does not get the delivery
// recorded as handled: it is answered 500 and handled again when
// redelivered.
func TestReceiverEventHook(t *testing.T) {
	var seen []onair.Event
	swallow := onair.Hooks{Event: func(ctx context.Context, ev *onair.Event, handle func(context.Context) error) error {
		seen = append(seen, *ev)
		handle(ctx)
		return nil
	}}
	calls := 0
	rc, err := New(testProvider(), secret, func(context.Context, string) error { calls++; return errors.New("boom") },
		[]webhook.Option{webhook.WithHooks(swallow)})
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		w := httptest.NewRecorder()
		rc.ServeHTTP(w, httptest.NewRequest("POST", "/h/"+secret+"/ok", strings.NewReader("a")))
		if w.Code != http.StatusInternalServerError {
			t.Errorf("answered %d; want 500, the handler's failure", w.Code)
		}
	}
	want := []onair.Event{{Provider: "test", Source: "webhook", Name: "ok"}, {Provider: "test", Source: "webhook", Name: "ok"}}
	if diff := cmp.Diff(want, seen); diff != "" || calls != 2 {
		t.Errorf("handler ran %d times, want 2; events (-want +got):\n%s", calls, diff)
	}
}

// TestNewWindow: no window is the provider's default, a negative one a
// mistake.
func TestNewWindow(t *testing.T) {
	handle := func(context.Context, string) error { return nil }
	rc, err := New(testProvider(), secret, handle, nil)
	if err != nil {
		t.Fatal(err)
	}
	if rc.window != time.Hour || rc.limit != webhook.DefaultBodyLimit {
		t.Errorf("window %v, limit %d; want the defaults, %v and %d", rc.window, rc.limit, time.Hour, webhook.DefaultBodyLimit)
	}
	rc, err = New(testProvider(), secret, handle, []webhook.Option{webhook.WithDedupWindow(time.Minute)})
	if err != nil || rc.window != time.Minute {
		t.Errorf("WithDedupWindow(time.Minute): %v; want a window of a minute", err)
	}
	if _, err := New(testProvider(), secret, handle, []webhook.Option{webhook.WithDedupWindow(-time.Minute)}); err == nil {
		t.Error("a negative window was taken; want an error")
	}
}
