package scopetest

import (
	"errors"
	"slices"
	"testing"

	"github.com/onair-go/onair/scopes"
)

func TestSets(t *testing.T) {
	t.Run("every subset", func(t *testing.T) {
		n := len(scopes.All[scopes.Livestorm]())
		sets, _ := Sets[scopes.Livestorm]()
		checkSets(t, sets, 1<<n)
	})
	t.Run("small subsets and all", func(t *testing.T) {
		all := scopes.All[scopes.DLive]()
		n := len(all)
		if n <= maxExhaustive {
			t.Skipf("DLive has %d scopes; every subset is tried", n)
		}
		sets, _ := Sets[scopes.DLive]()
		want := 1 + n + n*(n-1)/2 + n*(n-1)*(n-2)/6 + 1 // sizes 0 to 3, then all
		checkSets(t, sets, want)
		if !slices.Equal(sets[len(sets)-1], all) {
			t.Errorf("the last set is %q, want every scope", sets[len(sets)-1])
		}
		for _, s := range all {
			if !slices.ContainsFunc(sets, func(set []scopes.DLive) bool { return slices.Equal(set, []scopes.DLive{s}) }) {
				t.Errorf("%s alone is not tried", s)
			}
		}
	})
}

// checkSets checks that sets holds want distinct sets of documented
// scopes, none repeating a scope.
func checkSets[S scopes.Scope](t *testing.T, sets [][]S, want int) {
	t.Helper()
	if len(sets) != want {
		t.Errorf("%d sets, want %d", len(sets), want)
	}
	seen := map[string]bool{}
	for _, set := range sets {
		if err := scopes.Validate(set...); errors.Is(err, scopes.ErrUnknown) {
			t.Errorf("set %q: %v", set, err)
		}
		if len(scopes.Missing(nil, set)) != len(set) {
			t.Errorf("set %q repeats a scope", set)
		}
		key := scopes.Join(set...)
		if seen[key] {
			t.Errorf("set %q appears twice", set)
		}
		seen[key] = true
	}
}

func TestSatisfies(t *testing.T) {
	type S = scopes.Livestorm
	tests := []struct {
		granted []S
		need    [][]S
		want    bool
	}{
		{nil, nil, true},
		{nil, [][]S{{}}, true},
		{nil, [][]S{{scopes.LivestormEventsRead}}, false},
		{[]S{scopes.LivestormEventsRead}, [][]S{{scopes.LivestormEventsRead}}, true},
		{[]S{scopes.LivestormEventsWrite}, [][]S{{scopes.LivestormEventsRead}}, true},
		{[]S{scopes.LivestormFullRead}, [][]S{{scopes.LivestormEventsRead}}, true},
		{[]S{scopes.LivestormFullRead}, [][]S{{scopes.LivestormEventsWrite}}, false},
		{[]S{scopes.LivestormEventsRead}, [][]S{{scopes.LivestormEventsWrite}}, false},
		{[]S{scopes.LivestormAdminWrite}, [][]S{{scopes.LivestormIdentityRead}, {scopes.LivestormAdminRead}}, true},
		{[]S{scopes.LivestormEventsWrite}, [][]S{{scopes.LivestormEventsRead, scopes.LivestormWebhooksRead}}, false},
		{[]S{scopes.LivestormEventsWrite, scopes.LivestormWebhooksWrite}, [][]S{{scopes.LivestormEventsRead, scopes.LivestormWebhooksRead}}, true},
	}
	for _, tt := range tests {
		if got := Satisfies(tt.granted, tt.need); got != tt.want {
			t.Errorf("Satisfies(%q, %q) = %t, want %t", tt.granted, tt.need, got, tt.want)
		}
	}
}
