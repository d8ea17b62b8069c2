package jsonschema

import (
	"encoding/json"
	"testing"
)

// BenchmarkValidate checks two answers the sandboxes send most, from
// their spec examples, with kin-openapi (as openapi3filter does: decode
// with UseNumber, then VisitJSON) and with this package, side by side.
func BenchmarkValidate(b *testing.B) {
	all := answers(b)
	for _, name := range []string{"livestorm/getEvent/200", "streamdiver/getMedia/200"} {
		var a *answer
		for i := range all {
			if all[i].name == name {
				a = &all[i]
			}
		}
		if a == nil || a.example == nil {
			b.Fatalf("%s: no such answer with an example", name)
		}
		body, err := json.Marshal(a.example)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name+"/kin", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if err := kinVerdict(a.schema, body); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(name+"/jsonschema", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				if err := a.v.Validate(body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
