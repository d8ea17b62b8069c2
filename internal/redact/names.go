package redact

import (
	"strings"
)

// The kinds of word classify tells apart.
const (
	plainWord   = iota
	secretValue // a parameter whose value is secret: client_secret, accessToken
	headerValue // a header whose value, to the end of the line, is secret
	authScheme  // Bearer or Basic, followed by a credential
)

// secretSuffixes end the names, folded to lower case without '_' and
// '-', of parameters whose values are secret; "code" is one too, alone.
var secretSuffixes = [...]string{"token", "secret", "password", "passwd", "verifier", "assertion", "apikey"}

// authParams are the auth-params a challenge may name after its scheme
// (Bearer realm="…"); they are not credentials.
var authParams = [...]string{"realm", "error", "error_description", "error_uri", "scope", "charset", "nonce", "opaque",
	"algorithm", "qop", "stale", "domain", "userhash", "resource_metadata"}

// maxName is the longest word classify looks at.
const maxName = 64

// classify says what kind of word name is.
func classify(name string) int {
	if len(name) > maxName {
		return plainWord
	}
	var buf [maxName]byte
	folded := buf[:0]
	for _, c := range []byte(name) {
		switch {
		case c == '_' || c == '-':
		case 'A' <= c && c <= 'Z':
			folded = append(folded, c+'a'-'A')
		default:
			folded = append(folded, c)
		}
	}
	w := folded
	switch {
	case string(w) == "bearer" || string(w) == "basic":
		return authScheme
	case hasSuffix(w, "authorization") || hasSuffix(w, "cookie"):
		return headerValue
	case string(w) == "code":
		return secretValue
	}
	for _, s := range secretSuffixes {
		if hasSuffix(w, s) {
			return secretValue
		}
	}
	return plainWord
}

func hasSuffix(b []byte, suffix string) bool {
	return len(b) >= len(suffix) && string(b[len(b)-len(suffix):]) == suffix
}

// named finds the values that follow secret names in v, written as a
// query or form (name=value), JSON or JavaScript ("name": "value",
// 'name': 'value', name: "value"), YAML (name: value), Ruby (:name =>
// "value"), XML (<name>value<), an HTML input (name="name" value="value"),
// a header (Authorization: …) or a credential (Bearer value).
func (f *finder) named(v *view) {
	t := v.text
	for i := 0; i < len(t); {
		if !isNameByte(t[i]) {
			i++
			continue
		}
		j := i + 1
		for j < len(t) && isNameByte(t[j]) {
			j++
		}
		a, b := -1, -1
		switch classify(t[i:j]) {
		case secretValue:
			a, b = valueAfter(t, i, j, false)
		case headerValue:
			a, b = valueAfter(t, i, j, true)
		case authScheme:
			a, b = credentialAfter(t, j)
		}
		if a < 0 {
			i = j
			continue
		}
		// Skip what an earlier pass already redacted, in UTF-8 or, in a
		// text that mixes them, UTF-16.
		for _, m := range [...]string{Mark, markLE, markBE} {
			if strings.HasPrefix(t[a:b], m) {
				a += len(m)
				break
			}
		}
		if !harmless(strings.ReplaceAll(t[a:b], "\x00", "")) {
			f.add(v, a, b)
		}
		// The words of a value are not names: going on after it keeps
		// the scan linear however values nest.
		i = max(b, j)
	}
}

// valueAfter returns the value that follows the name t[ws:we], or -1s
// when no separator follows it.
func valueAfter(t string, ws, we int, header bool) (int, int) {
	i := we
	if i < len(t) && (t[i] == '"' || t[i] == '\'' || t[i] == ']' && ws > 0 && t[ws-1] == '[') {
		i++ // the quote or bracket closing a quoted name: [name] => value
	}
	i = skipBlanks(t, i)
	if opensTag(t, ws) && i < len(t) && (t[i] == '>' || i > we && isNameByte(t[i])) {
		// <name>value<, <name attr="…">value<, <ns:name>value<
		if gt := tagEnd(t, i); gt >= 0 {
			end := strings.IndexByte(t[gt+1:], '<')
			if end < 0 {
				end = len(t) - gt - 1
			}
			return gt + 1, gt + 1 + end
		}
	}
	switch {
	case strings.HasPrefix(t[i:], "=>") || strings.HasPrefix(t[i:], "->") || strings.HasPrefix(t[i:], ":="):
		i += 2
	case i < len(t) && (t[i] == '=' || t[i] == ':'):
		i++
	case hasPrefixFold(t[i:], "value"):
		// <input name="code" value="…">
		i = skipBlanks(t, i+len("value"))
		if i >= len(t) || t[i] != '=' {
			return -1, -1
		}
		i++
	case i > we && i < len(t) && (t[i] == '"' || t[i] == '\'') && !strings.EqualFold(t[ws:we], "code"):
		// token 'abc': a quoted value after a blank needs no separator,
		// but (status) code "…" quotes no authorization code.
	default:
		return -1, -1
	}
	i = skipBlanks(t, i)
	if k := skipSpace(t, i); k < len(t) && (t[k] == '"' || t[k] == '[') && !strings.HasPrefix(t[k:], Mark) {
		// A quoted value or a list may start on the next line; a list's
		// first member is the value.
		i = k
		if t[i] == '[' {
			i = skipSpace(t, i+1)
		}
	}
	if i < len(t) && t[i] == '{' {
		// {"token": {"access": "…"}}: all of an object goes.
		if end := objectEnd(t, i); end > 0 {
			return i, end
		}
	}
	if i < len(t) && (t[i] == '"' || t[i] == '\'') {
		q := t[i]
		j := i + 1
		for j < len(t) && t[j] != q && t[j] != '\n' && t[j] != '\r' {
			if t[j] == '\\' {
				j++
			}
			j++
		}
		return i + 1, min(j, len(t))
	}
	if strings.HasPrefix(t[i:], Mark) {
		return i, i + len(Mark) // ']' would end it too soon
	}
	j := i
	for j < len(t) && !endsValue(t[j], header) {
		j++
	}
	return i, j
}

