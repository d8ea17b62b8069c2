package apiclient

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/leaktest"
	"github.com/onair-go/onair/internal/redact"
)

func TestLine(t *testing.T) {
	long := strings.Repeat("a", 197)
	for _, tc := range []struct {
		name, in, want string
	}{
		{"empty", "", ""},
		{"kept as it is", "no such stream", "no such stream"},
		{"white space collapsed", "  a\n\tb\r\n c  ", "a b c"},
		{"terminal escapes", "\x1b]0;retitled\a\x1b[2JLogin OK", "]0;retitled [2JLogin OK"},
		{"format characters", "\u202eevil\u202c\u200bx", "evil x"},
		{"line and paragraph separators", "a\u2028b\u2029c\u0085d", "a b c d"},
		{"invalid UTF-8 is a space, never dropped", "abc\xffdef\xc3", "abc def"},
		{"exactly the bound", strings.Repeat("x", maxLine), strings.Repeat("x", maxLine)},
		{"one byte over", strings.Repeat("x", maxLine+1), strings.Repeat("x", maxLine-3) + "…"},
		{"cut before a rune it would split", long + "日本", long + "…"},
		{"no space before the mark", strings.Repeat("x", 196) + " yyyy", strings.Repeat("x", 196) + "…"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, Line(tc.in)); d != "" {
				t.Errorf("Line(%.40q) (-want +got):\n%s", tc.in, d)
			}
		})
	}
}

// Runes of every width at every offset around the cut: the result is one
// printable line of valid UTF-8 within the bound, the start of what it
// cleaned, and Line of it is itself.
func TestLineAroundTheCut(t *testing.T) {
	for _, r := range []string{"é", "日", "🎉", "\u0301", "\x80", "\n", "\x1b"} {
		for pad := maxLine - 12; pad <= maxLine+4; pad++ {
			in := strings.Repeat("x", pad) + strings.Repeat(r, 8) + strings.Repeat("y", 20)
			got := Line(in)
			if !utf8.ValidString(got) || len(got) > maxLine {
				t.Fatalf("Line(%d×x + %q…) = %q: %d bytes, valid UTF-8 %v", pad, r, got, len(got), utf8.ValidString(got))
			}
			for _, c := range got {
				if c != ' ' && !unicode.IsPrint(c) {
					t.Fatalf("Line(%d×x + %q…) holds %U", pad, r, c)
				}
			}
			if again := Line(got); again != got {
				t.Errorf("Line(Line(s)) = %q, want %q", again, got)
			}
			if e := Excerpt(400, []byte(in)); e != got {
				t.Errorf("Excerpt(400, %d×x + %q…) = %q, want %q", pad, r, e, got)
			}
			// What Line does, but for the bound.
			whole := strings.Join(strings.FieldsFunc(in, func(r rune) bool {
				return r == utf8.RuneError || !unicode.IsPrint(r) || r == ' '
			}), " ")
			if cut, ok := strings.CutSuffix(got, "…"); !ok && got != whole || !strings.HasPrefix(whole, cut) {
				t.Errorf("Line(%d×x + %q…) = %q, not the start of %q", pad, r, got, whole)
			}
		}
	}
}

func TestExcerpt(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		want   string
	}{
		{502, "", "Bad Gateway"},
		{502, " \n\x00 ", "Bad Gateway"},
		{500, "<html>\n<title>oops</title>\n</html>", "<html> <title>oops</title> </html>"},
	} {
		if got := Excerpt(tc.status, []byte(tc.body)); got != tc.want {
			t.Errorf("Excerpt(%d, %q) = %q, want %q", tc.status, tc.body, got, tc.want)
		}
	}
}

func TestList(t *testing.T) {
	for _, tc := range []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"a\nb", "c"}, "a b; c"},
		{[]string{"1", "2", "3", "4", "5", "6", "7"}, "1; 2; 3; 4; 5; and 2 more"},
	} {
		if got := List(tc.in); got != tc.want {
			t.Errorf("List(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A UTF-16 answer reads as its characters, not spread apart by spaces,
// and once cleaned shows no secret, not even with its spaces taken out.
func TestLineUTF16(t *testing.T) {
	var s redact.Set
	s.Add("AT-secret-k9Qz4Wm4Rt7pLx2")
	hidden := []string{"AT-secret-k9Qz4Wm4Rt7pLx2", "unknown-token-77"}
	for _, text := range []string{
		"rejected Bearer AT-secret-k9Qz4Wm4Rt7pLx2",
		`{"message":"bad","access_token":"unknown-token-77"}`,
		"rejected X-Auth-Token: unknown-token-77 and AT-secret-k9Qz4Wm4Rt7pLx2",
	} {
		for _, bigEndian := range []bool{false, true} {
			for _, bom := range []bool{true, false} {
				in := string(leaktest.UTF16(text, bigEndian, bom))
				if got := Line(in); got != text {
					t.Errorf("Line of %q in UTF-16 (big endian %v, BOM %v) = %q", text, bigEndian, bom, got)
				}
				cleaned := s.Body([]byte(in))
				for _, got := range []string{Line(string(cleaned)), Excerpt(400, cleaned)} {
					for _, h := range hidden {
						if strings.Contains(strings.ReplaceAll(got, " ", ""), h) {
							t.Errorf("big endian %v, BOM %v: %q shows %q", bigEndian, bom, got, h)
						}
					}
				}
			}
		}
	}
}
