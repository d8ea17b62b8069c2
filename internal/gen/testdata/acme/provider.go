package acme

import (
	"encoding/json"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/apiclient"
)

// provider is everything the client knows of Acme beyond the spec: the
// generated NewClient starts from it (see apiclient.Provider).
var provider = apiclient.Provider{
	Endpoint:    Endpoint, // Bearer tokens
	DecodeError: decodeError,
}

// decodeError reads Acme's error body, {error, message?}.
func decodeError(base onair.APIError, body []byte) error {
	e := &Error{APIError: base}
	var b struct{ Error, Message string }
	if json.Unmarshal(body, &b) == nil {
		e.Code, e.Message = apiclient.Line(b.Error), apiclient.Line(b.Message)
	}
	if e.Code == "" {
		e.Code = apiclient.Excerpt(base.StatusCode, body)
	}
	return e
}
