package auth

import (
	"errors"
	"fmt"
	"strings"
)

// An authChallenge is one challenge of a WWW-Authenticate field (RFC 9110
// §11.6.1): a scheme with either a token68 or auth-params.
type authChallenge struct {
	scheme  string            // lower case
	token68 string            // as sent
	params  map[string]string // names in lower case; values unquoted
}

// parseWWWAuthenticate parses the lines of a WWW-Authenticate field.
// Several lines mean what they mean joined with commas (RFC 9110 §5.3),
// so one malformed line makes the whole field malformed: its parts
// cannot be told apart with certainty.
//
// The grammar (RFC 9110 §11.2, §11.6.1, §5.6) is
//
//	WWW-Authenticate = #challenge
//	challenge   = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
//	auth-param  = token BWS "=" BWS ( token / quoted-string )
//	token68     = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
//
// where #x is a comma-separated list that may hold empty elements. After a
// comma, an auth-param continues the challenge before it; anything else
// starts a new challenge. A parameter named twice in one challenge makes
// the field malformed, since which one counts would be a guess.
func parseWWWAuthenticate(lines []string) ([]authChallenge, error) {
	items, err := lexWWWAuthenticate(strings.Join(lines, ", "))
	if err != nil {
		return nil, err
	}
	p := &challengeParser{items: items}
	return p.challenges()
}

type itemKind int

const (
	itemEnd    itemKind = iota
	itemWord            // a run of token or token68 characters
	itemQuoted          // a quoted-string, its text unquoted
	itemEquals
	itemComma
	itemSpace // a run of SP and HTAB
)

type item struct {
	kind itemKind
	text string
}

// lexWWWAuthenticate splits a field value into items. A byte that no item
// can hold, or a malformed quoted-string, is an error: the grammar has no
// place for it.
func lexWWWAuthenticate(s string) ([]item, error) {
	var items []item
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isTchar(c) || c == '/':
			j := i
			for j < len(s) && (isTchar(s[j]) || s[j] == '/') {
				j++
			}
			items = append(items, item{itemWord, s[i:j]})
			i = j
		case c == ' ' || c == '\t':
			j := i
			for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
				j++
			}
			items = append(items, item{itemSpace, s[i:j]})
			i = j
		case c == '=':
			items = append(items, item{itemEquals, "="})
			i++
		case c == ',':
			items = append(items, item{itemComma, ","})
			i++
		case c == '"':
			text, n, err := unquote(s[i:])
			if err != nil {
				return nil, err
			}
			items = append(items, item{itemQuoted, text})
			i += n
		default:
			return nil, fmt.Errorf("byte %#x at offset %d has no place in a challenge", c, i)
		}
	}
	return items, nil
}

// unquote reads the quoted-string at the start of s and returns its text
// and its length in s.
//
//	quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
//	qdtext        = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
//	quoted-pair   = "\" ( HTAB / SP / VCHAR / obs-text )
func unquote(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			return b.String(), i + 1, nil
		case c == '\\':
			if i+1 == len(s) || !isQuotable(s[i+1]) {
				return "", 0, errors.New("a backslash in a quoted-string escapes nothing it may")
			}
			i++
			b.WriteByte(s[i])
		case isQuotable(c):
			b.WriteByte(c)
		default:
			return "", 0, fmt.Errorf("byte %#x may not appear in a quoted-string", c)
		}
	}
	return "", 0, errors.New("a quoted-string does not end")
}

// isQuotable reports whether c may appear in a quoted-string, alone
// (unless it is '"' or '\') or after a backslash: HTAB, SP, VCHAR and
// obs-text.
func isQuotable(c byte) bool {
	return c == '\t' || c >= ' ' && c != 0x7f
}

// isTchar reports whether c may appear in a token (RFC 9110 §5.6.2).
func isTchar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

func isToken(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isTchar(s[i]) {
			return false
		}
	}
	return s != ""
}

func isToken68Prefix(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~+/", c) >= 0) {
			return false
		}
	}
	return s != ""
}

// challengeParser reads challenges from a field value's items.
type challengeParser struct {
	items []item
	i     int
}

