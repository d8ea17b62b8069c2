package jsonschema

import (
	"math"
	"strconv"
	"unicode/utf8"
)

// Validate checks that data is one JSON value the schema accepts. The
// error names the JSON pointer of the first offending value.
func (v *Validator) Validate(data []byte) error {
	d := decoder{data: data}
	if err := d.value(v.root); err != nil {
		return err
	}
	d.skipSpace()
	if d.pos != len(d.data) {
		return d.syntax("data after the JSON value")
	}
	return nil
}

// decoder walks one document.
type decoder struct {
	data []byte
	pos  int
	buf  []byte // scratch for unescaped strings
}

func (d *decoder) skipSpace() {
	for d.pos < len(d.data) {
		switch d.data[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// value checks the value at d.pos against n and moves past it.
func (d *decoder) value(n *node) error {
	d.skipSpace()
	if d.pos >= len(d.data) {
		return d.syntax("unexpected end of JSON")
	}
	start := d.pos
	c := d.data[start]
	if n.empty {
		if c == 'n' {
			if err := d.literal("null"); err != nil {
				return err
			}
			return schemaErr("null is not allowed")
		}
		return d.skip()
	}
	if c == 'n' {
		if err := d.literal("null"); err != nil {
			return err
		}
		if n.nullable {
			return nil
		}
	}
	xof := len(n.allOf)+len(n.anyOf)+len(n.oneOf) > 0
	if xof {
		end, err := d.combined(n, start)
		if err != nil {
			return err
		}
		if c == 'n' {
			d.pos = end
			return nil // kin-openapi: a null that passed allOf/anyOf/oneOf passes
		}
		d.pos = start
	}
	switch {
	case c == 'n':
		return schemaErr("null is not allowed")
	case c == 't' || c == 'f':
		b := c == 't'
		lit := "false"
		if b {
			lit = "true"
		}
		if err := d.literal(lit); err != nil {
			return err
		}
		if n.enum != nil && !enumHas(n.enum, b) {
			return schemaErr("value is not one of the enum values")
		}
		if n.types&kindBoolean == 0 {
			return d.wrongType(n, "a boolean")
		}
		return nil
	case c == '"':
		return d.str(n)
	case c == '-' || c >= '0' && c <= '9':
		return d.number(n)
	case c == '[':
		if n.enum != nil {
			return d.skipThen(schemaErr("value is not one of the enum values"))
		}
		if n.types&kindArray == 0 {
			return d.skipThen(d.wrongType(n, "an array"))
		}
		return d.array(n)
	case c == '{':
		if n.enum != nil {
			return d.skipThen(schemaErr("value is not one of the enum values"))
		}
		if n.types&kindObject == 0 {
			return d.skipThen(d.wrongType(n, "an object"))
		}
		return d.object(n)
	}
	return d.syntax("invalid character " + strconv.QuoteRune(rune(c)) + " looking for a value")
}

// skipThen moves past the value at d.pos, reporting err unless the value
// is not well-formed JSON.
func (d *decoder) skipThen(err error) error {
	if serr := d.skip(); serr != nil {
		return serr
	}
	return err
}

// combined checks allOf, anyOf and oneOf on the value at start and
// returns where it ends.
func (d *decoder) combined(n *node, start int) (end int, err error) {
	end = -1
	try := func(m *node) error {
		d.pos = start
		err := m.check(d)
		if err == nil {
			end = d.pos
		}
		return err
	}
	if len(n.oneOf) > 0 {
		matched := 0
		for _, m := range n.oneOf {
			if try(m) == nil {
				matched++
			}
		}
		if matched != 1 {
			return d.endOf(start, schemaErr("value matches "+strconv.Itoa(matched)+" schemas of oneOf, not exactly one"))
		}
	}
	if len(n.anyOf) > 0 {
		ok := false
		for _, m := range n.anyOf {
			if try(m) == nil {
				ok = true
				break
			}
		}
		if !ok {
			return d.endOf(start, schemaErr("value matches no schema of anyOf"))
		}
	}
	for _, m := range n.allOf {
		if err := try(m); err != nil {
			return d.endOf(start, err)
		}
	}
	return end, nil
}

// endOf reports err, or a syntax error if the value at start is not
// well-formed JSON: the verdict on malformed JSON is always a syntax error.
func (d *decoder) endOf(start int, err error) (int, error) {
	d.pos = start
	if serr := d.skip(); serr != nil {
		return 0, serr
	}
	return d.pos, err
}

func (m *node) check(d *decoder) error { return d.value(m) }

func (d *decoder) wrongType(n *node, got string) error {
	return schemaErr("value is " + got + ", want " + n.typeName)
}

func (d *decoder) literal(lit string) error {
	if len(d.data)-d.pos < len(lit) || string(d.data[d.pos:d.pos+len(lit)]) != lit {
		return d.syntax("invalid literal, want " + lit)
	}
	d.pos += len(lit)
	return nil
}

func enumHas(enum []any, v any) bool {
	for _, e := range enum {
		if e == v {
			return true
		}
	}
	return false
}

// number checks the number at d.pos.
func (d *decoder) number(n *node) error {
	start := d.pos
	if err := d.skipNumber(); err != nil {
		return err
	}
	if n.types&(kindInteger|kindNumber) == 0 && n.enum == nil {
		// kin-openapi converts before it looks at the type; an
		// unconvertible number fails either way.
		return d.wrongType(n, "a number")
	}
	f, err := strconv.ParseFloat(string(d.data[start:d.pos]), 64)
	if err != nil {
		return schemaErr("number " + string(d.data[start:d.pos]) + " is out of range")
	}
	if n.enum != nil && !enumHas(n.enum, f) {
		return schemaErr("value is not one of the enum values")
	}
	if n.types&(kindInteger|kindNumber) == 0 {
		return d.wrongType(n, "a number")
	}
	if n.types&kindNumber == 0 {
		if f != math.Trunc(f) {
			return schemaErr("value must be an integer")
		}
		if n.intFormat == "int32" {
			if i := int64(f); i < math.MinInt32 || i > math.MaxInt32 {
				return schemaErr("integer is outside format int32")
			}
		}
	}
	if n.hasMin && (f < n.min || n.exclMin && f == n.min) {
		return schemaErr("number must be at least " + strconv.FormatFloat(n.min, 'g', -1, 64) + exclusive(n.exclMin))
	}
	if n.hasMax && (f > n.max || n.exclMax && f == n.max) {
		return schemaErr("number must be at most " + strconv.FormatFloat(n.max, 'g', -1, 64) + exclusive(n.exclMax))
	}
	return nil
}

func exclusive(b bool) string {
	if b {
		return " (exclusive)"
	}
	return ""
}

// skipNumber moves past a number in RFC 8259's grammar.
func (d *decoder) skipNumber() error {
	p := d.pos
	b := d.data
	if p < len(b) && b[p] == '-' {
		p++
	}
	switch {
	case p < len(b) && b[p] == '0':
		p++
	case p < len(b) && b[p] >= '1' && b[p] <= '9':
		for p < len(b) && b[p] >= '0' && b[p] <= '9' {
			p++
		}
	default:
		return d.syntaxAt(p, "invalid number")
	}
	if p < len(b) && b[p] == '.' {
		p++
		q := p
		for p < len(b) && b[p] >= '0' && b[p] <= '9' {
			p++
		}
		if p == q {
			return d.syntaxAt(p, "invalid number: no digits after the decimal point")
		}
	}
	if p < len(b) && (b[p] == 'e' || b[p] == 'E') {
		p++
		if p < len(b) && (b[p] == '+' || b[p] == '-') {
			p++
		}
		q := p
		for p < len(b) && b[p] >= '0' && b[p] <= '9' {
			p++
		}
		if p == q {
			return d.syntaxAt(p, "invalid number: no digits in the exponent")
		}
	}
	d.pos = p
	return nil
}

// str checks the string at d.pos.
func (d *decoder) str(n *node) error {
	raw, escaped, err := d.skipString()
	if err != nil {
		return err
	}
	needValue := n.enum != nil || n.types&kindString != 0 && (n.strFormat != nil || n.minLength > 0 || n.hasMaxLen)
	if !needValue {
		if n.types&kindString == 0 {
			return d.wrongType(n, "a string")
		}
		return nil
	}
	s := raw
	if escaped {
		s = d.unescape(raw)
	}
	if n.enum != nil && !enumHasString(n.enum, s) {
		return schemaErr("value is not one of the enum values")
	}
	if n.types&kindString == 0 {
		return d.wrongType(n, "a string")
	}
	if n.minLength > 0 || n.hasMaxLen {
		l := uint64(utf8.RuneCount(s))
		if l < n.minLength {
			return schemaErr("string is shorter than " + strconv.FormatUint(n.minLength, 10) + " characters")
		}
		if n.hasMaxLen && l > n.maxLength {
			return schemaErr("string is longer than " + strconv.FormatUint(n.maxLength, 10) + " characters")
		}
	}
	if n.strFormat != nil && !n.strFormat(s) {
		return schemaErr("string is not in format " + n.formatName)
	}
	return nil
}

func enumHasString(enum []any, s []byte) bool {
	for _, e := range enum {
		if es, ok := e.(string); ok && es == string(s) {
			return true
		}
	}
	return false
}

// skipString moves past the string at d.pos and returns its bytes
// between the quotes, and whether they hold escapes.
func (d *decoder) skipString() (raw []byte, escaped bool, err error) {
	b := d.data
	p := d.pos + 1
	start := p
	for p < len(b) {
		c := b[p]
		switch {
		case c == '"':
			d.pos = p + 1
			return b[start:p], escaped, nil
		case c == '\\':
			escaped = true
			if p+1 >= len(b) {
				return nil, false, d.syntaxAt(p, "unterminated string")
			}
			switch b[p+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				p += 2
			case 'u':
				if p+6 > len(b) || !isHex4(b[p+2:p+6]) {
					return nil, false, d.syntaxAt(p, `invalid \u escape`)
				}
				p += 6
			default:
				return nil, false, d.syntaxAt(p, "invalid escape")
			}
		case c < 0x20:
			return nil, false, d.syntaxAt(p, "control character in string")
		case c < utf8.RuneSelf:
			p++
		default:
			r, size := utf8.DecodeRune(b[p:])
			if r == utf8.RuneError && size == 1 {
				return nil, false, d.syntaxAt(p, "invalid UTF-8 in string")
			}
			p += size
		}
	}
	return nil, false, d.syntaxAt(p, "unterminated string")
}

func isHex4(b []byte) bool {
	for _, c := range b {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		r <<= 4
		switch {
		case c <= '9':
			r |= rune(c - '0')
		case c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			r |= rune(c - 'a' + 10)
		}
	}
	return r
}

// unescape decodes a well-formed string's escapes as encoding/json does
// (a lone surrogate becomes U+FFFD), into d.buf.
func (d *decoder) unescape(raw []byte) []byte {
	out := d.buf[:0]
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		switch raw[i+1] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r := hex4(raw[i+2 : i+6])
			i += 6
			if r >= 0xD800 && r < 0xDC00 && i+6 <= len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
				if lo := hex4(raw[i+2 : i+6]); lo >= 0xDC00 && lo < 0xE000 {
					r = (r-0xD800)<<10 | (lo - 0xDC00) + 0x10000
					i += 6
				}
			}
			if r >= 0xD800 && r < 0xE000 {
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
			continue
		default: // '"', '\\', '/'
			out = append(out, raw[i+1])
		}
		i += 2
	}
	d.buf = out
	return out
}

// array checks the array at d.pos.
func (d *decoder) array(n *node) error {
	d.pos++ // [
	var count uint64
	d.skipSpace()
	if d.pos < len(d.data) && d.data[d.pos] == ']' {
		d.pos++
	} else {
		for {
			var err error
			if n.items != nil {
				err = d.value(n.items)
			} else {
				err = d.skip()
			}
			if err != nil {
				return atIndex(err, count)
			}
			count++
			d.skipSpace()
			if d.pos >= len(d.data) {
				return d.syntax("unterminated array")
			}
			if c := d.data[d.pos]; c == ']' {
				d.pos++
				break
			} else if c != ',' {
				return d.syntax("want , or ] in an array")
			}
			d.pos++
		}
	}
	if count < n.minItems {
		return schemaErr("array has " + strconv.FormatUint(count, 10) + " items, want at least " + strconv.FormatUint(n.minItems, 10))
	}
	if n.hasMaxIts && count > n.maxItems {
		return schemaErr("array has " + strconv.FormatUint(count, 10) + " items, want at most " + strconv.FormatUint(n.maxItems, 10))
	}
	return nil
}