// credentialAfter returns the credential (RFC 9110 token68) that follows
// an authentication scheme ending at i, or -1s when none does.
func credentialAfter(t string, i int) (int, int) {
	if i >= len(t) || (t[i] != ' ' && t[i] != '\t') {
		return -1, -1
	}
	i = skipBlanks(t, i)
	j := i
	for j < len(t) && isToken68Byte(t[j]) {
		j++
	}
	k := j
	for k < len(t) && t[k] == '=' {
		k++
	}
	if j == i {
		return -1, -1
	}
	if k > j {
		// Bearer error="invalid_token" names an auth-param, not a token.
		for _, p := range authParams {
			if strings.EqualFold(t[i:j], p) {
				return -1, -1
			}
		}
	}
	return i, k
}

// harmless reports whether a value cannot be a secret: empty, a JSON
// literal, or a short number such as an HTTP status.
func harmless(v string) bool {
	switch strings.ToLower(v) {
	case "", "null", "true", "false", "none", "nil", "undefined":
		return true
	}
	if len(v) > 4 {
		return false
	}
	for _, c := range []byte(v) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func isNameByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

func isToken68Byte(c byte) bool {
	return isNameByte(c) || c == '.' || c == '~' || c == '+' || c == '/'
}

// endsValue reports whether c ends an unquoted value; a header's value
// runs to the end of its line.
func endsValue(c byte, header bool) bool {
	switch c {
	case '\n', '\r', '"', '<', '&':
		return true
	case ' ', '\t', '\'', '>', ',', ';', '}', ']', ')':
		return !header
	}
	return false
}

// opensTag reports whether the name starting at ws is an XML element's,
// maybe with a namespace prefix: <name or <ns:name.
func opensTag(t string, ws int) bool {
	k := ws - 1
	if k > 0 && t[k] == ':' {
		for k--; k >= 0 && isNameByte(t[k]); k-- {
		}
	}
	return k >= 0 && t[k] == '<'
}

// tagEnd returns where the start tag that goes on at i ends, its '>', or
// -1 if it closes itself or does not end on its line.
func tagEnd(t string, i int) int {
	for q := byte(0); i < len(t); i++ {
		switch c := t[i]; {
		case q != 0:
			if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '>':
			if t[i-1] == '/' {
				return -1
			}
			return i
		case c == '<' || c == '\n':
			return -1
		}
	}
	return -1
}

// maxObject bounds how far objectEnd looks, so that unclosed objects in
// a row cost time linear in the text.
const maxObject = 4 << 10

// objectEnd returns the end of the object that opens at i, after its
// closing brace, or -1 if it does not close within maxObject bytes.
func objectEnd(t string, i int) int {
	depth := 0
	for k, q := i, byte(0); k < min(len(t), i+maxObject); k++ {
		switch c := t[k]; {
		case q != 0:
			if c == '\\' {
				k++
			} else if c == q {
				q = 0
			}
		case c == '"' || c == '\'':
			q = c
		case c == '{':
			depth++
		case c == '}':
			if depth--; depth == 0 {
				return k + 1
			}
		}
	}
	return -1
}

// skipSpace skips white space, line ends too.
func skipSpace(t string, i int) int {
	for i < len(t) && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r') {
		i++
	}
	return i
}

func skipBlanks(t string, i int) int {
	for i < len(t) && (t[i] == ' ' || t[i] == '\t') {
		i++
	}
	return i
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
