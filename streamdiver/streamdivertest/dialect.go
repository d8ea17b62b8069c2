package streamdivertest

import (
	"time"

	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
)

// Dialect is the OAuth 2.0 dialect the sandbox speaks: what
// streamdiver.Endpoint and the scopes package state (client credentials
// only, the credentials in the body), and the shape of a Keycloak realm's
// answers, with no refresh tokens. onair's own tests serve it alone; its
// type is internal to onair.
func Dialect() authserver.Dialect {
	return authserver.Derive[scopes.Streamdiver](streamdiver.Endpoint(DefaultTenant), authserver.Dialect{
		// A request with no scope gets the realm's default client scopes.
		DefaultScope: []string{"email", "profile"},
		// The realm states expires_in, as in Keycloak's sample answer;
		// the Endpoint's documented 16 hours serve answers without one.
		Lifetime: 7200 * time.Second,
		Keycloak: true,
	})
}
