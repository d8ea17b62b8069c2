package main

import (
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// Text that onair prints but did not write itself, such as a provider's
// error_description or scopes, a token's fields, a URL, a path or an
// argument echoed back, can hold what a terminal takes as a command: an
// escape sequence (ESC, or the 8-bit CSI, OSC and the other C1 controls)
// can retitle the window, clear the screen or move the cursor, a carriage
// return, backspace or newline can print over a line or add one, and a
// bidi override or other format character can show other text than is
// there. escapeText writes every such character as an escape instead, the
// way Go writes it in a quoted string: \x1b, \r, \u202e, and \xff for a
// byte that is not UTF-8. A backslash stays as it is: text that spells an
// escape is harmless, if ambiguous.

// escapeMode says which characters escapeText keeps, and how it writes the
// rest.
type escapeMode struct {
	// lines keeps newlines and tabs: the text is whole lines of output
	// rather than a value within one.
	lines bool
	// json writes escapes as JSON does (\u001b, and characters beyond
	// U+FFFF as UTF-16 pairs), for text inside encoding/json's output.
	json bool
}

// escapeText returns s with every character a terminal would act on, or
// that could disguise text, escaped as m says.
func escapeText(s string, m escapeMode) string {
	i := firstUnsafe(s, m)
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			if m.json {
				b.WriteString(`\ufffd`)
			} else {
				fmt.Fprintf(&b, `\x%02x`, s[i])
			}
		case safe(r, m):
			b.WriteString(s[i : i+size])
		case m.json:
			writeJSONEscape(&b, r)
		default:
			q := strconv.QuoteRune(r) // such as '\x1b'
			b.WriteString(q[1 : len(q)-1])
		}
		i += size
	}
	return b.String()
}

// firstUnsafe returns the index of the first byte of s that escapeText
// changes, or len(s).
func firstUnsafe(s string, m escapeMode) int {
	for i, r := range s {
		if r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD") || !safe(r, m) {
			return i
		}
	}
	return len(s)
}

// safe reports whether r shows as itself: a letter, mark, number,
// punctuation, symbol or space, or in whole lines a newline or tab.
func safe(r rune, m escapeMode) bool {
	switch {
	case r == ' ' || strconv.IsPrint(r):
		return true
	case r == '\n' || r == '\t':
		return m.lines
	}
	// Other spaces, such as the no-break space French puts before a colon,
	// do nothing a space does not; line and paragraph separators are not
	// spaces (Zl, Zp).
	return unicode.Is(unicode.Zs, r)
}

// writeJSONEscape writes r as a JSON string escape.
func writeJSONEscape(b *strings.Builder, r rune) {
	if r > 0xFFFF {
		hi, lo := utf16.EncodeRune(r)
		fmt.Fprintf(b, `\u%04x\u%04x`, hi, lo)
		return
	}
	fmt.Fprintf(b, `\u%04x`, r)
}
