package otelonair

import (
	"context"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/trace"

	"github.com/onair-go/onair/auth"
)

// AuthHooks returns hooks that trace and measure each refresh of the
// token sources they are given to (with auth.WithHooks), and trace each
// wait for a token store's lock. One AuthHooks value may serve any number
// of sources.
func AuthHooks(opts ...Option) auth.Hooks {
	tracer, meter := newConfig(opts)
	a := &authHooks{tracer: tracer}
	var err error
	a.refreshes, err = meter.Int64Counter("onair.auth.refreshes", metric.WithUnit("{refresh}"),
		metric.WithDescription("Refreshes of token sources, by outcome."))
	handle(err)
	a.duration, err = meter.Float64Histogram("onair.auth.refresh.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of refreshes of token sources, store locks included."),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	handle(err)
	return auth.Hooks{Refresh: a.refresh, LockWaited: a.lockWaited}
}

type authHooks struct {
	tracer    trace.Tracer
	refreshes metric.Int64Counter
	duration  metric.Float64Histogram
}

type refreshKey struct{}

func (a *authHooks) refresh(ctx context.Context, r *auth.RefreshInfo, next func(context.Context) error) error {
	start := time.Now()
	ctx, span := a.tracer.Start(ctx, r.Provider+" token refresh", trace.WithTimestamp(start),
		trace.WithAttributes(keyProvider.String(r.Provider), keyGrant.String(r.Grant)))
	err := next(context.WithValue(ctx, refreshKey{}, r))
	elapsed := time.Since(start)

	outcome := "refreshed"
	if r.Adopted {
		outcome = "adopted"
	}
	span.SetAttributes(keyAdopted.Bool(r.Adopted))
	var failed []attribute.KeyValue
	if err != nil {
		outcome = "failed"
		failed = []attribute.KeyValue{errorType(err)}
		span.SetAttributes(failed...)
		span.RecordError(err)
		span.SetStatus(codes.Error, err.Error())
	}
	span.End(trace.WithTimestamp(start.Add(elapsed)))

	set := metric.WithAttributes(append(failed, keyProvider.String(r.Provider), keyGrant.String(r.Grant), keyOutcome.String(outcome))...)
	a.refreshes.Add(ctx, 1, set)
	a.duration.Record(ctx, elapsed.Seconds(), set)
	return err
}

func (a *authHooks) lockWaited(ctx context.Context, w auth.LockWait) {
	name := "token store lock"
	var attrs []attribute.KeyValue
	if r, _ := ctx.Value(refreshKey{}).(*auth.RefreshInfo); r != nil {
		name = r.Provider + " " + name
		attrs = append(attrs, keyProvider.String(r.Provider))
	}
	_, span := a.tracer.Start(ctx, name, trace.WithTimestamp(w.Start), trace.WithAttributes(attrs...))
	if w.Err != nil {
		// The store's error is not onair's text: only its type is recorded.
		et := errorType(w.Err)
		span.SetAttributes(et)
		span.SetStatus(codes.Error, et.Value.AsString())
	}
	span.End(trace.WithTimestamp(w.Start.Add(w.Waited)))
}
