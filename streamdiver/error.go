package streamdiver

import (
	"encoding/json"
	"fmt"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/apiclient"
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

// Unwrap returns the part every provider's error shares.
func (e *Error) Unwrap() error { return &e.APIError }

func decodeError(base onair.APIError, body []byte) error {
	e := &Error{APIError: base}
	status := base.StatusCode
	var b struct {
		Status  string         `json:"status"`
		Message string         `json:"message"`
		Data    map[string]any `json:"data"`
	}
	if json.Unmarshal(body, &b) == nil {
		e.Status, e.Message = apiclient.Line(b.Status), apiclient.Line(b.Message)
		if b.Data != nil {
			e.Data = cleanData(b.Data).(map[string]any)
		}
	}
	if e.Status == "" && e.Message == "" {
		e.Message = apiclient.Excerpt(status, body)
	}
	return e
}

// cleanData makes every string of a decoded JSON value one line, keys too.
func cleanData(v any) any {
	switch v := v.(type) {
	case string:
		return apiclient.Line(v)
	case []any:
		for i, x := range v {
			v[i] = cleanData(x)
		}
	case map[string]any:
		clean := make(map[string]any, len(v))
		for k, x := range v {
			clean[apiclient.Line(k)] = cleanData(x)
		}
		return clean
	}
	return v
}
