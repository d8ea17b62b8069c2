// Package dlive is onair's client of DLive, a live-streaming platform with a
// GraphQL API.
package dlive

import (
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
)

// Endpoint is DLive's OAuth 2.0 dialect: at least one scope, a form POST
// with HTTP Basic client authentication, authorization-code, refresh and
// client-credentials grants, single-use refresh tokens that rotate on every
// refresh, and refreshes that may narrow the granted scopes. Code answers
// carry a zero "expiry" and no "expires_in", which means the documented 30
// days. API calls send the token bare in Authorization, with no scheme.
var Endpoint = auth.Endpoint{
	Name:              "dlive",
	AuthURL:           "https://dlive.tv/o/authorize",
	TokenURL:          "https://dlive.tv/o/token",
	AuthStyle:         oauth2.AuthStyleInHeader,
	TokenMethod:       http.MethodPost,
	ClientCredentials: true,
	DefaultLifetime:   30 * 24 * time.Hour,
	BareToken:         true,
}
