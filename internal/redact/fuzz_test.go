package redact

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// escapeAll writes every byte of s but letters and digits with format.
func escapeAll(format string) func(string) string {
	return func(s string) string {
		var b strings.Builder
		for _, c := range []byte(s) {
			if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
				b.WriteByte(c)
			} else {
				fmt.Fprintf(&b, format, c)
			}
		}
		return b.String()
	}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

func goQuoted(s string) string {
	q := strconv.Quote(s)
	return q[1 : len(q)-1]
}

// encodings are the ways a text may write a secret; the fuzz target plants
// one of them and the check looks for all of them.
var encodings = []struct {
	name   string
	encode func(string) string
}{
	{"raw", func(s string) string { return s }},
	{"query-escaped", url.QueryEscape},
	{"query-escaped in lower case", func(s string) string { return lowerEscapes(url.QueryEscape(s)) }},
	{"path-escaped", url.PathEscape},
	{"path-escaped in lower case", func(s string) string { return lowerEscapes(url.PathEscape(s)) }},
	{"every byte percent-escaped", escapeAll("%%%02x")},
	{"JSON string", jsonString},
	{"JSON \\u escapes", escapeAll(`\u%04x`)},
	{"JSON \\u escapes in upper case", escapeAll(`\u%04X`)},
	{"Go \\x escapes", escapeAll(`\x%02x`)},
	{"HTML hex references", escapeAll("&#x%x;")},
	{"HTML decimal references", escapeAll("&#%d;")},
	{"HTML-escaped", html.EscapeString},
	{"Go-quoted", goQuoted},
	{"UTF-16LE", func(s string) string { return encodeUTF16(s, false, false) }},
	{"UTF-16BE", func(s string) string { return encodeUTF16(s, true, false) }},
}

// hasSecret reports in which form, if any, text shows secret. In base64
// the secret may start at any of three byte offsets; the characters its
// bytes alone decide are looked for.
func hasSecret(text, secret string) (string, bool) {
	for _, e := range encodings {
		if strings.Contains(text, e.encode(secret)) {
			return e.name, true
		}
	}
	for _, v := range []string{secret, url.QueryEscape(secret)} {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			for k := range 3 {
				s := enc.EncodeToString(append(make([]byte, k), v...))
				if strings.Contains(text, s[(8*k+5)/6:(8*(k+len(v)))/6]) {
					return fmt.Sprintf("base64 at offset %d", k), true
				}
			}
		}
	}
	return "", false
}

// withoutMarks returns text with each Mark that Text writes, in UTF-8 or
// UTF-16, replaced by a NUL: a Mark's characters are no part of what a
// text shows, even where they and the text before them spell a secret's
// characters ("0000000" then "[redacted]" for "0000000[").
func withoutMarks(text string) string {
	for _, m := range []string{Mark, markLE, markBE} {
		text = strings.ReplaceAll(text, m, "\x00")
	}
	return text
}

// FuzzRedact plants a known secret, in one of many encodings, in
// arbitrary text: no encoding of it may survive Text, and Text must
// change nothing in what it returned.
func FuzzRedact(f *testing.F) {
	for i := range encodings {
		f.Add("got ", secret, "!", uint8(i), uint8(0))
		f.Add(`{"error_description":"`, "cs/9Kx+Qz=Vw~Lm.42Rb", `"}`, uint8(i), uint8(2))
	}
	for i := range 4 {
		f.Add("Basic ", "DLIVE-CLIENT-SECRET-42", "", uint8(len(encodings)), uint8(i))
		f.Add("Location: /cb?e=", "ab+/cd==ef/+gh", "&x=1", uint8(len(encodings)+1), uint8(i))
	}
	f.Add("%4", secret, "", uint8(1), uint8(0))
	f.Add(`\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\\`, secret, "", uint8(9), uint8(0))
	f.Fuzz(func(t *testing.T, prefix, secret, suffix string, enc, pad uint8) {
		if len(secret) < 8 || len(secret) > 64 || strings.Contains(secret, Mark) {
			return
		}
		for _, c := range []byte(secret) {
			if c <= ' ' || c >= 0x7f {
				return // a secret is printable ASCII (RFC 6749 VSCHAR, no space)
			}
		}
		var planted string
		switch n := int(enc) % (len(encodings) + 2); {
		case n < len(encodings):
			planted = encodings[n].encode(secret)
		default:
			// base64 of a text holding the secret (or its query-escaped
			// form) at any offset, in either alphabet.
			around := strings.Repeat("x:", int(pad)%4)
			v := secret
			if n == len(encodings)+1 {
				v = url.QueryEscape(secret)
			}
			b64 := []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding}[pad/4%4]
			planted = b64.EncodeToString([]byte(around + v + around))
		}
		var s Set
		s.Add(secret)
		out := s.Text(prefix + planted + suffix)
		if form, ok := hasSecret(withoutMarks(out), secret); ok {
			t.Fatalf("the secret survives as %s:\nin:  %q\nout: %q", form, prefix+planted+suffix, out)
		}
		if again := s.Text(out); again != out {
			t.Fatalf("Text is not idempotent:\nonce:  %q\ntwice: %q", out, again)
		}
	})
}

