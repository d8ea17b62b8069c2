package livepush

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/scopetest"
	"github.com/onair-go/onair/scopes"
)

func TestStepUp(t *testing.T) {
	type S = []scopes.Livepush
	tests := []struct {
		name    string
		granted S
		ops     []Operation
		want    S
	}{
		{"a write scope does not cover its read scope", S{scopes.LivepushStreamsRead}, []Operation{OpStreamsUpdate}, S{scopes.LivepushStreamsRead, scopes.LivepushStreamsWrite}},
		{"new scopes join the granted ones", S{scopes.LivepushProfileRead}, []Operation{OpStreamsCreate, OpVideosList}, S{scopes.LivepushProfileRead, scopes.LivepushStreamsCreate, scopes.LivepushStreamsVideosRead}},
		{"nothing granted is least privilege", nil, []Operation{OpStreamsCreate, OpStreamsGet}, S{scopes.LivepushStreamsRead, scopes.LivepushStreamsCreate}},
		{"granted already covers the operations", S{scopes.LivepushTeamsWrite, scopes.LivepushTeamsRead}, []Operation{OpTeamsList, OpTeamsAddMember}, S{scopes.LivepushTeamsRead, scopes.LivepushTeamsWrite}},
		{"repeats dropped, documentation order", S{scopes.LivepushRegionsRead, scopes.LivepushBillingRead, scopes.LivepushRegionsRead}, []Operation{OpRegionsList, OpAccountGet, OpAccountGet}, S{scopes.LivepushProfileRead, scopes.LivepushBillingRead, scopes.LivepushRegionsRead}},
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
		granted []scopes.Livepush
		ops     []Operation
		is      error  // matched with errors.Is, when not nil
		text    string // a part of the message
	}{
		{"unknown operation", nil, []Operation{OpStreamsList, "Streams.Fly"}, nil, `livepush: StepUp: unknown operation "Streams.Fly"; use the Op constants`},
		{"another provider's spelling", []scopes.Livepush{"streams:read"}, nil, scopes.ErrUnknown, `livepush: StepUp: granted: scopes: livepush: unknown scope "streams:read" (documented: profile.read,`},
		{"nothing at all", nil, nil, scopes.ErrNoScopes, "nothing granted and no operation needs a scope"},
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

// TestStepUpLeast checks StepUp against brute force on random cases.
func TestStepUpLeast(t *testing.T) {
	scopetest.StepUp(t, StepUp, Operations(), Operation.Scopes)
}
