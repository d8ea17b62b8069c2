package redact

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"reflect"
)

const (
	// maxChain bounds how deep Err walks a chain of wrapped errors.
	maxChain = 32
	// maxErrors bounds how many errors Err visits in all: errors joined
	// into one another can make a tree exponentially wide in its depth.
	maxErrors = 1000
)

// Err returns err with the secrets Text finds removed from the text of
// every error in its chain, wrapped ones included, so that no error a
// caller can reach by unwrapping shows one.
//
// An error whose chain holds no secret is returned as it is. A *url.Error
// stays a *url.Error, with its URL passed through URL. Any other error
// whose own text, or whose wrapped errors' texts, hold a secret is
// replaced by one with the redacted text that wraps the redacted
// versions of what it wrapped, answers errors.Is as the original's own Is
// method did, and is a net.Error with the original's Timeout and
// Temporary if the original was one. So errors.Is(err,
// context.DeadlineExceeded), errors.As(err, &netErr) and the types of the
// errors that carry no secret (*net.OpError, syscall.Errno) still work;
// errors.As to the type of an error whose text held a secret does not.
func (s *Set) Err(err error) error {
	budget := maxErrors
	clean, _ := s.cleanErr(err, 0, &budget)
	return clean
}

// cleanErr returns err redacted, and whether that changed anything. It
// visits at most *budget errors, and takes those it visits from it.
func (s *Set) cleanErr(err error, depth int, budget *int) (error, bool) {
	if err == nil {
		return nil, false
	}
	if *budget <= 0 {
		// Not even its text: that of a wide tree is as large.
		return &redactedError{msg: "[more errors not shown]"}, true
	}
	*budget--
	var wrapped []error
	changed := false
	if depth == maxChain {
		changed = true // drop what lies deeper
	} else {
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			if w := u.Unwrap(); w != nil {
				c, ch := s.cleanErr(w, depth+1, budget)
				wrapped, changed = []error{c}, ch
			}
		case interface{ Unwrap() []error }:
			for _, w := range u.Unwrap() {
				c, ch := s.cleanErr(w, depth+1, budget)
				wrapped = append(wrapped, c)
				changed = changed || ch
			}
		}
	}
	if ue, ok := err.(*url.Error); ok && depth < maxChain {
		u := s.URL(ue.URL)
		if !changed && u == ue.URL {
			return err, false
		}
		var inner error
		if len(wrapped) > 0 {
			inner = wrapped[0]
		}
		return &url.Error{Op: ue.Op, URL: u, Err: inner}, true
	}
	msg := err.Error()
	red := s.Text(msg)
	if !changed && red == msg {
		return err, false
	}
	r := &redactedError{msg: red, wrapped: wrapped, typ: typeName(err, wrapped)}
	if i, ok := err.(interface{ Is(error) bool }); ok {
		r.is = i.Is
	}
	if ne, ok := err.(net.Error); ok {
		return &redactedNetError{r, ne.Timeout(), ne.Temporary()}, true
	}
	return r, true
}

// redactedError stands for an error whose chain held a secret.
type redactedError struct {
	msg     string
	wrapped []error
	is      func(error) bool // the original's Is method, if it had one
	typ     string           // the original's type, for ErrorType
}

func (e *redactedError) Error() string   { return e.msg }
func (e *redactedError) Unwrap() []error { return e.wrapped }

// Is answers as the original error's Is method did.
func (e *redactedError) Is(target error) bool { return e.is != nil && e.is(target) }

// GoString shows the redacted text only, so that %#v does not print what
// the error wraps by value.
func (e *redactedError) GoString() string { return fmt.Sprintf("&redact.redactedError{msg:%q}", e.msg) }

// redactedNetError stands for a net.Error whose chain held a secret.
type redactedNetError struct {
	*redactedError
	timeout, temporary bool
}

func (e *redactedNetError) Timeout() bool   { return e.timeout }
func (e *redactedNetError) Temporary() bool { return e.temporary }

// fmtWrapped is the type of fmt.Errorf's errors that wrap one error.
var fmtWrapped = reflect.TypeOf(fmt.Errorf("%w", errors.ErrUnsupported))

// ErrorType returns the type of the error err stands for, when err is one
// this package redacted (through fmt.Errorf's wrappers), named as
// OpenTelemetry's error.type names a type ("*net.OpError"), so that
// telemetry names a redacted error by what it was; else "".
func ErrorType(err error) string {
	for reflect.TypeOf(err) == fmtWrapped {
		err = errors.Unwrap(err)
	}
	switch e := err.(type) {
	case *redactedError:
		return e.typ
	case *redactedNetError:
		return e.typ
	}
	return ""
}

// typeName names err's type for ErrorType: by its ErrorType method if it
// has one, and looking through fmt.Errorf's wrapper to the (already
// redacted) error it wraps.
func typeName(err error, wrapped []error) string {
	if et, ok := err.(interface{ ErrorType() string }); ok && et.ErrorType() != "" {
		return et.ErrorType()
	}
	t := reflect.TypeOf(err)
	if t == fmtWrapped && len(wrapped) == 1 {
		if name := ErrorType(wrapped[0]); name != "" {
			return name
		}
		t = reflect.TypeOf(wrapped[0])
	}
	if t.PkgPath() != "" && t.Name() != "" {
		return t.PkgPath() + "." + t.Name()
	}
	return t.String()
}
