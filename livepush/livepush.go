// Package livepush is onair's client of Livepush, a cloud service that
// restreams live video to many destinations.
package livepush

import (
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
)

// Endpoint is Livepush's OAuth 2.0 dialect: comma-separated scopes, a code
// exchange and refresh sent as GET with every parameter (client secret
// included) in the query, and answers whose token_type is "access_token"
// for tokens that API calls send as Bearer. Tokens last an hour.
//
// ASSUMED, not documented: the RFC 7009 revocation endpoint RevokeURL.
// Livepush says its OAuth follows RFC 6749 and lists a scope for modifying
// authentication (auth.modify), but no source shows a revocation endpoint;
// the path sits beside the token endpoint's. The API's
// Account.RevokeToken, assumed too, revokes the access token a request
// carries.
var Endpoint = auth.Endpoint{
	Name:                   "livepush",
	AuthURL:                "https://id.livepush.io/oauth2/authorize",
	TokenURL:               "https://tokens.livepush.io/oauth2/access_token",
	RevokeURL:              "https://tokens.livepush.io/oauth2/revoke",
	AuthStyle:              oauth2.AuthStyleInParams,
	TokenMethod:            http.MethodGet,
	RefreshWithRedirectURL: true,
	DefaultLifetime:        time.Hour,
}
