package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/cmd/onair/internal/loopback"
	registry "github.com/onair-go/onair/internal/providers"
	"github.com/onair-go/onair/scopes"
)

func loginCommand() *command {
	return &command{
		name:  "login",
		args:  "<provider> [--scope scopes | --for operations] [--client-id id --client-secret secret] [--sandbox] [--no-browser]",
		short: "log in to a provider through the browser and store the token",
		long: `Login authorizes onair, as your app, to act for you at a provider, and
stores the token for "onair token" and your programs.

It listens on 127.0.0.1, on a port the system picks, for as long as the
login takes (RFC 8252), and opens the provider's consent page in your
browser with a fresh state and a PKCE challenge. When you approve, the
browser comes back to that port with a code, which onair checks against
the state and exchanges for a token. Nothing else can use the port, and
the page it shows loads nothing from anywhere.

With --for, onair asks for the scopes that let the named API operations
run (Events.Create; "onair scopes <provider> --list-ops" lists them),
added to the scopes the stored login was granted: the smallest set the
provider's rules allow that keeps what was granted (step-up consent).
It says which scopes that adds.

The provider must know your app: pass its credentials with --client-id
and --client-secret, or set ONAIR_<PROVIDER>_CLIENT_ID and
ONAIR_<PROVIDER>_CLIENT_SECRET. Register http://127.0.0.1/callback as a
redirect URL; a provider that insists on the exact port needs --port.
Streamdiver has no user login: "onair login streamdiver" requests an
application token with the client-credentials grant.

With --sandbox, onair starts the provider's sandbox in this process and
logs in there instead: no account, no credentials, a real consent page.
The sandbox stops when the login ends, and its token is stored apart
from a real one ("onair token <provider> --sandbox" shows it).

Tokens are stored in files only you can read, under the configuration
directory (see "onair help").
`,
		flags: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			var o loginOptions
			fs.Var(&o.scopes, "scope", "the `scopes` to ask for, separated by commas or spaces; repeatable\n(default: the provider's identity scope; \"onair scopes <provider>\" lists them)")
			fs.Var(&o.ops, "for", "ask for the scopes these API `operations` need besides those the stored login\nwas granted, separated by commas or spaces; repeatable")
			o.client.declare(fs)
			fs.BoolVar(&o.sandbox, "sandbox", false, "log in to a sandbox of the provider started in this process")
			fs.BoolVar(&o.noBrowser, "no-browser", false, "print the URL to open instead of opening a browser")
			fs.IntVar(&o.port, "port", 0, "listen on this loopback `port` (default: one the system picks)")
			fs.DurationVar(&o.timeout, "timeout", 5*time.Minute, "give up when the browser has not come back within this `duration`")
			return func(ctx context.Context, a *app, args []string) error {
				p, err := providerArg(args)
				if err != nil {
					return err
				}
				return a.login(ctx, p, o)
			}
		},
	}
}

type loginOptions struct {
	scopes    listFlag
	ops       listFlag
	client    clientFlags
	sandbox   bool
	noBrowser bool
	port      int
	timeout   time.Duration
}

// target is where a login goes: the provider, a server at a base URL, or a
// sandbox of this process.
type target struct {
	cfg   registry.ClientConfig
	meta  loginMeta
	close func()
}

