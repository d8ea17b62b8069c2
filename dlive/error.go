package dlive

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"unicode/utf8"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/apiclient"
	"github.com/onair-go/onair/internal/wirelog"
	"github.com/onair-go/onair/scopes"
)

// Error is a failed DLive call: an HTTP status other than 2xx (422 for a
// query that is too complex), GraphQL errors in the answer, or the err
// payload of a mutation.
//
// The messages of Errors, and Message, are the answer's with the
// request's token and other secrets removed, each made one line of at most
// 200 bytes.
type Error struct {
	onair.APIError
	// Errors are the answer's GraphQL errors.
	Errors []GraphQLError
	// Code and Message are a mutation's err payload.
	Code    int
	Message string
}

func (e *Error) Error() string {
	msgs := make([]string, 0, len(e.Errors)+1)
	for _, g := range e.Errors {
		msgs = append(msgs, g.Message)
	}
	if e.Message != "" {
		msgs = append(msgs, fmt.Sprintf("%s (code %d)", apiclient.Line(e.Message), e.Code))
	}
	return e.APIError.Error() + ": " + apiclient.List(msgs)
}

// LogValue logs e as its text and the fields that identify the call and
// the answer, never the answer's header or body.
func (e *Error) LogValue() slog.Value {
	var extra []slog.Attr
	if e.Message != "" {
		extra = append(extra, slog.Int("error_code", e.Code))
	}
	return wirelog.ErrorValue(e.Error(), &e.APIError, extra...)
}

// Unwrap returns the part every provider's error shares.
func (e *Error) Unwrap() error { return &e.APIError }

// ErrNoUser reports a call about the token's user (Me and the like) made
// with a token that has none, such as an application token.
var ErrNoUser = errors.New("the token has no user (is it an application token?)")

// maxExcerpt bounds the Body of an *Error made of a 2xx answer, as
// apiclient bounds it for the others.
const maxExcerpt = 4 << 10

// excerpt is the start of body as valid UTF-8, at most maxExcerpt bytes,
// cut on a rune boundary.
func excerpt(body []byte) string {
	if len(body) > maxExcerpt {
		i := maxExcerpt
		for i > 0 && !utf8.RuneStart(body[i]) {
			i--
		}
		body = body[:i]
	}
	return strings.ToValidUTF8(string(body), "\uFFFD")
}

// cleanAnswer returns e, made of a 2xx answer to one of c's requests, with
// the secrets removed and the texts made one line as decodeError's are.
func cleanAnswer(ctx context.Context, c *apiclient.Client[scopes.DLive], a apiclient.Answer, e *Error) *Error {
	e.Errors = apiclient.Clean(ctx, c, a, e.Errors)
	for i := range e.Errors {
		e.Errors[i].Message = apiclient.Line(e.Errors[i].Message)
	}
	e.Message = apiclient.Line(apiclient.Clean(ctx, c, a, e.Message))
	return e
}
