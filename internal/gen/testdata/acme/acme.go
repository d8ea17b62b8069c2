// Package acme is onair's client of Acme, a made-up provider that
// internal/gen's golden test generates a client, scope constants, an
// operation table and a sandbox for, as it does for a real one.
package acme

import (
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
)

// Endpoint is Acme's OAuth 2.0 dialect: RFC 6749 as written, with
// space-separated scopes, the client's credentials in a Basic header and
// tokens that last an hour.
var Endpoint = auth.Endpoint{
	Name:            "acme",
	AuthURL:         "https://auth.acme.example/authorize",
	TokenURL:        "https://auth.acme.example/token",
	AuthStyle:       oauth2.AuthStyleInHeader,
	DefaultLifetime: time.Hour,
}
