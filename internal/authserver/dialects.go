package authserver

import (
	"net/http"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/scopes"
)

// Livepush: comma-separated scopes, a GET token endpoint with everything in
// the query, token_type "access_token", an hour's tokens, no scope in answers.
func Livepush() Dialect {
	return Dialect{
		Name: "livepush", Scopes: names(scopes.All[scopes.Livepush]()), Describe: describe[scopes.Livepush], ScopeDelimiter: ",", RequireScope: true,
		TokenMethod: http.MethodGet, ClientAuth: oauth2.AuthStyleInParams,
		AuthorizationCode: true, RefreshTokens: true,
		TokenType: "access_token", Lifetime: time.Hour, OmitScope: true,
	}
}

// Livestorm (Doorkeeper): space-separated scopes, optional PKCE S256, a form
// POST with credentials in the body, two-hour tokens with created_at.
func Livestorm() Dialect {
	return Dialect{
		Name: "livestorm", Scopes: names(scopes.All[scopes.Livestorm]()), Describe: describe[scopes.Livestorm], ScopeDelimiter: " ", RequireScope: true,
		CheckScopes: typed[scopes.Livestorm],
		TokenMethod: http.MethodPost, ClientAuth: oauth2.AuthStyleInParams,
		AuthorizationCode: true, RefreshTokens: true,
		TokenType: "Bearer", Lifetime: 2 * time.Hour, CreatedAt: true,
	}
}

// DLive: at least one scope, HTTP Basic, single-use rotating refresh tokens
// that may narrow the scope, client credentials, a zero "expiry" in code
// answers, bare tokens on the API, and refresh tokens that last the
// documented year.
func DLive() Dialect {
	return Dialect{
		Name: "dlive", Scopes: names(scopes.All[scopes.DLive]()), Describe: describe[scopes.DLive], ScopeDelimiter: " ", RequireScope: true,
		TokenMethod: http.MethodPost, ClientAuth: oauth2.AuthStyleInHeader,
		AuthorizationCode: true, ClientCredentials: true, RefreshTokens: true, RotateRefresh: true, Narrowing: true,
		TokenType: "Bearer", Lifetime: 30 * 24 * time.Hour, RefreshLifetime: 365 * 24 * time.Hour, ZeroExpiry: true, BareToken: true,
	}
}

// Streamdiver (Keycloak): client credentials only, credentials in the body,
// Keycloak's extra answer fields, no refresh tokens.
func Streamdiver() Dialect {
	return Dialect{
		Name: "streamdiver", Scopes: names(scopes.All[scopes.Streamdiver]()), Describe: describe[scopes.Streamdiver], ScopeDelimiter: " ",
		TokenMethod: http.MethodPost, ClientAuth: oauth2.AuthStyleInParams,
		ClientCredentials: true, DefaultScope: []string{"email", "profile"},
		TokenType: "Bearer", Lifetime: 7200 * time.Second, Keycloak: true,
	}
}

func names[S ~string](s []S) []string {
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = string(v)
	}
	return out
}

// typed applies the scopes package's rules for S to raw scope strings.
func typed[S scopes.Scope](raw []string) error {
	s := make([]S, len(raw))
	for i, r := range raw {
		s[i] = S(r)
	}
	return scopes.Validate(s...)
}

// describe is scopes.Describe for raw scope strings.
func describe[S scopes.Scope](scope string) string {
	d, _ := scopes.Describe(S(scope))
	return d
}
