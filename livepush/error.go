package livepush

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/onair-go/onair/internal/apiclient"
)

// Error is an answer of the Livepush API other than 2xx. Livepush's error
// body is {message, code?, statusCode?}; the shape is partly assumed.
//
// Message and Code are the answer's with the request's token and other
// secrets removed, each made one line of at most 200 bytes.
type Error struct {
	StatusCode int
	RetryAfter time.Duration // from Retry-After, when the answer sent one
	Message    string
	Code       string
}

func (e *Error) Error() string {
	s := fmt.Sprintf("HTTP %d: %s", e.StatusCode, apiclient.Line(e.Message))
	if e.Code != "" {
		s += " (" + apiclient.Line(e.Code) + ")"
	}
	return s
}

func decodeError(status int, h http.Header, body []byte) error {
	e := &Error{StatusCode: status}
	e.RetryAfter, _ = apiclient.RetryAfter(h)
	var b struct{ Message, Code string }
	if json.Unmarshal(body, &b) == nil {
		e.Message, e.Code = apiclient.Line(b.Message), apiclient.Line(b.Code)
	}
	if e.Message == "" {
		e.Message = apiclient.Excerpt(status, body)
	}
	return e
}