func (p *challengeParser) peek(k int) item {
	if p.i+k < len(p.items) {
		return p.items[p.i+k]
	}
	return item{kind: itemEnd}
}

func (p *challengeParser) skip(kind itemKind) {
	if p.peek(0).kind == kind {
		p.i++
	}
}

// challenges reads #challenge up to the end.
func (p *challengeParser) challenges() ([]authChallenge, error) {
	var out []authChallenge
	for {
		p.skip(itemSpace)
		for p.peek(0).kind == itemComma {
			p.i++
			p.skip(itemSpace)
		}
		if p.peek(0).kind == itemEnd {
			return out, nil
		}
		c, err := p.challenge()
		if err != nil {
			return nil, err
		}
		out = append(out, c)
		p.skip(itemSpace)
		switch p.peek(0).kind {
		case itemEnd:
			return out, nil
		case itemComma:
		default:
			return nil, fmt.Errorf("challenge %q is followed by %q, not a comma", c.scheme, p.peek(0).text)
		}
	}
}

// challenge reads one challenge; the caller checks what follows it.
func (p *challengeParser) challenge() (authChallenge, error) {
	w := p.peek(0)
	if w.kind != itemWord || !isToken(w.text) {
		return authChallenge{}, fmt.Errorf("%q is no auth-scheme", w.text)
	}
	p.i++
	c := authChallenge{scheme: strings.ToLower(w.text)}
	sp := p.peek(0)
	if sp.kind != itemSpace || sp.text[0] != ' ' {
		return c, nil // no 1*SP: the challenge is the scheme alone
	}
	p.i++
	// Right after the 1*SP comes a token68, an auth-param or nothing; a
	// tab on the way rules out the first two.
	if strings.Trim(sp.text, " ") == "" {
		if t, ok := p.token68(); ok {
			c.token68 = t
			return c, nil
		}
		if p.atParam() {
			if err := p.param(&c); err != nil {
				return c, err
			}
		}
	}
	// Then *( OWS 1*( "," OWS ) auth-param ): the commas belong to the
	// challenge only if a parameter follows them.
	for {
		save := p.i
		p.skip(itemSpace)
		if p.peek(0).kind != itemComma {
			p.i = save
			return c, nil
		}
		for p.peek(0).kind == itemComma {
			p.i++
			p.skip(itemSpace)
		}
		if !p.atParam() {
			p.i = save
			return c, nil
		}
		if err := p.param(&c); err != nil {
			return c, err
		}
	}
}

// token68 reads a token68 that the end or a comma follows.
func (p *challengeParser) token68() (string, bool) {
	w := p.peek(0)
	if w.kind != itemWord || !isToken68Prefix(w.text) {
		return "", false
	}
	k := 1
	for p.peek(k).kind == itemEquals {
		k++
	}
	n := k
	if p.peek(n).kind == itemSpace {
		n++
	}
	if next := p.peek(n).kind; next != itemComma && next != itemEnd {
		return "", false
	}
	p.i += k
	return w.text + strings.Repeat("=", k-1), true
}

// atParam reports whether an auth-param starts here.
func (p *challengeParser) atParam() bool {
	k := 0
	if w := p.peek(k); w.kind != itemWord || !isToken(w.text) {
		return false
	}
	k++
	if p.peek(k).kind == itemSpace {
		k++
	}
	if p.peek(k).kind != itemEquals {
		return false
	}
	k++
	if p.peek(k).kind == itemSpace {
		k++
	}
	v := p.peek(k)
	return v.kind == itemQuoted || v.kind == itemWord && isToken(v.text)
}

// param reads the auth-param atParam found into c.
func (p *challengeParser) param(c *authChallenge) error {
	name := strings.ToLower(p.peek(0).text)
	p.i++
	p.skip(itemSpace)
	p.i++ // "="
	p.skip(itemSpace)
	value := p.peek(0).text
	p.i++
	if _, dup := c.params[name]; dup {
		return fmt.Errorf("challenge %q names parameter %q twice", c.scheme, name)
	}
	if c.params == nil {
		c.params = map[string]string{}
	}
	c.params[name] = value
	return nil
}
