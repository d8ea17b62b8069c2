package auth

import (
	"strings"
	"testing"
	"time"

	"github.com/onair-go/onair/internal/redact"
)

// FuzzDecodeToken feeds arbitrary token answers to the decoder: it must
// never panic, must hand out only Bearer tokens with an access token, and
// must never put a known secret into an error text.
func FuzzDecodeToken(f *testing.F) {
	for _, seed := range []string{
		`{"access_token":"a","token_type":"access_token","refresh_token":"r","expires_in":3600}`,
		`{"access_token":"a","token_type":"Bearer","expires_in":7200,"refresh_token":"r","scope":"events:read","created_at":1629205920}`,
		`{"access_token":"a","token_type":"Bearer","expiry":"0001-01-01T00:00:00Z","refresh_token":"r"}`,
		`{"access_token":"eyJ","expires_in":7200,"refresh_expires_in":0,"token_type":"Bearer","not-before-policy":0,"scope":"email profile"}`,
		`{"access_token":"a","expires_in":"3600","scope":["a","b"]}`,
		`{"error":"invalid_grant","error_description":"code SECRET-CODE expired"}`,
		`<html>SECRET-CLIENT code=abc</html>`,
		`{"access_token":"a","expiry":"2000-01-01T00:00:00Z"}`,
		`{"access_token":null}`, `[]`, `null`, ``,
	} {
		f.Add(200, "application/json", []byte(seed))
		f.Add(400, "text/html", []byte(seed))
	}
	secrets := []string{"SECRET-CLIENT", "SECRET-CODE", "SECRET-REFRESH"}
	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		var red redact.Set
		red.Add(secrets...)
		e := &Endpoint{DefaultLifetime: time.Hour}
		now := time.Unix(1_700_000_000, 0)
		tok, err := decodeToken(status, contentType, body, e, "x", now, &red)
		if err != nil {
			if tok != nil {
				t.Fatal("both a token and an error")
			}
			for _, s := range secrets {
				if strings.Contains(err.Error(), s) {
					t.Fatalf("error text %q holds secret %q", err, s)
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
