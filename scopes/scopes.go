// Package scopes defines the OAuth scopes of Livepush, Livestorm, DLive and
// Streamdiver as typed constants, together with each provider's rules about
// them.
//
// Each provider has its own string type and one constant per documented
// scope, so a misspelt constant, or a scope of one provider passed to
// another, fails at compile time. Scope sets that a program is about to
// request go through [Validate], which rejects values that are not
// documented scopes and applies the provider's combination rules
// (Livestorm's full:write must stand alone, for example), so a wrong set is
// reported before any network call. Scope strings that come back from a
// server go through [Parse].
//
// The functions are generic over [Scope]; the type parameter selects the
// provider, and is inferred from the arguments where there are any:
//
//	err := scopes.Validate(scopes.LivestormEventsRead, scopes.LivestormWebhooksWrite)
//	granted, err := scopes.Parse[scopes.DLive]("identity chat:write")
package scopes

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"
)

// Errors reported by this package and by packages that check granted scopes.
// Returned errors wrap them, so test with [errors.Is]. Their texts are
// fragments of the returned errors' messages.
var (
	// ErrNoScopes reports an empty scope set for a provider that requires
	// at least one scope.
	ErrNoScopes = errors.New("at least one scope is required")

	// ErrUnknown reports a value that is not a documented scope of the
	// provider.
	ErrUnknown = errors.New("unknown scope")

	// ErrExclusive reports a scope that must be requested alone, combined
	// with other scopes.
	ErrExclusive = errors.New("must be the only scope")

	// ErrConflict reports a scope combined with a scope its provider does
	// not allow it with.
	ErrConflict = errors.New("may be combined only with")

	// ErrNotGranted reports that a needed scope was not granted.
	ErrNotGranted = errors.New("scope not granted")
)

// A spec is one provider's scope table and rules. Specs are package-level
// values that are never modified; functions hand out copies of their slices.
type spec[S Scope] struct {
	name     string // lower-case provider name, used in error messages
	delim    string // separator of scopes on the wire
	required bool   // whether a request needs at least one scope

	scopes    []scopeDoc[S]    // documented scopes, in documentation order
	exclusive []S              // scopes that must be requested alone
	limits    []limit[S]       // scopes that may be combined only with some others
	implies   []implication[S] // scopes whose grant covers other scopes
}

// A scopeDoc is a documented scope and the provider's description of it.
type scopeDoc[S Scope] struct {
	scope S
	desc  string
}

// A limit says that scope may be combined only with the scopes in with.
type limit[S Scope] struct {
	scope S
	with  []S
	what  string // names with in error messages, such as "individual write scopes"
}

// An implication says that a grant of scope also covers the scopes in covers.
type implication[S Scope] struct {
	scope  S
	covers []S
}

func (p *spec[S]) known(s S) bool {
	for _, d := range p.scopes {
		if d.scope == s {
			return true
		}
	}
	return false
}

// covers reports whether a grant of g covers need.
func (p *spec[S]) covers(g, need S) bool {
	if g == need {
		return true
	}
	for _, im := range p.implies {
		if im.scope == g && slices.Contains(im.covers, need) {
			return true
		}
	}
	return false
}

// errUnknown returns the error for the unknown values bad, listing the
// documented scopes so the caller knows what to use instead.
func (p *spec[S]) errUnknown(bad []string) error {
	quoted := make([]string, len(bad))
	for i, b := range bad {
		quoted[i] = strconv.Quote(b)
	}
	documented := make([]string, len(p.scopes))
	for i, d := range p.scopes {
		documented[i] = string(d.scope)
	}
	return fmt.Errorf("scopes: %s: %w %s (documented: %s)",
		p.name, ErrUnknown, strings.Join(quoted, ", "), strings.Join(documented, ", "))
}

// Provider returns the lower-case name of the provider that S belongs to:
// "livepush", "livestorm", "dlive" or "streamdiver".
func Provider[S Scope]() string {
	return specOf[S]().name
}

// Delimiter returns the separator between scopes in the provider's scope
// parameter: a comma for Livepush and a single space for the others.
func Delimiter[S Scope]() string {
	return specOf[S]().delim
}

// All returns every documented scope of the provider, in the order of the
// provider's documentation. The slice is new on each call.
func All[S Scope]() []S {
	p := specOf[S]()
	all := make([]S, len(p.scopes))
	for i, d := range p.scopes {
		all[i] = d.scope
	}
	return all
}

// Describe returns the provider's description of s, and reports whether s
// is a documented scope.
func Describe[S Scope](s S) (string, bool) {
	for _, d := range specOf[S]().scopes {
		if d.scope == s {
			return d.desc, true
		}
	}
	return "", false
}

