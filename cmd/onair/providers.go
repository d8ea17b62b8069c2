package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
)

// A provider is what the commands need of one provider, whatever its scope
// type: the commands deal in scope strings, and a provider turns them into
// its typed scopes, so that every check is the scopes package's own.
type provider interface {
	name() string  // lower case, as on the command line: "livestorm"
	title() string // as the provider writes it: "Livestorm"
	// codeFlow reports whether users log in with the authorization code;
	// a provider without it (Streamdiver) has client credentials only.
	codeFlow() bool
	// needsTenant reports whether the endpoint depends on a tenant.
	needsTenant() bool
	endpoint(tenant string) auth.Endpoint
	// revokes reports whether the provider offers token revocation.
	revokes() bool
	defaultScopes() []string
	scopeDocs() []scopeDoc
	// parseScopes reads scopes separated by commas or spaces, and checks
	// them with scopes.Validate.
	parseScopes(raw []string) ([]string, error)
	leastPrivilege(ops []string) ([]string, error)
	// granted returns the scopes of p that tok was granted, leaving out
	// any the provider does not document (login --for refuses those).
	granted(tok *oauth2.Token) []string
	// stepUp returns the smallest valid scope set that covers granted and
	// lets ops run, under the provider's rules.
	stepUp(granted, ops []string) ([]string, error)
	// operations returns the names of the API operations, sorted: the
	// names leastPrivilege and uncovered accept.
	operations() []string
	// uncovered returns the operations of ops that the scopes granted do
	// not let run, with what each lacks; ops must be known operations.
	uncovered(granted, ops []string) ([]gap, error)
	client(c clientConfig) (oauthClient, error)
	startSandbox(o sandboxOptions) (*sandboxServer, error)
}

type scopeDoc struct{ scope, desc string }

// A gap is an operation that a scope set does not let run: it needs all
// the scopes of any one of lacks, which the set does not cover.
type gap struct {
	op    string
	lacks [][]string
}

// clientConfig is an auth.Config with scope strings.
type clientConfig struct {
	clientID, clientSecret string
	redirectURL            string
	scopes                 []string
	endpoint               auth.Endpoint
}

// oauthClient is the part of an auth.Config the commands use.
type oauthClient interface {
	AuthCodeURL(state string, opts ...oauth2.AuthCodeOption) (string, error)
	Exchange(ctx context.Context, code string, opts ...oauth2.AuthCodeOption) (*oauth2.Token, error)
	ClientCredentials(ctx context.Context) (*oauth2.Token, error)
	// renew returns a new token for tok: refreshed with its refresh token,
	// or, for a provider with client credentials only, a new grant.
	renew(ctx context.Context, tok *oauth2.Token) (*oauth2.Token, error)
	// Logout revokes the token stored under key and replaces it by the
	// mark of a logout (auth.Config.Logout).
	Logout(ctx context.Context, st auth.Store, key string) error
}

// providers returns the four providers in the order the README lists them.
func providers() []provider {
	return []provider{
		&spec[scopes.Livepush, livepush.Operation]{
			display:  "Livepush",
			defaults: []scopes.Livepush{scopes.LivepushProfileRead},
			endpt:    func(string) auth.Endpoint { return livepush.Endpoint },
			least:    livepush.LeastPrivilege,
			step:     livepush.StepUp,
			ops:      livepush.Operations,
			needs:    livepush.Operation.Scopes,
			sandbox:  startLivepush,
		},
		&spec[scopes.Livestorm, livestorm.Operation]{
			display:  "Livestorm",
			defaults: []scopes.Livestorm{scopes.LivestormIdentityRead},
			endpt:    func(string) auth.Endpoint { return livestorm.Endpoint },
			least:    livestorm.LeastPrivilege,
			step:     livestorm.StepUp,
			ops:      livestorm.Operations,
			needs:    livestorm.Operation.Scopes,
			sandbox:  startLivestorm,
		},
		&spec[scopes.Streamdiver, streamdiver.Operation]{
			display: "Streamdiver",
			tenant:  true,
			endpt:   streamdiver.Endpoint,
			least:   streamdiver.LeastPrivilege,
			step:    streamdiver.StepUp,
			ops:     streamdiver.Operations,
			needs:   streamdiver.Operation.Scopes,
			sandbox: startStreamdiver,
		},
		&spec[scopes.DLive, dlive.Operation]{
			display:  "DLive",
			defaults: []scopes.DLive{scopes.DLiveIdentity},
			endpt:    func(string) auth.Endpoint { return dlive.Endpoint },
			least:    dlive.LeastPrivilege,
			step:     dlive.StepUp,
			ops:      dlive.Operations,
			needs:    dlive.Operation.Scopes,
			sandbox:  startDLive,
		},
	}
}

func providerNames() string {
	var names []string
	for _, p := range providers() {
		names = append(names, p.name())
	}
	return strings.Join(names, ", ")
}

// lookupProvider returns the provider called name, in any case.
func lookupProvider(name string) (provider, error) {
	for _, p := range providers() {
		if strings.EqualFold(p.name(), name) {
			return p, nil
		}
	}
	return nil, usagef("unknown provider %q: use one of %s", name, providerNames())
}

// providerArg reads the one positional argument commands take.
func providerArg(args []string) (provider, error) {
	switch len(args) {
	case 0:
		return nil, usagef("name a provider: %s", providerNames())
	case 1:
		return lookupProvider(args[0])
	default:
		return nil, usagef("unexpected arguments after the provider: %s", strings.Join(args[1:], " "))
	}
}

