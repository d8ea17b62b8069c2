package table

import (
	"encoding/json"
	"fmt"
)

// Remarshal converts v to a T through JSON: a record read as its JSON
// properties (T a map[string]any), or one generated type read as another
// with the same JSON. It panics when v cannot be read so, which is a bug
// in the fake, not in a request.
func Remarshal[T any](v any) T {
	var out T
	b, err := json.Marshal(v)
	if err == nil {
		err = json.Unmarshal(b, &out)
	}
	if err != nil {
		panic(fmt.Sprintf("table: reading a %T as a %T: %v", v, out, err))
	}
	return out
}
