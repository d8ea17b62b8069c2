package auth

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/redact"
)

func TestDecodeToken(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	// got is what a test row compares: the fields that matter of a token,
	// or of an *Error.
	type got struct {
		Access, Type, Refresh string
		Expiry                time.Time
		ExpiresIn             int64
		Scope                 any
		Err                   *Error
	}
	cases := []struct {
		name     string
		status   int
		body     string
		lifetime time.Duration // the Endpoint's DefaultLifetime
		want     got
	}{
		{name: "livepush", status: 200, body: `{"access_token":"a","refresh_token":"r","token_type":"access_token","expires_in":3600}`,
			want: got{Access: "a", Type: "Bearer", Refresh: "r", Expiry: now.Add(time.Hour), ExpiresIn: 3600, Scope: "req"}},
		{name: "dlive zero expiry", status: 200, lifetime: 30 * 24 * time.Hour,
			body: `{"access_token":"a","token_type":"Bearer","expiry":"0001-01-01T00:00:00Z","refresh_token":"r"}`,
			want: got{Access: "a", Type: "Bearer", Refresh: "r", Expiry: now.Add(30 * 24 * time.Hour), ExpiresIn: 30 * 24 * 3600, Scope: "req"}},
		{name: "a real expiry", status: 200, body: `{"access_token":"a","expiry":"2026-01-01T01:00:00Z"}`,
			want: got{Access: "a", Type: "Bearer", Expiry: now.Add(time.Hour), ExpiresIn: 3600, Scope: "req"}},
		{name: "expires_in as a string", status: 200, body: `{"access_token":"a","expires_in":"7200"}`,
			want: got{Access: "a", Type: "Bearer", Expiry: now.Add(2 * time.Hour), ExpiresIn: 7200, Scope: "req"}},
		{name: "expires_in null, no default", status: 200, body: `{"access_token":"a","expires_in":null}`,
			want: got{Access: "a", Type: "Bearer", Scope: "req"}},
		{name: "expires_in absent, default", status: 200, lifetime: time.Minute, body: `{"access_token":"a"}`,
			want: got{Access: "a", Type: "Bearer", Expiry: now.Add(time.Minute), ExpiresIn: 60, Scope: "req"}},
		{name: "keycloak", status: 200, body: `{"access_token":"eyJ","expires_in":7200,"refresh_expires_in":0,"token_type":"Bearer","not-before-policy":0,"scope":"email profile"}`,
			want: got{Access: "eyJ", Type: "Bearer", Expiry: now.Add(2 * time.Hour), ExpiresIn: 7200, Scope: "email profile"}},
		{name: "scope as an array", status: 200, body: `{"access_token":"a","scope":["chat:write","identity"]}`,
			want: got{Access: "a", Type: "Bearer", Scope: "chat:write identity"}},
		{name: "lowercase bearer", status: 200, body: `{"access_token":"a","token_type":"bearer"}`,
			want: got{Access: "a", Type: "Bearer", Scope: "req"}},
		{name: "error in a 200", status: 200, body: `{"error":"invalid_grant","error_description":"spent"}`,
			want: got{Err: &Error{StatusCode: 200, Code: "invalid_grant", Description: "spent"}}},
		{name: "no access_token", status: 200, body: `{"token_type":"Bearer"}`,
			want: got{Err: &Error{StatusCode: 200, Body: "token answer has no access_token"}}},
		{name: "json error", status: 401, body: `{"error":"invalid_client","error_uri":"https://x/e"}`,
			want: got{Err: &Error{StatusCode: 401, Code: "invalid_client", URI: "https://x/e"}}},
		{name: "non-json error", status: 503, body: "Service\n\tUnavailable",
			want: got{Err: &Error{StatusCode: 503, Body: "Service Unavailable"}}},
		{name: "json without error", status: 500, body: `{"message":"oops"}`,
			want: got{Err: &Error{StatusCode: 500, Body: `{"message":"oops"}`}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var red redact.Set
			tok, err := decodeToken(tc.status, "application/json", []byte(tc.body), &Endpoint{DefaultLifetime: tc.lifetime}, "req", now, &red)
			var g got
			if err != nil {
				e, ok := err.(*Error)
				if !ok {
					t.Fatalf("err = %T %v, want *Error", err, err)
				}
				g.Err = e
			} else {
				g = got{Access: tok.AccessToken, Type: tok.Type(), Refresh: tok.RefreshToken, Expiry: tok.Expiry, ExpiresIn: tok.ExpiresIn, Scope: tok.Extra("scope")}
			}
			if d := cmp.Diff(tc.want, g); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}
}

func TestAnswerSizeLimit(t *testing.T) {
	const frame = `{"access_token":"a","pad":""}`
	for _, tc := range []struct {
		size    int
		wantErr bool
	}{
		{maxAnswer, false},
		{maxAnswer + 1, true},
	} {
		t.Run(fmt.Sprint(tc.size), func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				fmt.Fprintf(w, `{"access_token":"a","pad":"%s"}`, strings.Repeat("x", tc.size-len(frame)))
			}))
			defer srv.Close()
			e := &Endpoint{Name: "test", TokenURL: srv.URL, AuthStyle: oauth2.AuthStyleInParams}
			tr := tokenRequest{endpoint: e, clientID: "id", params: map[string][]string{"grant_type": {"client_credentials"}}}
			tok, err := tr.do(t.Context())
			if tc.wantErr != (err != nil) || tc.wantErr && !strings.Contains(err.Error(), "larger than 1 MiB") {
				t.Fatalf("%d bytes: token %v, err %v", tc.size, tok, err)
			}
		})
	}
}
