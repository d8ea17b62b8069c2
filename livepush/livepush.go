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
var Endpoint = auth.Endpoint{
	Name:                   "livepush",
	AuthURL:                "https://id.livepush.io/oauth2/authorize",
	TokenURL:               "https://tokens.livepush.io/oauth2/access_token",
	AuthStyle:              oauth2.AuthStyleInParams,
	TokenMethod:            http.MethodGet,
	RefreshWithRedirectURL: true,
	DefaultLifetime:        time.Hour,
}
