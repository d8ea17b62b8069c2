package jsonschema

import (
	"bytes"
	"strconv"
)

// object checks the object at d.pos. As kin-openapi decodes into a map,
// a member named twice counts once, with its last value.
func (d *decoder) object(n *node) error {
	d.pos++                // {
	var seen, woSet uint64 // by property index, when there are at most 64
	var seenBig, woBig []bool
	if len(n.propNodes) > 64 {
		seenBig = make([]bool, len(n.propNodes))
		woBig = make([]bool, len(n.propNodes))
	}
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == '}' {
		d.pos++
	} else {
		for {
			d.skipSpace()
			if d.pos >= len(d.data) || d.data[d.pos] != '"' {
				return d.syntax("want a member name in an object")
			}
			raw, escaped, err := d.skipString()
			if err != nil {
				return err
			}
			key := raw
			if escaped {
				key = bytes.Clone(d.unescape(raw))
			}
			d.skipSpace()
			if d.pos >= len(d.data) || d.data[d.pos] != ':' {
				return d.syntax("want : after a member name")
			}
			d.pos++
			d.skipSpace()
			valueStart := d.pos
			i, known := n.props[string(key)]
			switch {
			case known && n.propNodes[i] == nil:
				seen, seenBig = markSeen(seen, seenBig, i)
				err = d.extra(n)
			case known:
				seen, seenBig = markSeen(seen, seenBig, i)
				if n.writeOnly[i] {
					isNull := d.pos < len(d.data) && d.data[d.pos] == 'n'
					if seenBig != nil {
						woBig[i] = !isNull
					} else if isNull {
						woSet &^= 1 << i
					} else {
						woSet |= 1 << i
					}
				}
				err = d.value(n.propNodes[i])
			default:
				err = d.extra(n)
			}
			if err != nil {
				if _, ok := err.(*SyntaxError); ok {
					return err
				}
				// A later member of the same name replaces this one.
				d.pos = valueStart
				if later, serr := d.laterMember(key); serr != nil {
					return serr
				} else if !later {
					return atKey(err, key)
				}
			}
			d.skipSpace()
			if d.pos >= len(d.data) {
				return d.syntax("unterminated object")
			}
			if c := d.data[d.pos]; c == '}' {
				d.pos++
				break
			} else if c != ',' {
				return d.syntax("want , or } in an object")
			}
			d.pos++
		}
	}
	for j, i := range n.required {
		present := false
		switch {
		case seenBig != nil:
			present = seenBig[i]
		default:
			present = seen&(1<<i) != 0
		}
		if !present {
			return atKey(schemaErr("required member is missing"), []byte(n.reqNames[j]))
		}
	}
	if n.anyWO {
		for i, wo := range n.writeOnly {
			if !wo {
				continue
			}
			set := woSet&(1<<i) != 0
			if seenBig != nil {
				set = woBig[i]
			}
			if set {
				return atKey(schemaErr("a writeOnly member is in a response"), []byte(n.propNames[i]))
			}
		}
	}
	return nil
}

// laterMember reports whether a member named key follows the value at
// d.pos in the same object; it leaves d.pos after the value at d.pos.
func (d *decoder) laterMember(key []byte) (bool, error) {
	if err := d.skip(); err != nil {
		return false, err
	}
	after := d.pos
	key = bytes.Clone(key)
	found := false
	for {
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != ',' {
			break
		}
		d.pos++
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != '"' {
			return false, d.syntax("want a member name in an object")
		}
		raw, escaped, err := d.skipString()
		if err != nil {
			return false, err
		}
		name := raw
		if escaped {
			name = d.unescape(raw)
		}
		if bytes.Equal(name, key) {
			found = true
		}
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != ':' {
			return false, d.syntax("want : after a member name")
		}
		d.pos++
		if err := d.skip(); err != nil {
			return false, err
		}
	}
	d.pos = after
	return found, nil
}

// skip moves past one well-formed JSON value.
func (d *decoder) skip() error {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return d.syntax("unexpected end of JSON")
	}
	switch c := d.data[d.pos]; {
	case c == '"':
		_, _, err := d.skipString()
		return err
	case c == 'n':
		return d.literal("null")
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == '-' || c >= '0' && c <= '9':
		return d.skipNumber()
	case c == '[':
		d.pos++
		d.skipSpace()
		if d.pos < len(d.data) && d.data[d.pos] == ']' {
			d.pos++
			return nil
		}
		for {
			if err := d.skip(); err != nil {
				return err
			}
			d.skipSpace()
			if d.pos >= len(d.data) {
				return d.syntax("unterminated array")
			}
			c := d.data[d.pos]
			d.pos++
			if c == ']' {
				return nil
			}
			if c != ',' {
				return d.syntaxAt(d.pos-1, "want , or ] in an array")
			}
		}
	case c == '{':
		d.pos++
		d.skipSpace()
		if d.pos < len(d.data) && d.data[d.pos] == '}' {
			d.pos++
			return nil
		}
		for {
			d.skipSpace()
			if d.pos >= len(d.data) || d.data[d.pos] != '"' {
				return d.syntax("want a member name in an object")
			}
			if _, _, err := d.skipString(); err != nil {
				return err
			}
			d.skipSpace()
			if d.pos >= len(d.data) || d.data[d.pos] != ':' {
				return d.syntax("want : after a member name")
			}
			d.pos++
			if err := d.skip(); err != nil {
				return err
			}
			d.skipSpace()
			if d.pos >= len(d.data) {
				return d.syntax("unterminated object")
			}
			c := d.data[d.pos]
			d.pos++
			if c == '}' {
				return nil
			}
			if c != ',' {
				return d.syntaxAt(d.pos-1, "want , or } in an object")
			}
		}
	}
	return d.syntax("invalid character " + strconv.QuoteRune(rune(d.data[d.pos])) + " looking for a value")
}

func markSeen(seen uint64, big []bool, i int) (uint64, []bool) {
	if big != nil {
		big[i] = true
	} else {
		seen |= 1 << i
	}
	return seen, big
}

// extra checks a member that is not one of the schema's properties.
func (d *decoder) extra(n *node) error {
	switch {
	case n.noExtra:
		return d.skipThen(schemaErr("member is not in the schema's properties, and additionalProperties is false"))
	case n.extraNode != nil:
		return d.value(n.extraNode)
	}
	return d.skip()
}