func (a *app) login(ctx context.Context, p provider, o loginOptions) error {
	if o.timeout <= 0 {
		return usagef("--timeout must be positive")
	}
	if o.sandbox && (o.client.clientID != "" || o.client.clientSecret != "" || o.client.baseURL != "") {
		return usagef("--sandbox brings its own client and server: drop --client-id, --client-secret and --base-url")
	}
	raw := []string(o.scopes)
	switch {
	case len(o.ops) > 0 && len(o.scopes) > 0:
		return usagef("--for computes the scopes to ask for: drop --scope, or --for")
	case len(o.ops) > 0:
		var err error
		if raw, err = a.stepUp(ctx, p, o); err != nil {
			return err
		}
	case len(raw) == 0:
		raw = p.DefaultScopes()
	}
	scope, err := p.ParseScopes(raw)
	if err != nil {
		return usagef("--scope: %v", err)
	}
	// Open the store before asking for a token: a code is single use, and
	// a token that cannot be stored is lost.
	st, dir, err := a.openStore()
	if err != nil {
		return err
	}
	if !p.CodeFlow() {
		return a.loginClientCredentials(ctx, p, o, scope, st, dir)
	}

	rcv, err := loopback.Listen(o.port, p.Title())
	if err != nil {
		return err
	}
	defer rcv.Close()
	t, err := a.target(p, o, rcv.RedirectURL())
	if err != nil {
		return err
	}
	defer t.close()
	t.cfg.Scopes = scope
	cl, err := p.Client(t.cfg)
	if err != nil {
		return err
	}

	state := rand.Text()
	verifier := oauth2.GenerateVerifier()
	// PKCE for every provider: RFC 8252 §6 asks it of native apps, and a
	// server that does not know it ignores it (RFC 7636 §5).
	authURL, err := cl.AuthCodeURL(state, oauth2.S256ChallengeOption(verifier))
	if err != nil {
		return err
	}

	a.stdout.printf("Logging in to %s, asking for %s.\n", p.Title(), scopeList(scope))
	if o.noBrowser {
		a.stdout.printf("Open this URL in a browser:\n\n    %s\n\n", authURL)
	} else {
		a.stdout.printf("Opening your browser at:\n\n    %s\n\n", authURL)
		if err := a.openBrowser(authURL); err != nil {
			a.stdout.printf("Could not open a browser (%v): open the URL yourself.\n", err)
		}
	}

	wctx, cancel := context.WithTimeout(ctx, o.timeout)
	defer cancel()
	stop := a.waiting(fmt.Sprintf("Waiting for the browser (Ctrl-C cancels; gives up after %s)", o.timeout))
	code, err := rcv.Wait(wctx, state)
	stop()
	if err != nil {
		return loginError(ctx, p, o, err)
	}

	tok, err := cl.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return fmt.Errorf("exchanging the code: %w", err)
	}
	return a.saveLogin(ctx, st, dir, p, o.sandbox, tok, t.meta)
}

// stepUp returns the scopes a login --for asks for: those the operations
// need, added to those the stored login was granted, under the provider's
// rules; and says what that adds.
func (a *app) stepUp(ctx context.Context, p provider, o loginOptions) ([]string, error) {
	var granted []string
	st, err := a.openExistingStore()
	if err != nil {
		return nil, err
	}
	// With nothing stored, or nothing readable, nothing was granted: the
	// login replaces it.
	if tok, err := loadToken(ctx, st, storeKey(p, o.sandbox)); err == nil {
		granted = p.Granted(tok)
		// onair can ask only for the scopes it documents: the new login
		// would lose the others, so it asks the user first.
		var unknown []string
		for _, s := range grantedScopes(tok) {
			if !slices.Contains(granted, s) && !slices.Contains(unknown, s) {
				unknown = append(unknown, s)
			}
		}
		if len(unknown) > 0 {
			return nil, fmt.Errorf("--for: the stored %s login was granted %s, which onair does not document and so cannot ask for again: to log in without %[2]s, run %q with --scope naming the scopes you need",
				p.Title(), scopeList(unknown), loginLine(p, o.sandbox))
		}
	}
	ops := []string(o.ops)
	want, err := p.StepUp(granted, ops)
	switch {
	case errors.Is(err, scopes.ErrNoScopes):
		// The operations need no scope, and the provider wants one.
		return p.DefaultScopes(), nil
	case err != nil:
		return nil, usagef("--for: %v", errUnknownOp(p, err))
	}
	var added []string
	for _, s := range want {
		if !slices.Contains(granted, s) {
			added = append(added, s)
		}
	}
	forOps := strings.Join(ops, ", ")
	switch {
	case len(granted) == 0:
		a.stdout.printf("Nothing is granted yet: for %s, adding %s.\n", forOps, scopeList(added))
	case len(added) == 0:
		a.stdout.printf("For %s, adding nothing: the granted %s already let it run.\n", forOps, scopeList(granted))
	default:
		a.stdout.printf("For %s, adding %s to the granted %s.\n", forOps, scopeList(added), scopeList(granted))
	}
	return want, nil
}

// loginError turns what ended the wait into a message that says what
// happened and what to do.
func loginError(ctx context.Context, p provider, o loginOptions, err error) error {
	var ae *loopback.AuthError
	switch {
	case errors.As(err, &ae) && ae.Denied():
		return fmt.Errorf("access denied: the consent page at %s was answered with Deny, so no token was stored", p.Title())
	case errors.As(err, &ae):
		return fmt.Errorf("%s refused the authorization: %v", p.Title(), ae)
	case errors.Is(err, loopback.ErrStateMismatch):
		return errors.New("the answer that came back does not carry this login's state, so it was refused: it may be forged, or left over from another login. Nothing was stored; run the login again")
	case errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil:
		return fmt.Errorf("timed out: no answer from the browser within %s, so nothing was stored (--timeout sets the wait)", o.timeout)
	}
	return err
}

