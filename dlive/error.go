package dlive

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/onair-go/onair/internal/apiclient"
)

// Error is a failed DLive call: an HTTP status other than 2xx (422 for a
// query that is too complex), GraphQL errors in the answer, or the err
// payload of a mutation.
type Error struct {
	StatusCode int
	RetryAfter time.Duration // from Retry-After, when the answer sent one
	// Errors are the answer's GraphQL errors.
	Errors []GraphQLError
	// Code and Message are a mutation's err payload.
	Code    int
	Message string
}

func (e *Error) Error() string {
	var msgs []string
	for _, g := range e.Errors {
		msgs = append(msgs, g.Message)
	}
	if e.Message != "" {
		msgs = append(msgs, fmt.Sprintf("%s (code %d)", e.Message, e.Code))
	}
	return fmt.Sprintf("HTTP %d: %s", e.StatusCode, strings.Join(msgs, "; "))
}

// ErrNoUser reports a call about the token's user (Me and the like) made
// with a token that has none, such as an application token.
var ErrNoUser = errors.New("the token has no user (is it an application token?)")

func decodeError(status int, h http.Header, body []byte) error {
	e := &Error{StatusCode: status}
	e.RetryAfter, _ = apiclient.RetryAfter(h)
	var b GraphQLResponse
	if json.Unmarshal(body, &b) == nil && b.Errors != nil {
		e.Errors = *b.Errors
	}
	if len(e.Errors) == 0 {
		e.Message = apiclient.Excerpt(status, body)
	}
	return e
}
