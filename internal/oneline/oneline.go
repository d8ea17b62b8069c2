// Package oneline makes text taken from an answer fit in an error text:
// one printable line, of bounded length, still valid UTF-8.
package oneline

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/onair-go/onair/internal/redact"
)

// Ellipsis marks a cut.
const Ellipsis = "…"

// Cut returns text as one line of at most limit bytes: every run of spaces,
// control or format characters and invalid bytes becomes one space, and a
// text longer than max is cut at a rune boundary and ends in Ellipsis. A
// UTF-16 text is decoded first, as redact reads it, so that the NULs
// between its characters do not spread them apart, readable still, where
// no search for a secret finds them. Redact before cutting: a secret at
// the cut would otherwise leave its start behind.
func Cut[T string | []byte](text T, limit int) string {
	s := redact.Readable(string(text))
	var b strings.Builder
	sep := false // a space is due before the next printable rune
	for _, r := range s {
		if r == ' ' || r == utf8.RuneError || !unicode.IsPrint(r) {
			sep = b.Len() > 0
			continue
		}
		if sep {
			b.WriteByte(' ')
			sep = false
		}
		b.WriteRune(r)
		if b.Len() > limit {
			break
		}
	}
	if b.Len() <= limit {
		return b.String()
	}
	out := b.String()
	cut := max(0, limit-len(Ellipsis))
	for cut > 0 && !utf8.RuneStart(out[cut]) {
		cut--
	}
	return strings.TrimRight(out[:cut], " ") + Ellipsis
}
