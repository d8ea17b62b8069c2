package jsonschema

import (
	"reflect"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
)

// TestDecodedAsJSON: the media types said to be JSON are exactly those
// openapi3filter has its JSON decoder registered for.
func TestDecodedAsJSON(t *testing.T) {
	jsonDecoder := reflect.ValueOf(openapi3filter.JSONBodyDecoder).Pointer()
	for _, ct := range append(jsonMediaTypes, "text/plain", "application/octet-stream", "application/yaml", "text/csv", "application/x-www-form-urlencoded", "multipart/form-data", "application/x-ndjson", "Application/JSON") {
		dec := openapi3filter.RegisteredBodyDecoder(ct)
		want := dec != nil && reflect.ValueOf(dec).Pointer() == jsonDecoder
		if got := DecodedAsJSON(ct, nil); got != want {
			t.Errorf("DecodedAsJSON(%q) = %v, want %v", ct, got, want)
		}
		if want && !DecodedAsJSON(ct+"; charset=utf-8", nil) {
			t.Errorf("DecodedAsJSON(%q with a charset) = false", ct)
		}
	}
	binary := &openapi3.Schema{Type: &openapi3.Types{"string"}, Format: "binary"}
	if DecodedAsJSON("application/json", binary) {
		t.Error("a binary string is decoded as a file, not as JSON")
	}
}