// spec is a provider whose scope type is S and operation type O.
type spec[S scopes.Scope, O ~string] struct {
	display  string
	defaults []S
	tenant   bool
	endpt    func(tenant string) auth.Endpoint
	least    func(...O) ([]S, error)
	step     func([]S, ...O) ([]S, error)
	ops      func() []O
	needs    func(O) [][]S // what an operation needs: any one of the sets
	sandbox  func(sandboxOptions) (*sandboxServer, error)
}

func (p *spec[S, O]) name() string                                          { return scopes.Provider[S]() }
func (p *spec[S, O]) title() string                                         { return p.display }
func (p *spec[S, O]) codeFlow() bool                                        { return p.endpt("").AuthURL != "" }
func (p *spec[S, O]) needsTenant() bool                                     { return p.tenant }
func (p *spec[S, O]) endpoint(tenant string) auth.Endpoint                  { return p.endpt(tenant) }
func (p *spec[S, O]) revokes() bool                                         { return p.endpt("").RevokeURL != "" }
func (p *spec[S, O]) defaultScopes() []string                               { return strs(p.defaults) }
func (p *spec[S, O]) startSandbox(o sandboxOptions) (*sandboxServer, error) { return p.sandbox(o) }

func (p *spec[S, O]) scopeDocs() []scopeDoc {
	var docs []scopeDoc
	for _, s := range scopes.All[S]() {
		d, _ := scopes.Describe(s)
		docs = append(docs, scopeDoc{string(s), d})
	}
	return docs
}

func (p *spec[S, O]) typed(raw []string) ([]S, error) {
	s, err := scopes.Parse[S](strings.Join(raw, " "))
	if err != nil {
		return nil, err
	}
	if err := scopes.Validate(s...); err != nil {
		return nil, err
	}
	return s, nil
}

func (p *spec[S, O]) parseScopes(raw []string) ([]string, error) {
	s, err := p.typed(raw)
	return strs(s), err
}

func (p *spec[S, O]) leastPrivilege(ops []string) ([]string, error) {
	typed := make([]O, len(ops))
	for i, op := range ops {
		typed[i] = O(op)
	}
	s, err := p.least(typed...)
	return strs(s), err
}

func (p *spec[S, O]) granted(tok *oauth2.Token) []string {
	// Granted returns the documented scopes beside the error about the
	// others, which the provider may grant without saying what they are.
	s, _ := auth.Granted[S](tok)
	return strs(s)
}

func (p *spec[S, O]) stepUp(granted, ops []string) ([]string, error) {
	g, err := scopes.Parse[S](strings.Join(granted, " "))
	if err != nil {
		return nil, err
	}
	typed := make([]O, len(ops))
	for i, op := range ops {
		typed[i] = O(op)
	}
	s, err := p.step(g, typed...)
	return strs(s), err
}

func (p *spec[S, O]) operations() []string {
	names := strs(p.ops())
	slices.Sort(names)
	return names
}

func (p *spec[S, O]) uncovered(granted, ops []string) ([]gap, error) {
	g, err := scopes.Parse[S](strings.Join(granted, " "))
	if err != nil {
		return nil, err
	}
	var gaps []gap
	for _, op := range ops {
		alts := p.needs(O(op))
		if alts == nil {
			continue // it needs no scope
		}
		var lacks [][]string
		for _, alt := range alts {
			m := scopes.Missing(g, alt)
			if len(m) == 0 {
				lacks = nil
				break
			}
			lacks = append(lacks, strs(m))
		}
		if lacks != nil {
			gaps = append(gaps, gap{op, lacks})
		}
	}
	return gaps, nil
}

// client leaves the scope rules to the auth.Config, which applies them
// where they matter: a refresh keeps whatever the login was granted.
func (p *spec[S, O]) client(c clientConfig) (oauthClient, error) {
	s, err := scopes.Parse[S](strings.Join(c.scopes, " "))
	if err != nil {
		return nil, err
	}
	return &client[S]{&auth.Config[S]{
		ClientID:     c.clientID,
		ClientSecret: c.clientSecret,
		RedirectURL:  c.redirectURL,
		Scopes:       s,
		Endpoint:     c.endpoint,
	}}, nil
}

// client is an auth.Config with renew.
type client[S scopes.Scope] struct{ *auth.Config[S] }

func (c *client[S]) renew(ctx context.Context, tok *oauth2.Token) (*oauth2.Token, error) {
	switch {
	case tok.RefreshToken != "":
		// Scopes stand for the grant when the answer names none
		// (Livepush's never does).
		if g, err := auth.Granted[S](tok); err == nil && len(g) > 0 {
			c.Scopes = g
		}
		return c.Refresh(ctx, tok.RefreshToken)
	case c.Endpoint.AuthURL == "" && c.Endpoint.ClientCredentials:
		return c.ClientCredentials(ctx)
	default:
		return nil, errors.New("the stored token has no refresh token: run onair login again")
	}
}

func strs[S ~string](s []S) []string {
	if s == nil {
		return nil
	}
	out := make([]string, len(s))
	for i, v := range s {
		out[i] = string(v)
	}
	return out
}

// errUnknownOp adds to LeastPrivilege's error where operation names come
// from.
func errUnknownOp(p provider, err error) error {
	return fmt.Errorf("%w (\"onair scopes %s --list-ops\" lists the operations)", err, p.name())
}
