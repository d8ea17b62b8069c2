package acme

import "github.com/onair-go/onair"

// Error is an answer of the Acme API other than 2xx, whose body is
// {error, message?}.
type Error struct {
	onair.APIError
	Code    string
	Message string
}

func (e *Error) Error() string {
	s := e.APIError.Error() + ": " + e.Code
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Unwrap returns the part every provider's error shares.
func (e *Error) Unwrap() error { return &e.APIError }
