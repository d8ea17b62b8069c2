package dlive

import (
	"errors"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/scopes"
)

func TestStepUp(t *testing.T) {
	type S = []scopes.DLive
	tests := []struct {
		name    string
		granted S
		ops     []Operation
		want    S
	}{
		{"a write scope does not cover its read scope", S{scopes.DLiveModerationRead}, []Operation{OpChatDelete}, S{scopes.DLiveModerationRead, scopes.DLiveModerationWrite}},
		{"new scopes join the granted ones", S{scopes.DLiveIdentity}, []Operation{OpChatSend, OpRelationshipsFollow}, S{scopes.DLiveIdentity, scopes.DLiveChatWrite, scopes.DLiveRelationshipWrite}},
		{"nothing granted is least privilege", nil, []Operation{OpUsersGetStreamKey, OpUsersMe}, S{scopes.DLiveIdentity, scopes.DLiveStreamkeyRead}},
		{"operations that need no scope", S{scopes.DLiveEmailRead}, []Operation{OpLivestreamsList, OpUsersSearch, OpGraphQLDo}, S{scopes.DLiveEmailRead}},
		{"granted already covers the operations", S{scopes.DLiveChatWrite, scopes.DLiveIdentity}, []Operation{OpChatSend, OpUsersMe}, S{scopes.DLiveIdentity, scopes.DLiveChatWrite}},
		{"repeats dropped, documentation order", S{scopes.DLiveWatchingRead, scopes.DLiveIdentity, scopes.DLiveWatchingRead}, []Operation{OpModerationBan, OpChatDelete}, S{scopes.DLiveIdentity, scopes.DLiveModerationWrite, scopes.DLiveWatchingRead}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := StepUp(tt.granted, tt.ops...)
			if err != nil {
				t.Fatal(err)
			}
			if d := cmp.Diff(tt.want, got); d != "" {
				t.Errorf("StepUp(%v, %v) (-want +got):\n%s", tt.granted, tt.ops, d)
			}
		})
	}
}

func TestStepUpErrors(t *testing.T) {
	tests := []struct {
		name    string
		granted []scopes.DLive
		ops     []Operation
		is      error  // matched with errors.Is, when not nil
		text    string // a part of the message
	}{
		{"unknown operation", nil, []Operation{OpUsersMe, "Users.Fly"}, nil, `dlive: StepUp: unknown operation "Users.Fly"; use the Op constants`},
		{"another provider's scope", []scopes.DLive{"identity:read"}, nil, scopes.ErrUnknown, `dlive: StepUp: granted: scopes: dlive: unknown scope "identity:read" (documented: identity,`},
		{"nothing at all", nil, nil, scopes.ErrNoScopes, "nothing granted and no operation needs a scope"},
		{"nothing needed", nil, []Operation{OpUsersSearch}, scopes.ErrNoScopes, "grant a scope or name an operation that needs one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := StepUp(tt.granted, tt.ops...)
			if err == nil {
				t.Fatalf("StepUp(%v, %v) = %v, want an error", tt.granted, tt.ops, got)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("error %q does not match %v", err, tt.is)
			}
			if !strings.Contains(err.Error(), tt.text) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %q: want one line containing %q", err, tt.text)
			}
		})
	}
}

// TestStepUpLeast checks random granted sets and operations against every
// set of the scopes they name. DLive documents no scope that covers
// another, so a set that covers them holds them all and a smaller one, if
// any, is among those sets.
func TestStepUpLeast(t *testing.T) {
	all := scopes.All[scopes.DLive]()
	for _, x := range all {
		for _, y := range all {
			if x != y && scopes.Covers([]scopes.DLive{y}, x) {
				t.Fatalf("%s covers %s: try every scope set instead", y, x)
			}
		}
	}
	rng := rand.New(rand.NewPCG(12, 5))
	ops := slices.Sorted(maps.Keys(operations))
	for range 200 {
		granted := pick(rng, all, 4)
		need := pick(rng, ops, 3)
		got, err := StepUp(granted, need...)
		named := slices.Clone(granted)
		for _, op := range need {
			for _, alt := range operations[op].Needs {
				named = append(named, alt...)
			}
		}
		slices.Sort(named)
		named = slices.Compact(named)
		if len(named) == 0 {
			if !errors.Is(err, scopes.ErrNoScopes) {
				t.Errorf("StepUp(%v, %v) = %v, %v; want ErrNoScopes", granted, need, got, err)
			}
			continue
		}
		if err != nil {
			t.Errorf("StepUp(%v, %v): %v", granted, need, err)
			continue
		}
		if !stepsUp(got, granted, need) {
			t.Errorf("StepUp(%v, %v) = %v: invalid, or does not cover both", granted, need, got)
		}
		for bits := range 1 << len(named) {
			var set []scopes.DLive
			for i, s := range named {
				if bits&(1<<i) != 0 {
					set = append(set, s)
				}
			}
			if less(access(set), access(got)) && stepsUp(set, granted, need) {
				t.Errorf("StepUp(%v, %v) = %v, but %v gives less access", granted, need, got, set)
				break
			}
		}
	}
}

// stepsUp reports whether set is valid, covers granted and lets ops run.
func stepsUp(set, granted []scopes.DLive, ops []Operation) bool {
	if scopes.Missing(set, granted) != nil {
		return false
	}
	for _, op := range ops {
		alts := operations[op].Needs
		if alts != nil && !slices.ContainsFunc(alts, func(alt []scopes.DLive) bool { return scopes.Missing(set, alt) == nil }) {
			return false
		}
	}
	return scopes.Validate(set...) == nil
}

// access returns how many scopes set covers and how many it names: a set
// gives less access than another when it covers fewer, or as many with
// fewer names.
func access(set []scopes.DLive) [2]int {
	n := 0
	for _, s := range scopes.All[scopes.DLive]() {
		if scopes.Covers(set, s) {
			n++
		}
	}
	return [2]int{n, len(set)}
}

func less(a, b [2]int) bool { return a[0] < b[0] || a[0] == b[0] && a[1] < b[1] }

// pick returns up to max random elements of from, repeats allowed.
func pick[T any](rng *rand.Rand, from []T, max int) []T {
	var out []T
	for range rng.IntN(max + 1) {
		out = append(out, from[rng.IntN(len(from))])
	}
	return out
}
