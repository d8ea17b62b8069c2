// Package otelonair traces and measures onair's clients, webhook receivers
// and token sources with OpenTelemetry. It is the only onair package that
// imports OpenTelemetry: a program that does not import it compiles none.
//
// Hooks instruments a client or a receiver, AuthHooks a token source:
//
//	h := otelonair.Hooks()
//	c, err := livestorm.NewClient(ts, livestorm.WithHooks(h))
//	rcv, err := livestorm.NewReceiver(secret, handle, webhook.WithHooks(h))
//	ts := cfg.TokenSource(ctx, tok, auth.WithHooks(otelonair.AuthHooks()))
//
// Both use the global tracer and meter providers unless given others with
// WithTracerProvider and WithMeterProvider.
//
// # Spans
//
//   - "{provider} {operation}", such as "livestorm Events.Get": one per call
//     of an API operation, of kind internal (the HTTP client spans are its
//     attempts', so that metrics derived from spans count each request
//     once), with http.request.method,
//     url.template, server.address, server.port, http.response.status_code
//     and error.type, and onair.provider, onair.operation, onair.retry.count,
//     onair.retry.wait and onair.pace.wait (seconds spent waiting before
//     retries and for the client's rate limit). A failed call records its
//     error, whose onair text holds no secret.
//   - "{method} {url.template}", such as "GET /v1/events/{id}": a child of
//     the operation's span per HTTP request sent (the first, each retry,
//     the resend after a refused token), of kind client, until the answer's
//     header arrived, with http.request.method, url.full without its query
//     (which may carry secrets), url.scheme, url.template, server.address,
//     server.port, http.request.resend_count, http.response.status_code and
//     error.type. Headers are never recorded, nor a transport's error text:
//     the operation's span has the error.
//   - "{provider} token refresh": one per refresh of a token source, with
//     onair.provider, onair.auth.grant ("refresh_token" or
//     "client_credentials"), onair.auth.adopted (a token another process
//     stored was taken instead of asking the provider) and, on failure,
//     the error and error.type. A refresh runs apart from the calls that
//     wait for it: its span is a child of the span in the context the
//     source was made with, if any, not of a call's.
//   - "{provider} token store lock": a child of the refresh's span per wait
//     for a token store's lock on the key, from when the source asked for
//     the lock until it held it or gave up (then with error.type).
//   - "{provider} {event}", such as "livestorm session.started" or
//     "dlive ChatFollow": one per webhook delivery a receiver handles or
//     subscription event a loop receives, of kind consumer, with
//     messaging.system (the provider), messaging.operation.name and
//     messaging.operation.type "process", onair.provider, onair.event.source
//     ("webhook" or "subscription") and onair.event.name. A webhook
//     handler's error is recorded as it is.
//
// error.type is the answer's status code for an error answer, "timeout"
// for a deadline, "canceled" for a cancelled context, and otherwise the
// error's type; a transport's failure is named by the transport error's
// own type on both the operation's and the attempt's span.
//
// # Metrics
//
// Names from OpenTelemetry's semantic conventions:
//
//   - http.client.request.duration (histogram, s): each HTTP request sent,
//     with its span's attributes but url.full and the resend count.
//
// Names of onair's own, for what the conventions have no name for:
//
//   - onair.client.operation.duration (histogram, s): each call of an
//     operation, retries and waits included, with onair.provider,
//     onair.operation, http.response.status_code and error.type.
//   - onair.client.retries (counter): the retries of each call, with
//     onair.provider and onair.operation.
//   - onair.client.rate_limited (counter): each answer 429 Too Many
//     Requests, with onair.provider and onair.operation.
//   - onair.client.pace.duration (histogram, s): the time each call of a
//     client that paces its requests (Livestorm's) waited for its rate
//     limit, with onair.provider and onair.operation.
//   - onair.auth.refreshes (counter): each refresh, with onair.provider,
//     onair.auth.grant, onair.auth.outcome ("refreshed", "adopted" or
//     "failed") and error.type.
//   - onair.auth.refresh.duration (histogram, s): each refresh, with the
//     same attributes.
package otelonair
