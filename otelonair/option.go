package otelonair

import (
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/onair-go/onair"
)

// scope names this package as the instrumentation library of its spans
// and metrics.
const scope = "github.com/onair-go/onair/otelonair"

// An Option configures Hooks and AuthHooks.
type Option func(*config)

type config struct {
	tp trace.TracerProvider
	mp metric.MeterProvider
}

// WithTracerProvider makes spans with tp instead of the global tracer
// provider.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider makes metrics with mp instead of the global meter
// provider.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

func newConfig(opts []Option) (trace.Tracer, metric.Meter) {
	var c config
	for _, o := range opts {
		o(&c)
	}
	if c.tp == nil {
		c.tp = otel.GetTracerProvider()
	}
	if c.mp == nil {
		c.mp = otel.GetMeterProvider()
	}
	return c.tp.Tracer(scope, trace.WithInstrumentationVersion(onair.Version), trace.WithSchemaURL(semconv.SchemaURL)),
		c.mp.Meter(scope, metric.WithInstrumentationVersion(onair.Version), metric.WithSchemaURL(semconv.SchemaURL))
}
