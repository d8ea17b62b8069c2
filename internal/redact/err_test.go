package redact

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"
	"testing"

	"github.com/onair-go/onair/internal/leaktest"
)

// timeoutError is a net.Error whose text holds what it was given.
type timeoutError struct{ msg string }

func (e *timeoutError) Error() string   { return e.msg }
func (e *timeoutError) Timeout() bool   { return true }
func (e *timeoutError) Temporary() bool { return false }

// eofError matches io.ErrUnexpectedEOF through its Is method.
type eofError struct{ msg string }

func (e *eofError) Error() string        { return e.msg }
func (e *eofError) Is(target error) bool { return target == io.ErrUnexpectedEOF }

// valueError prints its fields under %#v unless something stops it.
type valueError struct{ Secret string }

func (e valueError) Error() string { return "value error holding " + e.Secret }

func TestErr(t *testing.T) {
	opErr := &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
	getURL := "http://127.0.0.1:9/token?client_id=id&client_secret=" + url.QueryEscape(secret)
	cases := []struct {
		name string
		err  error
		// check says what the redacted error must still answer.
		check func(t *testing.T, clean error)
	}{
		{name: "inner error of a url.Error quotes the request",
			err: &url.Error{Op: "Get", URL: getURL, Err: errors.New(`malformed HTTP status code "/token?client_secret=` + url.QueryEscape(secret) + `"`)},
			check: func(t *testing.T, clean error) {
				ue, ok := clean.(*url.Error)
				if !ok {
					t.Fatalf("%T, want *url.Error", clean)
				}
				if want := "http://127.0.0.1:9/token?client_id=id&client_secret=[redacted]"; ue.URL != want || ue.Op != "Get" {
					t.Errorf("Op %q URL %q, want Get %q", ue.Op, ue.URL, want)
				}
				if want := `malformed HTTP status code "/token?client_secret=[redacted]"`; ue.Err.Error() != want {
					t.Errorf("inner error %q, want %q", ue.Err, want)
				}
			}},
		{name: "deadline inside a url.Error",
			err: fmt.Errorf("auth: %w", &url.Error{Op: "Post", URL: getURL, Err: context.DeadlineExceeded}),
			check: func(t *testing.T, clean error) {
				var ne net.Error
				if !errors.Is(clean, context.DeadlineExceeded) || !errors.As(clean, &ne) || !ne.Timeout() {
					t.Errorf("%v: lost context.DeadlineExceeded or Timeout()", clean)
				}
			}},
		{name: "net.Error quoting a secret",
			err: fmt.Errorf("reading: %w", &timeoutError{"timeout after " + secret}),
			check: func(t *testing.T, clean error) {
				var ne net.Error
				if !errors.As(clean, &ne) || !ne.Timeout() || ne.Temporary() {
					t.Errorf("%v: not a net.Error with Timeout() true", clean)
				}
			}},
		{name: "joined errors",
			err: errors.Join(errors.New("first "+secret), fmt.Errorf("second: %w", context.Canceled)),
			check: func(t *testing.T, clean error) {
				if !errors.Is(clean, context.Canceled) || len(leaktest.Chain(clean)) != 4 {
					t.Errorf("%v: lost context.Canceled or the shape of the chain", clean)
				}
			}},
		{name: "an Is method",
			err: fmt.Errorf("x: %w", &eofError{"cut short in " + secret}),
			check: func(t *testing.T, clean error) {
				if !errors.Is(clean, io.ErrUnexpectedEOF) {
					t.Errorf("%v: no longer io.ErrUnexpectedEOF", clean)
				}
			}},
		{name: "clean errors stay as they are",
			err: fmt.Errorf("b: %w", &url.Error{Op: "Get", URL: "https://h.example/x", Err: opErr}),
			check: func(t *testing.T, clean error) {
				var oe *net.OpError
				if !errors.As(clean, &oe) || oe != opErr || !errors.Is(clean, syscall.ECONNREFUSED) {
					t.Errorf("%v: lost *net.OpError or ECONNREFUSED", clean)
				}
			}},
		{name: "error value printed with %#v",
			err: fmt.Errorf("w: %w", valueError{secret})},
		{name: "deep chain", err: func() error {
			err := errors.New("bottom " + secret)
			for i := range 100 {
				err = fmt.Errorf("level %d: %w", i, err)
			}
			return err
		}()},
	}
	var s Set
	s.Add(secret)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clean := s.Err(tc.err)
			for i, e := range leaktest.Chain(clean) {
				for _, out := range []string{e.Error(), fmt.Sprintf("%v", e), fmt.Sprintf("%+v", e), fmt.Sprintf("%#v", e)} {
					if strings.Contains(out, secret) || strings.Contains(out, url.QueryEscape(secret)) {
						t.Errorf("error %d of the chain (%T) shows the secret: %s", i, e, out)
					}
				}
			}
			if tc.check != nil {
				tc.check(t, clean)
			}
		})
	}
	if s.Err(nil) != nil {
		t.Error("Err(nil) != nil")
	}
	clean := fmt.Errorf("x: %w", io.EOF)
	if got := s.Err(clean); got != clean {
		t.Errorf("Err of an error with no secret = %#v, want it unchanged", got)
	}
}

// countingError is joined into itself, so that its tree doubles in width
// at each level; it counts how often it is unwrapped.
type countingError struct {
	child   error
	unwraps *int
}

func (e *countingError) Error() string { return "wide" }
func (e *countingError) Unwrap() []error {
	*e.unwraps++
	return []error{e.child, e.child}
}

// However errors are joined into one another, Err visits a bounded number
// of them.
func TestErrWideTree(t *testing.T) {
	var s Set
	s.Add(secret)
	for _, depth := range []int{10, 20, 31, 40} {
		n := 0
		var err error = errors.New("bottom " + secret)
		for range depth {
			err = &countingError{child: err, unwraps: &n}
		}
		clean := s.Err(err)
		if n > 2*maxErrors {
			t.Errorf("depth %d: %d errors unwrapped", depth, n)
		}
		n = 0
		for i, e := range leaktest.Chain(clean) {
			if strings.Contains(e.Error(), secret) {
				t.Errorf("depth %d: error %d of the chain shows the secret: %s", depth, i, e)
			}
		}
	}
	n := 0
	self := &countingError{unwraps: &n}
	self.child = self
	s.Err(self)
	if n > 2*maxErrors {
		t.Errorf("an error joined into itself: %d errors unwrapped", n)
	}
}

// ErrorType names a redacted error by the type of the error it stands for,
// as OpenTelemetry's error.type would have named the original, and names
// nothing for an error this package did not make.
func TestErrorType(t *testing.T) {
	opErr := &net.OpError{Op: "read", Net: "tcp", Err: errors.New("peer sent " + secret)}
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"a net.Error", opErr, "*net.OpError"},
		{"a value type", valueError{Secret: secret}, "github.com/onair-go/onair/internal/redact.valueError"},
		{"fmt.Errorf's wrapper names what it wraps", fmt.Errorf("reading %s: %w", secret, &eofError{msg: "eof"}), "*redact.eofError"},
		{"the wrapped error held the secret", fmt.Errorf("reading: %w", &timeoutError{msg: "timeout after " + secret}), "*redact.timeoutError"},
		{"not redacted: no secret", errors.New("no secret here"), ""},
	}
	var s Set
	s.Add(secret)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := ErrorType(s.Err(tc.err)); got != tc.want {
				t.Errorf("ErrorType = %q, want %q", got, tc.want)
			}
		})
	}
}
