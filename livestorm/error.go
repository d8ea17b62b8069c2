package livestorm

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/onair-go/onair/internal/apiclient"
)

// Error is an answer of the Livestorm API other than 2xx, with the JSON:API
// errors it carried.
type Error struct {
	StatusCode int
	RetryAfter time.Duration // from Retry-After, when the answer sent one
	Errors     []ErrorObject
}

func (e *Error) Error() string {
	var msgs []string
	for _, o := range e.Errors {
		m := o.Status
		if o.Title != nil {
			m = *o.Title
		}
		if o.Detail != nil {
			m += ": " + *o.Detail
		}
		msgs = append(msgs, m)
	}
	if len(msgs) == 0 {
		return fmt.Sprintf("HTTP %d", e.StatusCode)
	}
	return fmt.Sprintf("HTTP %d: %s", e.StatusCode, strings.Join(msgs, "; "))
}

func decodeError(status int, h http.Header, body []byte) error {
	e := &Error{StatusCode: status}
	e.RetryAfter, _ = apiclient.RetryAfter(h)
	var doc ErrorDocument
	if json.Unmarshal(body, &doc) == nil {
		e.Errors = doc.Errors
	}
	if len(e.Errors) == 0 {
		e.Errors = []ErrorObject{{Status: apiclient.Excerpt(status, body)}}
	}
	return e
}
