package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	registry "github.com/onair-go/onair/internal/providers"
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
			var o registry.SandboxOptions
			var redirects listFlag
			fs.BoolVar(&o.AutoApprove, "auto-approve", false, "approve every authorization at once, without the consent page")
			fs.Var(&redirects, "redirect-url", "register this redirect `url` with every sandbox's client, besides\nhttp://127.0.0.1/callback (at any port); repeatable")
			fs.StringVar(&o.Tenant, "tenant", "", "serve this Streamdiver tenant `shortcode` (default sandbox)")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) > 0 {
					return usagef("unexpected arguments: %s", strings.Join(args, " "))
				}
				o.RedirectURLs = redirects
				o.AppName = "onair sandbox app"
				return a.sandbox(ctx, o)
			}
		},
	}
}

func (a *app) sandbox(ctx context.Context, o registry.SandboxOptions) error {
	var started []*registry.Sandbox
	defer func() {
		for _, s := range started {
			s.Close()
		}
	}()
	for _, p := range providers() {
		s, err := p.StartSandbox(o)
		if err != nil {
			return fmt.Errorf("starting the %s sandbox: %w", p.Title(), err)
		}
		started = append(started, s)
		a.printSandbox(p, s, o)
	}
	a.stdout.printf("%s Serving the four sandboxes until interrupted (Ctrl-C).\n", a.out.ok())
	<-ctx.Done()
	a.stdout.printf("Stopped.\n")
	return nil
}

func (a *app) printSandbox(p provider, s *registry.Sandbox, o registry.SandboxOptions) {
	row := func(k, v string) { a.stdout.printf("    %-14s %s\n", k, v) }
	a.stdout.printf("%s sandbox\n", a.out.bold(p.Title()))
	row("API", s.URL)
	if s.Endpoint.AuthURL != "" {
		row("authorize", s.Endpoint.AuthURL)
	}
	row("token", s.Endpoint.TokenURL)
	if s.Endpoint.RevokeURL != "" {
		row("revoke", s.Endpoint.RevokeURL)
	}
	row("client ID", s.ClientID)
	row("client secret", s.ClientSecret)
	if s.Tenant != "" {
		row("tenant", s.Tenant)
	}
	if p.CodeFlow() {
		row("redirect URLs", strings.Join(append([]string{s.RedirectURL}, o.RedirectURLs...), " "))
	}
	env := fmt.Sprintf("ONAIR_%[1]s_BASE_URL=%[2]s ONAIR_%[1]s_CLIENT_ID=%[3]s ONAIR_%[1]s_CLIENT_SECRET=%[4]s",
		strings.ToUpper(p.Name()), s.URL, s.ClientID, s.ClientSecret)
	if s.Tenant != "" {
		env += " ONAIR_" + strings.ToUpper(p.Name()) + "_TENANT=" + s.Tenant
	}
	row("environment", env)
	a.stdout.printf("\n")
}
