package fidelity_test

import (
	"encoding/json"
	"testing"

	"github.com/onair-go/onair/cassette"
)

// A stream's ingest key is a credential of the session: whoever holds it
// can broadcast on the account's stream. The session's cassette must not
// hold the one the Livepush sandbox issued for the stream it created.
func TestSessionCassetteHoldsNoStreamKey(t *testing.T) {
	s := record(t)
	data, err := cassette.Encode(s.rec.Cassette())
	if err != nil {
		t.Fatal(err)
	}
	c, err := cassette.Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	found := 0
	for i, in := range c.Interactions {
		var v any
		if json.Unmarshal(in.Response.Body, &v) != nil {
			continue
		}
		var walk func(v any)
		walk = func(v any) {
			switch v := v.(type) {
			case map[string]any:
				for k, x := range v {
					if k == "streamKey" {
						found++
						if sv, ok := x.(string); ok && sv != "[redacted]" && sv != "" {
							t.Errorf("interaction %d (%s) holds the stream key %q", i+1, c.ProviderOf(i), sv)
						}
					}
					walk(x)
				}
			case []any:
				for _, x := range v {
					walk(x)
				}
			}
		}
		walk(v)
	}
	if found == 0 {
		t.Fatal("the session's answers hold no streamKey member: the test proves nothing")
	}
}
