package redact_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/redact"
)

func TestBody(t *testing.T) {
	const tok = "AT/quoted+token="
	var s redact.Set
	s.Add(tok)
	for _, tc := range []struct {
		name, body, want string
		keep             []string
	}{
		{"an error code kept", `{"code":"insufficient_scope"}`, `{"code":"insufficient_scope"}`, []string{"code"}},
		{"code blanked unless kept", `{"code":"abc"}`, `{"code":"[redacted]"}`, nil},
		{"a kept member's value still cleaned", `{"code":"` + tok + `"}`, `{"code":"[redacted]"}`, []string{"code"}},
		{"a secret-named member blanked", `{"accessToken":"unknown-value","code":"bad"}`, `{"accessToken":"[redacted]","code":"bad"}`, []string{"code"}},
		{"a token behind JSON escapes", `{"message":"bad token AT\/quoted\u002btoken="}`, `{"message":"bad token [redacted]"}`, nil},
		{"nested and in a key", `{"errors":[{"detail":{"` + tok + `":1}}]}`, `{"errors":[{"detail":{"[redacted]":1}}]}`, nil},
		{"not JSON", `rejected Authorization: Bearer ` + tok, `rejected Authorization: [redacted]`, nil},
		{"JSON with trailing text", `{"a":1} ` + tok, `{"a":1} [redacted]`, nil},
		{"empty", ``, ``, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if d := cmp.Diff(tc.want, string(s.Body([]byte(tc.body), tc.keep...))); d != "" {
				t.Errorf("Body(%s) (-want +got):\n%s", tc.body, d)
			}
		})
	}
}
