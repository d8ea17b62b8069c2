package fidelity

import (
	"encoding/json"
	"slices"
	"strings"
)

// shape returns the fields of a JSON document and their JSON types, by
// JSON pointer; the members of an array are merged under "/*", types
// joined by "|" where they differ. It returns false for a body that is
// not JSON.
func shape(body []byte) (map[string]string, bool) {
	var v any
	if len(body) == 0 || json.Unmarshal(body, &v) != nil {
		return nil, false
	}
	out := map[string]string{}
	var walk func(p string, v any)
	walk = func(p string, v any) {
		t := jsonType(v)
		if old, ok := out[p]; ok && !slices.Contains(strings.Split(old, "|"), t) {
			parts := append(strings.Split(old, "|"), t)
			slices.Sort(parts)
			t = strings.Join(parts, "|")
		}
		out[p] = t
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				walk(pointerTo(p, k), x)
			}
		case []any:
			for _, x := range v {
				walk(p+"/*", x)
			}
		}
	}
	walk("", v)
	return out, true
}

func jsonType(v any) string {
	switch v.(type) {
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	}
	return "null"
}

// parallel calls f with each pair of strings found at the same place in
// the JSON documents a and b.
func parallel(a, b []byte, f func(x, y string)) {
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return
	}
	var walk func(x, y any)
	walk = func(x, y any) {
		switch x := x.(type) {
		case string:
			if y, ok := y.(string); ok {
				f(x, y)
			}
		case map[string]any:
			if y, ok := y.(map[string]any); ok {
				for k, xv := range x {
					walk(xv, y[k])
				}
			}
		case []any:
			if y, ok := y.([]any); ok {
				for i := range min(len(x), len(y)) {
					walk(x[i], y[i])
				}
			}
		}
	}
	walk(va, vb)
}
