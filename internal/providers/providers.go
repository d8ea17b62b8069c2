// Package providers is the registry of onair's providers: for each, what
// the CLI and the tests need to know whatever its scope and operation
// types (its names, Endpoint, scopes, operations, sandbox, fake dialect
// and demo), in scope strings. The CLI and the tests iterate All instead
// of naming the providers one by one.
//
// Adding a provider adds one file here (like livepush.go) and its demo
// (like demo_livepush.go), and its line in All.
package providers

import (
	"context"
	"strings"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/internal/authserver"
)

// A Provider is one provider as the CLI and the tests see it. It deals in
// scope strings and turns them into its typed scopes, so that every check
// is the scopes package's own.
type Provider interface {
	Name() string  // lower case, as on the command line: "livestorm"
	Title() string // as the provider writes it: "Livestorm"
	// CodeFlow reports whether users log in with the authorization code;
	// a provider without it has client credentials only.
	CodeFlow() bool
	// NeedsTenant reports whether the endpoint depends on a tenant.
	NeedsTenant() bool
	Endpoint(tenant string) auth.Endpoint
	// Revokes reports whether the provider offers token revocation.
	Revokes() bool
	// DefaultScopes are what a login asks for when told nothing.
	DefaultScopes() []string
	ScopeDocs() []ScopeDoc
	// ParseScopes reads scopes separated by commas or spaces, and checks
	// them with scopes.Validate.
	ParseScopes(raw []string) ([]string, error)
	LeastPrivilege(ops []string) ([]string, error)
	// Granted returns the scopes of the provider that tok was granted,
	// leaving out any the provider does not document.
	Granted(tok *oauth2.Token) []string
	// StepUp returns the smallest valid scope set that covers granted and
	// lets ops run, under the provider's rules.
	StepUp(granted, ops []string) ([]string, error)
	// Operations returns the names of the API operations, sorted: the
	// names LeastPrivilege and Uncovered accept.
	Operations() []string
	// Uncovered returns the operations of ops that the scopes granted do
	// not let run, with what each lacks; ops must be known operations.
	Uncovered(granted, ops []string) ([]Gap, error)
	// Client returns an auth.Config for c.
	Client(c ClientConfig) (Client, error)
	// StartSandbox starts the provider's sandbox on a loopback port.
	StartSandbox(o SandboxOptions) (*Sandbox, error)
	// Dialect is the OAuth dialect the provider's sandbox speaks.
	Dialect() authserver.Dialect
	// Demo runs the provider's OAuth flow and typed calls against its
	// sandbox, reporting each step on r.
	Demo(ctx context.Context, r Report) error
	// Webhooks returns what the CLI needs of the provider's webhooks, or
	// nil for a provider without them.
	Webhooks() Webhooks
	// LiveEvents returns what the CLI needs of the provider's live
	// events, or nil for a provider without them.
	LiveEvents() LiveEvents
}

// All returns the providers in the order the README lists them.
func All() []Provider {
	return []Provider{livepushProvider(), livestormProvider(), streamdiverProvider(), dliveProvider()}
}

// Lookup returns the provider called name, in any case.
func Lookup(name string) (Provider, bool) {
	for _, p := range All() {
		if strings.EqualFold(p.Name(), name) {
			return p, true
		}
	}
	return nil, false
}

// ScopeDoc is a documented scope and its description.
type ScopeDoc struct{ Scope, Desc string }

// A Gap is an operation that a scope set does not let run: it needs all
// the scopes of any one of Lacks, which the set does not cover.
type Gap struct {
	Op    string
	Lacks [][]string
}

// ClientConfig is an auth.Config with scope strings.
type ClientConfig struct {
	ClientID, ClientSecret string
	RedirectURL            string
	Scopes                 []string
	Endpoint               auth.Endpoint
}

// Client is the part of an auth.Config the CLI uses.
type Client interface {
	AuthCodeURL(state string, opts ...oauth2.AuthCodeOption) (string, error)
	Exchange(ctx context.Context, code string, opts ...oauth2.AuthCodeOption) (*oauth2.Token, error)
	ClientCredentials(ctx context.Context) (*oauth2.Token, error)
	// Renew returns a new token for tok: refreshed with its refresh token,
	// or, for a provider with client credentials only, a new grant.
	Renew(ctx context.Context, tok *oauth2.Token) (*oauth2.Token, error)
	// Logout revokes the token stored under key and replaces it by the
	// mark of a logout (auth.Config.Logout).
	Logout(ctx context.Context, st auth.Store, key string) error
}
