package livestorm

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
	const (
		fullRead      = scopes.LivestormFullRead
		fullWrite     = scopes.LivestormFullWrite
		identityRead  = scopes.LivestormIdentityRead
		eventsRead    = scopes.LivestormEventsRead
		eventsWrite   = scopes.LivestormEventsWrite
		adminRead     = scopes.LivestormAdminRead
		adminWrite    = scopes.LivestormAdminWrite
		webhooksRead  = scopes.LivestormWebhooksRead
		webhooksWrite = scopes.LivestormWebhooksWrite
	)
	type S = []scopes.Livestorm
	tests := []struct {
		name    string
		granted S
		ops     []Operation
		want    S
	}{
		{"a write scope replaces its read scope", S{eventsRead}, []Operation{OpEventsCreate}, S{eventsWrite}},
		{"new scopes join the granted ones", S{eventsRead, webhooksRead}, []Operation{OpEventsCreate, OpIdentityMe}, S{identityRead, eventsWrite, webhooksRead}},
		{"nothing granted is least privilege", nil, []Operation{OpEventsList, OpEventsCreate, OpWebhooksList}, S{eventsWrite, webhooksRead}},
		{"full:read keeps and takes individual write scopes", S{fullRead}, []Operation{OpEventsCreate, OpUsersInvite}, S{fullRead, eventsWrite, adminWrite}},
		{"full:read covers every read", S{fullRead}, []Operation{OpEventsList, OpUsersList, OpWebhooksList, OpIdentityMe}, S{fullRead}},
		{"full:write covers everything", S{fullWrite}, []Operation{OpEventsCreate, OpWebhooksDelete, OpUsersInvite}, S{fullWrite}},
		{"full:write stands alone", S{eventsRead, fullWrite}, []Operation{OpIdentityMe}, S{fullWrite}},
		{"full:read beside full:write", S{fullRead, fullWrite}, nil, S{fullWrite}},
		{"full:read drops the reads it covers", S{eventsRead, fullRead, webhooksWrite}, nil, S{fullRead, webhooksWrite}},
		{"every individual read, not full:read", S{identityRead, eventsRead, adminRead, webhooksRead}, nil, S{identityRead, eventsRead, adminRead, webhooksRead}},
		{"every individual read and a write, not full:read", S{identityRead, eventsRead, adminRead, webhooksRead}, []Operation{OpEventsCreate}, S{identityRead, eventsWrite, adminRead, webhooksRead}},
		{"granted already covers the operations", S{eventsWrite, eventsRead}, []Operation{OpEventsList, OpSessionsRegister}, S{eventsWrite}},
		{"an operation that needs no scope", S{identityRead}, []Operation{OpIdentityPing}, S{identityRead}},
		{"repeats dropped, documentation order", S{webhooksRead, eventsRead, webhooksRead}, []Operation{OpEventsGet, OpEventsGet}, S{eventsRead, webhooksRead}},
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
		granted []scopes.Livestorm
		ops     []Operation
		is      error  // matched with errors.Is, when not nil
		text    string // a part of the message
	}{
		{"unknown operation", nil, []Operation{OpEventsList, "Events.Fly"}, nil, `livestorm: StepUp: unknown operation "Events.Fly"; use the Op constants`},
		{"unknown granted scope", []scopes.Livestorm{"events:fly"}, nil, scopes.ErrUnknown, `livestorm: StepUp: granted: scopes: livestorm: unknown scope "events:fly" (documented: full:read,`},
		{"nothing at all", nil, nil, scopes.ErrNoScopes, "nothing granted and no operation needs a scope"},
		{"nothing needed", nil, []Operation{OpIdentityPing}, scopes.ErrNoScopes, "grant a scope or name an operation that needs one"},
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
// scope set there is.
func TestStepUpLeast(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 4))
	all := scopes.All[scopes.Livestorm]()
	ops := slices.Sorted(maps.Keys(operations))
	// Every scope set there is, with the access it gives.
	type subset struct {
		scopes []scopes.Livestorm
		access [2]int
	}
	var subsets []subset
	for bits := range 1 << len(all) {
		var set []scopes.Livestorm
		for i, s := range all {
			if bits&(1<<i) != 0 {
				set = append(set, s)
			}
		}
		subsets = append(subsets, subset{set, access(set)})
	}
	for range 200 {
		granted := pick(rng, all, 4)
		need := pick(rng, ops, 3)
		got, err := StepUp(granted, need...)
		if len(granted) == 0 && scopesNeeded(need) == 0 {
			if !errors.Is(err, scopes.ErrNoScopes) {
				t.Errorf("StepUp(%v, %v) = %v, %v; need ErrNoScopes", granted, need, got, err)
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
		for _, sub := range subsets {
			if less(sub.access, access(got)) && stepsUp(sub.scopes, granted, need) {
				t.Errorf("StepUp(%v, %v) = %v, but %v gives less access", granted, need, got, sub.scopes)
				break
			}
		}
	}
}

// stepsUp reports whether set is valid, covers granted and lets ops run.
func stepsUp(set, granted []scopes.Livestorm, ops []Operation) bool {
	if scopes.Missing(set, granted) != nil {
		return false
	}
	for _, op := range ops {
		alts := operations[op].Needs
		if alts != nil && !slices.ContainsFunc(alts, func(alt []scopes.Livestorm) bool { return scopes.Missing(set, alt) == nil }) {
			return false
		}
	}
	return scopes.Validate(set...) == nil
}

// access returns how many scopes set covers and how many it names: a set
// gives less access than another when it covers fewer, or as many with
// fewer names.
func access(set []scopes.Livestorm) [2]int {
	n := 0
	for _, s := range scopes.All[scopes.Livestorm]() {
		if scopes.Covers(set, s) {
			n++
		}
	}
	return [2]int{n, len(set)}
}

func less(a, b [2]int) bool { return a[0] < b[0] || a[0] == b[0] && a[1] < b[1] }

func scopesNeeded(ops []Operation) int {
	n := 0
	for _, op := range ops {
		if op.Scopes() != nil {
			n++
		}
	}
	return n
}

// pick returns up to max random elements of from, repeats allowed.
func pick[T any](rng *rand.Rand, from []T, max int) []T {
	var out []T
	for range rng.IntN(max + 1) {
		out = append(out, from[rng.IntN(len(from))])
	}
	return out
}
