package authserver

import (
	"errors"
	"net/http"
	"slices"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
)

// The tests serve made-up dialects, one per family of rules, so that they
// exercise the machinery without naming a provider: the providers' own
// dialects live beside their sandboxes.

// endpoint is a made-up provider's Endpoint at made-up URLs; revoke says
// whether it has a revocation endpoint, code whether it has the code grant.
func endpoint(name string, code, revoke bool) auth.Endpoint {
	base := "https://" + name + ".example/oauth/"
	e := auth.Endpoint{Name: name, TokenURL: base + "token", AuthStyle: oauth2.AuthStyleInParams, TokenMethod: http.MethodPost}
	if code {
		e.AuthURL = base + "authorize"
	}
	if revoke {
		e.RevokeURL = base + "revoke"
	}
	return e
}

// endpointOf returns the Endpoint a made-up dialect was derived from.
func endpointOf(d Dialect) auth.Endpoint {
	switch d.Name {
	case "queryco":
		return queryEndpoint()
	case "formco":
		return formEndpoint()
	case "basicco":
		return basicEndpoint()
	default:
		return realmEndpoint()
	}
}

func queryEndpoint() auth.Endpoint {
	e := endpoint("queryco", true, true)
	e.TokenMethod, e.DefaultLifetime = http.MethodGet, time.Hour
	return e
}

// queryDialect: a GET token endpoint with everything in the query,
// comma-separated scopes, token_type "access_token", no scope in answers.
func queryDialect() Dialect {
	return Dialect{
		Scopes: []string{"streams.read", "streams.create"}, ScopeDelimiter: ",", RequireScope: true,
		RefreshTokens: true, TokenType: "access_token", OmitScope: true,
	}.fromEndpoint(queryEndpoint())
}

func formEndpoint() auth.Endpoint {
	e := endpoint("formco", true, true)
	e.DefaultLifetime = 2 * time.Hour
	return e
}

var formScopes = map[string]string{
	"events:read":    "Read your events",
	"webhooks:write": "Manage your webhooks",
	"full:write":     "Do anything",
}

// formDialect: a form POST with the credentials in the body, optional
// PKCE, created_at in answers, and a scope that must stand alone.
func formDialect() Dialect {
	return Dialect{
		Scopes: []string{"events:read", "webhooks:write", "full:write"}, ScopeDelimiter: " ", RequireScope: true,
		CheckScopes: func(s []string) error {
			if slices.Contains(s, "full:write") && len(s) > 1 {
				return errors.New("full:write stands alone")
			}
			return nil
		},
		Describe:      func(s string) string { return formScopes[s] },
		RefreshTokens: true, CreatedAt: true,
	}.fromEndpoint(formEndpoint())
}

func basicEndpoint() auth.Endpoint {
	e := endpoint("basicco", true, false)
	e.AuthStyle, e.ClientCredentials, e.BareToken = oauth2.AuthStyleInHeader, true, true
	e.DefaultLifetime, e.RefreshLifetime = 30*24*time.Hour, 365*24*time.Hour
	return e
}

// basicDialect: HTTP Basic, single-use refresh tokens that may narrow the
// scope, a zero "expiry" in code answers, bare tokens, no revocation.
func basicDialect() Dialect {
	return Dialect{
		Scopes: []string{"identity", "chat:write"}, ScopeDelimiter: " ", RequireScope: true,
		RefreshTokens: true, RotateRefresh: true, Narrowing: true, ZeroExpiry: true,
	}.fromEndpoint(basicEndpoint())
}

func realmEndpoint() auth.Endpoint {
	e := endpoint("realmco", false, true)
	e.ClientCredentials, e.DefaultLifetime = true, 16*time.Hour
	return e
}

// realmDialect: client credentials only, Keycloak's answer fields, default
// scopes for a request with none, and a lifetime of its own.
func realmDialect() Dialect {
	return Dialect{
		Scopes: []string{"email", "profile"}, ScopeDelimiter: " ",
		DefaultScope: []string{"email", "profile"}, Lifetime: 7200 * time.Second, Keycloak: true,
	}.fromEndpoint(realmEndpoint())
}
