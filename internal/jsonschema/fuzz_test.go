package jsonschema

import (
	"encoding/json"
	"testing"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
)

// FuzzSameVerdictAsKin feeds any bytes to one of the specs' response
// schemas or of keywordSchemas and wants kin-openapi's verdict on well-formed UTF-8 JSON, and
// a rejection of anything else.
func FuzzSameVerdictAsKin(f *testing.F) {
	all := answers(f)
	for i, a := range all {
		if a.example == nil {
			continue
		}
		body, err := json.Marshal(a.example)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint16(i), body)
		b, _ := json.Marshal(build(a.schema, 0))
		f.Add(uint16(i), b)
	}
	for _, tc := range keywordSchemas {
		var s openapi3.Schema
		if err := json.Unmarshal([]byte(tc.schema), &s); err != nil {
			f.Fatal(err)
		}
		v, err := Compile(&s)
		if err != nil {
			f.Fatal(err)
		}
		all = append(all, answer{name: tc.schema, schema: &s, v: v})
		for _, doc := range tc.docs {
			f.Add(uint16(len(all)-1), []byte(doc))
		}
	}
	f.Fuzz(func(t *testing.T, which uint16, data []byte) {
		a := all[int(which)%len(all)]
		got := a.v.Validate(data)
		if !json.Valid(data) || !utf8.Valid(data) {
			if got == nil {
				t.Fatalf("%s accepted malformed %q", a.name, data)
			}
			return
		}
		want := kinVerdict(a.schema, data)
		if (want == nil) != (got == nil) {
			t.Fatalf("%s: %q\nkin-openapi: %v\njsonschema: %v", a.name, data, want, got)
		}
	})
}
