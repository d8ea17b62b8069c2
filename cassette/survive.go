package cassette

import (
	"fmt"

	"github.com/onair-go/onair/internal/redact"
)

// newSet returns a redaction set of secrets.
func newSet(secrets []string) *redact.Set {
	var s redact.Set
	s.Add(secrets...)
	return &s
}

// survivor returns where in c, or in its encoding data, one of s's values
// survives, if one does.
func survivor(c *Cassette, data []byte, s *redact.Set) (string, bool) {
	for i, in := range c.Interactions {
		for _, f := range []struct {
			name, text string
		}{
			{"request URL", in.Request.URL},
			{"request header", fmt.Sprint(in.Request.Header)},
			{"request body", string(in.Request.Body)},
			{"answer header", fmt.Sprint(in.Response.Header)},
			{"answer body", string(in.Response.Body)},
		} {
			if holds(s, f.text) {
				return fmt.Sprintf("interaction %d's %s", i+1, f.name), true
			}
		}
	}
	if holds(s, string(data)) {
		return "the file", true
	}
	return "", false
}

// overlap is how much the parts holds checks a long text in overlap: more
// than any encoding of a secret takes.
const overlap = 64 << 10

// holds reports whether text holds one of s's values, checking a text
// longer than the redaction reads at once in overlapping parts.
func holds(s *redact.Set, text string) bool {
	for start := 0; ; start += redact.MaxText - overlap {
		end := min(len(text), start+redact.MaxText)
		if s.Holds(text[start:end]) {
			return true
		}
		if end == len(text) {
			return false
		}
	}
}
