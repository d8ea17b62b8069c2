package jsonschema

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

// keywordSchemas use the keywords the specs' answers do not (or not in
// every combination), each with documents on both sides of its edge.
var keywordSchemas = []struct {
	schema string
	docs   []string
}{
	{`{"type":"integer","format":"int32","minimum":0,"maximum":10,"exclusiveMaximum":true}`,
		[]string{`0`, `-1`, `9`, `10`, `9.5`, `1e1`, `5.0`, `-0`, `"5"`, `null`, `3000000000`}},
	{`{"type":"integer","format":"int32"}`, []string{`2147483647`, `2147483648`, `-2147483648`, `-2147483649`, `1e19`, `1e400`}},
	{`{"type":"integer","format":"int64"}`, []string{`9223372036854775807`, `1e19`, `-1e30`, `1.5`}},
	{`{"type":"number","minimum":1.5,"exclusiveMinimum":true,"maximum":2}`, []string{`1.5`, `1.50001`, `2`, `2.0000001`, `1e400`, `true`}},
	{`{"type":"string","minLength":2,"maxLength":3}`, []string{`"a"`, `"ab"`, `"abc"`, `"abcd"`, `"\u00e9\u00e9"`, `"\ud83d\ude00"`, `"\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00"`, `"\ud800x"`, `"a\""`, `"é"`}},
	{`{"type":"string","format":"date"}`, []string{`"2024-02-30"`, `"2024-00-01"`, `"2024-1-01"`, `"24-01-01"`, `"2024-12-31"`, `"2024-12-31T00:00:00Z"`, `"2024\u002d12-31"`}},
	{`{"type":"string","format":"date-time"}`, []string{`"2024-12-31T23:59:60Z"`, `"2024-12-31T24:00:00Z"`, `"2024-12-31T23:59:59.Z"`, `"2024-12-31T23:59:59.123-07:00"`, `"2024-12-31t23:59:59Z"`, `"2024-12-31T23:59:59+0700"`, `"2024-12-31T23:59:59"`}},
	{`{"type":"string","format":"byte"}`, []string{`""`, `"YWJj"`, `"YWJj=="`, `"YW=Jj"`, `"a b"`, `"-_+/="`}},
	{`{"type":"string","format":"email"}`, []string{`"nobody"`, `"a@b.c"`}},
	{`{"type":"string","enum":["a","b"],"nullable":true}`, []string{`"a"`, `"c"`, `null`, `1`, `"\u0061"`}},
	{`{"enum":[1,2.5,true,"x"]}`, []string{`1`, `1.0`, `2.5`, `true`, `false`, `"x"`, `[]`, `{}`, `null`, `10e-1`}},
	{`{"type":"array","minItems":1,"maxItems":2,"items":{"type":"string"}}`, []string{`[]`, `["a"]`, `["a","b"]`, `["a","b","c"]`, `[1]`, `["a",null]`, `{}`}},
	{`{"type":"array"}`, []string{`[1,"a",null,{}]`, `[`, `[1,]`}},
	{`{"type":"object","required":["id","secret","extra"],"properties":{"id":{"type":"string"},"secret":{"type":"string","writeOnly":true},"ro":{"type":"string","readOnly":true}}}`,
		[]string{`{"id":"1","extra":1}`, `{"id":"1"}`, `{"id":"1","extra":null,"secret":"s"}`, `{"id":"1","extra":null,"secret":null}`, `{"id":"1","extra":2,"ro":"r"}`, `{"id":1,"extra":2}`,
			`{"id":1,"id":"1","extra":2}`, `{"id":"1","id":1,"extra":2}`, `{"secret":"s","secret":null,"id":"1","extra":0}`, `{"secret":null,"secret":"s","id":"1","extra":0}`, `{"i\u0064":"1","extra":0}`}},
	{`{"type":"object","additionalProperties":false,"properties":{"a":{"type":"integer"}}}`, []string{`{}`, `{"a":1}`, `{"b":1}`, `{"a":1.5}`, `{"a":1,"a":1}`, `{"a":"x","a":2}`}},
	{`{"type":"object","additionalProperties":{"type":"integer"}}`, []string{`{}`, `{"a":1}`, `{"a":"x"}`, `{"a":"x","a":1}`, `{"a":1,"a":"x"}`}},
	{`{"properties":{"a":{}}}`, []string{`1`, `null`, `{"a":null}`, `[]`}},
	{`{"description":"anything"}`, []string{`1`, `null`, `"x"`, `{"a":[1,{"b":null}]}`, `{"a":}`}},
	{`{"type":"object","properties":{"a":{"description":"anything"}}}`, []string{`{"a":null}`, `{"a":1}`}},
	{`{"allOf":[{"type":"object","required":["a"]},{"type":"object","required":["b"]}]}`, []string{`{"a":1,"b":2}`, `{"a":1}`, `null`, `[]`}},
	{`{"anyOf":[{"type":"string"},{"type":"integer"}]}`, []string{`"a"`, `1`, `1.5`, `null`, `{}`}},
	{`{"oneOf":[{"type":"number"},{"type":"integer"}]}`, []string{`1`, `1.5`, `"a"`, `null`}},
	{`{"oneOf":[{"type":"string","nullable":true},{"type":"integer"}]}`, []string{`null`, `"a"`, `1`, `true`}},
	{`{"type":"string","nullable":true,"allOf":[{"type":"string"}]}`, []string{`null`, `"a"`, `1`}},
	{`{"type":"object","properties":{"n":{"type":"object","nullable":true,"properties":{"x":{"type":"boolean"}}}}}`, []string{`{"n":null}`, `{"n":{"x":true}}`, `{"n":{"x":"true"}}`, `{"n":[]}`}},
}

