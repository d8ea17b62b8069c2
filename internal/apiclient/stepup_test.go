package apiclient

import (
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/scopes"
)

// TestStepUpLeast checks StepUp against a brute force on random granted
// sets and random needs, with alternatives the specs do not have yet
// (an operation allowed by either of two scope sets).
func TestStepUpLeast(t *testing.T) {
	t.Run("livepush", func(t *testing.T) { checkStepUpLeast[scopes.Livepush](t) })
	t.Run("livestorm", func(t *testing.T) { checkStepUpLeast[scopes.Livestorm](t) })
	t.Run("streamdiver", func(t *testing.T) { checkStepUpLeast[scopes.Streamdiver](t) })
	t.Run("dlive", func(t *testing.T) { checkStepUpLeast[scopes.DLive](t) })
}

func checkStepUpLeast[S scopes.Scope](t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 12))
	all := scopes.All[S]()
	pick := func(max int) []S {
		var s []S
		for range rng.IntN(max + 1) {
			s = append(s, all[rng.IntN(len(all))])
		}
		return s
	}
	for range 400 {
		granted := pick(4)
		var needs [][][]S
		for range rng.IntN(4) {
			var alts [][]S
			for range 1 + rng.IntN(2) {
				alts = append(alts, pick(2))
			}
			needs = append(needs, alts)
		}

		got, err := StepUp(granted, needs...)
		if len(granted) == 0 && allMet(nil, needs) {
			// Nothing is needed: a provider that requires a scope gets an
			// error rather than an arbitrary one.
			if scopes.Validate[S]() != nil && !errors.Is(err, scopes.ErrNoScopes) {
				t.Errorf("StepUp(%v, %v) = %v, %v; want ErrNoScopes", granted, needs, got, err)
			}
			if scopes.Validate[S]() == nil && (got != nil || err != nil) {
				t.Errorf("StepUp(%v, %v) = %v, %v; want nil, nil", granted, needs, got, err)
			}
			continue
		}
		want, ok := leastByBruteForce(granted, needs)
		if !ok {
			if err == nil {
				t.Errorf("StepUp(%v, %v) = %v, want an error: no valid set exists", granted, needs, got)
			}
			continue
		}
		if err != nil {
			t.Errorf("StepUp(%v, %v): %v", granted, needs, err)
			continue
		}
		if err := scopes.Validate(got...); err != nil {
			t.Errorf("StepUp(%v, %v) = %v, invalid: %v", granted, needs, got, err)
		}
		if m := scopes.Missing(got, granted); m != nil {
			t.Errorf("StepUp(%v, %v) = %v, loses granted %v", granted, needs, got, m)
		}
		for _, alts := range needs {
			if !meetsOne(got, alts) {
				t.Errorf("StepUp(%v, %v) = %v, meets none of %v", granted, needs, got, alts)
			}
		}
		if d := cmp.Diff(want, accessOf(got)); d != "" {
			t.Errorf("StepUp(%v, %v) = %v: (covered, scopes) (-least +got):\n%s", granted, needs, got, d)
		}
		inOrder := func(a, b S) int { return slices.Index(all, a) - slices.Index(all, b) }
		if !slices.IsSortedFunc(got, inOrder) {
			t.Errorf("StepUp(%v, %v) = %v, not in documentation order", granted, needs, got)
		}
	}
}

// leastByBruteForce returns the least access, as (scopes covered, scopes),
// of the valid sets that cover granted and meet needs, trying every
// subset of the scopes that cover a scope named in granted or needs (a
// scope that covers none is of no use), and whether any such set exists.
func leastByBruteForce[S scopes.Scope](granted []S, needs [][][]S) ([2]int, bool) {
	named := slices.Clone(granted)
	for _, alts := range needs {
		for _, alt := range alts {
			named = append(named, alt...)
		}
	}
	var useful []S
	for _, y := range scopes.All[S]() {
		if slices.ContainsFunc(named, func(x S) bool { return scopes.Covers([]S{y}, x) }) {
			useful = append(useful, y)
		}
	}
	var best [2]int
	found := false
	for bits := range 1 << len(useful) {
		var set []S
		for i, y := range useful {
			if bits&(1<<i) != 0 {
				set = append(set, y)
			}
		}
		if scopes.Validate(set...) != nil || scopes.Missing(set, granted) != nil {
			continue
		}
		if !allMet(set, needs) {
			continue
		}
		a := accessOf(set)
		if !found || a[0] < best[0] || a[0] == best[0] && a[1] < best[1] {
			best, found = a, true
		}
	}
	return best, found
}

func allMet[S scopes.Scope](set []S, needs [][][]S) bool {
	for _, alts := range needs {
		if !meetsOne(set, alts) {
			return false
		}
	}
	return true
}

// meetsOne reports whether set covers one of alts; no alternatives needs
// nothing.
func meetsOne[S scopes.Scope](set []S, alts [][]S) bool {
	return len(alts) == 0 || slices.ContainsFunc(alts, func(alt []S) bool { return scopes.Missing(set, alt) == nil })
}

// accessOf returns how many documented scopes set covers and how many
// scopes it names.
func accessOf[S scopes.Scope](set []S) [2]int {
	n := 0
	for _, x := range scopes.All[S]() {
		if scopes.Covers(set, x) {
			n++
		}
	}
	return [2]int{n, len(set)}
}

func TestStepUpErrors(t *testing.T) {
	_, err := StepUp([]scopes.Livestorm{"events:read", "events:fly"})
	if !errors.Is(err, scopes.ErrUnknown) {
		t.Errorf("StepUp with an unknown granted scope: %v, want ErrUnknown", err)
	}
	_, err = StepUp[scopes.Livestorm](nil, nil, [][]scopes.Livestorm{{}})
	if !errors.Is(err, scopes.ErrNoScopes) {
		t.Errorf("StepUp of nothing at Livestorm: %v, want ErrNoScopes", err)
	}
	got, err := StepUp[scopes.Streamdiver](nil)
	if got != nil || err != nil {
		t.Errorf("StepUp of nothing at Streamdiver = %v, %v; want nil, nil", got, err)
	}
}
