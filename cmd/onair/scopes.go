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
		args:  "<provider> [--for Service.Method,...] [--check scope,...]",
		short: "list a provider's scopes, compute least privilege, check a scope set",
		long: `Scopes lists the scopes a provider documents, with its description of
each.

With --for, it computes the smallest scope set that lets the named API
operations run (LeastPrivilege in the provider's package). Operations are
named Service.Method, as the Op constants of the provider's package name
them: Events.List, Streams.Create, Users.Me.

With --check, it validates a scope set as the provider would before any
request (scopes.Validate): undocumented scopes, a scope that must stand
alone, scopes that may not be combined. An invalid set fails with the
scopes package's error and exit status 1.
`,
		flags: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			var ops, check listFlag
			fs.Var(&ops, "for", "compute least privilege for these `operations`, separated by commas or spaces; repeatable")
			fs.Var(&check, "check", "validate this set of `scopes`, separated by commas or spaces; repeatable")
			return func(ctx context.Context, a *app, args []string) error {
				p, err := providerArg(args)
				if err != nil {
					return err
				}
				switch {
				case len(ops) == 0 && len(check) == 0:
					a.listScopes(p)
					return nil
				case len(ops) > 0:
					if err := a.leastPrivilege(p, ops); err != nil || len(check) == 0 {
						return err
					}
				}
				return a.checkScopes(p, check)
			}
		},
	}
}

func (a *app) listScopes(p provider) {
	docs := p.scopeDocs()
	width := 0
	for _, d := range docs {
		width = max(width, len(d.scope))
	}
	a.stdout.printf("%s scopes (%d):\n", a.out.bold(p.title()), len(docs))
	for _, d := range docs {
		a.stdout.printf("    %-*s  %s\n", width, d.scope, d.desc)
	}
}

func (a *app) leastPrivilege(p provider, ops []string) error {
	s, err := p.leastPrivilege(ops)
	if err != nil {
		return errUnknownOp(p, err)
	}
	a.stdout.printf("Least privilege for %s:\n", strings.Join(ops, ", "))
	if len(s) == 0 {
		a.stdout.printf("    no scope: %s lets these operations run with any token\n", p.title())
		return nil
	}
	for _, sc := range s {
		a.stdout.printf("    %s\n", sc)
	}
	a.stdout.printf("Ask for it with: --scope %s\n", strings.Join(s, ","))
	return nil
}

func (a *app) checkScopes(p provider, check []string) error {
	s, err := p.parseScopes(check)
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
	a.stdout.printf("%s %s is a valid %s scope set\n", a.out.ok(), strings.Join(s, " "), p.title())
	return nil
}
