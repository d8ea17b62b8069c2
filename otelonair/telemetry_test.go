package otelonair_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp/cmpopts"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"

	"github.com/onair-go/onair/otelonair"
)

// telemetry is an SDK tracer provider and meter provider that keep what
// they are given in memory, for tests to read.
type telemetry struct {
	spans  *tracetest.SpanRecorder
	reader *sdkmetric.ManualReader
	opts   []otelonair.Option
}

func newTelemetry(t *testing.T) *telemetry {
	t.Helper()
	spans := tracetest.NewSpanRecorder()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSpanProcessor(spans))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() {
		tp.Shutdown(context.Background())
		mp.Shutdown(context.Background())
	})
	return &telemetry{spans: spans, reader: reader,
		opts: []otelonair.Option{otelonair.WithTracerProvider(tp), otelonair.WithMeterProvider(mp)}}
}

// span is what a test compares of an ended span: the attributes listed
// in varying are left out of Attrs and checked apart.
type span struct {
	Name   string
	Kind   trace.SpanKind
	Parent string // the parent's name; "" for a root
	Attrs  map[attribute.Key]any
	Status codes.Code
	Desc   string
	Events []string // names of the span's events: "exception" for a recorded error
}

// varying are attributes whose values differ from run to run.
var varying = map[attribute.Key]bool{
	"server.port": true, "url.full": true, "onair.retry.wait": true, "onair.pace.wait": true,
}

// ended returns the spans ended so far, in the order they ended, and each
// span's full attributes by name for the checks of varying values.
func (tl *telemetry) ended() ([]span, map[string][]map[attribute.Key]any) {
	ro := tl.spans.Ended()
	names := map[trace.SpanID]string{}
	for _, s := range ro {
		names[s.SpanContext().SpanID()] = s.Name()
	}
	var out []span
	all := map[string][]map[attribute.Key]any{}
	for _, s := range ro {
		sp := span{Name: s.Name(), Kind: s.SpanKind(), Attrs: map[attribute.Key]any{}, Status: s.Status().Code, Desc: s.Status().Description}
		if s.Parent().IsValid() {
			sp.Parent = names[s.Parent().SpanID()]
			if sp.Parent == "" {
				sp.Parent = "(elsewhere)"
			}
		}
		full := map[attribute.Key]any{}
		for _, kv := range s.Attributes() {
			full[kv.Key] = kv.Value.AsInterface()
			if !varying[kv.Key] {
				sp.Attrs[kv.Key] = kv.Value.AsInterface()
			}
		}
		for _, e := range s.Events() {
			sp.Events = append(sp.Events, e.Name)
		}
		all[s.Name()] = append(all[s.Name()], full)
		out = append(out, sp)
	}
	return out, all
}

// point is one data point of a metric: its attributes and, for a
// counter, its value or, for a histogram, its count and sum.
type point struct {
	Attrs map[attribute.Key]any
	N     int64
	Sum   float64 // a histogram's, in seconds; compared apart
}

// metrics collects the metrics recorded so far, by name, each metric's
// points sorted by attributes.
func (tl *telemetry) metrics(t *testing.T) map[string][]point {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := tl.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string][]point{}
	for _, sm := range rm.ScopeMetrics {
		if sm.Scope.Name != "github.com/onair-go/onair/otelonair" {
			t.Errorf("metrics of scope %q", sm.Scope.Name)
		}
		for _, m := range sm.Metrics {
			switch d := m.Data.(type) {
			case metricdata.Sum[int64]:
				for _, p := range d.DataPoints {
					out[m.Name] = append(out[m.Name], point{Attrs: attrMap(p.Attributes), N: p.Value})
				}
			case metricdata.Histogram[float64]:
				for _, p := range d.DataPoints {
					out[m.Name] = append(out[m.Name], point{Attrs: attrMap(p.Attributes), N: int64(p.Count), Sum: p.Sum})
				}
			default:
				t.Errorf("metric %s is a %T", m.Name, m.Data)
			}
		}
	}
	for _, ps := range out {
		slices.SortFunc(ps, func(a, b point) int { return strings.Compare(fmt.Sprint(a.Attrs), fmt.Sprint(b.Attrs)) })
	}
	return out
}

// ignoreSums compares points without their histogram sums.
var ignoreSums = cmpopts.IgnoreFields(point{}, "Sum")

func attrMap(s attribute.Set) map[attribute.Key]any {
	m := map[attribute.Key]any{}
	for _, kv := range s.ToSlice() {
		if !varying[kv.Key] {
			m[kv.Key] = kv.Value.AsInterface()
		}
	}
	return m
}

// atLeast reports whether the seconds attribute v is at least d.
func atLeast(v any, d time.Duration) bool {
	f, ok := v.(float64)
	return ok && f >= d.Seconds()
}
