package onair

import (
	"context"
	"net/http"
	"time"
)

// Hooks let instrumentation (tracing, metrics, logging) wrap what a client
// or a webhook receiver does. Every field is optional, and a client or
// receiver without hooks pays nothing for them. Package otelonair builds
// Hooks that emit OpenTelemetry spans and metrics; a provider's WithLogger
// option builds Hooks that log through log/slog. Users who bring their own
// instrumentation set the fields they need.
//
// A hook that wraps must call its next function exactly once, with the
// context it was given or one derived from it, and return what it
// returned (or an error of its own).
type Hooks struct {
	// Operation wraps each call of an API operation: the scope check, every
	// attempt, every wait and the decoding of the answer. op's result
	// fields are filled in as the call goes; read them after call returns.
	Operation func(ctx context.Context, op *Operation, call func(context.Context) error) error

	// Attempt wraps each HTTP request an operation sends: the first, each
	// retry and the resend after a refused token. req carries the
	// credentials; log or record its header only through an allow-list.
	Attempt func(req *http.Request, send func(*http.Request) (*http.Response, error)) (*http.Response, error)

	// Event wraps the handling of each webhook delivery a receiver accepts
	// and each subscription event a loop receives. For a subscription,
	// handle runs the loop's body once.
	Event func(ctx context.Context, ev *Event, handle func(context.Context) error) error
}

// Operation describes one call of an API operation to Hooks.Operation.
type Operation struct {
	Provider string // the provider's name in lower case: "livestorm"
	Name     string // the method called, as Service.Method: "Events.Get"
	Method   string // the HTTP method
	// URLTemplate is the request's path before its parameters are filled
	// in ("/v1/events/{id}"): the same for every call of the operation,
	// so it suits a metric's or a span's name.
	URLTemplate string

	// The result, filled in as the call goes.

	StatusCode int           // of the last answer; 0 when none came
	Attempts   int           // HTTP requests sent
	Retries    int           // attempts the retry policy added after 429, 503 or a network failure
	RetryWait  time.Duration // time spent waiting before those retries
	PaceWait   time.Duration // time spent waiting for the client's rate limit (Livestorm's pacing)
}

// Event describes one webhook delivery or subscription event to
// Hooks.Event.
type Event struct {
	Provider string // "livestorm"
	Source   string // "webhook" or "subscription"
	// Name is the event's kind, as the provider names it: "session.started",
	// "media.published", "ChatText".
	Name string
}
