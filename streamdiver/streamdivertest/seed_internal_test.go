package streamdivertest

import (
	"bytes"
	"encoding/json"
	"testing"
)

// seed.json names no member the records lack: a misspelt one would
// otherwise be dropped without a word, and the sandbox would serve less
// than the file says.
func TestSeedHasNoUnknownMembers(t *testing.T) {
	d := json.NewDecoder(bytes.NewReader(seedJSON))
	d.DisallowUnknownFields()
	var s seedData
	if err := d.Decode(&s); err != nil {
		t.Fatalf("seed.json: %v", err)
	}
}
