package livestorm

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/scopetest"
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

// TestStepUpLeast checks StepUp against brute force on random cases.
func TestStepUpLeast(t *testing.T) {
	scopetest.StepUp(t, StepUp, Operations(), Operation.Scopes)
}
