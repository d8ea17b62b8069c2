// Package scopetest holds a sandbox's scope decisions to scopes.Covers, the
// rule the SDK documents: for every operation of the sandbox and many sets
// of the provider's documented scopes, the sandbox must accept exactly the
// sets that cover every scope of one of the operation's alternatives.
package scopetest

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/onair-go/onair/scopes"
)

// maxExhaustive is the most documented scopes whose every subset Sets
// returns; above it, 2^n sets take too long under the race detector.
const maxExhaustive = 12

// maxSmall is the size of the largest subsets Sets returns for a provider
// with more than maxExhaustive scopes. Check insists that such a
// provider's alternatives need fewer, so that every way to meet an
// alternative is tried next to a scope that does not help.
const maxSmall = 3

// An Op is an operation as a sandbox's table has it.
type Op struct {
	Name string
	// Needs are the alternatives, each needing all its scopes; no
	// alternative at all asks only for a token.
	Needs [][]string
}

// Sets returns the sets of the provider's documented scopes that Check
// tries, and whether they are every subset: they are for a provider with
// at most maxExhaustive scopes; otherwise they are every subset of at most
// maxSmall scopes (every scope alone among them) and the set of them all.
func Sets[S scopes.Scope]() (sets [][]S, every bool) {
	all := scopes.All[S]()
	if len(all) <= maxExhaustive {
		for mask := range 1 << len(all) {
			var set []S
			for i, s := range all {
				if mask&(1<<i) != 0 {
					set = append(set, s)
				}
			}
			sets = append(sets, set)
		}
		return sets, true
	}
	var pick func(from int, set []S)
	pick = func(from int, set []S) {
		sets = append(sets, slices.Clone(set))
		if len(set) == maxSmall {
			return
		}
		for i := from; i < len(all); i++ {
			pick(i+1, append(set, all[i]))
		}
	}
	pick(0, nil)
	sets = append(sets, all)
	return sets, false
}

// Satisfies reports whether the scopes granted satisfy need, as
// scopes.Covers defines it: some alternative has each of its scopes
// covered. No alternative at all asks only for a token.
func Satisfies[S scopes.Scope](granted []S, need [][]S) bool {
	if len(need) == 0 {
		return true
	}
	for _, alt := range need {
		if len(scopes.Missing(granted, alt)) == 0 {
			return true
		}
	}
	return false
}

// Check asserts, for every operation of ops, that allows, the sandbox's
// decision for a token granted the given scope values, accepts exactly the
// sets of Sets that Satisfies the operation's needs, and that values the
// provider does not document allow only operations that need no scope.
func Check[S scopes.Scope](t *testing.T, ops []Op, allows func(granted []string, op Op) bool) {
	t.Helper()
	if len(ops) == 0 {
		t.Fatal("no operations to check")
	}
	sets, every := Sets[S]()
	how := fmt.Sprintf("every subset of the %d documented scopes", len(scopes.All[S]()))
	if !every {
		how = fmt.Sprintf("every subset of at most %d of the %d documented scopes, and all of them", maxSmall, len(scopes.All[S]()))
	}
	undocumented := undocumented[S]()
	t.Logf("%s: %d operations × %d scope sets (%s), and %d sets of undocumented values",
		scopes.Provider[S](), len(ops), len(sets), how, len(undocumented))
	for _, op := range ops {
		need := typed[S](op.Needs)
		if !every && slices.ContainsFunc(op.Needs, func(alt []string) bool { return len(alt) >= maxSmall }) {
			t.Errorf("%s needs %q: an alternative of %d scopes or more is not tried with a scope that does not help; raise maxSmall", op.Name, op.Needs, maxSmall)
		}
		var wrong []string
		check := func(granted []string, want bool) {
			if got := allows(granted, op); got != want {
				wrong = append(wrong, fmt.Sprintf("%q: allowed %t, want %t", granted, got, want))
			}
		}
		for _, set := range sets {
			check(raw(set), Satisfies(set, need))
		}
		for _, values := range undocumented {
			check(values, Satisfies[S](nil, need))
		}
		if len(wrong) > 0 {
			const shown = 5
			t.Errorf("%s (needs %q): %d of %d scope sets decided against scopes.Covers, such as:\n\t%s",
				op.Name, op.Needs, len(wrong), len(sets)+len(undocumented), strings.Join(wrong[:min(shown, len(wrong))], "\n\t"))
		}
	}
}

// undocumented returns grants of values the provider does not document
// but that resemble its scopes: a made-up name, each scope in upper case
// or with a trailing space, and all scopes joined into one value.
func undocumented[S scopes.Scope]() [][]string {
	all := raw(scopes.All[S]())
	values := []string{"not-a-scope", strings.Join(all, " "), strings.Join(all, ","), strings.Join(all, scopes.Delimiter[S]())}
	for _, s := range all {
		values = append(values, strings.ToUpper(s), s+" ")
	}
	var out [][]string
	for i, v := range values {
		if _, documented := scopes.Describe(S(v)); !documented && !slices.Contains(values[:i], v) {
			out = append(out, []string{v})
		}
	}
	// All of them at once, too.
	var every []string
	for _, g := range out {
		every = append(every, g...)
	}
	return append(out, every)
}

func raw[S scopes.Scope](set []S) []string {
	out := make([]string, len(set))
	for i, s := range set {
		out[i] = string(s)
	}
	return out
}

func typed[S scopes.Scope](need [][]string) [][]S {
	out := make([][]S, len(need))
	for i, alt := range need {
		out[i] = make([]S, len(alt))
		for j, s := range alt {
			out[i][j] = S(s)
		}
	}
	return out
}
