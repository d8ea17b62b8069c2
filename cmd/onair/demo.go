package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/scopes"
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

// report prints the demo's lines: a header per provider, one line per
// step.
type report struct {
	w  *terminal
	st style
}

func (r *report) header(title, detail string) {
	r.w.printf("\n%s  %s\n", r.st.bold(title), r.st.dim(detail))
}

func (r *report) step(format string, args ...any) {
	r.w.printf("  %s %s\n", r.st.ok(), sprintf(format, args...))
}

// detail adds to the step above it.
func (r *report) detail(format string, args ...any) {
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
	for _, d := range []struct {
		name string
		run  func(context.Context, *report) error
	}{
		{"Livepush", demoLivepush},
		{"Livestorm", demoLivestorm},
		{"Streamdiver", demoStreamdiver},
		{"DLive", demoDLive},
	} {
		if err := d.run(ctx, r); err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			r.fail(err)
			failed = append(failed, d.name)
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

// authorize runs the authorization-code flow with state and PKCE. approve
// is the sandbox's: it does what the user's browser does with the consent
// page, and checks that the redirect echoes the state.
func authorize[S scopes.Scope](ctx context.Context, cfg *auth.Config[S], approve func(context.Context, string) (string, error)) (*oauth2.Token, error) {
	verifier := oauth2.GenerateVerifier()
	authURL, err := cfg.AuthCodeURL(rand.Text(), oauth2.S256ChallengeOption(verifier))
	if err != nil {
		return nil, err
	}
	code, err := approve(ctx, authURL)
	if err != nil {
		return nil, fmt.Errorf("consent: %w", err)
	}
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return nil, fmt.Errorf("exchange: %w", err)
	}
	return tok, nil
}

// granted returns tok's scopes for the report.
func granted[S scopes.Scope](tok *oauth2.Token) string {
	s, err := auth.Granted[S](tok)
	if err != nil {
		return "(unreadable: " + err.Error() + ")"
	}
	return scopeList(strs(s))
}

// lifetime is how long tok has left, for the report.
func lifetime(tok *oauth2.Token) string {
	if tok.Expiry.IsZero() {
		return "does not expire"
	}
	d := time.Until(tok.Expiry)
	if d > 48*time.Hour {
		return fmt.Sprintf("expires in %d days", int(d.Round(time.Hour).Hours()/24))
	}
	return "expires in " + d.Round(time.Minute).String()
}

// unixTime writes a JSON number of Unix seconds as a time.
func unixTime(v any) string {
	f, ok := v.(float64)
	if !ok {
		return fmt.Sprint(v)
	}
	return time.Unix(int64(f), 0).UTC().Format(time.DateTime + " UTC")
}

var errNotObserved = errors.New("the request was not observed")
