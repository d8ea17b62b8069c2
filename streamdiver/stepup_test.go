package streamdiver

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
	type S = []scopes.Streamdiver
	tests := []struct {
		name    string
		granted S
		ops     []Operation
		want    S
	}{
		{"nothing granted, nothing needed", nil, nil, nil},
		{"no operation needs a scope", nil, []Operation{OpChannelsList, OpLivestreamsCreate}, nil},
		{"granted scopes kept", S{scopes.StreamdiverOpenID, scopes.StreamdiverProfile}, []Operation{OpMediaList}, S{scopes.StreamdiverOpenID, scopes.StreamdiverProfile}},
		{"repeats dropped, documentation order", S{scopes.StreamdiverProfile, scopes.StreamdiverEmail, scopes.StreamdiverProfile, scopes.StreamdiverOpenID}, nil, S{scopes.StreamdiverOpenID, scopes.StreamdiverEmail, scopes.StreamdiverProfile}},
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
		granted []scopes.Streamdiver
		ops     []Operation
		is      error  // matched with errors.Is, when not nil
		text    string // a part of the message
	}{
		{"unknown operation", nil, []Operation{OpChannelsList, "Channels.Fly"}, nil, `streamdiver: StepUp: unknown operation "Channels.Fly"; use the Op constants`},
		{"a scope Keycloak adds", []scopes.Streamdiver{scopes.StreamdiverOpenID, "offline_access"}, nil, scopes.ErrUnknown, `unknown scope "offline_access" (documented: openid, email, profile); pass only documented scopes, such as the ones scopes.Parse returns`},
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
// set of the scopes they name. Streamdiver documents no scope that covers
// another, so a set that covers them holds them all and a smaller one, if
// any, is among those sets.
func TestStepUpLeast(t *testing.T) {
	all := scopes.All[scopes.Streamdiver]()
	for _, x := range all {
		for _, y := range all {
			if x != y && scopes.Covers([]scopes.Streamdiver{y}, x) {
				t.Fatalf("%s covers %s: try every scope set instead", y, x)
			}
		}
	}
	rng := rand.New(rand.NewPCG(12, 7))
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
			if got != nil || err != nil {
				t.Errorf("StepUp(%v, %v) = %v, %v; want nil, nil: a request may name no scope", granted, need, got, err)
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
			var set []scopes.Streamdiver
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
func stepsUp(set, granted []scopes.Streamdiver, ops []Operation) bool {
	if scopes.Missing(set, granted) != nil {
		return false
	}
	for _, op := range ops {
		alts := operations[op].Needs
		if alts != nil && !slices.ContainsFunc(alts, func(alt []scopes.Streamdiver) bool { return scopes.Missing(set, alt) == nil }) {
			return false
		}
	}
	return scopes.Validate(set...) == nil
}

// access returns how many scopes set covers and how many it names: a set
// gives less access than another when it covers fewer, or as many with
// fewer names.
func access(set []scopes.Streamdiver) [2]int {
	n := 0
	for _, s := range scopes.All[scopes.Streamdiver]() {
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
