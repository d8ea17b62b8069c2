// Package fidelity checks cassettes of recorded traffic against onair's
// specs and its sandboxes: Check says, per operation, whether a recording
// confirms the spec or contradicts it and in which field; Replay sends
// each recorded request to a fresh sandbox of its provider and says where
// the sandbox answers differently.
package fidelity

import (
	"fmt"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/internal/apispec"
	"github.com/onair-go/onair/internal/providers"
	"github.com/onair-go/onair/internal/sandbox"
)

// A Spec is a provider's spec as the checker reads it.
type Spec struct {
	Provider providers.Provider
	API      *apispec.Spec // with its servers cleared, as a sandbox's
	servers  []*url.URL    // the spec's server URLs, to make recorded URLs relative
	checker  *sandbox.Checker
	graphql  *ast.Schema // the provider's GraphQL schema, if it has one
}

// LoadSpec reads the spec of provider (as the command line names it)
// from the file at path.
func LoadSpec(provider, path string) (*Spec, error) {
	p, ok := providers.Lookup(provider)
	if !ok {
		return nil, fmt.Errorf("fidelity: unknown provider %q", provider)
	}
	var servers []*url.URL
	api, err := sandbox.LoadSpec(p.Name(), func() (*openapi3.T, error) {
		doc, err := openapi3.NewLoader().LoadFromFile(path)
		if err != nil {
			return nil, err
		}
		for _, s := range doc.Servers {
			if u, err := url.Parse(s.URL); err == nil {
				servers = append(servers, u)
			}
		}
		return doc, nil
	})
	if err != nil {
		return nil, fmt.Errorf("fidelity: %w", err)
	}
	c, err := sandbox.NewChecker(api)
	if err != nil {
		return nil, fmt.Errorf("fidelity: %s: %w", path, err)
	}
	gql, err := loadGraphQL(path)
	if err != nil {
		return nil, fmt.Errorf("fidelity: %w", err)
	}
	return &Spec{Provider: p, API: api, servers: servers, checker: c, graphql: gql}, nil
}

// LoadSpecs reads the spec of every provider from dir, as specs/ holds
// them: dir/livepush.yaml and so on.
func LoadSpecs(dir string) (map[string]*Spec, error) {
	specs := map[string]*Spec{}
	for _, p := range providers.All() {
		s, err := LoadSpec(p.Name(), filepath.Join(dir, p.Name()+".yaml"))
		if err != nil {
			return nil, err
		}
		specs[p.Name()] = s
	}
	return specs, nil
}

// relative returns the path of u relative to the spec's server it starts
// with; a URL of no server of the spec (a sandbox's) is taken as it is.
func (s *Spec) relative(u *url.URL) string {
	for _, srv := range s.servers {
		base := strings.TrimSuffix(srv.Path, "/")
		if strings.EqualFold(u.Host, srv.Host) && strings.HasPrefix(u.Path, base+"/") {
			return strings.TrimPrefix(u.Path, base)
		}
	}
	return u.Path
}

// isOAuth reports whether u is one of the provider's OAuth endpoints:
// those are the authorization server's, which the spec does not describe.
func (s *Spec) isOAuth(u *url.URL) bool {
	_, ok := s.oauthEndpoint(u, s.Provider.Endpoint(anyTenant))
	return ok
}

// anyTenant stands for the tenant in a provider's endpoint URLs.
const anyTenant = "onair-any-tenant"

// oauthEndpoint returns the URL of e that is the OAuth endpoint u is a
// request to, for any tenant, if u is one; e is the provider's endpoint
// for anyTenant, or a sandbox's.
func (s *Spec) oauthEndpoint(u *url.URL, e auth.Endpoint) (string, bool) {
	pattern := s.Provider.Endpoint(anyTenant)
	for i, raw := range []string{pattern.AuthURL, pattern.TokenURL, pattern.RevokeURL} {
		eu, err := url.Parse(raw)
		if raw == "" || err != nil {
			continue
		}
		want, got := strings.Split(eu.Path, "/"), strings.Split(u.Path, "/")
		if len(want) != len(got) {
			continue
		}
		same := true
		for k := range want {
			if want[k] != got[k] && want[k] != anyTenant {
				same = false
				break
			}
		}
		if same {
			return []string{e.AuthURL, e.TokenURL, e.RevokeURL}[i], true
		}
	}
	return "", false
}
