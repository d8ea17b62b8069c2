package otelonair

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/semconv/v1.43.0/httpconv"
	"go.opentelemetry.io/otel/trace"

	"github.com/onair-go/onair"
)

// Hooks returns hooks that trace and measure each operation, each HTTP
// request and each webhook delivery or subscription event of the clients
// and receivers they are given to (with a provider's WithHooks or
// webhook.WithHooks). One Hooks value may serve any number of them.
func Hooks(opts ...Option) onair.Hooks {
	tracer, meter := newConfig(opts)
	c := &clientHooks{tracer: tracer,
		clientKind:   trace.WithSpanKind(trace.SpanKindClient),
		internalKind: trace.WithSpanKind(trace.SpanKindInternal),
		consumerKind: trace.WithSpanKind(trace.SpanKindConsumer),
	}
	var err error
	c.requestDuration, err = httpconv.NewClientRequestDuration(meter)
	handle(err)
	c.opDuration, err = meter.Float64Histogram("onair.client.operation.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of calls of API operations, retries and waits included."),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	handle(err)
	c.retries, err = meter.Int64Counter("onair.client.retries", metric.WithUnit("{retry}"),
		metric.WithDescription("Requests resent after a 429, a 503 or a network failure."))
	handle(err)
	c.rateLimited, err = meter.Int64Counter("onair.client.rate_limited", metric.WithUnit("{response}"),
		metric.WithDescription("Answers 429 Too Many Requests."))
	handle(err)
	c.paceWait, err = meter.Float64Histogram("onair.client.pace.duration", metric.WithUnit("s"),
		metric.WithDescription("Time calls waited for the client's own rate limit."),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	handle(err)
	return onair.Hooks{Operation: c.operation, Attempt: c.attempt, Event: c.event}
}

type clientHooks struct {
	tracer          trace.Tracer
	clientKind      trace.SpanStartOption // made once: each makes an allocation
	internalKind    trace.SpanStartOption
	consumerKind    trace.SpanStartOption
	requestDuration httpconv.ClientRequestDuration
	opDuration      metric.Float64Histogram
	retries         metric.Int64Counter
	rateLimited     metric.Int64Counter
	paceWait        metric.Float64Histogram
}

// call is what the attempts of one operation share; they run one after
// the other, never at once.
type call struct {
	op   *onair.Operation
	host string // server.address and server.port, from the last attempt
	port int
}

type callKey struct{}

func (c *clientHooks) operation(ctx context.Context, op *onair.Operation, next func(context.Context) error) error {
	// The operation is a logical call around the attempts' client spans,
	// so it is internal: span-derived HTTP metrics count each request once.
	ctx, span := c.tracer.Start(ctx, op.Provider+" "+op.Name, c.internalKind,
		trace.WithAttributes(
			keyProvider.String(op.Provider),
			keyOperation.String(op.Name),
			semconv.HTTPRequestMethodKey.String(op.Method),
			semconv.URLTemplate(op.URLTemplate),
		))
	start := time.Now()
	k := &call{op: op}
	err := next(context.WithValue(ctx, callKey{}, k))
	elapsed := time.Since(start)

	// The metrics' attributes; the span has all but the first two.
	attrs := make([]attribute.KeyValue, 0, 4)
	attrs = append(attrs, keyProvider.String(op.Provider), keyOperation.String(op.Name))
	if op.StatusCode != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(op.StatusCode))
	}
	if err != nil {
		attrs = append(attrs, errorType(err))
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	spanAttrs := make([]attribute.KeyValue, 0, 7)
	spanAttrs = append(spanAttrs, attrs[2:]...)
	spanAttrs = append(spanAttrs,
		keyRetryCount.Int(op.Retries),
		keyRetryWait.Float64(op.RetryWait.Seconds()),
		keyPaceWait.Float64(op.PaceWait.Seconds()),
	)
	if k.host != "" {
		spanAttrs = append(spanAttrs, semconv.ServerAddress(k.host), semconv.ServerPort(k.port))
	}
	span.SetAttributes(spanAttrs...)
	span.End()

	c.opDuration.Record(ctx, elapsed.Seconds(), metric.WithAttributes(attrs...))
	if op.Retries == 0 && op.PaceWait == 0 {
		return err
	}
	who := metric.WithAttributes(keyProvider.String(op.Provider), keyOperation.String(op.Name))
	if op.Retries > 0 {
		c.retries.Add(ctx, int64(op.Retries), who)
	}
	if op.PaceWait > 0 {
		c.paceWait.Record(ctx, op.PaceWait.Seconds(), who)
	}
	return err
}

