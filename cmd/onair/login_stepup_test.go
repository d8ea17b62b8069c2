package main

import (
	"net/url"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// scopeOf returns the scopes an authorization URL asks for.
func scopeOf(t *testing.T, authURL string) []string {
	t.Helper()
	u, err := url.Parse(authURL)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Fields(u.Query().Get("scope"))
}

// TestLoginFor logs in to a sandbox, then logs in again with --for: the
// consent page asks for the union of what was granted and what the
// operations need, under the provider's rules, and the new token holds it.
func TestLoginFor(t *testing.T) {
	tests := []struct {
		name, provider string
		first          string // the first login's --scope; empty: no first login
		ops            string
		says           string // the line that says what --for adds
		want           []string
	}{
		{
			name: "livestorm write", provider: "livestorm", first: "identity:read,events:read", ops: "Events.Create",
			says: "For Events.Create, adding events:write to the granted identity:read events:read.",
			want: []string{"identity:read", "events:write"}, // events:write covers events:read
		},
		{
			name: "livestorm full:read", provider: "livestorm", first: "full:read", ops: "Webhooks.Create,Events.Create",
			says: "For Webhooks.Create, Events.Create, adding events:write webhooks:write to the granted full:read.",
			want: []string{"full:read", "events:write", "webhooks:write"}, // full:read combines with write scopes only
		},
		{
			name: "livestorm covered", provider: "livestorm", first: "events:write", ops: "Events.List",
			says: "For Events.List, adding nothing: the granted events:write already let it run.",
			want: []string{"events:write"},
		},
		{
			name: "dlive", provider: "dlive", first: "identity", ops: "Chat.Send,Users.GetStreamKey",
			says: "For Chat.Send, Users.GetStreamKey, adding chat:write streamkey:read to the granted identity.",
			want: []string{"identity", "chat:write", "streamkey:read"},
		},
		{
			name: "nothing stored", provider: "dlive", ops: "Chat.Send",
			says: "Nothing is granted yet: for Chat.Send, adding chat:write.",
			want: []string{"chat:write"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := environ(t)
			if tt.first != "" {
				p := start(t, env, "login", tt.provider, "--sandbox", "--no-browser", "--scope", tt.first)
				if _, _, err := browse(p.await(t, authURLPattern), "approve"); err != nil {
					t.Fatal(err)
				}
				if r := p.wait(t); r.code != 0 {
					t.Fatalf("the first login:\n%s", r)
				}
			}
			p := start(t, env, "login", tt.provider, "--sandbox", "--no-browser", "--for", tt.ops)
			authURL := p.await(t, authURLPattern)
			if diff := cmp.Diff(tt.want, scopeOf(t, authURL)); diff != "" {
				t.Errorf("the consent URL's scope (-want +got):\n%s", diff)
			}
			if _, _, err := browse(authURL, "approve"); err != nil {
				t.Fatal(err)
			}
			r := p.wait(t)
			if r.code != 0 || !strings.Contains(r.stdout, tt.says+"\n") {
				t.Errorf("onair login --for: want exit 0 and %q; got\n%s", tt.says, r)
			}
			if diff := cmp.Diff(tt.want, tokenJSON(t, env, tt.provider, "--sandbox").Scopes); diff != "" {
				t.Errorf("the stored token's scopes (-want +got):\n%s", diff)
			}
		})
	}
}

// TestLoginForUsage checks the command lines login --for refuses before
// anything starts.
func TestLoginForUsage(t *testing.T) {
	env := environ(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--for", "Events.Create", "--scope", "events:write"}, "onair login: --for computes the scopes to ask for: drop --scope, or --for\n"},
		{[]string{"--for", "Events.Launch"}, `onair login: --for: livestorm: StepUp: unknown operation "Events.Launch"; use the Op constants of package livestorm ("onair scopes livestorm --list-ops" lists the operations)` + "\n"},
	} {
		r := onair(t, env, append([]string{"login", "livestorm", "--sandbox", "--no-browser"}, tt.args...)...)
		if r.code != 2 || !strings.HasPrefix(r.stderr, tt.want) || r.stdout != "" {
			t.Errorf("onair login %v: want exit 2 and %q; got\n%s", tt.args, tt.want, r)
		}
	}
}
