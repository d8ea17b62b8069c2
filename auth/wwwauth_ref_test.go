package auth

import "strings"

// This file is the reference parse FuzzWWWAuthenticate compares the
// parser with. It shares no code with it and works another way: the ABNF
// of RFC 9110 §5.6 and §11 is written out below with parsing-expression
// combinators, rule by rule, over the bytes of the whole field; a parse
// tree comes out, and the challenges are read off the tree.
//
// PEG choice is ordered and repetition greedy, which settles the grammar's
// one ambiguity as the parser does: after a comma, an auth-param belongs to
// the challenge before it; anything else starts a new challenge.

// A pnode is a named match in the parse tree.
type pnode struct {
	rule string
	text string
	kids []pnode
}

// A peg matches at s[i:]: it reports where the match ends and the named
// nodes inside it.
type peg func(s string, i int) (end int, nodes []pnode, ok bool)

func pegByte(f func(c byte) bool) peg {
	return func(s string, i int) (int, []pnode, bool) {
		if i < len(s) && f(s[i]) {
			return i + 1, nil, true
		}
		return i, nil, false
	}
}

func pegLit(c byte) peg { return pegByte(func(b byte) bool { return b == c }) }

func pegSeq(ps ...peg) peg {
	return func(s string, i int) (int, []pnode, bool) {
		var all []pnode
		for _, p := range ps {
			j, nodes, ok := p(s, i)
			if !ok {
				return i, nil, false
			}
			i, all = j, append(all, nodes...)
		}
		return i, all, true
	}
}

func pegAlt(ps ...peg) peg {
	return func(s string, i int) (int, []pnode, bool) {
		for _, p := range ps {
			if j, nodes, ok := p(s, i); ok {
				return j, nodes, true
			}
		}
		return i, nil, false
	}
}

func pegStar(p peg) peg {
	return func(s string, i int) (int, []pnode, bool) {
		var all []pnode
		for {
			j, nodes, ok := p(s, i)
			if !ok || j == i {
				return i, all, true
			}
			i, all = j, append(all, nodes...)
		}
	}
}

func pegPlus(p peg) peg { return pegSeq(p, pegStar(p)) }

func pegOpt(p peg) peg { return pegAlt(p, pegSeq()) }

// ahead matches nothing where p matches.
func pegAhead(p peg) peg {
	return func(s string, i int) (int, []pnode, bool) {
		_, _, ok := p(s, i)
		return i, nil, ok
	}
}

func pegEOF(s string, i int) (int, []pnode, bool) { return i, nil, i == len(s) }

func pegNamed(rule string, p peg) peg {
	return func(s string, i int) (int, []pnode, bool) {
		j, nodes, ok := p(s, i)
		if !ok {
			return i, nil, false
		}
		return j, []pnode{{rule: rule, text: s[i:j], kids: nodes}}, true
	}
}

func inRange(lo, hi byte) func(byte) bool { return func(c byte) bool { return lo <= c && c <= hi } }

func inSet(set string) func(byte) bool {
	return func(c byte) bool { return strings.IndexByte(set, c) >= 0 }
}

func inAny(fs ...func(byte) bool) func(byte) bool {
	return func(c byte) bool {
		for _, f := range fs {
			if f(c) {
				return true
			}
		}
		return false
	}
}

// wwwAuthenticate is the grammar, from the RFC's ABNF.
var wwwAuthenticate = func() peg {
	var (
		alpha   = inAny(inRange('A', 'Z'), inRange('a', 'z'))
		digit   = inRange('0', '9')
		vchar   = inRange(0x21, 0x7e)
		obsText = inRange(0x80, 0xff)

		sp    = pegLit(' ')
		ows   = pegStar(pegAlt(sp, pegLit('\t'))) // OWS, and BWS
		comma = pegLit(',')

		// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "."
		//       / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
		token = pegPlus(pegByte(inAny(inSet("!#$%&'*+-.^_`|~"), digit, alpha)))
		// token68 = 1*( ALPHA / DIGIT / "-" / "." / "_" / "~" / "+" / "/" ) *"="
		token68 = pegSeq(pegPlus(pegByte(inAny(alpha, digit, inSet("-._~+/")))), pegStar(pegLit('=')))
		// qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E / obs-text
		qdtext = pegByte(inAny(inSet("\t \x21"), inRange(0x23, 0x5b), inRange(0x5d, 0x7e), obsText))
		// quoted-pair = "\" ( HTAB / SP / VCHAR / obs-text )
		quotedPair   = pegSeq(pegLit('\\'), pegByte(inAny(inSet("\t "), vchar, obsText)))
		quotedString = pegSeq(pegLit('"'), pegStar(pegAlt(pegNamed("qdtext", qdtext), pegNamed("quoted-pair", quotedPair))), pegLit('"'))

		// auth-param = token BWS "=" BWS ( token / quoted-string )
		authParam = pegNamed("auth-param", pegSeq(pegNamed("name", token), ows, pegLit('='), ows,
			pegAlt(pegNamed("token", token), pegNamed("quoted-string", quotedString))))
		// #auth-param, its commas taken only when an auth-param follows
		authParams = pegSeq(pegOpt(authParam), pegStar(pegSeq(ows, pegPlus(pegSeq(comma, ows)), authParam)))
		// challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
		challenge = pegNamed("challenge", pegSeq(pegNamed("auth-scheme", token),
			pegOpt(pegSeq(pegPlus(sp), pegAlt(pegSeq(pegNamed("token68", token68), pegAhead(pegSeq(ows, pegAlt(comma, pegEOF)))), authParams)))))
	)
	// WWW-Authenticate = #challenge, as a whole field value
	return pegSeq(ows, pegOpt(challenge), pegStar(pegSeq(ows, comma, ows, pegOpt(challenge))), ows, pegEOF)
}()

// refParseWWWAuthenticate is the reference parse of a field value.
func refParseWWWAuthenticate(field string) ([]authChallenge, bool) {
	_, tree, ok := wwwAuthenticate(field, 0)
	if !ok {
		return nil, false
	}
	var out []authChallenge
	for _, ch := range tree {
		c := authChallenge{}
		for _, part := range ch.kids {
			switch part.rule {
			case "auth-scheme":
				c.scheme = strings.ToLower(part.text)
			case "token68":
				c.token68 = part.text
			case "auth-param":
				name, value := strings.ToLower(part.kids[0].text), paramValue(part.kids[1])
				if _, dup := c.params[name]; dup {
					return nil, false
				}
				if c.params == nil {
					c.params = map[string]string{}
				}
				c.params[name] = value
			}
		}
		out = append(out, c)
	}
	return out, true
}

func paramValue(n pnode) string {
	if n.rule == "token" {
		return n.text
	}
	var b strings.Builder
	for _, k := range n.kids {
		b.WriteByte(k.text[len(k.text)-1]) // a qdtext, or a quoted-pair's second byte
	}
	return b.String()
}
