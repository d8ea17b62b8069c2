package livepush

import (
	"encoding/json"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/apiclient"
)

// provider is everything the client knows of Livepush beyond the spec:
// the generated NewClient starts from it (see apiclient.Provider).
var provider = apiclient.Provider{
	Endpoint:    Endpoint, // Bearer tokens
	DecodeError: decodeError,
}

// decodeError reads Livepush's error body, {message, code?, statusCode?}.
func decodeError(base onair.APIError, body []byte) error {
	e := &Error{APIError: base}
	var b struct{ Message, Code string }
	if json.Unmarshal(body, &b) == nil {
		e.Message, e.Code = apiclient.Line(b.Message), apiclient.Line(b.Code)
	}
	if e.Message == "" {
		e.Message = apiclient.Excerpt(base.StatusCode, body)
	}
	return e
}
