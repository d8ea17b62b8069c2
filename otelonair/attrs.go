package otelonair

import (
	"context"
	"errors"
	"net/url"
	"strconv"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/redact"
)

// onair's own attribute keys, for what the semantic conventions have no
// name for.
const (
	keyProvider    = attribute.Key("onair.provider")
	keyOperation   = attribute.Key("onair.operation")
	keyRetryCount  = attribute.Key("onair.retry.count")
	keyRetryWait   = attribute.Key("onair.retry.wait")
	keyPaceWait    = attribute.Key("onair.pace.wait")
	keyGrant       = attribute.Key("onair.auth.grant")
	keyAdopted     = attribute.Key("onair.auth.adopted")
	keyOutcome     = attribute.Key("onair.auth.outcome")
	keyEventSource = attribute.Key("onair.event.source")
	keyEventName   = attribute.Key("onair.event.name")
)

// durationBuckets are the semantic conventions' boundaries for
// http.client.request.duration, in seconds, for every duration here.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// errorType is err's error.type: an answer's status code, "timeout" for a
// deadline, "canceled" for a cancelled context, or the error's type as
// the semantic conventions derive it. An operation sees a transport's
// error inside the *url.Error http.Client wraps it in, and cleaned of
// secrets (internal/redact), where its attempt sees it as it is: both are
// looked through, so that the two name the same type.
func errorType(err error) attribute.KeyValue {
	var api *onair.APIError
	switch {
	case errors.As(err, &api):
		return semconv.ErrorTypeKey.String(strconv.Itoa(api.StatusCode))
	case errors.Is(err, context.DeadlineExceeded):
		return semconv.ErrorTypeKey.String("timeout")
	case errors.Is(err, context.Canceled):
		return semconv.ErrorTypeKey.String("canceled")
	}
	kv := semconv.ErrorType(err)
	var wrapped *url.Error
	if kv.Value.AsString() == "*url.Error" && errors.As(err, &wrapped) && wrapped.Err != nil {
		err = wrapped.Err
		kv = semconv.ErrorType(err)
	}
	if name := redact.ErrorType(err); name != "" {
		return semconv.ErrorTypeKey.String(name)
	}
	return kv
}

// serverAttrs are server.address and server.port of u, the port implied
// by the scheme when u has none.
func serverAttrs(u *url.URL) (host string, port int) {
	host = u.Hostname()
	p := u.Port()
	switch {
	case p != "":
		port, _ = strconv.Atoi(p)
	case u.Scheme == "https":
		port = 443
	case u.Scheme == "http":
		port = 80
	}
	return host, port
}

// fullURL is u without its query, fragment and user: url.full may be read
// by anyone who sees traces, and a query can carry secrets.
func fullURL(u *url.URL) string {
	c := *u
	c.User, c.RawQuery, c.ForceQuery, c.Fragment, c.RawFragment = nil, "", false, "", ""
	return c.String()
}

// handle reports an instrument that could not be made to OpenTelemetry's
// error handler; the instrument returned with the error does nothing.
func handle(err error) {
	if err != nil {
		otel.Handle(err)
	}
}
