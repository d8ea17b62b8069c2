package main

import (
	"flag"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestHelp checks that onair --help lists every command, and that each
// command's help, asked for in every way, names all of its flags.
func TestHelp(t *testing.T) {
	env := environ(t)
	main := onair(t, env, "--help")
	if main.code != 0 || main.stderr != "" {
		t.Fatalf("onair --help:\n%s", main)
	}
	for _, want := range []string{"Usage:", "ONAIR_CONFIG_DIR", "NO_COLOR", "ONAIR_<PROVIDER>_CLIENT_ID"} {
		if !strings.Contains(main.stdout, want) {
			t.Errorf("onair --help lacks %q:\n%s", want, main.stdout)
		}
	}
	if got := onair(t, env, "help"); got.stdout != main.stdout || got.code != 0 {
		t.Errorf("onair help differs from onair --help:\n%s", got)
	}

	for _, c := range commands() {
		if !strings.Contains(main.stdout, "\t"+c.name+" ") {
			t.Errorf("onair --help does not list %s", c.name)
		}
		var want []string
		fs, _ := newFlagSet(c)
		fs.VisitAll(func(f *flag.Flag) { want = append(want, "--"+f.Name) })
		for _, args := range [][]string{{c.name, "--help"}, {c.name, "-h"}, {"help", c.name}} {
			r := onair(t, env, args...)
			if r.code != 0 || r.stderr != "" || !strings.HasPrefix(r.stdout, "Usage: onair "+c.name) {
				t.Errorf("onair %s:\n%s", strings.Join(args, " "), r)
				continue
			}
			for _, f := range want {
				if !strings.Contains(r.stdout, "  "+f) {
					t.Errorf("onair %s does not describe %s:\n%s", strings.Join(args, " "), f, r.stdout)
				}
			}
		}
	}
}

// TestUsageErrors checks that a command line that cannot run exits 2 with
// a message on stderr saying what is wrong, and prints nothing on stdout.
func TestUsageErrors(t *testing.T) {
	env := environ(t)
	tests := []struct {
		args []string
		want string // on stderr
	}{
		{nil, "Usage:"},
		{[]string{"launch"}, `onair: unknown command "launch"`},
		{[]string{"help", "launch"}, `onair help: unknown command "launch"`},
		{[]string{"login"}, "onair login: name a provider: livepush, livestorm, streamdiver, dlive"},
		{[]string{"login", "twitch"}, `onair login: unknown provider "twitch": use one of livepush, livestorm, streamdiver, dlive`},
		{[]string{"login", "livestorm", "dlive"}, "onair login: unexpected arguments after the provider: dlive"},
		{[]string{"login", "livestorm", "--bogus"}, "onair login: flag provided but not defined: -bogus"},
		{[]string{"login", "livestorm"}, "onair login: no client ID for Livestorm: pass --client-id or set ONAIR_LIVESTORM_CLIENT_ID (or try it with --sandbox)"},
		{[]string{"login", "livestorm", "--sandbox", "--client-id", "x"}, "--sandbox brings its own client and server"},
		{[]string{"login", "livestorm", "--scope", "full:write,events:read"}, `onair login: --scope: scopes: livestorm: "full:write" must be the only scope`},
		{[]string{"login", "livestorm", "--scope", "events:raed"}, `onair login: --scope: scopes: livestorm: unknown scope "events:raed"`},
		{[]string{"login", "livestorm", "--client-id", "x", "--tenant", "acme"}, "onair login: --tenant is for Streamdiver only"},
		{[]string{"login", "livestorm", "--client-id", "x", "--base-url", "http://example.com"}, "must use https (plain http only to a loopback address"},
		{[]string{"login", "streamdiver", "--client-id", "x"}, "onair login: no Streamdiver tenant: pass --tenant or set ONAIR_STREAMDIVER_TENANT"},
		{[]string{"login", "livestorm", "--timeout", "0s", "--sandbox"}, "onair login: --timeout must be positive"},
		{[]string{"token"}, "onair token: name a provider"},
		{[]string{"scopes", "myspace"}, `onair scopes: unknown provider "myspace"`},
		{[]string{"sandbox", "now"}, "onair sandbox: unexpected arguments: now"},
		{[]string{"demo", "fast"}, "onair demo: unexpected arguments: fast"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := onair(t, env, tt.args...)
			if r.code != 2 || r.stdout != "" || !strings.Contains(r.stderr, tt.want) {
				t.Errorf("want exit 2, nothing on stdout and %q on stderr; got\n%s", tt.want, r)
			}
		})
	}
}

func TestParseInterspersed(t *testing.T) {
	tests := []struct {
		args    []string
		wantPos []string
		wantA   bool
		wantS   string
	}{
		{[]string{"livestorm"}, []string{"livestorm"}, false, ""},
		{[]string{"-a", "livestorm"}, []string{"livestorm"}, true, ""},
		{[]string{"livestorm", "--a", "--s", "x"}, []string{"livestorm"}, true, "x"},
		{[]string{"--s=y", "livestorm", "dlive", "-a"}, []string{"livestorm", "dlive"}, true, "y"},
		{[]string{"livestorm", "--", "-a"}, []string{"livestorm", "-a"}, false, ""},
		{nil, nil, false, ""},
	}
	for _, tt := range tests {
		fs := flag.NewFlagSet("test", flag.ContinueOnError)
		a := fs.Bool("a", false, "")
		s := fs.String("s", "", "")
		pos, err := parseInterspersed(fs, tt.args)
		if err != nil {
			t.Errorf("%q: %v", tt.args, err)
			continue
		}
		if diff := cmp.Diff(tt.wantPos, pos); diff != "" || *a != tt.wantA || *s != tt.wantS {
			t.Errorf("%q: a=%v s=%q, positional (-want +got):\n%s", tt.args, *a, *s, diff)
		}
	}
}
