package redact_test

import (
	"encoding/base64"
	"net/url"
	"strconv"
	"testing"

	"github.com/onair-go/onair/internal/redact"
)

func TestHolds(t *testing.T) {
	const tok = "AT/quoted+token="
	var s redact.Set
	s.Add(tok)
	for _, tc := range []struct {
		name, text string
		want       bool
	}{
		{"plain", "x " + tok + " y", true},
		{"URL-escaped", "a=" + url.QueryEscape(tok), true},
		{"JSON-escaped", `{"a":"AT\/quoted\u002btoken="}`, true},
		{"Go-quoted", strconv.Quote(tok), true},
		{"base64", base64.StdEncoding.EncodeToString([]byte("user:" + tok)), true},
		{"a secret-named parameter holds no known value", "access_token=someone-else", false},
		{"inside a secret-named parameter", "access_token=" + tok, true},
		{"redacted", "x " + redact.Mark + " y", false},
		{"none", "nothing here", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := s.Holds(tc.text); got != tc.want {
				t.Errorf("Holds(%q) = %v, want %v", tc.text, got, tc.want)
			}
			if got := s.Holds(s.Text(tc.text)); got {
				t.Errorf("Holds(Text(%q)) = true, want false", tc.text)
			}
		})
	}
	var empty redact.Set
	if empty.Holds(tok) {
		t.Error("an empty Set holds a value")
	}
}
