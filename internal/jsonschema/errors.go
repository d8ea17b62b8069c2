package jsonschema

import (
	"strconv"
	"strings"
)

// SyntaxError is malformed JSON.
type SyntaxError struct {
	Offset int // in bytes from the start of the document
	Reason string
}

func (e *SyntaxError) Error() string {
	return "invalid JSON at byte " + strconv.Itoa(e.Offset) + ": " + e.Reason
}

// Error is a well-formed value the schema does not accept.
type Error struct {
	// Pointer is the RFC 6901 JSON pointer of the value; "" is the root.
	Pointer string
	Reason  string

	rev []string // the pointer's tokens, innermost first, while unwinding
}

func (e *Error) Error() string {
	p := e.Pointer
	if p == "" {
		p = "/"
	}
	return "JSON value at " + p + ": " + e.Reason
}

func schemaErr(reason string) error { return &Error{Reason: reason} }

func (d *decoder) syntax(reason string) error { return d.syntaxAt(d.pos, reason) }

func (d *decoder) syntaxAt(p int, reason string) error {
	return &SyntaxError{Offset: p, Reason: reason}
}

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

func atKey(err error, key []byte) error {
	e, ok := err.(*Error)
	if !ok {
		return err
	}
	e.rev = append(e.rev, pointerEscaper.Replace(string(key)))
	e.Pointer = pointer(e.rev)
	return e
}

func atIndex(err error, i uint64) error {
	e, ok := err.(*Error)
	if !ok {
		return err
	}
	e.rev = append(e.rev, strconv.FormatUint(i, 10))
	e.Pointer = pointer(e.rev)
	return e
}

func pointer(rev []string) string {
	var b strings.Builder
	for i := len(rev) - 1; i >= 0; i-- {
		b.WriteByte('/')
		b.WriteString(rev[i])
	}
	return b.String()
}
