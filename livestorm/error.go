package livestorm

import (
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/onair-go/onair/internal/apiclient"
)

// Error is an answer of the Livestorm API other than 2xx, with the JSON:API
// errors it carried.
//
// The texts of Errors are the answer's with the request's token and other
// secrets removed, each made one line of at most 200 bytes.
type Error struct {
	StatusCode int
	RetryAfter time.Duration // from Retry-After, when the answer sent one
	Errors     []ErrorObject
}

func (e *Error) Error() string {
	msgs := make([]string, 0, len(e.Errors))
	for _, o := range e.Errors {
		m := apiclient.Line(o.Status)
		if o.Title != "" {
			m = apiclient.Line(o.Title)
		}
		if o.Detail != "" {
			m += ": " + apiclient.Line(o.Detail)
		}
		msgs = append(msgs, m)
	}
	if len(msgs) == 0 {
		return fmt.Sprintf("HTTP %d", e.StatusCode)
	}
	return fmt.Sprintf("HTTP %d: %s", e.StatusCode, apiclient.List(msgs))
}

func decodeError(status int, h http.Header, body []byte) error {
	e := &Error{StatusCode: status}
	e.RetryAfter, _ = apiclient.RetryAfter(h)
	var doc ErrorDocument
	if json.Unmarshal(body, &doc) == nil {
		e.Errors = doc.Errors
	}
	for i := range e.Errors {
		cleanObject(&e.Errors[i])
	}
	if len(e.Errors) == 0 {
		e.Errors = []ErrorObject{{Status: apiclient.Excerpt(status, body)}}
	}
	return e
}

// cleanObject makes every text of o one line.
func cleanObject(o *ErrorObject) {
	for _, p := range []*string{&o.Status, &o.Code, &o.Detail, &o.Title, &o.Source.Parameter, &o.Source.Pointer} {
		*p = apiclient.Line(*p)
	}
}
