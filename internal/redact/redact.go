// Package redact removes secrets from text bound for an error, a log or a
// terminal. It knows two kinds of secret: values the caller names (a
// client secret, a code, a token), and the values of parameters whose
// names say they are secret (client_secret=…, "accessToken": "…",
// Authorization: Bearer …).
//
// A secret is found in the encodings a server is likely to echo it in.
// Text is read as it is and through each of these decodings, stacked: percent-escapes
// (either case, %uXXXX too), JSON and Go string escapes (\u00xx, \/, \"),
// HTML character references (&#x2f;, &#47;, &sol;) and base64 (standard
// and URL alphabets, padded or not, at any byte offset, wrapped into lines
// or not), in UTF-8 or UTF-16. What a decoding reveals is removed from the
// original text: the escapes that spell a secret, and the whole of a
// base64 run that hides one.
package redact

import (
	"encoding/json"
	"html"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// Mark replaces every secret removed.
const Mark = "[redacted]"

// Set is a set of known secret values. The zero value is empty and ready
// to use, and a nil *Set knows no values. Add must not run concurrently
// with any other method; Text, URL and Err may run concurrently.
type Set struct {
	values []string // looked for in the text and in each decoding of it
	forms  []string // the values' common escapings, looked for in the text
}

// Add adds secrets to s; empty strings are ignored.
func (s *Set) Add(secrets ...string) {
	for _, v := range secrets {
		if v == "" || slices.Contains(s.values, v) {
			continue
		}
		s.values = append(s.values, v)
		if strings.Contains(v, " ") {
			// Form encoding writes a space as '+', which no decoding
			// here undoes: '+' is also a base64 digit and itself.
			s.values = append(s.values, strings.ReplaceAll(v, " ", "+"))
		}
		for _, f := range escapings(v) {
			if f != v && !slices.Contains(s.forms, f) {
				s.forms = append(s.forms, f)
			}
		}
	}
}

// escapings returns v as the usual escapings write it. Decoding finds
// these too, but decoding reads a text one way: an escape-like prefix
// ("%4" before "1…") can put it out of step with the escapes of a value.
func escapings(v string) []string {
	q, p := url.QueryEscape(v), url.PathEscape(v)
	js, _ := json.Marshal(v)
	j := string(js[1 : len(js)-1])
	g := strconv.Quote(v)
	return []string{
		q, lowerEscapes(q), p, lowerEscapes(p),
		j, strings.ReplaceAll(j, "/", `\/`), html.EscapeString(v), g[1 : len(g)-1],
	}
}

// lowerEscapes writes the hex digits of s's percent-escapes in lower case.
func lowerEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			b[i+1], b[i+2] = lower(b[i+1]), lower(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}

// Text returns text with every known secret and every secret-named
// parameter's value replaced by Mark, in each encoding the package
// decodes (hex, a changed case or a cut-short echo are not among them). It takes time linear in len(text) for a given Set.
//
// A UTF-16 text (with a byte order mark, or with NULs between its ASCII
// characters) is read decoded too, and Mark written into it in UTF-16.
//
// Text reads the first MaxText bytes of a longer text only, as decoding
// costs memory many times a text's size. It returns no byte it has not
// read: it cuts the text a little before that (the start of a secret
// near the end of what it read could show), and ends what it returns
// with "…[N bytes not shown]".
func (s *Set) Text(text string) string {
	f := finder{set: s, orig: text, shown: len(text)}
	if len(text) > MaxText {
		f.orig, f.shown = text[:MaxText], MaxText-maxTextMargin
	}
	f.scan(&view{text: f.orig}, 0, false)
	if w, ok := wideOf(f.orig); ok {
		f.wide = &w
		f.scan(w.view(f.orig), 0, false)
	}
	if strings.IndexByte(f.orig, 0) >= 0 {
		// A part in UTF-16, or in no order wideOf can tell.
		f.scan(withoutNULs(f.orig), 0, false)
	}
	return f.redacted(len(text))
}

const (
	// MaxText is how much of a text Text reads: far more than an error
	// answer needs.
	MaxText = 256 << 10
	// maxTextMargin is how much of what Text read it leaves out of a
	// text it cuts: more than any escaping of a secret takes.
	maxTextMargin = 4 << 10
)

// URL returns raw with its user information and every secret Text finds
// replaced by Mark. The names of secret parameters stay visible.
func (s *Set) URL(raw string) string {
	if i := strings.Index(raw, "://"); i >= 0 {
		rest := raw[i+3:]
		end := strings.IndexAny(rest, "/?#")
		if end < 0 {
			end = len(rest)
		}
		if at := strings.LastIndexByte(rest[:end], '@'); at >= 0 {
			raw = raw[:i+3] + Mark + rest[at:]
		}
	}
	return s.Text(raw)
}

// Params returns text with the values of secret-named parameters replaced
// by Mark: Text with no known values.
func Params(text string) string {
	var s *Set
	return s.Text(text)
}

// IsSecretParam reports whether a parameter of this name holds a secret:
// code, or a name ending in token, secret, password, verifier, assertion,
// api key, authorization or cookie, in any case and with or without '_'
// or '-' between words (access_token, accessToken, Client-Secret).
func IsSecretParam(name string) bool {
	k := classify(name)
	return k == secretValue || k == headerValue
}
