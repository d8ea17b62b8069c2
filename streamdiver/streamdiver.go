// Package streamdiver is onair's client of Streamdiver, a video platform for
// media libraries, live events and AI search.
//
// Streamdiver reports changes to media with webhooks: Receiver decodes each
// delivery into a Notification, Client.Webhooks manages the subscriptions
// and their delivery logs, and Client.Media.Get checks a delivery against
// the API, since Streamdiver documents no signature.
package streamdiver

import (
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
)

// dialect is Streamdiver's OAuth 2.0 dialect without a tenant: what every
// tenant's Endpoint shares, and all the client needs (see provider).
var dialect = auth.Endpoint{
	Name:              "streamdiver",
	AuthStyle:         oauth2.AuthStyleInParams,
	TokenMethod:       http.MethodPost,
	ClientCredentials: true,
	DefaultLifetime:   16 * time.Hour,
}

// Endpoint returns the OAuth 2.0 dialect of a Streamdiver tenant: the
// client-credentials grant only, a form POST with the client credentials in
// the body to the tenant's Keycloak realm, and no refresh tokens (a new token
// is requested when the old one nears expiry). tenant is the shortcode
// Streamdiver assigned at onboarding. A malformed tenant makes every Config
// method fail with an error saying so.
//
// ASSUMED, not documented: the RFC 7009 revocation endpoint RevokeURL, the
// standard one of a Keycloak realm; Streamdiver documents only the token
// endpoint.
func Endpoint(tenant string) auth.Endpoint {
	realm := "https://sso.streamdiver.com/realms/" + url.PathEscape(tenant) + "/protocol/openid-connect/"
	e := dialect
	e.TokenURL = realm + "token"
	e.RevokeURL = realm + "revoke"
	switch {
	case tenant == "":
		e.Err = errors.New("auth: streamdiver: the tenant shortcode is empty: pass the shortcode Streamdiver assigned at onboarding to streamdiver.Endpoint")
	case strings.ContainsAny(tenant, "/?#%") || strings.TrimSpace(tenant) != tenant || tenant == "." || tenant == "..":
		e.Err = errors.New("auth: streamdiver: the tenant shortcode " + `"` + tenant + `"` + " is malformed: pass the shortcode alone, not a URL or path")
	}
	return e
}
