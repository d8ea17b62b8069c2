package dlive

import (
	"encoding/json"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/apiclient"
)

// provider is everything the client knows of DLive beyond the spec and
// the GraphQL documents: the generated NewClient starts from it (see
// apiclient.Provider). Endpoint.BareToken makes every request carry the
// token with no scheme, whatever the token source.
var provider = apiclient.Provider{
	Endpoint:    Endpoint,
	DecodeError: decodeError,
}

// decodeError reads the GraphQL errors of a non-2xx answer; an answer
// without them keeps the start of its body as Message.
func decodeError(base onair.APIError, body []byte) error {
	e := &Error{APIError: base}
	status := base.StatusCode
	var b GraphQLResponse
	if json.Unmarshal(body, &b) == nil {
		e.Errors = b.Errors
	}
	for i := range e.Errors {
		e.Errors[i].Message = apiclient.Line(e.Errors[i].Message)
	}
	if len(e.Errors) == 0 {
		e.Message = apiclient.Excerpt(status, body)
	}
	return e
}
