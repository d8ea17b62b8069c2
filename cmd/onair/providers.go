package main

import (
	"fmt"
	"strings"

	registry "github.com/onair-go/onair/internal/providers"
)

// A provider is what the commands need of one provider, whatever its scope
// type: the registry's entry, which deals in scope strings.
type provider = registry.Provider

// providers returns the providers in the order the README lists them.
func providers() []provider { return registry.All() }

func providerNames() string {
	var names []string
	for _, p := range providers() {
		names = append(names, p.Name())
	}
	return strings.Join(names, ", ")
}

// lookupProvider returns the provider called name, in any case.
func lookupProvider(name string) (provider, error) {
	if p, ok := registry.Lookup(name); ok {
		return p, nil
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

// errUnknownOp adds to LeastPrivilege's error where operation names come
// from.
func errUnknownOp(p provider, err error) error {
	return fmt.Errorf("%w (\"onair scopes %s --list-ops\" lists the operations)", err, p.Name())
}