// FuzzRedactParams writes a secret-named parameter in one of many styles
// inside arbitrary text: its value must not survive Params.
func FuzzRedactParams(f *testing.F) {
	names := []string{"access_token", "refresh_token", "client_secret", "code", "code_verifier", "id_token",
		"accessToken", "RefreshToken", "clientSecret", "codeVerifier", "password", "X-Auth-Token"}
	styles := []func(name, value string) string{
		func(n, v string) string { return n + "=" + v },
		func(n, v string) string { return `"` + n + `":"` + v + `"` },
		func(n, v string) string { return `"` + n + `" : "` + v + `"` },
		func(n, v string) string { return `'` + n + `': '` + v + `'` },
		func(n, v string) string { return n + ": " + v },
		func(n, v string) string { return n + `: "` + v + `"` },
		func(n, v string) string { return "{" + n + `: "` + v + `"}` },
		func(n, v string) string { return "<" + n + ">" + v + "</" + n + ">" },
		func(n, v string) string { return `"` + escapeAll(`\u%04x`)(n) + `":"` + escapeAll(`\u%04x`)(v) + `"` },
		func(n, v string) string { return url.QueryEscape(n + "=" + v) },
		func(n, v string) string { return lowerEscapes(url.QueryEscape(`"` + n + `":"` + v + `"`)) },
		func(n, v string) string { return `\"` + n + `\":\"` + v + `\"` },
		func(n, v string) string { return "<input name=\"" + n + "\" value=\"" + v + "\">" },
		func(n, v string) string { return ":" + n + " => '" + v + "'" },
		func(n, v string) string { return "[" + n + "] => " + v + "\n" },
		func(n, v string) string { return n + " -> " + v },
		func(n, v string) string { return n + ` := "` + v + `"` },
		func(n, v string) string { return "<" + n + ` type="x">` + v + "</" + n + ">" },
		func(n, v string) string { return "<ns:" + n + ">" + v + "</ns:" + n + ">" },
		func(n, v string) string { return `"` + n + `": ["` + v + `"]` },
		func(n, v string) string { return `"` + n + "\":\n  \"" + v + `"` },
		func(n, v string) string { return `{"` + n + `": {"a": "` + v + `", "b": {"c": 1}}}` },
	}
	for i := range styles {
		f.Add("x ", uint8(i), uint8(i), "abc.DEF-123_456~789+/=", ", y")
	}
	f.Fuzz(func(t *testing.T, prefix string, name, style uint8, value, suffix string) {
		if len(value) < 5 || len(value) > 64 || strings.Contains(prefix+suffix, value) {
			return
		}
		if prefix != "" && isNameByte(prefix[len(prefix)-1]) {
			return // the name would be another word
		}
		for _, c := range []byte(value) {
			if !isToken68Byte(c) && c != '=' {
				return // an OAuth token is a b64token (RFC 6750)
			}
		}
		text := prefix + styles[int(style)%len(styles)](names[int(name)%len(names)], value) + suffix
		if strings.Contains(strings.Replace(text, value, "", 1), value) {
			return // the text around the value spells it too ("%22" then "0000" spells "20000")
		}
		out := Params(text)
		if strings.Contains(strings.ReplaceAll(out, Mark, "\x00"), value) {
			t.Fatalf("the value survives:\nin:  %q\nout: %q", text, out)
		}
		if again := Params(out); again != out {
			t.Fatalf("Params is not idempotent:\nonce:  %q\ntwice: %q", out, again)
		}
	})
}
