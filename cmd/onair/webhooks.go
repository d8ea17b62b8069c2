package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	registry "github.com/onair-go/onair/internal/providers"
	"github.com/onair-go/onair/internal/sandbox/deliver"
)

// sandboxWebhookSecret is the secret of the receiver "webhooks listen
// --sandbox" serves, the same in every onair, so that "webhooks trigger
// --sandbox", in another process with its own sandbox, subscribes URLs
// that reach it. It is no secret: it only ever meets sandboxes.
const sandboxWebhookSecret = "onair-sandbox-webhook-secret"

// secretPlaceholder stands for a webhook secret in what onair prints.
const secretPlaceholder = "<secret>"

// defaultWebhookAddr is where "webhooks listen" serves, and so where
// "webhooks trigger" delivers, unless told otherwise.
const defaultWebhookAddr = "127.0.0.1:8788"

func webhooksCommand() *command {
	return &command{
		name:  "webhooks",
		args:  "listen <provider> [--sandbox] [--addr host:port] [--json]\n       onair webhooks trigger <provider> <event> --sandbox [--to url]",
		short: "receive a provider's webhook deliveries here, or fire one from its sandbox",
		long: `Webhooks listen serves the provider's webhook receiver on --addr and
prints each delivery it accepts as it arrives: the time, the event and
what it is about, one line each, or with --json one JSON object a line
with the event and the delivery as onair decodes it. It prints the URLs
to subscribe at the provider, and serves until interrupted (Ctrl-C).
Livestorm and Streamdiver have webhooks; Livepush and DLive have none.

The receiver accepts only the URLs of its secret, which it reads from
$ONAIR_<PROVIDER>_WEBHOOK_SECRET (16 characters or more, without a
slash), never from a flag, since other users can see a process's
arguments. onair never prints it: the URLs show <secret> in its place.

With --sandbox, listen uses onair's sandbox-only secret instead, the same
in every onair: "onair-sandbox-webhook-secret". It is no secret, so never
subscribe it at a provider.

Webhooks trigger --sandbox starts the provider's sandbox, subscribes the
receiver at --to to the event through the provider's API, as your
application would, fires the event, and reports once the delivery
ended: accepted, or refused after the provider's retries. Run it while
"onair webhooks listen <provider> --sandbox" serves, to see the
delivery arrive there. Without --sandbox it refuses: a provider fires
its own events.

Livestorm's events: event.created, event.published, session.created,
session.started, session.ended, people.registered, people.attended,
people.not_attended, people.watched_replay, job.ended. Streamdiver's:
media.created, media.updated, media.deleted, media.restored, ping.
`,
		flags: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			var o webhookOptions
			fs.BoolVar(&o.sandbox, "sandbox", false, "listen: use the sandbox-only secret; trigger: deliver from the provider's sandbox")
			fs.StringVar(&o.addr, "addr", defaultWebhookAddr, "listen: serve the receiver at `host:port` (port 0 picks a free one)")
			fs.BoolVar(&o.json, "json", false, "listen: print each delivery as one line of JSON")
			fs.StringVar(&o.to, "to", "http://"+defaultWebhookAddr, "trigger: the receiver's base `url`, as listen prints it")
			return func(ctx context.Context, a *app, args []string) error {
				fs.Visit(func(f *flag.Flag) { o.set = append(o.set, f.Name) })
				if len(args) == 0 {
					return usagef("name what to do: listen or trigger")
				}
				switch args[0] {
				case "listen":
					return a.webhooksListen(ctx, args[1:], o)
				case "trigger":
					return a.webhooksTrigger(ctx, args[1:], o)
				}
				return usagef("unknown webhooks command %q: use listen or trigger", args[0])
			}
		},
	}
}

type webhookOptions struct {
	sandbox, json bool
	addr, to      string
	set           []string // the flags given
}

// only refuses the flags given that are not in allowed, which are what
// the subcommand what takes.
func (o webhookOptions) only(what string, allowed ...string) error {
	for _, f := range o.set {
		if !slices.Contains(allowed, f) {
			return usagef("--%s is not for webhooks %s", f, what)
		}
	}
	return nil
}

