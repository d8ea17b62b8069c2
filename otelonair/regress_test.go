package otelonair_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/otelonair"
	"github.com/onair-go/onair/streamdiver"
)

// A call that gets no answer fails with an error that quotes the URL the
// transport sent to. Its query, which url.full leaves out because it may
// carry a secret, must not reach the span's status, its exception event
// or the log's summary of the call through that error.
func TestNoQuerySecretInTransportError(t *testing.T) {
	const token, secret = "tok-a1b2c3d4e5f6", "s3cret-q9w8e7r6"
	srv := httptest.NewServer(nil)
	base := srv.URL
	srv.Close() // every attempt now fails: connection refused
	tl := newTelemetry(t)
	var logged bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tok := (&oauth2.Token{AccessToken: token, Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": "streams.read"})
	c, err := livepush.NewClient(oauth2.StaticTokenSource(tok), livepush.WithBaseURL(base),
		livepush.WithHooks(otelonair.Hooks(tl.opts...)), livepush.WithLogger(l))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Streams.Get(t.Context(), "st_a1b2c3d4e5f6g", onair.WithQuery("signature", secret), onair.WithMaxRetries(0))
	if err == nil {
		t.Fatal("the call to a closed server succeeded")
	}
	var spans strings.Builder
	for _, s := range tl.spans.Ended() {
		fmt.Fprintf(&spans, "%s status %q attrs %v\n", s.Name(), s.Status().Description, s.Attributes())
		for _, e := range s.Events() {
			fmt.Fprintf(&spans, "  event %s %v\n", e.Name, e.Attributes)
		}
	}
	for where, text := range map[string]string{"a span": spans.String(), "the log": logged.String(), "the metrics": fmt.Sprint(tl.metrics(t))} {
		if strings.Contains(text, secret) {
			t.Errorf("the query's secret reached %s:\n%s", where, text)
		}
	}
}

// A webhook's secret is a segment of the receiver URL's path, which the
// request's body carries to the API. An API that refuses the URL and
// quotes it in its error answer must not have the secret reach the
// operation span's status or exception, or the log, through the error.
func TestNoWebhookSecretFromRefusal(t *testing.T) {
	const token = "tok-a1b2c3d4e5f6"
	const secret = "whs-Q9w8E7r6T5y4U3i2O1p0"
	hookURL, err := livestorm.WebhookURL("https://hooks.example.com/livestorm", secret, livestorm.WebhookEvent("session.started"))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/vnd.api+json")
		w.WriteHeader(http.StatusUnprocessableEntity)
		b, _ := json.Marshal(map[string]any{"errors": []map[string]string{{"status": "422", "title": "Invalid url", "detail": hookURL + " did not answer"}}})
		w.Write(b)
	}))
	defer srv.Close()
	tl := newTelemetry(t)
	var logged bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tok := (&oauth2.Token{AccessToken: token, Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": "webhooks:write"})
	c, err := livestorm.NewClient(oauth2.StaticTokenSource(tok), livestorm.WithBaseURL(srv.URL),
		livestorm.WithHooks(otelonair.Hooks(tl.opts...)), livestorm.WithLogger(l))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Webhooks.Create(t.Context(), livestorm.CreateWebhookRequest{Event: "session.started", URL: hookURL})
	if err == nil {
		t.Fatal("the refused subscription succeeded")
	}
	if !strings.Contains(err.Error(), "did not answer") {
		t.Fatalf("the error %q does not quote the refusal: the test proves nothing", err)
	}
	l.Error("subscribing failed", "err", err)
	var spans strings.Builder
	for _, s := range tl.spans.Ended() {
		fmt.Fprintf(&spans, "%s status %q attrs %v\n", s.Name(), s.Status().Description, s.Attributes())
		for _, e := range s.Events() {
			fmt.Fprintf(&spans, "  event %s %v\n", e.Name, e.Attributes)
		}
	}
	for where, text := range map[string]string{"a span": spans.String(), "the log": logged.String(), "the error's text": err.Error()} {
		if strings.Contains(text, secret) {
			t.Errorf("the webhook secret reached %s:\n%s", where, text)
		}
	}
}

// Streamdiver's receiver URL ends in its secret; a refusal quoting it
// must not carry the secret into the error, the span or the log.
func TestNoStreamdiverWebhookSecretFromRefusal(t *testing.T) {
	const secret = "whs-Z1x2C3v4B5n6M7a8S9d0"
	hookURL, err := streamdiver.WebhookURL("https://hooks.example.com/streamdiver", secret)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		b, _ := json.Marshal(map[string]any{"status": "fail", "message": "url " + hookURL + " is not reachable"})
		w.Write(b)
	}))
	defer srv.Close()
	tl := newTelemetry(t)
	var logged bytes.Buffer
	l := slog.New(slog.NewJSONHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	tok := &oauth2.Token{AccessToken: "tok-z9y8x7w6v5u4", Expiry: time.Now().Add(time.Hour)}
	c, err := streamdiver.NewClient(oauth2.StaticTokenSource(tok), streamdiver.WithBaseURL(srv.URL),
		streamdiver.WithHooks(otelonair.Hooks(tl.opts...)), streamdiver.WithLogger(l))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Webhooks.Create(t.Context(), streamdiver.CreateWebhookRequest{URL: hookURL, Events: []streamdiver.WebhookEvent{streamdiver.WebhookEventMediaCreated}})
	if err == nil {
		t.Fatal("the refused subscription succeeded")
	}
	var spans strings.Builder
	for _, s := range tl.spans.Ended() {
		fmt.Fprintf(&spans, "%s status %q\n", s.Name(), s.Status().Description)
		for _, e := range s.Events() {
			fmt.Fprintf(&spans, "  event %s %v\n", e.Name, e.Attributes)
		}
	}
	if !strings.Contains(err.Error(), "not reachable") {
		t.Fatalf("the error %q does not quote the refusal: the test proves nothing", err)
	}
	for where, text := range map[string]string{"a span": spans.String(), "the log": logged.String(), "the error's text": err.Error()} {
		if strings.Contains(text, secret) {
			t.Errorf("the webhook secret reached %s:\n%s", where, text)
		}
	}
}

