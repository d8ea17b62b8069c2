package auth

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/onair-go/onair/internal/redact"
)

// FuzzDecodeToken feeds arbitrary token answers to the decoder: it must
// never panic, must hand out only Bearer tokens with an access token, and
// must never show a known secret, raw, escaped or in base64, in an error,
// however the error is printed.
func FuzzDecodeToken(f *testing.F) {
	const id = "fuzz-client"
	secrets := []string{"SECRET-CLIENT/+=x1", "SECRET-CODE+/=y22", "SECRET-REFRESH~.z3"}
	basic := basicCredential(id, secrets[0])
	q := url.QueryEscape
	echo := "client_id=" + id + "&client_secret=" + q(secrets[0]) + "&code=" + q(secrets[1]) + "&refresh_token=" + q(secrets[2])
	jsonEscaped := strings.NewReplacer("/", `\u002f`, "+", `\u002B`, "=", `\u003d`, "~", `\u007e`)
	for _, seed := range []string{
		`{"access_token":"a","token_type":"access_token","refresh_token":"r","expires_in":3600}`,
		`{"access_token":"a","token_type":"Bearer","expires_in":7200,"refresh_token":"r","scope":"events:read","created_at":1629205920}`,
		`{"access_token":"a","token_type":"Bearer","expiry":"0001-01-01T00:00:00Z","refresh_token":"r"}`,
		`{"access_token":"eyJ","expires_in":7200,"refresh_expires_in":0,"token_type":"Bearer","not-before-policy":0,"scope":"email profile"}`,
		`{"access_token":"a","expires_in":"3600","scope":["a","b"]}`,
		`{"error":"invalid_grant","error_description":"code ` + secrets[1] + ` expired"}`,
		`<html>` + secrets[0] + ` code=abc</html>`,
		`{"access_token":"a","expiry":"2000-01-01T00:00:00Z"}`,
		`{"access_token":null}`, `[]`, `null`, ``,
		// Echoes of the request in the encodings the redactor decodes.
		`{"error":"invalid_client","error_description":"rejected Basic ` + basic + `"}`,
		`{"error":"invalid_request","error_description":"` + lowerHexEscapes(q(echo)) + `"}`,
		`<pre>` + base64.StdEncoding.EncodeToString([]byte(echo)) + `</pre>`,
		`<pre>` + base64.RawURLEncoding.EncodeToString([]byte("GET /token?"+echo)) + `</pre>`,
		`{"error":"x","error_description":"` + jsonEscaped.Replace(secrets[2]) + `"}`,
		`<p>` + jsonEscaped.Replace(echo) + `</p>`,
		`{'access_token': 'a', 'refresh_token': '` + secrets[2] + `',}`,
		"refresh_token: " + secrets[2] + "\nclient_secret: " + secrets[0] + "\n",
		`{"accessToken":"a","refreshToken":"` + secrets[2] + `"`,
	} {
		f.Add(200, "application/json", []byte(seed))
		f.Add(400, "text/html", []byte(seed))
	}
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		var red redact.Set
		red.Add(secrets...)
		red.Add(basic) // as a DLive token request does
		e := &Endpoint{DefaultLifetime: time.Hour}
		now := time.Unix(1_700_000_000, 0)
		tok, err := decodeToken(status, contentType, body, e, "x", now, &red)
		if err != nil {
			if tok != nil {
				t.Fatal("both a token and an error")
			}
			for _, out := range []string{err.Error(), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err)} {
				if form, ok := shownSecret(out, secrets); ok {
					t.Fatalf("error %q shows a secret %s", out, form)
				}
			}
			return
		}
		if tok.AccessToken == "" || tok.Type() != "Bearer" || status/100 != 2 {
			t.Fatalf("status %d gave token %+v", status, tok)
		}
		if _, ok := tok.Extra("scope").(string); !ok {
			t.Fatalf("Extra(scope) = %#v, want a string", tok.Extra("scope"))
		}
		if tok.ExpiresIn < 0 {
			t.Fatalf("ExpiresIn = %d, want >= 0", tok.ExpiresIn)
		}
	})
}

// shownSecret reports whether text shows one of secrets raw, escaped, or
// in base64: there the secret may start at any of three byte offsets, and
// the digits its bytes alone decide are looked for.
func shownSecret(text string, secrets []string) (string, bool) {
	for _, s := range secrets {
		for _, form := range []string{s, url.QueryEscape(s), lowerHexEscapes(url.QueryEscape(s))} {
			if strings.Contains(text, form) {
				return fmt.Sprintf("%q as %q", s, form), true
			}
		}
		for _, v := range []string{s, url.QueryEscape(s)} {
			for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
				for k := range 3 {
					b := enc.EncodeToString(append(make([]byte, k), v...))
					if form := b[(8*k+5)/6 : (8*(k+len(v)))/6]; strings.Contains(text, form) {
						return fmt.Sprintf("%q in base64 as %q", s, form), true
					}
				}
			}
		}
	}
	return "", false
}

// lowerHexEscapes writes the hex digits of percent-escapes in lower case.
func lowerHexEscapes(s string) string {
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' {
			copy(b[i+1:i+3], strings.ToLower(string(b[i+1:i+3])))
			i += 2
		}
	}
	return string(b)
}

func TestExcerptCutsAfterRedacting(t *testing.T) {
	var red redact.Set
	secret := "SECRET-" + strings.Repeat("x", 40)
	red.Add(secret)
	body := strings.Repeat("a", 110) + secret
	_, err := decodeToken(500, "text/html", []byte(body), &Endpoint{}, "", time.Now(), &red)
	if err == nil || strings.Contains(err.Error(), "SECRET-") {
		t.Fatalf("error %q shows part of the secret", err)
	}
}
