package redact

import (
	"bytes"
	"encoding/json"
	"strings"
)

// Body returns body, an answer's body, with every secret Text finds
// removed. A JSON body is decoded first, its strings and keys cleaned one
// by one and the values of secret-named members blanked, then encoded
// again: escapes such as \/ or \u0041 would hide a secret from a search of
// the raw text but not from whoever decodes it. Members whose names are in
// keep are not blanked for their name alone (an API's "code" is its error
// code); their values are still cleaned. Any other body, and one longer
// than MaxText, is cleaned as Text, which cuts it.
func (s *Set) Body(body []byte, keep ...string) []byte {
	if len(body) == 0 {
		return body
	}
	if len(body) > MaxText {
		return []byte(s.Text(string(body)))
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if d.Decode(&v) == nil && d.InputOffset() == int64(len(bytes.TrimRight(body, " \t\r\n"))) {
		var buf bytes.Buffer
		e := json.NewEncoder(&buf)
		e.SetEscapeHTML(false)
		if e.Encode(s.cleanJSON(v, keep)) == nil {
			return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
		}
	}
	return []byte(s.Text(string(body)))
}

// cleanJSON cleans every string and number of a decoded JSON value, and
// blanks the value of every secret-named member not in keep.
func (s *Set) cleanJSON(v any, keep []string) any {
	switch v := v.(type) {
	case string:
		return s.Text(v)
	case json.Number:
		if s.Text(string(v)) != string(v) {
			return Mark
		}
	case []any:
		for i, x := range v {
			v[i] = s.cleanJSON(x, keep)
		}
	case map[string]any:
		clean := make(map[string]any, len(v))
		for k, x := range v {
			if IsSecretParam(k) && !containsFold(keep, k) {
				x = blank(x)
			}
			clean[s.Text(k)] = s.cleanJSON(x, keep)
		}
		return clean
	}
	return v
}

// blank returns v with every string and number in it replaced by Mark,
// keeping its shape: a secret-named member that holds an object
// (DLive's streamKey{key}) stays an object, so that the body still reads
// as its schema says.
func blank(v any) any {
	switch v := v.(type) {
	case string, json.Number:
		return Mark
	case []any:
		for i, x := range v {
			v[i] = blank(x)
		}
	case map[string]any:
		for k, x := range v {
			v[k] = blank(x)
		}
	}
	return v
}

func containsFold(list []string, s string) bool {
	for _, x := range list {
		if strings.EqualFold(x, s) {
			return true
		}
	}
	return false
}
