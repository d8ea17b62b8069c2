package main

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/onair-go/onair/scopes"
)

// TestScopesList checks that every documented scope is listed with the
// scopes package's description, in its order.
func TestScopesList(t *testing.T) {
	env := environ(t)
	for _, p := range providers() {
		t.Run(p.Name(), func(t *testing.T) {
			r := onair(t, env, "scopes", p.Name())
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("%s", r)
			}
			lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
			docs := p.ScopeDocs()
			if want := fmt.Sprintf("%s scopes (%d):", p.Title(), len(docs)); lines[0] != want {
				t.Errorf("first line %q, want %q", lines[0], want)
			}
			if len(lines) != len(docs)+1 {
				t.Fatalf("%d lines for %d scopes:\n%s", len(lines), len(docs), r.stdout)
			}
			for i, d := range docs {
				re := regexp.MustCompile(`^    ` + regexp.QuoteMeta(d.Scope) + ` +` + regexp.QuoteMeta(d.Desc) + `$`)
				if d.Desc == "" || !re.MatchString(lines[i+1]) {
					t.Errorf("line %d is %q, want scope %q with %q", i+1, lines[i+1], d.Scope, d.Desc)
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
			stderrPart: `onair scopes: dlive: LeastPrivilege: unknown operation "Users.Fly" ("onair scopes dlive --list-ops" lists the operations)`,
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
		// With --for, --check also checks that the set lets the
		// operations run, and names what is missing.
		{
			args:       []string{"scopes", "livestorm", "--for", "Events.List", "--check", "identity:read"},
			code:       1,
			stdout:     "Least privilege for Events.List:\n    events:read\nAsk for it with: --scope events:read\n",
			stderrPart: "onair scopes: identity:read does not let every operation run: Events.List needs events:read\n",
		},
		{
			args:       []string{"scopes", "livestorm", "--for", "Events.Create,Identity.Organization", "--check", "events:read"},
			code:       1,
			stdout:     "Least privilege for Events.Create, Identity.Organization:\n    events:write\n    identity:read\nAsk for it with: --scope events:write,identity:read\n",
			stderrPart: "onair scopes: events:read does not let every operation run: Events.Create needs events:write; Identity.Organization needs identity:read or admin:read\n",
		},
		{
			args:   []string{"scopes", "livestorm", "--for", "Events.List,Identity.Organization", "--check", "events:write admin:read"},
			stdout: "Least privilege for Events.List, Identity.Organization:\n    events:read\n    identity:read\nAsk for it with: --scope events:read,identity:read\nok events:write admin:read is a valid Livestorm scope set, and lets Events.List, Identity.Organization run\n",
		},
		{
			args:       []string{"scopes", "dlive", "--for", "Users.Me,Chat.Send", "--check", "identity"},
			code:       1,
			stdout:     "Least privilege for Users.Me, Chat.Send:\n    identity\n    chat:write\nAsk for it with: --scope identity,chat:write\n",
			stderrPart: "onair scopes: identity does not let every operation run: Chat.Send needs chat:write\n",
		},
		// An empty --check is a mistake, not a request for the list.
		{
			args: []string{"scopes", "dlive", "--check", ""}, code: 2,
			stderrPart: "onair scopes: --check: no scopes given: name at least one (\"onair scopes dlive\" lists them)\n",
		},
		{
			args: []string{"scopes", "streamdiver", "--for", "Media.Get", "--check", " , "}, code: 2,
			stderrPart: "--check: no scopes given",
		},
		{
			args: []string{"scopes", "livestorm", "--list-ops", "--for", "Events.List"}, code: 2,
			stderrPart: "--list-ops lists every operation: drop --for and --check",
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

// TestScopesListOps checks that --list-ops lists, for each provider, the
// operations --for accepts, each with the scopes --for computes for it.
func TestScopesListOps(t *testing.T) {
	env := environ(t)
	line := regexp.MustCompile(`^    (\S+) +(.+)$`)
	for _, tt := range []struct {
		provider string
		some     map[string]string // a few operations and what they need
	}{
		{"livepush", map[string]string{"Streams.Create": "streams.create"}},
		{"livestorm", map[string]string{"Events.List": "events:read", "Identity.Ping": "no scope"}},
		{"streamdiver", map[string]string{"Media.Get": "no scope"}},
		{"dlive", map[string]string{"Users.Me": "identity", "Chat.Send": "chat:write"}},
	} {
		t.Run(tt.provider, func(t *testing.T) {
			r := onair(t, env, "scopes", tt.provider, "--list-ops")
			if r.code != 0 || r.stderr != "" {
				t.Fatalf("%s", r)
			}
			lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
			if !strings.HasSuffix(lines[0], fmt.Sprintf(" operations (%d), with the least scope set each needs:", len(lines)-1)) {
				t.Errorf("first line %q for %d operations", lines[0], len(lines)-1)
			}
			p, err := lookupProvider(tt.provider)
			if err != nil {
				t.Fatal(err)
			}
			listed := map[string]string{}
			var names []string
			for _, l := range lines[1:] {
				m := line.FindStringSubmatch(l)
				if m == nil {
					t.Fatalf("line %q", l)
				}
				names = append(names, m[1])
				listed[m[1]] = m[2]
				// What --for accepts and computes, as the package does.
				s, err := p.LeastPrivilege([]string{m[1]})
				want := strings.Join(s, " ")
				if want == "" {
					want = "no scope"
				}
				if err != nil || want != m[2] {
					t.Errorf("%s: listed as needing %q; LeastPrivilege says %q, %v", m[1], m[2], want, err)
				}
			}
			if !slices.IsSorted(names) {
				t.Errorf("operations not sorted: %v", names)
			}
			for op, need := range tt.some {
				if listed[op] != need {
					t.Errorf("%s listed as needing %q, want %q", op, listed[op], need)
				}
			}
		})
	}
}
