package main

import (
	"net/url"

	"github.com/onair-go/onair/auth"
)

// rebase points e at a server that serves the provider's OAuth paths and
// API at base, as a sandbox does: the real URLs' paths, on base's origin.
// Every URL moves, the revocation endpoint too, so that no request of a
// login to a sandbox reaches the real provider.
func rebase(e auth.Endpoint, base string) auth.Endpoint {
	move := func(raw string) string {
		if raw == "" {
			return ""
		}
		u, err := url.Parse(raw)
		if err != nil {
			return raw
		}
		return base + u.EscapedPath()
	}
	e.AuthURL = move(e.AuthURL)
	e.TokenURL = move(e.TokenURL)
	e.RevokeURL = move(e.RevokeURL)
	return e
}
