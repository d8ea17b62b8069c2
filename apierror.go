package onair

import (
	"fmt"
	"net/http"
	"time"
)

// APIError is what every provider's error type has in common: an answer
// of the API other than 2xx. Each provider's *Error embeds it and adds the
// fields of its error body; errors.As finds either.
//
// Its texts come from the answer with the request's token and other
// secrets removed.
type APIError struct {
	StatusCode int
	Operation  string // the method that failed, as Service.Method
	Method     string // the HTTP method
	Path       string // the URL's path, without its query
	RequestID  string // from X-Request-Id; "" when the answer had none
	// Header is the answer's header without credentials.
	Header http.Header
	// Body is the start of the answer's body, at most a few KiB, as
	// text.
	Body       string
	RetryAfter time.Duration // from Retry-After, when the answer sent one
}

func (e *APIError) Error() string {
	s := fmt.Sprintf("HTTP %d from %s %s", e.StatusCode, e.Method, e.Path)
	if e.RequestID != "" {
		s += " (request " + e.RequestID + ")"
	}
	return s
}
