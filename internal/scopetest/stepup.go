package scopetest

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/onair-go/onair/scopes"
)

// StepUp checks a provider's StepUp on random granted sets and operations
// against brute force: every result must be valid, keep every granted
// scope, let every operation run, and give no more access than any other
// set that does (fewest scopes covered, then fewest named). The sets tried
// are every subset of the scopes the case names when no scope of the
// provider covers another, and every subset of all of them otherwise.
func StepUp[S scopes.Scope, Op comparable](t *testing.T, stepUp func([]S, ...Op) ([]S, error), ops []Op, needs func(Op) [][]S) {
	t.Helper()
	all := scopes.All[S]()
	covering := false
	for _, x := range all {
		for _, y := range all {
			covering = covering || x != y && scopes.Covers([]S{y}, x)
		}
	}
	if covering && len(all) > maxExhaustive {
		t.Fatalf("%d scopes, some covering others: too many to try every set", len(all))
	}
	rng := rand.New(rand.NewPCG(12, 5))
	for range 200 {
		granted := pick(rng, all, 4)
		need := pick(rng, ops, 3)
		got, err := stepUp(granted, need...)
		named := slices.Clone(granted)
		for _, op := range need {
			for _, alt := range needs(op) {
				named = append(named, alt...)
			}
		}
		slices.Sort(named)
		named = slices.Compact(named)
		if len(named) == 0 {
			// Nothing granted and nothing needed: a provider that needs a
			// scope in every request refuses, one that does not answers nil.
			if err != nil && !errors.Is(err, scopes.ErrNoScopes) || err == nil && got != nil {
				t.Errorf("StepUp(%v, %v) = %v, %v; want nil or ErrNoScopes", granted, need, got, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("StepUp(%v, %v): %v", granted, need, err)
			continue
		}
		if !stepsUp(got, granted, need, needs) {
			t.Errorf("StepUp(%v, %v) = %v: invalid, or does not cover both", granted, need, got)
		}
		universe := named
		if covering {
			universe = all
		}
		for bits := range 1 << len(universe) {
			var set []S
			for i, s := range universe {
				if bits&(1<<i) != 0 {
					set = append(set, s)
				}
			}
			if less(access(set), access(got)) && stepsUp(set, granted, need, needs) {
				t.Errorf("StepUp(%v, %v) = %v, but %v gives less access", granted, need, got, set)
				break
			}
		}
	}
}

// stepsUp reports whether set is valid, covers granted and lets ops run.
func stepsUp[S scopes.Scope, Op any](set, granted []S, ops []Op, needs func(Op) [][]S) bool {
	if scopes.Missing(set, granted) != nil {
		return false
	}
	for _, op := range ops {
		alts := needs(op)
		if alts != nil && !slices.ContainsFunc(alts, func(alt []S) bool { return scopes.Missing(set, alt) == nil }) {
			return false
		}
	}
	return scopes.Validate(set...) == nil
}

// access returns how many scopes set covers and how many it names: a set
// gives less access than another when it covers fewer, or as many with
// fewer names.
func access[S scopes.Scope](set []S) [2]int {
	n := 0
	for _, s := range scopes.All[S]() {
		if scopes.Covers(set, s) {
			n++
		}
	}
	return [2]int{n, len(set)}
}

func less(a, b [2]int) bool { return a[0] < b[0] || a[0] == b[0] && a[1] < b[1] }

// pick returns up to n random elements of from, repeats allowed.
func pick[T any](rng *rand.Rand, from []T, n int) []T {
	var out []T
	for range rng.IntN(n + 1) {
		out = append(out, from[rng.IntN(len(from))])
	}
	return out
}
