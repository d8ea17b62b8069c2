package streamdiver

import (
	"fmt"
	"log/slog"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/apiclient"
	"github.com/onair-go/onair/internal/wirelog"
)

// Error is an answer of the Streamdiver API other than 2xx: a JSend "fail"
// (Data says which fields were wrong) or "error" (Message says what).
//
// Status and Message are the answer's with the request's token and other
// secrets removed, each made one line of at most 200 bytes; so are the
// strings of Data.
type Error struct {
	onair.APIError
	Status  string // "fail" or "error"
	Message string
	Data    map[string]any
}

func (e *Error) Error() string {
	s := e.APIError.Error()
	if e.Status != "" {
		s += " " + apiclient.Line(e.Status)
	}
	if e.Message != "" {
		s += ": " + apiclient.Line(e.Message)
	}
	if len(e.Data) > 0 {
		s += " " + apiclient.Line(fmt.Sprint(e.Data))
	}
	return s
}

// LogValue logs e as its text and the fields that identify the call and
// the answer, never the answer's header or body.
func (e *Error) LogValue() slog.Value { return wirelog.ErrorValue(e.Error(), &e.APIError) }

// Unwrap returns the part every provider's error shares.
func (e *Error) Unwrap() error { return &e.APIError }
