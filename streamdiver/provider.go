package streamdiver

import (
	"encoding/json"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/internal/apiclient"
	"github.com/onair-go/onair/internal/webhookserve"
)

// provider is everything the client knows of Streamdiver beyond the spec:
// the generated NewClient starts from it (see apiclient.Provider). Its
// Endpoint is the dialect alone, without a tenant's realm, which the
// client does not need: a client of any tenant sends Bearer tokens.
var provider = apiclient.Provider{
	Endpoint:    dialect,
	DecodeError: decodeError,
	BodySecrets: webhookSecrets,
}

// webhookSecrets returns the secrets of the receiver URLs a request
// carries, as WebhookURL builds them: the last segment of the path.
func webhookSecrets(body []byte) []string {
	return webhookserve.URLSecrets(body, func(segs []string) string { return segs[len(segs)-1] })
}

// decodeError reads Streamdiver's JSend error body: {status, message?, data?}.
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
