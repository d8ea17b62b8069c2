package redact

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A wide text is UTF-16: the order of its bytes and where its code units
// start.
type wide struct {
	bigEndian bool
	start     int // after the byte order mark, if any
}

// Mark as Text writes it into UTF-16.
const (
	markLE = "[\x00r\x00e\x00d\x00a\x00c\x00t\x00e\x00d\x00]\x00"
	markBE = "\x00[\x00r\x00e\x00d\x00a\x00c\x00t\x00e\x00d\x00]"
)

// sniffLen is how much of a text wideOf looks at.
const sniffLen = 1024

// wideOf reports whether text is UTF-16, by its byte order mark or, when
// it has none, by the NUL bytes that pad ASCII characters on the same side
// of one code unit in four or more of its first ones. UTF-16 hides a
// secret from every search of the bytes, as NULs come between its
// characters.
func wideOf(text string) (wide, bool) {
	switch {
	case strings.HasPrefix(text, "\xff\xfe"):
		return wide{start: 2}, true
	case strings.HasPrefix(text, "\xfe\xff"):
		return wide{bigEndian: true, start: 2}, true
	}
	var lowNUL, highNUL, units int // NUL as the unit's first byte, second byte
	for i := 0; i+1 < min(len(text), sniffLen); i += 2 {
		units++
		switch {
		case text[i] == 0 && text[i+1] != 0:
			lowNUL++
		case text[i] != 0 && text[i+1] == 0:
			highNUL++
		}
	}
	switch {
	case units == 0:
		return wide{}, false
	case 4*highNUL >= units && highNUL > 2*lowNUL:
		return wide{}, true
	case 4*lowNUL >= units && lowNUL > 2*highNUL:
		return wide{bigEndian: true}, true
	}
	return wide{}, false
}

// unit returns the code unit at byte i of text.
func (w wide) unit(text string, i int) rune {
	if w.bigEndian {
		return rune(text[i])<<8 | rune(text[i+1])
	}
	return rune(text[i+1])<<8 | rune(text[i])
}

// view returns text decoded from UTF-16 to UTF-8. An ASCII character
// stands for its code unit; any other for its unit or surrogate pair as a
// whole. An odd last byte is dropped.
func (w wide) view(text string) *view {
	b := builder{parent: &view{text: text}}
	b.out.Grow((len(text) - w.start) / 2)
	for i := w.start; i+1 < len(text); {
		r, n := w.unit(text, i), 2
		if utf16.IsSurrogate(r) && i+3 < len(text) {
			if d := utf16.DecodeRune(r, w.unit(text, i+2)); d != utf8.RuneError {
				r, n = d, 4
			}
		}
		if r < utf8.RuneSelf {
			b.run(i, 2)
			b.out.WriteByte(byte(r))
		} else {
			b.whole(i, i+n)
			b.out.WriteRune(r)
		}
		i += n
	}
	return b.view()
}

// encode writes s as w's code units.
func (w wide) encode(s string) string {
	out := make([]byte, 0, 2*len(s))
	for _, u := range utf16.Encode([]rune(s)) {
		if w.bigEndian {
			out = append(out, byte(u>>8), byte(u))
		} else {
			out = append(out, byte(u), byte(u>>8))
		}
	}
	return string(out)
}

// Readable returns text decoded to UTF-8 if it is UTF-16 (by its byte
// order mark, or by the NUL bytes between its ASCII characters), and text
// itself otherwise, so that an excerpt shows the characters, Mark
// included, rather than bytes spread apart by NULs.
//
// Without a byte order mark it asks for more than Text does: NULs padding
// at least half of eight or more code units. Text reads a text both ways,
// so a wrong guess costs it nothing; here a wrong guess would turn a short
// answer with a stray NUL into CJK characters.
func Readable(text string) string {
	w, ok := wideOf(text)
	if !ok || w.start == 0 && !mostlyWide(text, w) {
		return text
	}
	return w.view(text).text
}

// mostlyWide reports whether at least half of the first code units of
// text, and eight or more, are ASCII characters padded by a NUL on w's side.
func mostlyWide(text string, w wide) bool {
	var padded, units int
	for i := 0; i+1 < min(len(text), sniffLen); i += 2 {
		units++
		if w.bigEndian && text[i] == 0 && text[i+1] != 0 || !w.bigEndian && text[i] != 0 && text[i+1] == 0 {
			padded++
		}
	}
	return units >= 8 && 2*padded >= units
}

// align widens s to whole code units, so that Mark replaces characters,
// where the byte it takes in is the NUL of an ASCII character: in a text
// taken for UTF-16 wrongly, it could be a quote that ends the value.
func (w wide) align(text string, s span) span {
	if s.lo > w.start && (s.lo-w.start)%2 == 1 && text[s.lo-1] == 0 {
		s.lo--
	}
	if s.hi > w.start && (s.hi-w.start)%2 == 1 && s.hi < len(text) && text[s.hi] == 0 {
		s.hi++
	}
	return s
}

// withoutNULs returns a view of text with its NUL bytes left out, which
// reads the ASCII characters of any part of it in UTF-16 as they are.
func withoutNULs(text string) *view {
	b := builder{parent: &view{text: text}}
	b.out.Grow(len(text))
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], 0)
		if j < 0 {
			j = len(text) - i
		}
		b.copy(i, i+j)
		i += j + 1
	}
	return b.view()
}

// aligned reports whether s holds whole code units of a text of n bytes.
func (w wide) aligned(s span, n int) bool {
	return s.lo >= w.start && (s.lo-w.start)%2 == 0 && (s.hi == n || (s.hi-w.start)%2 == 0)
}