// webhookProvider reads the provider argument and returns its webhooks.
func webhookProvider(args []string) (provider, registry.Webhooks, error) {
	if len(args) == 0 {
		return nil, nil, usagef("name a provider: %s", webhookProviderNames())
	}
	p, err := lookupProvider(args[0])
	if err != nil {
		return nil, nil, err
	}
	hooks := p.Webhooks()
	if hooks == nil {
		return nil, nil, noWebhooks(p)
	}
	return p, hooks, nil
}

// webhookProviderNames lists the providers "onair webhooks" serves.
func webhookProviderNames() string {
	var names []string
	for _, p := range providers() {
		if p.Webhooks() != nil {
			names = append(names, p.Name())
		}
	}
	return strings.Join(names, ", ")
}

// noWebhooks says that p has no webhooks, and how else to follow it.
func noWebhooks(p provider) error {
	if hasLiveEvents(p) {
		return fmt.Errorf("%s has no webhooks: its events come over a WebSocket; run \"onair events %s <streamer>\"", p.Title(), p.Name())
	}
	return fmt.Errorf("%s has no webhooks", p.Title())
}

// webhookSecret returns the secret of p's receiver: the sandbox's, or
// $ONAIR_<PROVIDER>_WEBHOOK_SECRET.
func (a *app) webhookSecret(p provider, sandbox bool) (string, error) {
	if sandbox {
		return sandboxWebhookSecret, nil
	}
	name := "ONAIR_" + strings.ToUpper(p.Name()) + "_WEBHOOK_SECRET"
	secret := a.env(p, "WEBHOOK_SECRET")
	if secret == "" {
		return "", fmt.Errorf("no webhook secret for %s: set %s to the secret of your subscriptions' URLs (or try it with --sandbox)", p.Title(), name)
	}
	return secret, nil
}

// maskSecret replaces secret in s, such as a URL or an error, by the
// placeholder.
func maskSecret(s, secret string) string {
	if secret == "" {
		return s
	}
	s = strings.ReplaceAll(s, url.PathEscape(secret), secretPlaceholder)
	return strings.ReplaceAll(s, secret, secretPlaceholder)
}

// masked is an error whose text has its secret masked.
type masked struct {
	err    error
	secret string
}

func (e *masked) Error() string { return maskSecret(e.err.Error(), e.secret) }
func (e *masked) Unwrap() error { return e.err }

func maskErr(err error, secret string) error {
	if err == nil {
		return nil
	}
	return &masked{err, secret}
}

func (a *app) webhooksListen(ctx context.Context, args []string, o webhookOptions) error {
	if err := o.only("listen", "sandbox", "addr", "json"); err != nil {
		return err
	}
	p, hooks, err := webhookProvider(args)
	if err != nil {
		return err
	}
	if len(args) > 1 {
		return usagef("unexpected arguments after the provider: %s", strings.Join(args[1:], " "))
	}
	secret, err := a.webhookSecret(p, o.sandbox)
	if err != nil {
		return err
	}
	return maskErr(a.listen(ctx, p, hooks, secret, o), secret)
}

// listen serves hooks' receiver of secret until ctx ends.
func (a *app) listen(ctx context.Context, p provider, hooks registry.Webhooks, secret string, o webhookOptions) error {
	// One delivery is printed at a time, whole.
	var mu sync.Mutex
	deliver := func(d registry.Delivery) {
		mu.Lock()
		defer mu.Unlock()
		now := time.Now()
		if o.json {
			err := a.stdout.writeJSONLine(struct {
				Time     time.Time `json:"time"`
				Provider string    `json:"provider"`
				Event    string    `json:"event"`
				Delivery any       `json:"delivery"`
			}{now, p.Name(), d.Event, d.Value})
			if err != nil {
				a.stderr.printf("onair webhooks: %s delivery: %v\n", d.Event, err)
			}
			return
		}
		a.stdout.printf("%s  %s  %s\n", now.Format(time.TimeOnly), d.Event, d.Summary)
	}
	refused := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		a.stderr.printf("onair webhooks: %s\n", maskSecret(err.Error(), secret))
	}
	h, err := hooks.Receiver(secret, deliver, refused)
	if err != nil {
		if !o.sandbox {
			return fmt.Errorf("ONAIR_%s_WEBHOOK_SECRET: %w", strings.ToUpper(p.Name()), err)
		}
		return err
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", o.addr)
	if err != nil {
		return fmt.Errorf("serving the receiver: %w", err)
	}
	base := "http://" + ln.Addr().String()
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	a.printListening(p, hooks, base, secret, o)

	select {
	case err := <-served:
		return fmt.Errorf("serving the receiver: %w", err)
	case <-ctx.Done():
	}
	// Let the deliveries under way end, then stop.
	stop, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(stop); err != nil {
		srv.Close()
	}
	<-served
	return ctx.Err()
}

