package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	registry "github.com/onair-go/onair/internal/providers"
)

func logoutCommand() *command {
	return &command{
		name:  "logout",
		args:  "<provider> [--sandbox] [--client-id id --client-secret secret]",
		short: "revoke a stored token at the provider, and stop using it",
		long: `Logout ends the login "onair login" stored for a provider. Where the
provider offers token revocation (RFC 7009), it revokes the refresh
token, and with it the login's access tokens, at the server the login
used. Then it replaces the stored token by a mark that says the user
logged out, so that "onair token" and every program sharing the store
stop using it and ask for a new login.

Revocation authenticates your app, as a refresh does: it needs the app's
secret again (--client-secret or ONAIR_<PROVIDER>_CLIENT_SECRET). When
the revocation fails, the token stays stored, so that you can try again.

DLive offers no revocation: logout stops onair using the token, and says
that DLive keeps it valid until it expires. A sandbox of an "onair login
--sandbox" ended with its login, and its tokens with it: logging out of
it sends nothing.

With nothing stored, logout says so and succeeds: there is no login left
to end.
`,
		flags: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			var o logoutOptions
			fs.BoolVar(&o.sandbox, "sandbox", false, "log out of the last \"onair login --sandbox\"")
			o.client.declare(fs)
			return func(ctx context.Context, a *app, args []string) error {
				p, err := providerArg(args)
				if err != nil {
					return err
				}
				return a.logout(ctx, p, o)
			}
		},
	}
}

type logoutOptions struct {
	sandbox bool
	client  clientFlags
}

func (a *app) logout(ctx context.Context, p provider, o logoutOptions) error {
	// Like reading, a logout with nothing stored creates nothing.
	st, err := a.openExistingStore()
	if err != nil {
		return err
	}
	key := storeKey(p, o.sandbox)
	tok, err := loadToken(ctx, st, key)
	switch {
	case errors.Is(err, auth.ErrNotFound):
		a.nothingToLogOut(ctx, st, p, o.sandbox)
		return nil
	case errors.Is(err, auth.ErrUnreadable):
		return fmt.Errorf("the stored %s token cannot be read (%w), so it cannot be revoked: run %q to replace it", p.Title(), err, loginLine(p, o.sandbox))
	case err != nil:
		return err
	}
	if reason, ok := auth.NeedsReauthorization(tok); ok {
		a.stdout.printf("Nothing to log out (key %q): %v.\n", key, mustReauthorize(p, reason, o.sandbox))
		return nil
	}
	if o.sandbox {
		if err := st.Save(ctx, key, auth.MarkReauthorize(auth.ReasonRevoked)); err != nil {
			return fmt.Errorf("storing the logout: %w", err)
		}
		a.stdout.printf("%s Logged out of the %s sandbox (key %q): its tokens ended with the sandbox that issued them, so nothing was sent.\n", a.out.ok(), p.Title(), key)
		return nil
	}

	meta, err := a.loadMeta(key)
	if err != nil {
		return err
	}
	cl, baseURL, err := a.logoutClient(p, o, meta)
	if err != nil {
		return err
	}
	err = cl.Logout(ctx, st, key)
	switch {
	case errors.Is(err, auth.ErrRevocationUnsupported):
		a.stdout.printf("%s Logged out of %s (key %q): onair no longer uses the stored tokens.\n", a.out.ok(), p.Title(), key)
		a.stderr.printf("onair logout: warning: %s did not revoke the tokens (it has no revocation endpoint onair can use), so they stay valid at %[1]s until they expire%s\n", p.Title(), refreshUntil(tok))
		return nil
	case err != nil:
		return fmt.Errorf("revoking at %s: %w", describeEndpoint(baseURL), err)
	}
	a.stdout.printf("%s Logged out of %s (key %q): revoked the tokens at %s.\n", a.out.ok(), p.Title(), key, describeEndpoint(baseURL))
	return nil
}

// logoutClient returns the client that revokes p's tokens, and the base
// URL it sends to. A provider without revocation is sent nothing, so it
// needs no credentials.
func (a *app) logoutClient(p provider, o logoutOptions, meta *loginMeta) (registry.Client, string, error) {
	if p.Revokes() {
		return a.appClient(p, o.client, meta, "revoking")
	}
	cl, err := p.Client(registry.ClientConfig{Endpoint: p.Endpoint("")})
	return cl, "", err
}

// refreshUntil says until when tok's refresh token stays valid, when that
// is known.
func refreshUntil(tok *oauth2.Token) string {
	exp := auth.RefreshExpiry(tok)
	if exp.IsZero() {
		return ""
	}
	return " (the refresh token on " + exp.UTC().Format(time.DateTime) + " UTC)"
}

// nothingToLogOut says that no token of p is stored under the key asked
// for, and points at the other key when a token is stored there. Nothing
// stored is what a logout leaves, so it is no failure: a script that logs
// out twice succeeds.
func (a *app) nothingToLogOut(ctx context.Context, st tokenStore, p provider, sandbox bool) {
	a.stdout.printf("No %s token is stored (key %q): nothing to log out.\n", p.Title(), storeKey(p, sandbox))
	other, err := loadToken(ctx, st, storeKey(p, !sandbox))
	if _, marked := auth.NeedsReauthorization(other); err != nil || marked {
		return
	}
	if sandbox {
		a.stdout.printf("The token of a real login is stored: drop --sandbox to log out of %s.\n", p.Title())
	} else {
		a.stdout.printf("The token of an %q is stored: add --sandbox to log out of it.\n", loginLine(p, true))
	}
}
