package livestormtest

import (
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/scopes"
)

// Dialect is the OAuth 2.0 dialect the sandbox speaks: what
// livestorm.Endpoint and the scopes package state (a form POST with the
// credentials in the body, space-separated scopes, full:write alone,
// two-hour tokens), and the shape of Doorkeeper's answers, with an
// optional PKCE S256. onair's own tests serve it alone; its type is
// internal to onair.
func Dialect() authserver.Dialect {
	return authserver.Derive[scopes.Livestorm](livestorm.Endpoint, authserver.Dialect{
		RefreshTokens: true,
		CreatedAt:     true,
	})
}
