package redact

import (
	"encoding/base64"
	"net/url"
	"strings"
)

// Credentials returns the secrets an Authorization header's value v
// carries: the credential after its scheme (v itself when it has none, as
// DLive's bare token), and for Basic the decoded password, escaped as a
// client secret is before encoding and unescaped. The client id before
// the colon is no secret.
func Credentials(v string) []string {
	v = strings.TrimSpace(v)
	scheme, cred, ok := strings.Cut(v, " ")
	if !ok {
		return []string{v}
	}
	cred = strings.TrimSpace(cred)
	out := []string{cred}
	if strings.EqualFold(scheme, "Basic") {
		if raw, err := base64.StdEncoding.DecodeString(cred); err == nil {
			if _, pass, ok := strings.Cut(string(raw), ":"); ok {
				out = append(out, pass)
				if p, err := url.QueryUnescape(pass); err == nil {
					out = append(out, p)
				}
			}
		}
	}
	return out
}
