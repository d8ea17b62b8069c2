package main

import (
	"encoding/json"
	"fmt"
	"io"
)

// A terminal is where onair writes, its standard output or error, which
// may be a terminal. Everything reaches it through printf, whose format is
// onair's own and whose arguments are escaped (escapeText), or through
// Write, which escapes everything: text from outside never reaches the
// terminal raw, and onair's own styling and spinner still do.
type terminal struct{ w io.Writer }

// safeText is text to write as it is: onair's own, such as the color codes
// of its style, or text that escapeText has made harmless.
type safeText string

// sprintf formats as fmt.Sprintf does, with each argument escaped for one
// line (newlines too) after it is formatted, except safeText and ints
// (which a width such as %*s takes). The format is onair's own: a constant.
//
// It wraps the arguments in place rather than in a copy, so that go vet
// still checks calls against their formats; pass them as a list, not as a
// slice of your own.
func sprintf(format string, args ...any) safeText {
	for i, v := range args {
		switch v.(type) {
		case safeText, int:
		default:
			args[i] = escaped{v}
		}
	}
	return safeText(fmt.Sprintf(format, args...))
}

// escaped is a value that formats as fmt formats it, escaped.
type escaped struct{ v any }

func (e escaped) Format(f fmt.State, verb rune) {
	io.WriteString(f, escapeText(fmt.Sprintf(fmt.FormatString(f, verb), e.v), escapeMode{}))
}

// printf writes what sprintf formats.
func (t *terminal) printf(format string, args ...any) {
	io.WriteString(t.w, string(sprintf(format, args...)))
}

// Write writes p, whole lines of text such as help, with everything but
// newlines and tabs escaped; styling written this way shows as escapes.
// Each Write must hold whole characters.
func (t *terminal) Write(p []byte) (int, error) {
	if _, err := io.WriteString(t.w, escapeText(string(p), escapeMode{lines: true})); err != nil {
		return 0, err
	}
	return len(p), nil
}

// writeJSON writes v as indented JSON. encoding/json escapes control
// characters, U+2028 and U+2029, and replaces bytes that are not UTF-8;
// the C1 controls and format characters it leaves are escaped too, as
// JSON escapes, so the output is the same JSON.
func (t *terminal) writeJSON(v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	_, err = io.WriteString(t.w, escapeText(string(b), escapeMode{lines: true, json: true})+"\n")
	return err
}
