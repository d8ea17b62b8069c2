package streamdiver

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/internal/scopetest"
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

// TestStepUpLeast checks StepUp against brute force on random cases.
func TestStepUpLeast(t *testing.T) {
	scopetest.StepUp(t, StepUp, Operations(), Operation.Scopes)
}