func (c *clientHooks) attempt(req *http.Request, send func(*http.Request) (*http.Response, error)) (*http.Response, error) {
	ctx := req.Context()
	k, _ := ctx.Value(callKey{}).(*call)
	host, port := serverAttrs(req.URL)
	// The first attributes are the metric's, all of them the span's.
	attrs := make([]attribute.KeyValue, 0, 10)
	attrs = append(attrs,
		semconv.HTTPRequestMethodKey.String(req.Method),
		semconv.ServerAddress(host),
		semconv.ServerPort(port),
		semconv.URLScheme(req.URL.Scheme),
	)
	name := req.Method
	if k != nil {
		k.host, k.port = host, port
		name += " " + k.op.URLTemplate
		attrs = append(attrs, semconv.URLTemplate(k.op.URLTemplate))
	}
	shared := len(attrs)
	attrs = append(attrs, semconv.URLFull(fullURL(req.URL)))
	if k != nil && k.op.Attempts > 1 {
		attrs = append(attrs, semconv.HTTPRequestResendCount(k.op.Attempts-1))
	}

	ctx, span := c.tracer.Start(ctx, name, c.clientKind, trace.WithAttributes(attrs...))
	start := time.Now()
	res, err := send(req.WithContext(ctx))
	elapsed := time.Since(start)

	attrs = attrs[:shared]
	switch {
	case err != nil:
		// The transport's error text is not onair's and may quote the
		// request: only its type is recorded.
		et := errorType(err)
		attrs = append(attrs, et)
		span.SetStatus(codes.Error, et.Value.AsString())
	case res.StatusCode >= 400:
		attrs = append(attrs, semconv.HTTPResponseStatusCode(res.StatusCode), semconv.ErrorTypeKey.String(strconv.Itoa(res.StatusCode)))
		span.SetStatus(codes.Error, "")
	default:
		attrs = append(attrs, semconv.HTTPResponseStatusCode(res.StatusCode))
	}
	span.SetAttributes(attrs[shared:]...)
	span.End()

	c.requestDuration.Inst().Record(ctx, elapsed.Seconds(), metric.WithAttributes(attrs...))
	if err == nil && res.StatusCode == http.StatusTooManyRequests && k != nil {
		c.rateLimited.Add(ctx, 1, metric.WithAttributes(keyProvider.String(k.op.Provider), keyOperation.String(k.op.Name)))
	}
	return res, err
}

func (c *clientHooks) event(ctx context.Context, ev *onair.Event, handle func(context.Context) error) error {
	ctx, span := c.tracer.Start(ctx, ev.Provider+" "+ev.Name, c.consumerKind,
		trace.WithAttributes(
			// The messaging conventions require the system and the
			// operation's name on a consumer span.
			semconv.MessagingSystemKey.String(ev.Provider),
			semconv.MessagingOperationName("process"),
			semconv.MessagingOperationTypeProcess,
			keyProvider.String(ev.Provider),
			keyEventSource.String(ev.Source),
			keyEventName.String(ev.Name),
		))
	defer span.End()
	err := handle(ctx)
	if err != nil {
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
		span.SetAttributes(errorType(err))
	}
	return err
}