// printListening tells where the receiver is and what to subscribe: on
// stdout, or on stderr when stdout is JSON lines.
func (a *app) printListening(p provider, hooks registry.Webhooks, base, secret string, o webhookOptions) {
	w := a.stdout
	if o.json {
		w = a.stderr
	}
	w.printf("Receiving %s webhook deliveries at %s until interrupted (Ctrl-C).\n", p.Title(), base)
	if o.sandbox {
		w.printf("Fire one with: onair webhooks trigger %s <event> --sandbox --to %s\n", p.Name(), base)
		w.printf("URLs to subscribe (%s is onair's sandbox-only secret):\n", secretPlaceholder)
	} else {
		w.printf("URLs to subscribe at %s (%s is $ONAIR_%s_WEBHOOK_SECRET):\n", p.Title(), secretPlaceholder, strings.ToUpper(p.Name()))
	}
	var urls []string
	for _, ev := range hooks.Events() {
		u, err := hooks.URL(base, secret, ev)
		if err != nil {
			continue // the receiver accepted the secret and base: not for this event
		}
		if !slices.Contains(urls, u) {
			urls = append(urls, u)
		}
	}
	for _, u := range urls {
		w.printf("    %s\n", maskSecret(u, secret))
	}
}

func (a *app) webhooksTrigger(ctx context.Context, args []string, o webhookOptions) error {
	if err := o.only("trigger", "sandbox", "to"); err != nil {
		return err
	}
	p, hooks, err := webhookProvider(args)
	if err != nil {
		return err
	}
	if len(args) < 2 {
		return usagef("name a %s event: %s", p.Title(), strings.Join(hooks.Events(), ", "))
	}
	event := args[1]
	if !slices.Contains(hooks.Events(), event) {
		return usagef("unknown %s event %q: use one of %s", p.Title(), event, strings.Join(hooks.Events(), ", "))
	}
	if len(args) > 2 {
		return usagef("unexpected arguments after the event: %s", strings.Join(args[2:], " "))
	}
	if !o.sandbox {
		return usagef("trigger fires sandbox deliveries only: add --sandbox (%s fires its own events)", p.Title())
	}
	// Checked here for every provider, before a sandbox starts: a
	// sandbox delivers to loopback hosts only, so another URL would
	// only end in a delivery that never left.
	if !deliver.Loopback(o.to) {
		return usagef("--to %q is not a loopback URL: the sandbox delivers only to this machine; pass the URL \"onair webhooks listen\" prints, such as http://%s", o.to, defaultWebhookAddr)
	}
	secret := sandboxWebhookSecret // trigger runs with --sandbox only
	out, err := hooks.SandboxTrigger(ctx, o.to, secret, event)
	if err != nil {
		return maskErr(err, secret)
	}
	to := maskSecret(out.URL, secret)
	if !out.Delivered {
		return maskErr(fmt.Errorf("the %s sandbox could not deliver %s to %s: %s; is \"onair webhooks listen %s --sandbox\" serving there?",
			p.Title(), event, to, out.Detail, p.Name()), secret)
	}
	a.stdout.printf("%s The %s sandbox delivered %s to %s: %s.\n", a.out.ok(), p.Title(), event, to, out.Detail)
	return nil
}
