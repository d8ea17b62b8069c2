package webhookserve

import (
	"encoding/json"
	"net/url"
	"strings"
)

// URLSecrets returns the webhook secrets of the receiver URLs in body, a
// request's JSON body: secretOf names the path segment of a URL that holds
// its secret ("" for none), and a segment that cannot be a secret
// (CheckSecret) is left out. An API that refuses a subscription may quote
// its URL, and the client's errors must not show the secret.
func URLSecrets(body []byte, secretOf func(segments []string) string) []string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil
	}
	var secrets []string
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case string:
			u, err := url.Parse(v)
			if err != nil || !u.IsAbs() {
				return
			}
			raw := secretOf(strings.Split(strings.Trim(u.EscapedPath(), "/"), "/"))
			secret, err := url.PathUnescape(raw)
			if err != nil || CheckSecret("", secret) != nil {
				return
			}
			secrets = append(secrets, secret, raw)
		case []any:
			for _, x := range v {
				walk(x)
			}
		case map[string]any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	return secrets
}
