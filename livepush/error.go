package livepush

import (
	"github.com/onair-go/onair"
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

// Unwrap returns the part every provider's error shares.
func (e *Error) Unwrap() error { return &e.APIError }
