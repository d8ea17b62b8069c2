package table

import (
	"encoding/json"
	"fmt"
	"sync"
)

// Remarshal converts v to a T through JSON: a record read as its JSON
// properties (T a map[string]any), or one generated type read as another
// with the same JSON. It panics when v cannot be read so, which is a bug
// in the fake, not in a request.
func Remarshal[T any](v any) T {
	var out T
	remarshal(&out, v, "reading")
	return out
}

// Patch writes the JSON members of body, an update's request body, onto
// *dst, as a JSON merge patch does: what body leaves out (nil with
// omitempty) keeps dst's value, a map body sends is merged key by key,
// and members dst has no field for are dropped. A fake's update handler
// checks the body, patches a copy of the record and stores the copy. It
// panics when *dst cannot take body's JSON, which is a bug in the fake,
// not in a request.
func Patch(dst, body any) { remarshal(dst, body, "patching") }

func remarshal(dst, src any, doing string) {
	b, err := json.Marshal(src)
	if err == nil {
		err = json.Unmarshal(b, dst)
	}
	if err != nil {
		panic(fmt.Sprintf("table: %s a %T as a %T: %v", doing, src, dst, err))
	}
}

// Seed returns a function that decodes data, a fake's seed records in
// JSON, into a T when first called and returns that T from then on. Its
// callers copy the records into their tables (Put copies), so every
// sandbox starts from the same records without decoding them again. It
// panics if data does not decode: a bug in the fake, which its first test
// meets.
func Seed[T any](data []byte) func() T {
	return sync.OnceValue(func() T {
		var v T
		if err := json.Unmarshal(data, &v); err != nil {
			panic(fmt.Sprintf("table: reading seed data as a %T: %v", v, err))
		}
		return v
	})
}
