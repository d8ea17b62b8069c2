package cassette

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"

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

// unredacted returns where in c a credential, a cookie or the value of a
// secret-named parameter was left as it was: where c is not as the
// Recorder's redaction leaves it.
func unredacted(c *Cassette, s *redact.Set) (string, bool) {
	for i, in := range c.Interactions {
		cl := clean(s, in)
		for _, f := range []struct {
			name string
			same bool
		}{
			{"request URL", cl.Request.URL == in.Request.URL},
			{"request header", sameHeader(cl.Request.Header, in.Request.Header)},
			{"request body", sameBody(cl.Request.Body, in.Request.Body)},
			{"answer header", sameHeader(cl.Response.Header, in.Response.Header)},
			{"answer body", sameBody(cl.Response.Body, in.Response.Body)},
		} {
			if !f.same {
				return fmt.Sprintf("interaction %d's %s", i+1, f.name), true
			}
		}
	}
	return "", false
}

// encoded returns which body of c is compressed (Content-Encoding), if
// one is: what it holds can be neither checked nor redacted.
func encoded(c *Cassette) (string, bool) {
	for i, in := range c.Interactions {
		for _, f := range []struct {
			name string
			h    http.Header
		}{{"request", in.Request.Header}, {"answer", in.Response.Header}} {
			if enc := f.h.Get("Content-Encoding"); enc != "" && !strings.EqualFold(enc, "identity") {
				return fmt.Sprintf("interaction %d's %s", i+1, f.name), true
			}
		}
	}
	return "", false
}

// sameHeader compares headers, but for Content-Length, which the
// redaction drops.
func sameHeader(clean, h http.Header) bool {
	h = h.Clone()
	h.Del("Content-Length")
	if len(h) == 0 {
		h = nil
	}
	return reflect.DeepEqual(clean, h)
}

// sameBody compares bodies as JSON values when both are JSON, as the
// redaction encodes JSON again.
func sameBody(clean, b Body) bool {
	if bytes.Equal(clean, b) {
		return true
	}
	var x, y any
	dx, dy := json.NewDecoder(bytes.NewReader(clean)), json.NewDecoder(bytes.NewReader(b))
	dx.UseNumber()
	dy.UseNumber()
	return dx.Decode(&x) == nil && dy.Decode(&y) == nil && reflect.DeepEqual(x, y)
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
