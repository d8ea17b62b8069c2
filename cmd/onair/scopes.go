package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/onair-go/onair/scopes"
)

func scopesCommand() *command {
	return &command{
		name:  "scopes",
		args:  "<provider> [--for Service.Method,...] [--check scope,...] [--list-ops]",
		short: "list a provider's scopes, compute least privilege, check a scope set",
		long: `Scopes lists the scopes a provider documents, with its description of
each.

With --for, it computes the smallest scope set that lets the named API
operations run (LeastPrivilege in the provider's package). Operations are
named Service.Method, as the Op constants of the provider's package name
them: Events.List, Streams.Create, Users.Me. --list-ops lists them all,
with the least scope set each needs.

With --check, it validates a scope set as the provider would before any
request (scopes.Validate): undocumented scopes, a scope that must stand
alone, scopes that may not be combined. With --for as well, it also
checks that the set lets every named operation run, counting the scopes
a grant implies (Livestorm's events:write covers events:read). An
invalid set, or one that misses a scope, fails with exit status 1.
`,
		flags: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			var ops, check listFlag
			var listOps bool
			fs.Var(&ops, "for", "compute least privilege for these `operations`, separated by commas or spaces; repeatable")
			fs.Var(&check, "check", "validate this set of `scopes`, separated by commas or spaces; repeatable;\nwith --for, check that it lets those operations run")
			fs.BoolVar(&listOps, "list-ops", false, "list the operations --for accepts, with the scopes each needs")
			return func(ctx context.Context, a *app, args []string) error {
				p, err := providerArg(args)
				if err != nil {
					return err
				}
				checking := given(fs, "check")
				switch {
				case listOps && (len(ops) > 0 || checking):
					return usagef("--list-ops lists every operation: drop --for and --check")
				case listOps:
					a.listOperations(p)
					return nil
				case checking && len(check) == 0:
					return usagef("--check: no scopes given: name at least one (\"onair scopes %s\" lists them)", p.Name())
				case len(ops) == 0 && !checking:
					a.listScopes(p)
					return nil
				case len(ops) > 0:
					if err := a.leastPrivilege(p, ops); err != nil || !checking {
						return err
					}
				}
				return a.checkScopes(p, check, ops)
			}
		},
	}
}

// given reports whether the command line set the flag called name, even
// to an empty value.
func given(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

func (a *app) listScopes(p provider) {
	docs := p.ScopeDocs()
	width := 0
	for _, d := range docs {
		width = max(width, len(d.Scope))
	}
	a.stdout.printf("%s scopes (%d):\n", a.out.bold(p.Title()), len(docs))
	for _, d := range docs {
		a.stdout.printf("    %-*s  %s\n", width, d.Scope, d.Desc)
	}
}

func (a *app) leastPrivilege(p provider, ops []string) error {
	s, err := p.LeastPrivilege(ops)
	if err != nil {
		return errUnknownOp(p, err)
	}
	a.stdout.printf("Least privilege for %s:\n", strings.Join(ops, ", "))
	if len(s) == 0 {
		a.stdout.printf("    no scope: %s lets these operations run with any token\n", p.Title())
		return nil
	}
	for _, sc := range s {
		a.stdout.printf("    %s\n", sc)
	}
	a.stdout.printf("Ask for it with: --scope %s\n", strings.Join(s, ","))
	return nil
}

// checkScopes validates the scope set check, and checks that it lets the
// operations ops run.
func (a *app) checkScopes(p provider, check, ops []string) error {
	s, err := p.ParseScopes(check)
	if err != nil {
		// Say what a program would match with errors.Is.
		for _, se := range []struct {
			err  error
			name string
		}{
			{scopes.ErrNoScopes, "scopes.ErrNoScopes"},
			{scopes.ErrUnknown, "scopes.ErrUnknown"},
			{scopes.ErrExclusive, "scopes.ErrExclusive"},
			{scopes.ErrConflict, "scopes.ErrConflict"},
		} {
			if errors.Is(err, se.err) {
				return fmt.Errorf("%w [errors.Is: %s]", err, se.name)
			}
		}
		return err
	}
	gaps, err := p.Uncovered(s, ops)
	if err != nil {
		return err
	}
	if len(gaps) > 0 {
		var why []string
		for _, g := range gaps {
			var alts []string
			for _, l := range g.Lacks {
				alts = append(alts, strings.Join(l, " "))
			}
			why = append(why, fmt.Sprintf("%s needs %s", g.Op, strings.Join(alts, " or ")))
		}
		return fmt.Errorf("%s does not let every operation run: %s", strings.Join(s, " "), strings.Join(why, "; "))
	}
	if len(ops) > 0 {
		a.stdout.printf("%s %s is a valid %s scope set, and lets %s run\n", a.out.ok(), strings.Join(s, " "), p.Title(), strings.Join(ops, ", "))
		return nil
	}
	a.stdout.printf("%s %s is a valid %s scope set\n", a.out.ok(), strings.Join(s, " "), p.Title())
	return nil
}

// listOperations lists p's operations with the least scope set each
// needs.
func (a *app) listOperations(p provider) {
	names := p.Operations()
	width := 0
	for _, n := range names {
		width = max(width, len(n))
	}
	a.stdout.printf("%s operations (%d), with the least scope set each needs:\n", a.out.bold(p.Title()), len(names))
	for _, n := range names {
		need := "no scope"
		if s, err := p.LeastPrivilege([]string{n}); err != nil {
			need = err.Error()
		} else if len(s) > 0 {
			need = strings.Join(s, " ")
		}
		a.stdout.printf("    %-*s  %s\n", width, n, need)
	}
}
