package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/onair-go/onair/cassette"
	"github.com/onair-go/onair/internal/fidelity"
)

func cassetteCommand() *command {
	return &command{
		name:  "cassette",
		args:  "check [--specs dir] [--replay] file",
		short: "check a recorded cassette against the specs and the sandboxes",
		long: `Cassette check reads a cassette that "onair record" wrote and checks each
interaction against the spec of its provider: it prints, per interaction,
the operation (its operationId, or DLive's GraphQL operation name) and
whether the recording confirms the spec or contradicts it, naming each
field that differs by its JSON pointer. Requests to the provider's OAuth
endpoints are listed as oauth; the specs do not describe them.

With --replay it also sends each recorded request to a fresh sandbox of
its provider, which issues its own codes and tokens, and prints where the
sandbox answers differently: the status, or a field of the answer that
is missing, extra, or of another JSON type. Values are not compared.
Some differences are the recording's circumstances, not the sandbox's
fault: a rate limit's 429 depends on timing, and a request the recording
made with a token the provider had spent or revoked is replayed with the
sandbox's live one.

It exits 1 if anything contradicts the spec or the sandbox differs.
`,
		flags: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			specs := fs.String("specs", "specs", "read the specs from `dir`, as in onair's repository")
			replay := fs.Bool("replay", false, "replay the cassette against the sandboxes too")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) != 2 || args[0] != "check" {
					return usagef("usage: onair cassette check [--specs dir] [--replay] file")
				}
				return a.checkCassette(ctx, args[1], *specs, *replay)
			}
		},
	}
}

func (a *app) checkCassette(ctx context.Context, path, dir string, replay bool) error {
	c, err := cassette.Load(path)
	if err != nil {
		return err
	}
	specs, err := fidelity.LoadSpecs(dir)
	if err != nil {
		return fmt.Errorf("%w (run onair in its repository, or name the specs with --specs)", err)
	}
	findings, err := fidelity.Check(c, specs)
	if err != nil {
		return err
	}
	fidelity.Write(a.stdout, findings)
	bad := 0
	for _, f := range findings {
		if f.Verdict == fidelity.Contradicts || f.Verdict == fidelity.Unknown {
			bad++
		}
	}
	var diffs []fidelity.Difference
	if replay {
		if diffs, err = fidelity.Replay(ctx, c, specs); err != nil {
			return err
		}
		for _, d := range diffs {
			a.stdout.printf("replay: %s\n", d.String())
		}
	}
	switch {
	case bad > 0 || len(diffs) > 0:
		return fmt.Errorf("%d interactions contradict or are unknown to the spec, %d differences from the sandbox", bad, len(diffs))
	case replay:
		a.stdout.printf("%d interactions: none contradicts the spec; the sandboxes answer alike\n", len(findings))
	default:
		a.stdout.printf("%d interactions: none contradicts the spec\n", len(findings))
	}
	return nil
}
