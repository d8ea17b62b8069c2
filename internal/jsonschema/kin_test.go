package jsonschema

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/onair-go/onair/internal/apispec"
)

// specNames are the specs the sandboxes serve.
var specNames = []string{"livepush", "livestorm", "streamdiver", "dlive"}

// answer is one response body schema of one operation.
type answer struct {
	name    string
	schema  *openapi3.Schema
	v       *Validator
	example any
}

// answers loads every response schema of every operation in the specs,
// as the sandboxes load them, and compiles it.
func answers(tb testing.TB) []answer {
	tb.Helper()
	var out []answer
	for _, name := range specNames {
		spec, err := apispec.Load(context.Background(), "../../specs/"+name+".yaml")
		if err != nil {
			tb.Fatal(err)
		}
		for _, op := range spec.Ops {
			for _, code := range slices.Sorted(maps.Keys(op.Op.Responses.Map())) {
				r := op.Op.Responses.Value(code).Value
				for _, mt := range slices.Sorted(maps.Keys(r.Content)) {
					c := r.Content[mt]
					if c.Schema == nil {
						continue
					}
					v, err := Compile(c.Schema.Value)
					if err != nil {
						tb.Fatalf("%s %s %s %s: %v", name, op.ID, code, mt, err)
					}
					ex, _ := apispec.Example(c)
					out = append(out, answer{name: fmt.Sprintf("%s/%s/%s", name, op.ID, code), schema: c.Schema.Value, v: v, example: ex})
				}
			}
		}
	}
	return out
}

// kinVerdict is what openapi3filter.ValidateResponse decides for body.
func kinVerdict(s *openapi3.Schema, body []byte) error {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	return s.VisitJSON(v, openapi3.MultiErrors(), openapi3.VisitAsResponse())
}

// TestSameVerdictAsKin checks every response schema of the four specs
// with its examples, a document built from the schema, and mutations of
// both, and wants kin-openapi's verdict on each.
func TestSameVerdictAsKin(t *testing.T) {
	var checked, rejected int
	for _, a := range answers(t) {
		var docs []any
		if a.example != nil {
			docs = append(docs, normalize(a.example))
		}
		docs = append(docs, build(a.schema, 0))
		seen := map[string]bool{}
		for _, doc := range docs {
			for _, m := range mutations(doc) {
				body, err := json.Marshal(m)
				if err != nil {
					t.Fatal(err)
				}
				if seen[string(body)] {
					continue
				}
				seen[string(body)] = true
				want := kinVerdict(a.schema, body)
				got := a.v.Validate(body)
				checked++
				if got != nil {
					rejected++
				}
				if (want == nil) != (got == nil) {
					t.Errorf("%s: %s\nkin-openapi: %v\njsonschema: %v", a.name, body, want, got)
				}
			}
		}
	}
	t.Logf("%d documents, %d rejected", checked, rejected)
	if rejected == 0 || rejected == checked {
		t.Errorf("%d of %d documents rejected: the mutations test nothing", rejected, checked)
	}
}

// normalize turns an example as the loader gives it into what decoding
// JSON with UseNumber gives.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var out any
	if err := dec.Decode(&out); err != nil {
		panic(err)
	}
	return out
}

// build makes a document the schema accepts, every property filled.
func build(s *openapi3.Schema, depth int) any {
	if depth > 8 {
		return nil
	}
	if len(s.Enum) > 0 {
		return s.Enum[0]
	}
	if len(s.AllOf) > 0 {
		return build(s.AllOf[0].Value, depth+1)
	}
	if len(s.OneOf) > 0 {
		return build(s.OneOf[0].Value, depth+1)
	}
	if len(s.AnyOf) > 0 {
		return build(s.AnyOf[0].Value, depth+1)
	}
	switch {
	case s.Type.Is("object"), s.Properties != nil:
		o := map[string]any{}
		for k, p := range s.Properties {
			o[k] = build(p.Value, depth+1)
		}
		return o
	case s.Type.Is("array"):
		out := []any{}
		if s.Items != nil {
			for range max(1, s.MinItems) {
				out = append(out, build(s.Items.Value, depth+1))
			}
		}
		return out
	case s.Type.Is("integer"), s.Type.Is("number"):
		if s.Min != nil {
			return json.Number(fmt.Sprint(*s.Min))
		}
		return json.Number("7")
	case s.Type.Is("boolean"):
		return true
	case s.Type.Is("string"):
		switch s.Format {
		case "date-time":
			return "2024-05-06T07:08:09Z"
		case "date":
			return "2024-05-06"
		}
		return "text"
	}
	return "anything"
}

// replacements are the values each node is replaced with in turn.
var replacements = []any{
	nil, true, json.Number("-1"), json.Number("1.5"), json.Number("3000000000"), json.Number("1e400"),
	"x", "2024-05-06T07:08:09.5+02:00", "2024-13-06T07:08:09Z", []any{}, map[string]any{},
}

// mutations returns doc and documents that differ from it at one node.
func mutations(doc any) []any {
	out := []any{doc}
	var root any // the document being mutated
	var walk func(v any, set func(any))
	walk = func(v any, set func(any)) {
		for _, r := range replacements {
			set(r)
			out = append(out, clone(root))
		}
		set(v)
		switch v := v.(type) {
		case map[string]any:
			for _, k := range slices.Sorted(maps.Keys(v)) {
				child := v[k]
				delete(v, k)
				out = append(out, clone(root))
				v[k] = child
				walk(child, func(x any) { v[k] = x })
			}
			v["zzExtra"] = json.Number("1")
			out = append(out, clone(root))
			delete(v, "zzExtra")
		case []any:
			for i, child := range v {
				walk(child, func(x any) { v[i] = x })
			}
			if len(v) > 0 {
				set(v[:0])
				out = append(out, clone(root))
				set(append(slices.Clone(v), v[0]))
				out = append(out, clone(root))
				set(v)
			}
		}
	}
	root = clone(doc)
	walk(root, func(x any) { root = x })
	return out
}

func clone(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = clone(x)
		}
		return m
	case []any:
		s := make([]any, len(v))
		for i, x := range v {
			s[i] = clone(x)
		}
		return s
	}
	return v
}
