package redact

import (
	"html"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// unescape returns v with its escapes decoded in one pass, or nil when it
// has none: percent-escapes, JSON, JavaScript and Go string escapes, and
// HTML character references.
func unescape(v *view) *view {
	t := v.text
	b := builder{parent: v}
	b.out.Grow(len(t))
	last, found := 0, false
	for i := 0; i < len(t); {
		j := strings.IndexAny(t[i:], `%\&`)
		if j < 0 {
			break
		}
		i += j
		s, n := escapeAt(t[i:])
		if n == 0 {
			i++
			continue
		}
		b.copy(last, i)
		b.decoded(i, i+n, s)
		i += n
		last, found = i, true
	}
	if !found {
		return nil
	}
	b.copy(last, len(t))
	return b.view()
}

// escapeAt decodes the escape at the start of s and returns what it
// stands for and its length, or n == 0 when s starts with none.
func escapeAt(s string) (string, int) {
	if len(s) < 2 {
		return "", 0
	}
	switch s[0] {
	case '%':
		if c, ok := hexValue(s[1:], 2); ok {
			return string([]byte{byte(c)}), 3
		}
		if s[1] == 'u' || s[1] == 'U' {
			if r, ok := hexValue(s[2:], 4); ok {
				return string(rune(r)), 6
			}
		}
	case '\\':
		return backslashAt(s)
	case '&':
		return referenceAt(s)
	}
	return "", 0
}

// backslashAt decodes a string escape: \uXXXX (surrogate pairs too),
// \UXXXXXXXX, \xXX and the one-letter ones.
func backslashAt(s string) (string, int) {
	switch c := s[1]; c {
	case 'u':
		r, ok := hexValue(s[2:], 4)
		if !ok {
			return "", 0
		}
		if utf16.IsSurrogate(rune(r)) && len(s) >= 12 && s[6] == '\\' && s[7] == 'u' {
			if r2, ok := hexValue(s[8:], 4); ok {
				if d := utf16.DecodeRune(rune(r), rune(r2)); d != utf8.RuneError {
					return string(d), 12
				}
			}
		}
		return string(rune(r)), 6
	case 'U':
		if r, ok := hexValue(s[2:], 8); ok {
			return string(rune(r)), 10
		}
	case 'x':
		if b, ok := hexValue(s[2:], 2); ok {
			return string([]byte{byte(b)}), 4
		}
	case '"', '\'', '/', '`':
		// A doubled backslash is left as it is: decoding it would put
		// the escapes after it out of step, view after view.
		return s[1:2], 2
	case 'a':
		return "\a", 2
	case 'b':
		return "\b", 2
	case 'f':
		return "\f", 2
	case 'n':
		return "\n", 2
	case 'r':
		return "\r", 2
	case 't':
		return "\t", 2
	case 'v':
		return "\v", 2
	}
	return "", 0
}

// referenceAt decodes an HTML character reference: &#47; or &#x2f; (the
// ';' may be missing, as browsers allow) or a named one such as &sol;.
func referenceAt(s string) (string, int) {
	if s[1] == '#' {
		i, base := 2, 10
		if i < len(s) && (s[i] == 'x' || s[i] == 'X') {
			i, base = 3, 16
		}
		start := i
		r := 0
		for i < len(s) && i-start < 8 && digitValue(s[i]) < base {
			r = r*base + digitValue(s[i])
			i++
		}
		if i == start {
			return "", 0
		}
		if i < len(s) && s[i] == ';' {
			i++
		}
		if r == 0 || r > utf8.MaxRune {
			r = utf8.RuneError
		}
		return string(rune(r)), i
	}
	end := strings.IndexByte(s[:min(len(s), 34)], ';')
	if end < 2 {
		return "", 0
	}
	for _, c := range []byte(s[1:end]) {
		if digitValue(c) >= 36 {
			return "", 0
		}
	}
	ref := s[:end+1]
	if u := html.UnescapeString(ref); u != ref {
		return u, len(ref)
	}
	return "", 0
}

// hexValue reads exactly n hex digits at the start of s.
func hexValue(s string, n int) (int, bool) {
	if len(s) < n {
		return 0, false
	}
	v := 0
	for _, c := range []byte(s[:n]) {
		d := digitValue(c)
		if d >= 16 {
			return 0, false
		}
		v = v<<4 | d
	}
	return v, true
}

// digitValue is the value of c as a digit of base 36, or 36 if it is
// none.
func digitValue(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'a' <= c && c <= 'z':
		return int(c-'a') + 10
	case 'A' <= c && c <= 'Z':
		return int(c-'A') + 10
	}
	return 36
}

