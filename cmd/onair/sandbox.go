package main

import (
	"context"
	"flag"
	"fmt"
	"strings"
)

func sandboxCommand() *command {
	return &command{
		name:  "sandbox",
		args:  "[--auto-approve] [--redirect-url url]... [--tenant shortcode]",
		short: "serve the four sandboxes on loopback ports until interrupted",
		long: `Sandbox serves a sandbox of each provider on its own 127.0.0.1 port: the
provider's OAuth dialect, a consent page and its API over seeded data,
as strict as the provider. It prints each one's URL, endpoints and
registered client, and serves until interrupted (Ctrl-C).

Point your program at a sandbox with the provider package's WithBaseURL
and the printed endpoint, or point onair at it with the printed
environment variables, such as:

	ONAIR_LIVESTORM_BASE_URL=... ONAIR_LIVESTORM_CLIENT_ID=... \
	ONAIR_LIVESTORM_CLIENT_SECRET=... onair login livestorm

Each client has http://127.0.0.1/callback registered, and a sandbox lets
a loopback IP redirect URL's port vary, as RFC 8252 asks of providers,
so the login's port needs no flag. Other redirect URLs must be
registered in full with --redirect-url.
`,
		flags: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			var o sandboxOptions
			var redirects listFlag
			fs.BoolVar(&o.autoApprove, "auto-approve", false, "approve every authorization at once, without the consent page")
			fs.Var(&redirects, "redirect-url", "register this redirect `url` with every sandbox's client, besides\nhttp://127.0.0.1/callback (at any port); repeatable")
			fs.StringVar(&o.tenant, "tenant", "", "serve this Streamdiver tenant `shortcode` (default sandbox)")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected arguments: %s", strings.Join(args, " "))
				}
				o.redirectURLs = redirects
				o.appName = "onair sandbox app"
				return a.sandbox(ctx, o)
			}
		},
	}
}

func (a *app) sandbox(ctx context.Context, o sandboxOptions) error {
	var started []*sandboxServer
	defer func() {
		for _, s := range started {
			s.close()
		}
	}()
	for _, p := range providers() {
		s, err := p.startSandbox(o)
		if err != nil {
			return fmt.Errorf("starting the %s sandbox: %w", p.title(), err)
		}
		started = append(started, s)
		a.printSandbox(p, s, o)
	}
	a.stdout.printf("%s Serving the four sandboxes until interrupted (Ctrl-C).\n", a.out.ok())
	<-ctx.Done()
	a.stdout.printf("Stopped.\n")
	return nil
}

func (a *app) printSandbox(p provider, s *sandboxServer, o sandboxOptions) {
	row := func(k, v string) { a.stdout.printf("    %-14s %s\n", k, v) }
	a.stdout.printf("%s sandbox\n", a.out.bold(p.title()))
	row("API", s.url)
	if s.endpoint.AuthURL != "" {
		row("authorize", s.endpoint.AuthURL)
	}
	row("token", s.endpoint.TokenURL)
	if s.endpoint.RevokeURL != "" {
		row("revoke", s.endpoint.RevokeURL)
	}
	row("client ID", s.clientID)
	row("client secret", s.clientSecret)
	if s.tenant != "" {
		row("tenant", s.tenant)
	}
	if p.codeFlow() {
		row("redirect URLs", strings.Join(append([]string{s.redirectURL}, o.redirectURLs...), " "))
	}
	env := fmt.Sprintf("ONAIR_%[1]s_BASE_URL=%[2]s ONAIR_%[1]s_CLIENT_ID=%[3]s ONAIR_%[1]s_CLIENT_SECRET=%[4]s",
		strings.ToUpper(p.name()), s.url, s.clientID, s.clientSecret)
	if s.tenant != "" {
		env += " ONAIR_STREAMDIVER_TENANT=" + s.tenant
	}
	row("environment", env)
	a.stdout.printf("\n")
}
