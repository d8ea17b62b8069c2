package auth_test

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/internal/leaktest"
)

// Whatever an API answers, a Transport used on its own (not through an
// onair client) puts the token it sent in no error and no field of one.
func TestTransportErrorsQuoteNoToken(t *testing.T) {
	const token = "AT-sent-k9Qz4Wm4Rt7pLx2"
	bare := func(a string) string { return strings.TrimPrefix(a, "Bearer ") }
	for _, tc := range []struct {
		name   string
		answer func(authorization string) string
	}{
		{"a header line without a colon", func(a string) string { return "HTTP/1.1 200 OK\r\n" + a + "\r\n\r\n" }},
		{"a malformed status code", func(a string) string { return "HTTP/1.1 2x0 " + a + "\r\n\r\n" }},
		{"a malformed status line", func(a string) string { return a + "\r\n\r\n" }},
		{"a bad Content-Length", func(a string) string { return "HTTP/1.1 200 OK\r\nContent-Length: " + bare(a) + "\r\n\r\n" }},
		{"insufficient_scope quoting it in scope and a header", func(a string) string {
			return fmt.Sprintf("HTTP/1.1 403 Forbidden\r\nWWW-Authenticate: Bearer error=\"insufficient_scope\", scope=\"%s events:write\"\r\nX-Seen: %s\r\nContent-Length: 0\r\n\r\n", bare(a), a)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			src := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token, Expiry: time.Now().Add(time.Hour)})
			res, err := (&http.Client{Transport: &auth.Transport{Source: src}}).Get(leaktest.RawServer(t, tc.answer) + "/x")
			if res != nil {
				res.Body.Close()
			}
			if err == nil {
				t.Fatal("no error")
			}
			texts := []string{fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)}
			for e := err; e != nil; e = errors.Unwrap(e) {
				texts = append(texts, e.Error())
			}
			var ise *auth.InsufficientScopeError
			if errors.As(err, &ise) {
				texts = append(texts, fmt.Sprint(ise.Scope, ise.Header, ise.Description, string(ise.Body)))
				if !strings.Contains(fmt.Sprint(ise.Scope), "events:write") {
					t.Errorf("Scope %q lost the scope the API named", ise.Scope)
				}
			}
			for _, s := range texts {
				if strings.Contains(s, token) {
					t.Errorf("the token survives in %q", s)
				}
			}
		})
	}
}
