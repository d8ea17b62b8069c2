package main

import (
	"fmt"
	"os"
	"path"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
)

// module is the import path of the module the generated code belongs to.
const module = "github.com/onair-go/onair"

// provider is one provider's generation, as its spec's x-onair-provider
// declares it (see specs/CONVENTIONS.md).
type provider struct {
	name      string // package and lower-case name
	dir       string // the package's directory, relative to the module root
	title     string // as the provider writes its name
	scopeType string // type in package scopes
	specPath  string
	// endpoint names the provider's Endpoint variable, for the sandbox's
	// docs; empty when Endpoint is a function of the tenant (Streamdiver).
	endpoint string
	// A GraphQL provider's operation documents (one per file, annotated)
	// and genqlient's output from them.
	gqlDir, gqlGo string
	gqlSchema     string // the schema, copied for the sandbox's executor
	shortcuts     []shortcut
	rateLimit     bool // its sandbox enforces a rate limit
	jsonAPI       bool // its bodies are JSON:API documents, shown flat (see jsonapi.go)
	// websocket is the spec's x-onair-websocket, nil when it has none.
	websocket *websocketExt
}

// websocketExt is the part of a spec's x-onair-websocket the generator
// reads: a provider with one gets WithSubscriptionURL and a Client that
// holds the connection its subscriptions share.
type websocketExt struct {
	URL         string `yaml:"url"`         // the documented endpoint, the default
	ObservedURL string `yaml:"observedUrl"` // another endpoint clients use, for the docs
	// KeepAliveSeconds is how often the server promises a keep-alive.
	KeepAliveSeconds int `yaml:"keepAliveSeconds"`
}

// shortcut is a method on the client that forwards to a service's.
type shortcut struct {
	name string // the client's method
	op   string // Service.Method
	what string // for its doc: "<name> <what>: a shortcut for …"
}

// importPath is the provider package's import path.
func (p *provider) importPath() string { return path.Join(module, p.dir) }

// providerExt is x-onair-provider.
type providerExt struct {
	Package   string `yaml:"package"`
	Dir       string `yaml:"dir"`
	Title     string `yaml:"title"`
	ScopeType string `yaml:"scopeType"`
	Endpoint  string `yaml:"endpoint"`
	RateLimit bool   `yaml:"rateLimit"`
	JSONAPI   bool   `yaml:"jsonAPI"`
	GraphQL   struct {
		Dir    string `yaml:"dir"`
		Go     string `yaml:"go"`
		Schema string `yaml:"schema"`
	} `yaml:"graphql"`
	Shortcuts []struct {
		Name string `yaml:"name"`
		Op   string `yaml:"op"`
		What string `yaml:"what"`
	} `yaml:"shortcuts"`
}

var (
	packageName  = regexp.MustCompile(`^[a-z][a-z0-9]*$`)
	exportedName = regexp.MustCompile(`^[A-Z][A-Za-z0-9]*$`)
)

// loadProvider reads the x-onair-provider extension of the spec at
// specPath, a path relative to the module root.
func loadProvider(specPath string) (*provider, error) {
	src, err := os.ReadFile(specPath)
	if err != nil {
		return nil, err
	}
	var doc struct {
		Ext       *providerExt  `yaml:"x-onair-provider"`
		WebSocket *websocketExt `yaml:"x-onair-websocket"`
	}
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", specPath, err)
	}
	x := doc.Ext
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s: x-onair-provider: %s (see specs/CONVENTIONS.md)", specPath, fmt.Sprintf(format, args...))
	}
	switch {
	case x == nil:
		return nil, fmt.Errorf("%s: no x-onair-provider, which says what to generate (see specs/CONVENTIONS.md)", specPath)
	case !packageName.MatchString(x.Package):
		return nil, bad("package %q is not a lower-case Go package name", x.Package)
	case x.Title == "":
		return nil, bad("title is missing")
	case !exportedName.MatchString(x.ScopeType):
		return nil, bad("scopeType %q is not an exported Go name", x.ScopeType)
	case x.Endpoint != "" && !exportedName.MatchString(x.Endpoint):
		return nil, bad("endpoint %q is not an exported Go name", x.Endpoint)
	case doc.WebSocket != nil && !strings.HasPrefix(doc.WebSocket.URL, "wss://"):
		return nil, fmt.Errorf("%s: x-onair-websocket: url %q is not a wss:// URL (see specs/CONVENTIONS.md)", specPath, doc.WebSocket.URL)
	case doc.WebSocket != nil && doc.WebSocket.KeepAliveSeconds <= 0:
		return nil, fmt.Errorf("%s: x-onair-websocket: keepAliveSeconds must be a positive number of seconds (see specs/CONVENTIONS.md)", specPath)
	case x.Dir != "" && (path.IsAbs(x.Dir) || path.Clean(x.Dir) != x.Dir || x.Dir == "." || x.Dir[0] == '.'):
		return nil, bad("dir %q is not a clean path inside the module", x.Dir)
	}
	p := &provider{
		name: x.Package, dir: x.Dir, title: x.Title, scopeType: x.ScopeType, specPath: specPath,
		endpoint: x.Endpoint, rateLimit: x.RateLimit, jsonAPI: x.JSONAPI,
		gqlDir: x.GraphQL.Dir, gqlGo: x.GraphQL.Go, gqlSchema: x.GraphQL.Schema,
		websocket: doc.WebSocket,
	}
	if p.dir == "" {
		p.dir = p.name
	}
	if (p.gqlDir == "") != (p.gqlGo == "") || (p.gqlDir == "") != (p.gqlSchema == "") {
		return nil, bad("graphql needs all of dir, go and schema")
	}
	for _, s := range x.Shortcuts {
		if !exportedName.MatchString(s.Name) || s.Op == "" || s.What == "" {
			return nil, bad("shortcut %q needs an exported name, an op and a what", s.Name)
		}
		p.shortcuts = append(p.shortcuts, shortcut{name: s.Name, op: s.Op, what: s.What})
	}
	return p, nil
}

// loadProviders reads the providers of the specs, refusing two that would
// write the same package or scope type.
func loadProviders(specPaths []string) ([]*provider, error) {
	var ps []*provider
	seen := map[string]string{}
	for _, sp := range specPaths {
		p, err := loadProvider(sp)
		if err != nil {
			return nil, err
		}
		for _, key := range []string{"package " + p.name, "directory " + p.dir, "scope type " + p.scopeType} {
			if other, ok := seen[key]; ok {
				return nil, fmt.Errorf("%s: x-onair-provider: %s is also %s's", sp, key, other)
			}
			seen[key] = sp
		}
		ps = append(ps, p)
	}
	return ps, nil
}
