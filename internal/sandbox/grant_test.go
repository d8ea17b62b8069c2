package sandbox_test

import (
	"testing"

	"github.com/onair-go/onair/internal/sandbox"
)

func TestGrantAllows(t *testing.T) {
	readWrite := [][]string{{"a.read", "b.read"}, {"c.write"}} // a.read and b.read, or c.write
	tests := []struct {
		name   string
		scope  []string
		covers func(granted []string, need string) bool
		need   [][]string
		want   bool
	}{
		{name: "no need", need: nil, want: true},
		{name: "an empty alternative", need: [][]string{{"a.read"}, {}}, want: true},
		{name: "every scope of one alternative", scope: []string{"b.read", "a.read"}, need: readWrite, want: true},
		{name: "part of an alternative", scope: []string{"a.read"}, need: readWrite, want: false},
		{name: "another alternative", scope: []string{"c.write"}, need: readWrite, want: true},
		{name: "nothing granted", need: readWrite, want: false},
		{name: "without rules, write does not cover read", scope: []string{"a.write", "b.write"}, need: readWrite, want: false},
		{name: "the provider's rule covers", scope: []string{"a.write", "b.write"}, covers: writeCoversRead, need: readWrite, want: true},
		{name: "the rule covers one scope of two", scope: []string{"a.write"}, covers: writeCoversRead, need: readWrite, want: false},
		{name: "the rule is asked, not string equality", scope: []string{"c.write"}, covers: func([]string, string) bool { return false }, need: readWrite, want: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := sandbox.Grant{Scope: tt.scope, Covers: tt.covers}
			if got := g.Allows(tt.need); got != tt.want {
				t.Errorf("Grant{Scope: %q}.Allows(%q) = %t, want %t", tt.scope, tt.need, got, tt.want)
			}
		})
	}
}
