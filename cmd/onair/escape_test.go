package main

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestEscapeText(t *testing.T) {
	tests := []struct {
		in, value, lines string
	}{
		{"events:read identity:read", "events:read identity:read", "events:read identity:read"},
		{"événement café 直播 🎥", "événement café 直播 🎥", "événement café 直播 🎥"},
		{"Webinaire\u00a0: demain", "Webinaire\u00a0: demain", "Webinaire\u00a0: demain"},
		{`a "quoted" \x1b`, `a "quoted" \x1b`, `a "quoted" \x1b`},
		{"\x1b]0;title\a", `\x1b]0;title\a`, `\x1b]0;title\a`},
		{"\x1b[2J\x1b[H", `\x1b[2J\x1b[H`, `\x1b[2J\x1b[H`},
		{"\u009b2J \u009d0;x\u009c \u0085", `\u009b2J \u009d0;x\u009c \u0085`, `\u009b2J \u009d0;x\u009c \u0085`},
		{"\x9b2J", `\x9b2J`, `\x9b2J`},
		{"a\rb\bc\x00d\x7fe\vf\fg", `a\rb\bc\x00d\x7fe\vf\fg`, `a\rb\bc\x00d\x7fe\vf\fg`},
		{"one\ntwo\tthree", `one\ntwo\tthree`, "one\ntwo\tthree"},
		{"\u202eevil\u202c \u2067x\u2069 \u200e\u200f\u200b\u200d\ufeff\u00ad", `\u202eevil\u202c \u2067x\u2069 \u200e\u200f\u200b\u200d\ufeff\u00ad`, `\u202eevil\u202c \u2067x\u2069 \u200e\u200f\u200b\u200d\ufeff\u00ad`},
		{"a\u2028b\u2029c", `a\u2028b\u2029c`, `a\u2028b\u2029c`},
		{"\U000e0041\U000e007f", `\U000e0041\U000e007f`, `\U000e0041\U000e007f`},
		{"\xff\xfe\xc3 \xe2\x80", `\xff\xfe\xc3 \xe2\x80`, `\xff\xfe\xc3 \xe2\x80`},
		{"\ufffd is a character", "\ufffd is a character", "\ufffd is a character"},
	}
	for _, tt := range tests {
		if got := escapeText(tt.in, escapeMode{}); got != tt.value {
			t.Errorf("escapeText(%q) = %q, want %q", tt.in, got, tt.value)
		}
		if got := escapeText(tt.in, escapeMode{lines: true}); got != tt.lines {
			t.Errorf("escapeText(%q), lines = %q, want %q", tt.in, got, tt.lines)
		}
	}
}

func TestEscapeTextJSON(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"\u009b2J\u202ex\u2066", `\u009b2J\u202ex\u2066`},
		{"\U000e0041", `\udb40\udc41`},
		{"\x1b\xff", `\u001b\ufffd`},
	}
	for _, tt := range tests {
		if got := escapeText(tt.in, escapeMode{json: true}); got != tt.want {
			t.Errorf("escapeText(%q), JSON = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// FuzzEscapeText checks that escaped text holds nothing a terminal acts on,
// that escaping it again changes nothing, and that it says exactly what
// the text was: Go (or, in JSON form, JSON) reads the escapes back as the
// text.
func FuzzEscapeText(f *testing.F) {
	for _, h := range hostile {
		f.Add(h.text)
	}
	f.Add("plain text, événement, 直播")
	f.Fuzz(func(t *testing.T, s string) {
		for _, m := range []escapeMode{{}, {lines: true}, {json: true}} {
			got := escapeText(s, m)
			checkHarmless(t, "escapeText", got)
			if !m.lines && strings.ContainsAny(got, "\n\t") {
				t.Errorf("escapeText(%q) = %q keeps a newline or tab", s, got)
			}
			if again := escapeText(got, m); again != got {
				t.Errorf("escapeText(%q) = %q, then %q", s, got, again)
			}
		}
		if strings.ContainsAny(s, `"\`) {
			return // the escapes read back only between quotes
		}
		if back, err := strconv.Unquote(`"` + escapeText(s, escapeMode{}) + `"`); err != nil || back != s {
			t.Errorf("escapeText(%q) reads back as %q, %v", s, back, err)
		}
		var back string
		if err := json.Unmarshal([]byte(`"`+escapeText(s, escapeMode{json: true})+`"`), &back); err != nil || back != string([]rune(s)) {
			t.Errorf("escapeText(%q), JSON, reads back as %q, %v", s, back, err)
		}
	})
}

// TestPrintfStyled checks that onair's own styling reaches a terminal while
// the text in it, and every argument, is escaped.
func TestPrintfStyled(t *testing.T) {
	var b bytes.Buffer
	term := &terminal{&b}
	st := style{fancy: true}
	term.printf("%s Logged in to %s, granted %s (%-6s|%*d) %q\n", st.ok(), st.bold("Livestorm\x1b[2J"), "a\x1b]0;x\a b\u202e\nok", "\r", 4, 7, "\x9b")
	want := "\x1b[32m✓\x1b[0m Logged in to \x1b[1mLivestorm\\x1b[2J\x1b[0m, granted a\\x1b]0;x\\a b\\u202e\\nok (\\r     |   7) \"\\x9b\"\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("printf (-want +got):\n%s", diff)
	}

	// Written rather than printed, styling shows as escapes: nothing
	// reaches the terminal raw but through printf.
	b.Reset()
	if _, err := term.Write([]byte(string(st.ok()) + " two\nlines\t\x1b[2J\n")); err != nil {
		t.Fatal(err)
	}
	if want := "\\x1b[32m✓\\x1b[0m two\nlines\t\\x1b[2J\n"; b.String() != want {
		t.Errorf("Write wrote %q, want %q", b.String(), want)
	}
}

// TestWriteJSON checks that JSON output is the same JSON, with every
// hostile text escaped.
func TestWriteJSON(t *testing.T) {
	type doc struct{ Text string }
	for _, h := range hostile {
		var b bytes.Buffer
		if err := (&terminal{&b}).writeJSON(doc{h.text}); err != nil {
			t.Fatal(err)
		}
		checkHarmless(t, "writeJSON", b.String())
		var got doc
		if err := json.Unmarshal(b.Bytes(), &got); err != nil {
			t.Errorf("%s: writeJSON wrote what is not JSON: %v\n%s", h.name, err, b.String())
		}
		if want := string([]rune(h.text)); got.Text != want {
			t.Errorf("%s: writeJSON wrote %q, which reads back as %q, want %q", h.name, b.String(), got.Text, want)
		}
	}
}
