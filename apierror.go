package onair

import (
	"fmt"
	"log/slog"
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

// LogValue logs e as its text and the fields that identify the call and
// the answer. The answer's header and body are left out: they are the
// provider's words, which an error answer may fill with anything.
func (e *APIError) LogValue() slog.Value {
	attrs := []slog.Attr{
		slog.String("msg", e.Error()),
		slog.Int("status", e.StatusCode),
		slog.String("operation", e.Operation),
		slog.String("method", e.Method),
		slog.String("path", e.Path),
	}
	if e.RequestID != "" {
		attrs = append(attrs, slog.String("request_id", e.RequestID))
	}
	if e.RetryAfter > 0 {
		attrs = append(attrs, slog.Duration("retry_after", e.RetryAfter))
	}
	return slog.GroupValue(attrs...)
}
