package redact

import (
	"strings"
	"testing"
	"unicode/utf16"
)

// encodeUTF16 writes s as UTF-16 in either byte order, with a byte order
// mark if bom.
func encodeUTF16(s string, bigEndian, bom bool) string {
	var b []byte
	put := func(u uint16) {
		if bigEndian {
			b = append(b, byte(u>>8), byte(u))
		} else {
			b = append(b, byte(u), byte(u>>8))
		}
	}
	if bom {
		put(0xfeff)
	}
	for _, u := range utf16.Encode([]rune(s)) {
		put(u)
	}
	return string(b)
}

// A UTF-16 answer hides nothing: neither known values nor secret-named
// parameters survive, read as bytes, with the NULs dropped, or decoded.
func TestTextUTF16(t *testing.T) {
	const code = "CODE-xyz789"
	var s Set
	s.Add(secret, code)
	texts := []string{
		"bad request client_secret=" + secret + "&code=" + code,
		`{"error":"invalid_grant","error_description":"code ` + code + ` was used","access_token":"at-unknown-1"}`,
		"rejected Authorization: Bearer tok-unknown-22\r\nnext",
		"ünïcödé 🎥 before " + secret + " and after",
		"client_secret=" + secret,
	}
	hidden := []string{secret, code, "at-unknown-1", "tok-unknown-22"}
	for _, text := range texts {
		for _, bigEndian := range []bool{false, true} {
			for _, bom := range []bool{true, false} {
				in := encodeUTF16(text, bigEndian, bom)
				out := s.Text(in)
				for _, seen := range []string{out, strings.ReplaceAll(out, "\x00", ""), Readable(out)} {
					for _, h := range hidden {
						if strings.Contains(seen, h) {
							t.Errorf("big endian %v, BOM %v: %q shows %q in %q", bigEndian, bom, text, h, seen)
						}
					}
				}
				if !strings.Contains(Readable(out), Mark) {
					t.Errorf("big endian %v, BOM %v: %q: no readable Mark in %q", bigEndian, bom, text, Readable(out))
				}
				if again := s.Text(out); again != out {
					t.Errorf("big endian %v, BOM %v: Text is not idempotent:\nonce:  %q\ntwice: %q", bigEndian, bom, out, again)
				}
			}
		}
	}
}

func TestReadable(t *testing.T) {
	for _, text := range []string{"plain ASCII text", "ünïcödé 🎥 text", `{"a":"b"}`} {
		if got := Readable(text); got != text {
			t.Errorf("Readable(%q) = %q, want it unchanged", text, got)
		}
		for _, bigEndian := range []bool{false, true} {
			for _, bom := range []bool{true, false} {
				if got := Readable(encodeUTF16(text, bigEndian, bom)); got != text {
					t.Errorf("Readable of %q in UTF-16 (big endian %v, BOM %v) = %q", text, bigEndian, bom, got)
				}
			}
		}
	}
	// A short answer with a stray NUL is not UTF-16: read as such it would
	// show as CJK characters.
	for _, text := range []string{"PWNED\x00", "PW\x00", "bad\x00request\x00", "\x00x"} {
		if got := Readable(text); got != text {
			t.Errorf("Readable(%q) = %q, want it unchanged", text, got)
		}
	}
}

// A part of a text in UTF-16, after more ASCII than wideOf looks at or at
// an odd offset, hides nothing either.
func TestTextUTF16Part(t *testing.T) {
	var s Set
	s.Add(secret)
	for _, prefix := range []string{"", "x", strings.Repeat("plain text ", 200), strings.Repeat("é", 601)} {
		for _, bigEndian := range []bool{false, true} {
			in := prefix + encodeUTF16("got "+secret+" and access_token=unknown-4567", bigEndian, false) + " end"
			out := s.Text(in)
			seen := strings.ReplaceAll(out, "\x00", "")
			for _, h := range []string{secret, "unknown-4567"} {
				if strings.Contains(seen, h) {
					t.Errorf("%d bytes before, big endian %v: %q shows %q", len(prefix), bigEndian, seen[len(prefix)/2:], h)
				}
			}
			if again := s.Text(out); again != out {
				t.Errorf("%d bytes before, big endian %v: Text is not idempotent:\nonce:  %q\ntwice: %q", len(prefix), bigEndian, out, again)
			}
		}
	}
}

func TestWideMarks(t *testing.T) {
	if got := (wide{}).encode(Mark); got != markLE {
		t.Errorf("Mark in UTF-16LE = %q, want %q", got, markLE)
	}
	if got := (wide{bigEndian: true}).encode(Mark); got != markBE {
		t.Errorf("Mark in UTF-16BE = %q, want %q", got, markBE)
	}
}
