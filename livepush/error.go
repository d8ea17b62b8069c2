package livepush

import (
	"log/slog"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/wirelog"
)

// Error is an answer of the Livepush API other than 2xx. Livepush's error
// body is {message, code?, statusCode?}; the shape is partly assumed.
//
// Message and Code are the answer's with the request's token and other
// secrets removed, each made one line of at most 200 bytes.
type Error struct {
	onair.APIError
	Message string
	Code    string
}

func (e *Error) Error() string {
	s := e.APIError.Error() + ": " + e.Message
	if e.Code != "" {
		s += " (" + e.Code + ")"
	}
	return s
}

// LogValue logs e as its text and the fields that identify the call and
// the answer, never the answer's header or body.
func (e *Error) LogValue() slog.Value {
	var extra []slog.Attr
	if e.Code != "" {
		extra = append(extra, slog.String("error_code", e.Code))
	}
	return wirelog.ErrorValue(e.Error(), &e.APIError, extra...)
}

// Unwrap returns the part every provider's error shares.
func (e *Error) Unwrap() error { return &e.APIError }
