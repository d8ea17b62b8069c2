package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"
)

func demoCommand() *command {
	return &command{
		name:  "demo",
		args:  "",
		short: "run each provider's OAuth flow and typed calls against in-process sandboxes",
		long: `Demo starts a sandbox of each provider in this process, on 127.0.0.1,
and uses onair as an application would: it runs each provider's OAuth
flow (the authorization code with state and PKCE through the consent
page, which the sandbox approves at once; client credentials for
Streamdiver and for DLive's app token), makes typed API calls, refreshes
a token, shows a call refused before it is sent because the token lacks
its scope, and draws a rate limit's 429 to show the client wait as told.

Every line it prints reports the result of a call it made. It needs no
account, no credentials and no network, and takes a second or two.
`,
		flags: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected arguments: %s", strings.Join(args, " "))
				}
				return a.demo(ctx)
			}
		},
	}
}

// report prints the demo's lines (a registry.Report): a header per
// provider, one line per step, each argument escaped.
type report struct {
	w  *terminal
	st style
}

func (r *report) Header(title, detail string) {
	r.w.printf("\n%s  %s\n", r.st.bold(title), r.st.dim(detail))
}

func (r *report) Step(format string, args ...any) {
	r.w.printf("  %s %s\n", r.st.ok(), sprintf(format, args...))
}

// Detail adds to the step above it.
func (r *report) Detail(format string, args ...any) {
	r.w.printf("      %s\n", sprintf(format, args...))
}

func (r *report) fail(err error) {
	r.w.printf("  %s %v\n", r.st.fail(), err)
}

func (a *app) demo(ctx context.Context) error {
	start := time.Now()
	r := &report{w: a.stdout, st: a.out}
	a.stdout.printf("onair demo: each provider's OAuth flow and typed API calls, against sandboxes\n")
	a.stdout.printf("served by this process on 127.0.0.1. No account, no credentials, no network.\n")
	var failed []string
	for _, p := range providers() {
		if err := p.Demo(ctx, r); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			r.fail(err)
			failed = append(failed, p.Title())
		}
	}
	a.stdout.printf("\n")
	if len(failed) > 0 {
		return fmt.Errorf("the demo failed for %s", strings.Join(failed, ", "))
	}
	a.stdout.printf("%s Four providers, %.2fs. Next: \"onair login <provider> --sandbox\" shows the consent page in your browser.\n",
		a.out.ok(), time.Since(start).Seconds())
	return nil
}
