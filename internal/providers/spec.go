package providers

import (
	"context"
	"errors"
	"slices"
	"strings"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/cassette"
	"github.com/onair-go/onair/internal/authserver"
	"github.com/onair-go/onair/scopes"
)

// spec is a Provider whose scope type is S and operation type O: each
// provider's file fills one in.
type spec[S scopes.Scope, O ~string] struct {
	title    string
	defaults []S
	tenant   bool
	endpoint func(tenant string) auth.Endpoint
	least    func(...O) ([]S, error)
	step     func([]S, ...O) ([]S, error)
	ops      func() []O
	needs    func(O) [][]S // what an operation needs: any one of the sets
	sandbox  func(SandboxOptions) (*Sandbox, error)
	dialect  func() authserver.Dialect
	demo     func(context.Context, Report) error
	webhooks Webhooks   // nil without webhooks
	live     LiveEvents // nil without live events
}

func (p *spec[S, O]) Name() string                                    { return scopes.Provider[S]() }
func (p *spec[S, O]) Title() string                                   { return p.title }
func (p *spec[S, O]) CodeFlow() bool                                  { return p.endpoint("").AuthURL != "" }
func (p *spec[S, O]) NeedsTenant() bool                               { return p.tenant }
func (p *spec[S, O]) Endpoint(tenant string) auth.Endpoint            { return p.endpoint(tenant) }
func (p *spec[S, O]) Revokes() bool                                   { return p.endpoint("").RevokeURL != "" }
func (p *spec[S, O]) DefaultScopes() []string                         { return strs(p.defaults) }
func (p *spec[S, O]) StartSandbox(o SandboxOptions) (*Sandbox, error) { return p.sandbox(o) }
func (p *spec[S, O]) Dialect() authserver.Dialect                     { return p.dialect() }

// Demo runs the demo with ctx naming the provider, so that "onair record
// -- demo" records each provider's requests under its name.
func (p *spec[S, O]) Demo(ctx context.Context, r Report) error {
	return p.demo(cassette.WithProvider(ctx, p.Name()), r)
}

func (p *spec[S, O]) ScopeDocs() []ScopeDoc {
	var docs []ScopeDoc
	for _, s := range scopes.All[S]() {
		d, _ := scopes.Describe(s)
		docs = append(docs, ScopeDoc{string(s), d})
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

func (p *spec[S, O]) ParseScopes(raw []string) ([]string, error) {
	s, err := p.typed(raw)
	return strs(s), err
}

func (p *spec[S, O]) LeastPrivilege(ops []string) ([]string, error) {
	typed := make([]O, len(ops))
	for i, op := range ops {
		typed[i] = O(op)
	}
	s, err := p.least(typed...)
	return strs(s), err
}

func (p *spec[S, O]) Granted(tok *oauth2.Token) []string {
	// Granted returns the documented scopes beside the error about the
	// others, which the provider may grant without saying what they are.
	s, _ := auth.Granted[S](tok)
	return strs(s)
}

func (p *spec[S, O]) StepUp(granted, ops []string) ([]string, error) {
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

func (p *spec[S, O]) Operations() []string {
	names := strs(p.ops())
	slices.Sort(names)
	return names
}

func (p *spec[S, O]) Uncovered(granted, ops []string) ([]Gap, error) {
	g, err := scopes.Parse[S](strings.Join(granted, " "))
	if err != nil {
		return nil, err
	}
	var gaps []Gap
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
			gaps = append(gaps, Gap{op, lacks})
		}
	}
	return gaps, nil
}

// Client leaves the scope rules to the auth.Config, which applies them
// where they matter: a refresh keeps whatever the login was granted.
func (p *spec[S, O]) Client(c ClientConfig) (Client, error) {
	s, err := scopes.Parse[S](strings.Join(c.Scopes, " "))
	if err != nil {
		return nil, err
	}
	return &client[S]{&auth.Config[S]{
		ClientID:     c.ClientID,
		ClientSecret: c.ClientSecret,
		RedirectURL:  c.RedirectURL,
		Scopes:       s,
		Endpoint:     c.Endpoint,
	}}, nil
}

// client is an auth.Config with Renew.
type client[S scopes.Scope] struct{ *auth.Config[S] }

func (c *client[S]) Renew(ctx context.Context, tok *oauth2.Token) (*oauth2.Token, error) {
	switch {
	case tok.RefreshToken != "":
		// Scopes stand for the grant when the answer names none (some
		// providers' never do).
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
