package livepushtest

import (
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/scopes"
)

// Dialect is the OAuth 2.0 dialect the sandbox speaks: what
// livepush.Endpoint and the scopes package state (a GET token endpoint with
// everything in the query, comma-separated scopes, an hour's tokens), and
// the shape of Livepush's answers. onair's own tests serve it alone; its
// type is internal to onair.
func Dialect() authserver.Dialect {
	return authserver.Derive[scopes.Livepush](livepush.Endpoint, authserver.Dialect{
		RefreshTokens: true,
		TokenType:     "access_token",
		OmitScope:     true, // answers never say what was granted
	})
}