// target says where the login goes and with which app. With --sandbox it
// starts the sandbox, registering redirectURL with it.
func (a *app) target(p provider, o loginOptions, redirectURL string) (*target, error) {
	meta := loginMeta{Provider: p.Name(), RedirectURL: redirectURL, Sandbox: o.sandbox, Time: time.Now().UTC()}
	if o.sandbox {
		so := registry.SandboxOptions{AppName: "onair CLI", Tenant: o.client.tenant}
		if redirectURL != "" {
			so.RedirectURLs = []string{redirectURL}
		}
		srv, err := p.StartSandbox(so)
		if err != nil {
			return nil, fmt.Errorf("starting the sandbox: %w", err)
		}
		a.stdout.printf("Started a %s sandbox at %s for this login; it stops when the login ends.\n", p.Title(), srv.URL)
		meta.ClientID, meta.BaseURL, meta.Tenant = srv.ClientID, srv.URL, srv.Tenant
		cfg := registry.ClientConfig{ClientID: srv.ClientID, ClientSecret: srv.ClientSecret, RedirectURL: redirectURL, Endpoint: srv.Endpoint}
		return &target{cfg: cfg, meta: meta, close: srv.Close}, nil
	}
	c, err := o.client.resolve(a, p)
	if err != nil {
		return nil, err
	}
	if c.clientID == "" {
		return nil, missingClientID(p)
	}
	if p.NeedsTenant() && c.tenant == "" {
		return nil, usagef("no %s tenant: pass --tenant or set ONAIR_%s_TENANT", p.Title(), strings.ToUpper(p.Name()))
	}
	ep := p.Endpoint(c.tenant)
	if c.baseURL != "" {
		ep = rebase(ep, c.baseURL)
	}
	meta.ClientID, meta.BaseURL, meta.Tenant = c.clientID, c.baseURL, c.tenant
	cfg := registry.ClientConfig{ClientID: c.clientID, ClientSecret: c.clientSecret, RedirectURL: redirectURL, Endpoint: ep}
	return &target{cfg: cfg, meta: meta, close: func() {}}, nil
}

// loginClientCredentials gets an application token, for a provider that
// has no user login.
func (a *app) loginClientCredentials(ctx context.Context, p provider, o loginOptions, scope []string, st tokenStore, dir string) error {
	t, err := a.target(p, o, "")
	if err != nil {
		return err
	}
	defer t.close()
	t.meta.RedirectURL = ""
	t.cfg.Scopes = scope
	cl, err := p.Client(t.cfg)
	if err != nil {
		return err
	}
	a.stdout.printf("%s has no user login: requesting an application token with the client-credentials grant.\n", p.Title())
	tok, err := cl.ClientCredentials(ctx)
	if err != nil {
		return fmt.Errorf("client credentials: %w", err)
	}
	return a.saveLogin(ctx, st, dir, p, o.sandbox, tok, t.meta)
}

// saveLogin stores a login's token in st, the store in dir.
func (a *app) saveLogin(ctx context.Context, st tokenStore, dir string, p provider, sandbox bool, tok *oauth2.Token, meta loginMeta) error {
	key := storeKey(p, sandbox)
	if err := st.Save(ctx, key, tok); err != nil {
		return fmt.Errorf("storing the token: %w", err)
	}
	if err := a.saveMeta(key, meta); err != nil {
		return err
	}
	granted := grantedScopes(tok)
	where := ""
	if sandbox {
		where = " sandbox"
	}
	a.stdout.printf("%s Logged in to %s%s.\n", a.out.ok(), p.Title(), where)
	a.stdout.printf("    granted  %s\n", scopeList(granted))
	a.stdout.printf("    expires  %s\n", expiry(tok, time.Now()))
	a.stdout.printf("    stored   %s (key %q)\n", dir, key)
	return nil
}

// scopeList writes scopes for people.
func scopeList(s []string) string {
	if len(s) == 0 {
		return "no particular scope"
	}
	return strings.Join(s, " ")
}

// expiry writes when tok expires, relative to now.
func expiry(tok *oauth2.Token, now time.Time) string {
	if tok.Expiry.IsZero() {
		return "never"
	}
	at := tok.Expiry.UTC().Format("2006-01-02 15:04:05 UTC")
	d := tok.Expiry.Sub(now).Round(time.Second)
	if d <= 0 {
		return fmt.Sprintf("%s (expired %s ago)", at, -d)
	}
	return fmt.Sprintf("%s (in %s)", at, d)
}
