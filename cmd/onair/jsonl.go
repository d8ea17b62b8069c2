package main

import (
	"encoding/json"
	"io"
)

// writeJSONLine writes v as JSON on one line, escaped as writeJSON
// escapes: one line per value, for a stream that another program reads
// as it comes.
func (t *terminal) writeJSONLine(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	_, err = io.WriteString(t.w, escapeText(string(b), escapeMode{json: true})+"\n")
	return err
}
