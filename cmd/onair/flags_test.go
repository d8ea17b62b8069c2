package main

import (
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/streamdiver"
)

func TestCheckBaseURL(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080", true},
		{"http://127.0.0.1:8080/", "http://127.0.0.1:8080", true},
		{"http://localhost:1", "http://localhost:1", true},
		{"http://[::1]:1", "http://[::1]:1", true},
		{"https://sandbox.example/base/", "https://sandbox.example/base", true},
		{"http://sandbox.example", "", false}, // the secret would cross the network in clear
		{"http://127.0.0.2.example:80", "", false},
		{"ftp://127.0.0.1", "", false},
		{"127.0.0.1:8080", "", false},
		{"https://sandbox.example/?x=1", "", false},
		{"https://deploy:hunter2@sandbox.example", "", false}, // onair prints the base URL
		{"http://deploy@127.0.0.1:1", "", false},
		{"", "", false},
	}
	for _, tt := range tests {
		got, err := checkBaseURL(tt.in)
		var ue *usageError
		if got != tt.want || (err == nil) != tt.ok || (err != nil && !errors.As(err, &ue)) {
			t.Errorf("checkBaseURL(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
		if err != nil && strings.Contains(err.Error(), "hunter2") {
			t.Errorf("checkBaseURL(%q): %v names the password", tt.in, err)
		}
	}
}

func TestRebase(t *testing.T) {
	lp := rebase(livepush.Endpoint, "http://127.0.0.1:9")
	if lp.AuthURL != "http://127.0.0.1:9/oauth2/authorize" || lp.TokenURL != "http://127.0.0.1:9/oauth2/access_token" || lp.RevokeURL != "http://127.0.0.1:9/oauth2/revoke" || lp.TokenMethod != livepush.Endpoint.TokenMethod {
		t.Errorf("rebase(livepush) = %+v", lp)
	}
	sd := rebase(streamdiver.Endpoint("acme"), "http://127.0.0.1:9")
	if sd.AuthURL != "" || sd.TokenURL != "http://127.0.0.1:9/realms/acme/protocol/openid-connect/token" || sd.RevokeURL != "http://127.0.0.1:9/realms/acme/protocol/openid-connect/revoke" {
		t.Errorf("rebase(streamdiver) = %+v", sd)
	}
	// A provider without revocation gets none at the sandbox either.
	if dl := rebase(dlive.Endpoint, "http://127.0.0.1:9"); dl.RevokeURL != "" || dl.TokenURL != "http://127.0.0.1:9/o/token" {
		t.Errorf("rebase(dlive) = %+v", dl)
	}
}

func TestExpiry(t *testing.T) {
	now := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		expiry time.Time
		want   string
	}{
		{time.Time{}, "never"},
		{now.Add(90 * time.Minute), "2025-06-01 13:30:00 UTC (in 1h30m0s)"},
		{now.Add(-5 * time.Second), "2025-06-01 11:59:55 UTC (expired 5s ago)"},
		{now, "2025-06-01 12:00:00 UTC (expired 0s ago)"},
	}
	for _, tt := range tests {
		if got := expiry(&oauth2.Token{Expiry: tt.expiry}, now); got != tt.want {
			t.Errorf("expiry(%v) = %q, want %q", tt.expiry, got, tt.want)
		}
	}
}
