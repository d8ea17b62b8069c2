package authserver

import (
	"net/http"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/scopes"
)

// Derive completes d, which states what only the fake needs (the shape of
// token answers, refresh-token rules, PKCE), with what the provider's
// Endpoint e and the scopes package already state, so that each rule of a
// dialect is written once and the fake cannot drift from the client:
//
//   - from e: the name, the token method, the client authentication, the
//     grants offered (the code grant when e has an AuthURL), the refresh
//     lifetime, the bare token, and the access-token lifetime unless d
//     sets one;
//   - from S: the documented scopes and their descriptions, the
//     delimiter, whether a request needs a scope, and the combination
//     rules (scopes.Validate).
//
// A token_type left empty in d is "Bearer".
func Derive[S scopes.Scope](e auth.Endpoint, d Dialect) Dialect {
	d = d.fromEndpoint(e)
	all := scopes.All[S]()
	d.Scopes = make([]string, len(all))
	for i, s := range all {
		d.Scopes[i] = string(s)
	}
	d.ScopeDelimiter = scopes.Delimiter[S]()
	// Validate refuses an empty set exactly when the provider needs a scope.
	d.RequireScope = scopes.Validate[S]() != nil
	d.CheckScopes = func(raw []string) error {
		s := make([]S, len(raw))
		for i, r := range raw {
			s[i] = S(r)
		}
		return scopes.Validate(s...)
	}
	d.Describe = func(scope string) string {
		desc, _ := scopes.Describe(S(scope))
		return desc
	}
	return d
}

// fromEndpoint sets the fields of d that e states.
func (d Dialect) fromEndpoint(e auth.Endpoint) Dialect {
	d.Name = e.Name
	d.TokenMethod = e.TokenMethod
	if d.TokenMethod == "" {
		d.TokenMethod = http.MethodPost // what auth sends for an empty one
	}
	d.ClientAuth = e.AuthStyle
	d.AuthorizationCode = e.AuthURL != ""
	d.ClientCredentials = e.ClientCredentials
	if d.Lifetime == 0 {
		d.Lifetime = e.DefaultLifetime
	}
	d.RefreshLifetime = e.RefreshLifetime
	d.BareToken = e.BareToken
	if d.TokenType == "" {
		d.TokenType = "Bearer"
	}
	return d
}
