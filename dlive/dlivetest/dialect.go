package dlivetest

import (
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/scopes"
)

// Dialect is the OAuth 2.0 dialect the sandbox speaks: what dlive.Endpoint
// and the scopes package state (HTTP Basic, client credentials, 30-day
// tokens sent bare, refresh tokens that last a year), and DLive's refresh
// rules and answers. onair's own tests serve it alone; its type is
// internal to onair.
func Dialect() authserver.Dialect {
	return authserver.Derive[scopes.DLive](dlive.Endpoint, authserver.Dialect{
		RefreshTokens: true,
		RotateRefresh: true, // single use
		Narrowing:     true, // a refresh may ask for a granted subset
		ZeroExpiry:    true, // code answers carry "expiry": 0 and no expires_in
	})
}