// minBase64Run is the shortest run of base64 digits decoded: four bytes.
const minBase64Run = 6

// base64Runs returns a view of each run of base64 digits in v decoded
// four times, a line each, as if the base64 text it is part of began 0 to
// 3 digits before it, or nil when v has no run. One of the four lines
// decodes every byte the run's digits alone decide, however the run came
// to start where it does. A secret found in any of them stands for the
// whole run.
func base64Runs(v *view) *view {
	t := v.text
	b := builder{parent: v}
	b.out.Grow(3 * len(t))
	var buf []byte
	for i := 0; i < len(t); {
		if _, ok := base64Value(t[i]); !ok {
			i++
			continue
		}
		j := i + 1
		for j < len(t) {
			if _, ok := base64Value(t[j]); !ok {
				break
			}
			j++
		}
		k := j
		for k < len(t) && t[k] == '=' {
			k++
		}
		digits := t[i:j]
		if k == j && j-i >= minWrapped {
			var next int
			digits, k = wrapped(t, i, j)
			j, next = k, k
			for next < len(t) && t[next] == '=' {
				next++
			}
			k = next
		}
		if len(digits) >= minBase64Run {
			lo, hi := v.orig(i, k)
			b.whole(lo, hi)
			for lead := range 4 {
				buf = decodeBase64(buf[:0], lead, digits)
				b.out.Write(buf)
				b.out.WriteByte('\n')
			}
		}
		i = k
	}
	if b.out.Len() == 0 {
		return nil
	}
	return b.view()
}

// minWrapped is the shortest line of base64 digits that the next lines
// may go on from.
const minWrapped = 16

// wrapped returns the digits of the base64 text that starts with the run
// t[i:j] and goes on, as MIME and PEM write it, over whole lines of a
// multiple of four characters, and where the last of them ends before its
// padding. A run goes on only from the end of its line.
func wrapped(t string, i, j int) (string, int) {
	var digits []byte
	for {
		m := j
		switch {
		case strings.HasPrefix(t[m:], "\r\n"):
			m += 2
		case strings.HasPrefix(t[m:], "\n"):
			m++
		default:
			return joined(digits, t, i, j), j
		}
		e := m
		for e < len(t) {
			if _, ok := base64Value(t[e]); !ok {
				break
			}
			e++
		}
		p := e
		for p < len(t) && t[p] == '=' {
			p++
		}
		if p == m || (p-m)%4 != 0 || p < len(t) && t[p] != '\r' && t[p] != '\n' {
			return joined(digits, t, i, j), j
		}
		if digits == nil {
			digits = append(digits, t[i:j]...)
		}
		digits = append(digits, t[m:e]...)
		j = e
		if p > e {
			return string(digits), j
		}
	}
}

// joined returns the digits gathered, or t[i:j] if there are none.
func joined(digits []byte, t string, i, j int) string {
	if digits == nil {
		return t[i:j]
	}
	return string(digits)
}

// decodeBase64 appends to dst the bytes that lead zero digits and then
// s, base64 digits of either alphabet with no padding, decode to; bits
// left over are dropped.
func decodeBase64(dst []byte, lead int, s string) []byte {
	var acc uint
	bits := 6 * lead
	for _, c := range []byte(s) {
		d, _ := base64Value(c)
		acc = acc<<6 | uint(d)
		bits += 6
		for bits >= 8 {
			bits -= 8
			dst = append(dst, byte(acc>>bits))
			acc &= 1<<bits - 1
		}
	}
	return dst
}

// base64Value is the value of c as a digit of standard or URL base64.
func base64Value(c byte) (byte, bool) {
	switch {
	case 'A' <= c && c <= 'Z':
		return c - 'A', true
	case 'a' <= c && c <= 'z':
		return c - 'a' + 26, true
	case '0' <= c && c <= '9':
		return c - '0' + 52, true
	case c == '+' || c == '-':
		return 62, true
	case c == '/' || c == '_':
		return 63, true
	}
	return 0, false
}
