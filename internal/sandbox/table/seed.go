package table

import (
	"encoding/json"
	"fmt"
	"sync"
)

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

// PutAll puts each of rows under its key, in order: for seeding a table
// from a list.
func (t *Table[T]) PutAll(rows []T, key func(T) string) {
	for _, v := range rows {
		t.Put(key(v), v)
	}
}
