package leaktest

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// Find reports whether text shows secret in a form a log could hold it
// in (raw, URL-escaped, JSON- or Go-escaped, or inside base64 at any byte
// offset, such as in an HTTP Basic credential), and which form.
func Find(text, secret string) (form string, ok bool) {
	js, _ := json.Marshal(secret)
	forms := []struct{ name, s string }{
		{"raw", secret},
		{"query-escaped", url.QueryEscape(secret)},
		{"query-escaped in lower case", LowerEscapes(url.QueryEscape(secret))},
		{"path-escaped", url.PathEscape(secret)},
		{"JSON-escaped", strings.Trim(string(js), `"`)},
		{`JSON-escaped with \/`, strings.ReplaceAll(strings.Trim(string(js), `"`), "/", `\/`)},
		{"JSON \\u escapes", escapeAll(secret)},
		{"Go-quoted", strings.Trim(strconv.Quote(secret), `"`)},
	}
	for _, f := range forms {
		if strings.Contains(text, f.s) {
			return f.name, true
		}
	}
	// Inside base64 the secret may start at any of three byte offsets:
	// look for the characters its bytes alone decide.
	for _, v := range []string{secret, url.QueryEscape(secret)} {
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			for k := range 3 {
				s := enc.EncodeToString(append(make([]byte, k), v...))
				from, to := (8*k+5)/6, 8*(k+len(v))/6
				if strings.Contains(text, s[from:to]) {
					return fmt.Sprintf("base64 at offset %d", k), true
				}
			}
		}
	}
	return "", false
}

func escapeAll(s string) string {
	var b strings.Builder
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	return b.String()
}

// LowerEscapes lower-cases the hex digits of the %XX escapes in s, as some
// encoders write them.
func LowerEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lower(b[i+1]), lower(b[i+2])
		}
	}
	return string(b)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'F' {
		return c + 'a' - 'A'
	}
	return c
}