// failingAfter is a token source that fails once failing is set.
type failingAfter struct {
	tok     *oauth2.Token
	failing *atomic.Bool
}

func (f failingAfter) Token() (*oauth2.Token, error) {
	if f.failing.Load() {
		return nil, errors.New("the token source is out of tokens")
	}
	return f.tok, nil
}

// A retry counts once it is sent: a retry that the token source stops
// before it reaches the wire is no request resent, and neither
// onair.client.retries nor the span's onair.retry.count may count it.
func TestRetryNotSentNotCounted(t *testing.T) {
	var failing atomic.Bool
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		failing.Store(true) // the next attempt cannot get a token
		w.Header().Set("Retry-After", "0")
		http.Error(w, "busy", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	tl := newTelemetry(t)
	tok := (&oauth2.Token{AccessToken: "tok-a1b2c3d4e5f6", Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": "streams.read"})
	var op onair.Operation
	record := onair.Hooks{Operation: func(ctx context.Context, o *onair.Operation, call func(context.Context) error) error {
		err := call(ctx)
		op = *o
		return err
	}}
	c, err := livepush.NewClient(failingAfter{tok, &failing}, livepush.WithBaseURL(srv.URL),
		livepush.WithHooks(otelonair.Hooks(tl.opts...)), livepush.WithHooks(record))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Streams.Get(t.Context(), "st_a1b2c3d4e5f6g"); err == nil {
		t.Fatal("the call succeeded")
	}
	if op.Attempts != 1 || op.Retries != 0 {
		t.Errorf("Operation: %d attempts, %d retries; want 1 attempt sent and no retry", op.Attempts, op.Retries)
	}
	_, full := tl.ended()
	if got := full["livepush Streams.Get"][0]["onair.retry.count"]; got != int64(0) {
		t.Errorf("onair.retry.count %v, want 0", got)
	}
	if got := tl.metrics(t)["onair.client.retries"]; len(got) != 0 {
		t.Errorf("onair.client.retries %v, want none", got)
	}
}
