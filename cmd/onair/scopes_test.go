package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/onair-go/onair/scopes"
)

// TestScopesList checks that every documented scope is listed with the
// scopes package's description, in its order.
func TestScopesList(t *testing.T) {
	env := environ(t)
	for _, p := range providers() {
		t.Run(p.name(), func(t *testing.T) {
			r := onair(t, env, "scopes", p.name())
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("%s", r)
			}
			lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
			docs := p.scopeDocs()
			if want := fmt.Sprintf("%s scopes (%d):", p.title(), len(docs)); lines[0] != want {
				t.Errorf("first line %q, want %q", lines[0], want)
			}
			if len(lines) != len(docs)+1 {
				t.Fatalf("%d lines for %d scopes:\n%s", len(lines), len(docs), r.stdout)
			}
			for i, d := range docs {
				re := regexp.MustCompile(`^    ` + regexp.QuoteMeta(d.scope) + ` +` + regexp.QuoteMeta(d.desc) + `$`)
				if d.desc == "" || !re.MatchString(lines[i+1]) {
					t.Errorf("line %d is %q, want scope %q with %q", i+1, lines[i+1], d.scope, d.desc)
				}
			}
		})
	}
	// The list is the scopes package's, not a copy of it.
	d, _ := scopes.Describe(scopes.LivestormFullWrite)
	if r := onair(t, env, "scopes", "LIVESTORM"); !strings.Contains(r.stdout, d) {
		t.Errorf("onair scopes LIVESTORM lacks %q:\n%s", d, r)
	}
}

// TestScopesCompute checks least privilege and validation as a user sees
// them: the answer on stdout, a refusal on stderr with exit status 1.
func TestScopesCompute(t *testing.T) {
	env := environ(t)
	tests := []struct {
		args       []string
		code       int
		stdout     string // the whole of stdout
		stderrPart string
	}{
		{
			args:   []string{"scopes", "livestorm", "--for", "Events.List,Events.Create"},
			stdout: "Least privilege for Events.List, Events.Create:\n    events:write\nAsk for it with: --scope events:write\n",
		},
		{
			args:   []string{"scopes", "livepush", "--for", "Streams.Create", "--for", "Streams.Get"},
			stdout: "Least privilege for Streams.Create, Streams.Get:\n    streams.create\n    streams.read\nAsk for it with: --scope streams.create,streams.read\n",
		},
		{
			args:   []string{"scopes", "streamdiver", "--for", "Media.Get"},
			stdout: "Least privilege for Media.Get:\n    no scope: Streamdiver lets these operations run with any token\n",
		},
		{
			args: []string{"scopes", "dlive", "--for", "Users.Fly"}, code: 1,
			stderrPart: `onair scopes: dlive: LeastPrivilege: unknown operation "Users.Fly" (operations are named Service.Method`,
		},
		{
			args:   []string{"scopes", "livestorm", "--check", "events:read webhooks:write"},
			stdout: "ok events:read webhooks:write is a valid Livestorm scope set\n",
		},
		{
			args: []string{"scopes", "livestorm", "--check", "full:write,events:read"}, code: 1,
			stderrPart: `onair scopes: scopes: livestorm: "full:write" must be the only scope, got [full:write events:read] [errors.Is: scopes.ErrExclusive]`,
		},
		{
			args: []string{"scopes", "livestorm", "--check", "full:read,events:read"}, code: 1,
			stderrPart: `may be combined only with individual write scopes, got [full:read events:read] [errors.Is: scopes.ErrConflict]`,
		},
		{
			args: []string{"scopes", "dlive", "--check", "identity,chat:read"}, code: 1,
			stderrPart: `onair scopes: scopes: dlive: unknown scope "chat:read" (documented: identity, chat:write`,
		},
		{
			args:       []string{"scopes", "livestorm", "--for", "Events.List", "--check", "full:write,events:read"},
			code:       1,
			stdout:     "Least privilege for Events.List:\n    events:read\nAsk for it with: --scope events:read\n",
			stderrPart: "[errors.Is: scopes.ErrExclusive]",
		},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args[1:], " "), func(t *testing.T) {
			r := onair(t, env, tt.args...)
			if r.code != tt.code || r.stdout != tt.stdout || !strings.Contains(r.stderr, tt.stderrPart) {
				t.Errorf("want exit %d, stdout %q and %q on stderr; got\n%s", tt.code, tt.stdout, tt.stderrPart, r)
			}
			if tt.code == 0 && r.stderr != "" {
				t.Errorf("stderr: %q", r.stderr)
			}
		})
	}
}