// Validate reports whether s is a set of scopes the provider accepts in a
// request. It checks, in this order, that:
//
//   - s is not empty, unless the provider allows requesting no scope
//     (only Streamdiver does; its Keycloak realm then grants its defaults);
//   - every value is a documented scope ([ErrUnknown]);
//   - a scope that must stand alone, such as Livestorm's full:write, is not
//     combined with another scope ([ErrExclusive]);
//   - a scope that may be combined only with certain scopes, such as
//     Livestorm's full:read with individual write scopes, is not combined
//     with any other ([ErrConflict]).
//
// Repeating a scope is not an error.
func Validate[S Scope](s ...S) error {
	p := specOf[S]()
	if len(s) == 0 {
		if p.required {
			return fmt.Errorf("scopes: %s: %w", p.name, ErrNoScopes)
		}
		return nil
	}

	var bad []string
	for _, x := range s {
		if !p.known(x) && !slices.Contains(bad, string(x)) {
			bad = append(bad, string(x))
		}
	}
	if len(bad) > 0 {
		return p.errUnknown(bad)
	}

	for _, x := range p.exclusive {
		other := func(y S) bool { return y != x }
		if slices.Contains(s, x) && slices.ContainsFunc(s, other) {
			return fmt.Errorf("scopes: %s: %q %w, got %v", p.name, x, ErrExclusive, s)
		}
	}

	for _, l := range p.limits {
		disallowed := func(y S) bool { return y != l.scope && !slices.Contains(l.with, y) }
		if slices.Contains(s, l.scope) && slices.ContainsFunc(s, disallowed) {
			return fmt.Errorf("scopes: %s: %q %w %s, got %v", p.name, l.scope, ErrConflict, l.what, s)
		}
	}
	return nil
}

// Join returns s as the provider's scope parameter: the scopes in order,
// without repeats, separated by [Delimiter]. Join of no scopes is "".
// Join does not check the scopes; see [Validate].
func Join[S Scope](s ...S) string {
	delim := specOf[S]().delim
	var b strings.Builder
	for i, x := range s {
		if slices.Contains(s[:i], x) {
			continue
		}
		if b.Len() > 0 {
			b.WriteString(delim)
		}
		b.WriteString(string(x))
	}
	return b.String()
}

// Parse parses granted, the scope parameter of a token answer, into scopes.
//
// Scopes may be separated by commas, white space or any mix of the two,
// whatever the provider's own delimiter; empty fields are ignored. The
// result keeps the order of granted and drops repeats. A blank granted
// yields a nil slice and a nil error: Parse does not require any scope.
//
// If granted holds values that are not documented scopes, Parse returns an
// error wrapping [ErrUnknown] that names them all, together with the
// documented scopes it did find. Callers may use that partial result, for
// example when a server grants more than its provider documents (Keycloak
// adds scopes such as offline_access).
func Parse[S Scope](granted string) ([]S, error) {
	p := specOf[S]()
	var (
		got  []S
		bad  []string
		seen = make(map[string]bool)
	)
	for _, f := range strings.FieldsFunc(granted, isSeparator) {
		if seen[f] {
			continue
		}
		seen[f] = true
		if s := S(f); p.known(s) {
			got = append(got, s)
		} else {
			bad = append(bad, f)
		}
	}
	if len(bad) > 0 {
		return got, p.errUnknown(bad)
	}
	return got, nil
}

// isSeparator reports whether r separates scopes in a scope parameter.
// RFC 6749 specifies spaces, but Livepush uses commas, and being lenient
// about either costs nothing: no scope contains a comma or a space.
func isSeparator(r rune) bool {
	return r == ',' || unicode.IsSpace(r)
}

// Covers reports whether the scopes granted give the access that need asks
// for. A scope covers itself. At Livestorm, full:write covers every scope,
// full:read covers every read scope, and a write scope covers the read scope
// of the same resource (events:write covers events:read). The other
// providers document no such implication, so their scopes cover only
// themselves.
func Covers[S Scope](granted []S, need S) bool {
	p := specOf[S]()
	for _, g := range granted {
		if p.covers(g, need) {
			return true
		}
	}
	return false
}

// Missing returns the scopes of need that granted does not cover, as
// reported by [Covers], in the order of need and without repeats. It returns
// nil if granted covers them all.
func Missing[S Scope](granted, need []S) []S {
	var missing []S
	for _, n := range need {
		if !Covers(granted, n) && !slices.Contains(missing, n) {
			missing = append(missing, n)
		}
	}
	return missing
}
