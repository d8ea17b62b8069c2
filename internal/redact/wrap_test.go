package redact

import (
	"encoding/base64"
	"net/url"
	"strings"
	"testing"
)

// wrap breaks s into lines of n characters, each ended by eol.
func wrap(s string, n int, eol string) string {
	var b strings.Builder
	for len(s) > n {
		b.WriteString(s[:n] + eol)
		s = s[n:]
	}
	b.WriteString(s)
	return b.String()
}

// Base64 wrapped into lines, as MIME (76 characters) and PEM (64) write
// it, hides no secret, wherever a line break falls in it.
func TestTextBase64Wrapped(t *testing.T) {
	var s Set
	s.Add(secret)
	for _, inner := range []string{secret, "client_secret=" + url.QueryEscape(secret) + "&code=abc"} {
		for pad := range 120 {
			plain := strings.Repeat("x", pad) + inner + strings.Repeat("y", 30)
			enc := base64.StdEncoding.EncodeToString([]byte(plain))
			for _, width := range []int{76, 64, 20} {
				for _, eol := range []string{"\r\n", "\n"} {
					in := "body:\r\n" + wrap(enc, width, eol) + "\r\n--end"
					out := s.Text(in)
					joined := strings.NewReplacer("\r", "", "\n", "").Replace(out)
					if strings.Contains(joined, enc[(8*pad+5)/6:(8*(pad+len(inner)))/6]) || !strings.HasSuffix(out, "\r\n--end") {
						t.Errorf("pad %d, lines of %d: Text(%q) = %q", pad, width, in, out)
					}
				}
			}
		}
	}
	// Lines of words are not base64 joined: a redacted run stays on its line.
	in := "first line of words\n" + b64(base64.StdEncoding, secret) + "\nlast line of words"
	if got, want := s.Text(in), "first line of words\n[redacted]\nlast line of words"; got != want {
		t.Errorf("Text(%q) = %q, want %q", in, got, want)
	}
}
