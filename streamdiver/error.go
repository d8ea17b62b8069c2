package streamdiver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/onair-go/onair/internal/apiclient"
)

// Error is an answer of the Streamdiver API other than 2xx: a JSend "fail"
// (Data says which fields were wrong) or "error" (Message says what).
type Error struct {
	StatusCode int
	RetryAfter time.Duration // from Retry-After, when the answer sent one
	Status     string        // "fail" or "error"
	Message    string
	Data       map[string]any
}

func (e *Error) Error() string {
	s := fmt.Sprintf("HTTP %d", e.StatusCode)
	if e.Status != "" {
		s += " " + e.Status
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	if len(e.Data) > 0 {
		s += fmt.Sprintf(" %v", e.Data)
	}
	return s
}

func decodeError(status int, h http.Header, body []byte) error {
	e := &Error{StatusCode: status}
	e.RetryAfter, _ = apiclient.RetryAfter(h)
	var b struct {
		Status  string         `json:"status"`
		Message string         `json:"message"`
		Data    map[string]any `json:"data"`
	}
	if json.Unmarshal(body, &b) == nil {
		e.Status, e.Message, e.Data = b.Status, b.Message, b.Data
	}
	if e.Status == "" && e.Message == "" {
		e.Message = apiclient.Excerpt(status, body)
	}
	return e
}