// TestKeywordsSameVerdictAsKin checks each keyword this package supports
// on documents either side of its edge, against kin-openapi.
func TestKeywordsSameVerdictAsKin(t *testing.T) {
	for _, tc := range keywordSchemas {
		var s openapi3.Schema
		if err := json.Unmarshal([]byte(tc.schema), &s); err != nil {
			t.Fatalf("%s: %v", tc.schema, err)
		}
		v, err := Compile(&s)
		if err != nil {
			t.Fatalf("%s: %v", tc.schema, err)
		}
		for _, doc := range tc.docs {
			want := kinVerdict(&s, []byte(doc))
			got := v.Validate([]byte(doc))
			if (want == nil) != (got == nil) {
				t.Errorf("schema %s, document %s\nkin-openapi: %v\njsonschema: %v", tc.schema, doc, want, got)
			}
		}
	}
}

// TestUnsupportedKeyword: a keyword the validator does not check makes
// Compile fail and name it, rather than being ignored.
func TestUnsupportedKeyword(t *testing.T) {
	for kw, schema := range map[string]string{
		"not":           `{"not":{"type":"string"}}`,
		"pattern":       `{"type":"string","pattern":"^a"}`,
		"uniqueItems":   `{"type":"array","uniqueItems":true}`,
		"multipleOf":    `{"type":"number","multipleOf":2}`,
		"discriminator": `{"oneOf":[{"type":"object"}],"discriminator":{"propertyName":"kind"}}`,
		"minProperties": `{"type":"object","properties":{"a":{"type":"object","minProperties":1}}}`,
		`format "ipv5"`: `{"type":"string","format":"ipv5"}`,
		"enum with a":   `{"enum":[[1]]}`,
	} {
		var s openapi3.Schema
		if err := json.Unmarshal([]byte(schema), &s); err != nil {
			t.Fatal(err)
		}
		_, err := Compile(&s)
		if err == nil || !strings.Contains(err.Error(), kw) {
			t.Errorf("Compile(%s) = %v, want an error naming %s", schema, err, kw)
		}
	}
}

// TestErrorNamesPointer: a rejection says where and what, on one line.
func TestErrorNamesPointer(t *testing.T) {
	var s openapi3.Schema
	if err := json.Unmarshal([]byte(`{"type":"object","properties":{"data":{"type":"array","items":{"type":"object","required":["id"],"properties":{"id":{"type":"string"},"a/b":{"type":"integer"}}}}}}`), &s); err != nil {
		t.Fatal(err)
	}
	v, err := Compile(&s)
	if err != nil {
		t.Fatal(err)
	}
	for doc, want := range map[string]string{
		`{"data":[{"id":"1"},{"id":2}]}`:  "JSON value at /data/1/id: value is a number, want string",
		`{"data":[{"id":"1","a/b":"x"}]}`: "JSON value at /data/0/a~1b: value is a string, want integer",
		`{"data":[{}]}`:                   "JSON value at /data/0/id: required member is missing",
		`{"data":[{"id":"1"}]} x`:         "invalid JSON at byte 22: data after the JSON value",
		`{"data":[{"id":"1"}}`:            "invalid JSON at byte 19: want , or ] in an array",
	} {
		err := v.Validate([]byte(doc))
		if err == nil || err.Error() != want {
			t.Errorf("Validate(%s) = %v, want %s", doc, err, want)
		}
	}
}
