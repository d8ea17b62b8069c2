package table

import (
	"encoding/json"
	"fmt"
)

// Patch writes the JSON members of body, an update's request body, onto
// *dst, as a JSON merge patch does: what body leaves out (nil with
// omitempty) keeps dst's value, a map body sends is merged key by key,
// and members dst has no field for are dropped. A fake's update handler
// checks the body, patches a copy of the record and stores the copy. It
// panics when *dst cannot take body's JSON, which is a bug in the fake,
// not in a request.
func Patch(dst, body any) {
	b, err := json.Marshal(body)
	if err == nil {
		err = json.Unmarshal(b, dst)
	}
	if err != nil {
		panic(fmt.Sprintf("table: patching a %T with a %T: %v", dst, body, err))
	}
}
