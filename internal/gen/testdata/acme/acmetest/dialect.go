package acmetest

import (
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/internal/gen/testdata/acme"
	"github.com/onair-go/onair/scopes"
)

// Dialect is the OAuth 2.0 dialect the sandbox speaks: what acme.Endpoint
// and the scopes package state, with refresh tokens.
func Dialect() authserver.Dialect {
	return authserver.Derive[scopes.Acme](acme.Endpoint, authserver.Dialect{RefreshTokens: true})
}
