// Package livestorm is onair's client of Livestorm, a platform for webinars
// and virtual events.
//
// Livestorm reports changes with webhooks: Receiver decodes its ten events
// into Notifications, ReconcileWebhooks keeps the subscriptions, and
// Client.Confirm checks a delivery against the API, since Livestorm signs
// none.
package livestorm

import (
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
)

// Endpoint is Livestorm's OAuth 2.0 dialect (a Doorkeeper server, open to
// technology partners only): space-separated scopes, state and PKCE S256 on
// the consent page, a form POST with the client credentials in the body, and
// two-hour tokens whose answer carries created_at. The API allows 5 requests
// a second per access token.
//
// Inferred, not documented: that the token endpoint takes the client
// credentials in the form body (Doorkeeper accepts them there or in HTTP
// Basic; the guide shows neither).
//
// ASSUMED, not documented: the RFC 7009 revocation endpoint RevokeURL,
// Doorkeeper's default /oauth/revoke; Livestorm documents no revocation.
var Endpoint = auth.Endpoint{
	Name:            "livestorm",
	AuthURL:         "https://app.livestorm.co/oauth/authorize",
	TokenURL:        "https://app.livestorm.co/oauth/token",
	RevokeURL:       "https://app.livestorm.co/oauth/revoke",
	AuthStyle:       oauth2.AuthStyleInParams,
	TokenMethod:     http.MethodPost,
	DefaultLifetime: 2 * time.Hour,
}
