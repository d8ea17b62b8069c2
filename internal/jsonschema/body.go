package jsonschema

import (
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// jsonMediaTypes are those openapi3filter decodes with its JSON decoder.
var jsonMediaTypes = []string{
	"application/json",
	"application/json-patch+json",
	"application/merge-patch+json",
	"application/ld+json",
	"application/hal+json",
	"application/vnd.api+json",
	"application/problem+json",
}

// DecodedAsJSON reports whether openapi3filter decodes a body sent with
// the Content-Type header contentType and described by s as JSON: only
// then may a Validator stand in for it. It takes the media type as
// openapi3filter does (the header up to any ";", as written), and reads a
// string of format binary as a file whatever the media type.
func DecodedAsJSON(contentType string, s *openapi3.Schema) bool {
	if s != nil && s.Type.Is("string") && s.Format == "binary" {
		return false
	}
	mt, _, _ := strings.Cut(contentType, ";")
	for _, j := range jsonMediaTypes {
		if mt == j {
			return true
		}
	}
	return false
}
