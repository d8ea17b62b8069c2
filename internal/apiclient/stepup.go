package apiclient

import (
	"fmt"
	"slices"

	"github.com/onair-go/onair/scopes"
)

// StepUp returns the valid scope set with the least access that covers
// every scope in granted and, for each entry of needs, every scope of one
// of the entry's alternatives; an entry with no alternatives, or with an
// empty one, needs nothing.
//
// Access is what a set covers ([scopes.Covers]): of the valid sets that
// cover what is needed, StepUp returns one that covers the fewest
// documented scopes and, of those, one with the fewest scopes, in the
// provider's documentation order. So it leaves out a granted scope that
// another scope of the result covers, but never loses access that was
// granted. It returns nil when nothing is granted or needed and the
// provider allows a request without scopes.
func StepUp[S scopes.Scope](granted []S, needs ...[][]S) ([]S, error) {
	all := scopes.All[S]()
	var bad []S
	for _, g := range granted {
		if !slices.Contains(all, g) {
			bad = append(bad, g)
		}
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("granted: %w; pass only documented scopes, such as the ones scopes.Parse returns", scopes.Validate(bad...))
	}

	s := &stepUp[S]{all: all, coverers: make(map[S][]S, len(all))}
	for _, x := range all {
		for _, y := range all {
			if scopes.Covers([]S{y}, x) {
				s.coverers[x] = append(s.coverers[x], y)
			}
		}
		// Least access first, so that the first sets found are good ones
		// and the search prunes early.
		slices.SortStableFunc(s.coverers[x], func(a, b S) int { return s.covered([]S{a}) - s.covered([]S{b}) })
	}
	for _, g := range granted {
		s.reqs = append(s.reqs, [][]S{{g}})
	}
	for _, alts := range needs {
		if len(alts) > 0 && !slices.ContainsFunc(alts, func(alt []S) bool { return len(alt) == 0 }) {
			s.reqs = append(s.reqs, alts)
		}
	}
	if len(s.reqs) == 0 {
		if err := scopes.Validate[S](); err != nil {
			return nil, fmt.Errorf("nothing granted and no operation needs a scope: %w; grant a scope or name an operation that needs one", err)
		}
		return nil, nil
	}
	s.visit(nil)
	if s.best == nil {
		return nil, fmt.Errorf("no valid scope set covers the granted scopes and the operations: %w", s.invalid)
	}
	return s.best, nil
}

// stepUp is StepUp's search: a depth-first search that, for the first
// requirement the set does not meet, adds in turn each scope that covers a
// missing scope of each alternative. Every set that meets all requirements
// holds one the search reaches, which covers no more; and a provider's
// rules (a scope that stands alone, a scope combinable only with some) hold
// for a part of a valid set when they hold for the set. So the search finds
// a best set, and abandons a set that could only end up covering more
// than the best one found.
type stepUp[S scopes.Scope] struct {
	all      []S       // documented scopes, in documentation order
	coverers map[S][]S // the scopes that cover each, least access first
	reqs     [][][]S   // each met by covering all scopes of one alternative
	best     []S       // the best valid set found, nil before the first
	cost     [2]int    // best's: how many scopes it covers, how many it has
	invalid  error     // why the last set that met every requirement was invalid
}

func (s *stepUp[S]) visit(set []S) {
	covered := s.covered(set)
	if s.best != nil && covered > s.cost[0] {
		return
	}
	i := slices.IndexFunc(s.reqs, func(alts [][]S) bool { return !met(set, alts) })
	if i < 0 {
		s.consider(set)
		return
	}
	// Meeting the requirement adds a scope the set does not cover yet.
	if s.best != nil && covered == s.cost[0] {
		return
	}
	for _, alt := range s.reqs[i] {
		x := scopes.Missing(set, alt)[0]
		for _, y := range s.coverers[x] {
			s.visit(append(slices.Clip(set), y))
		}
	}
}

// consider reduces set, which meets every requirement, to the scopes no
// others of it make redundant, and keeps it when valid and better.
func (s *stepUp[S]) consider(set []S) {
	covered := s.covered(set)
	for i := 0; i < len(set); {
		rest := slices.Delete(slices.Clone(set), i, i+1)
		if s.covered(rest) == covered {
			set = rest
			continue
		}
		i++
	}
	if err := scopes.Validate(set...); err != nil {
		s.invalid = err
		return
	}
	cost := [2]int{covered, len(set)}
	if s.best != nil && (cost[0] > s.cost[0] || cost[0] == s.cost[0] && cost[1] >= s.cost[1]) {
		return
	}
	s.best = slices.SortedFunc(slices.Values(set), func(a, b S) int {
		return slices.Index(s.all, a) - slices.Index(s.all, b)
	})
	s.cost = cost
}

// covered returns how many documented scopes set covers. A part of set
// that covers as many covers the same scopes.
func (s *stepUp[S]) covered(set []S) int {
	n := 0
	for _, x := range s.all {
		if scopes.Covers(set, x) {
			n++
		}
	}
	return n
}

func met[S scopes.Scope](set []S, alts [][]S) bool {
	return slices.ContainsFunc(alts, func(alt []S) bool { return len(scopes.Missing(set, alt)) == 0 })
}
