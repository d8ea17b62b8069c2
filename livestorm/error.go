package livestorm

import (
	"log/slog"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/apiclient"
	"github.com/onair-go/onair/internal/wirelog"
)

// Error is an answer of the Livestorm API other than 2xx, with the JSON:API
// errors it carried.
//
// The texts of Errors are the answer's with the request's token and other
// secrets removed, each made one line of at most 200 bytes.
type Error struct {
	onair.APIError
	Errors []ErrorObject
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
		return e.APIError.Error()
	}
	return e.APIError.Error() + ": " + apiclient.List(msgs)
}

// LogValue logs e as its text and the fields that identify the call and
// the answer, never the answer's header or body.
func (e *Error) LogValue() slog.Value { return wirelog.ErrorValue(e.Error(), &e.APIError) }

// Unwrap returns the part every provider's error shares.
func (e *Error) Unwrap() error { return &e.APIError }

// cleanObject makes every text of o one line.
func cleanObject(o *ErrorObject) {
	for _, p := range []*string{&o.Status, &o.Code, &o.Detail, &o.Title, &o.Source.Parameter, &o.Source.Pointer} {
		*p = apiclient.Line(*p)
	}
}
