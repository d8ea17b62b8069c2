package dlive

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/scopetest"
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

// TestStepUpLeast checks StepUp against brute force on random cases.
func TestStepUpLeast(t *testing.T) {
	scopetest.StepUp(t, StepUp, Operations(), Operation.Scopes)
}
