package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	registry "github.com/onair-go/onair/internal/providers"
)

func eventsCommand() *command {
	return &command{
		name:  "events",
		args:  "<provider> <streamer> [--sandbox] [--json]",
		short: "print a streamer's live chat and channel events as they arrive (DLive)",
		long: `Events follows a streamer's chat and channel events, over the provider's
WebSocket, and prints each as it arrives until interrupted (Ctrl-C): the
time, the kind of event (Message, Follow, Gift, ...), who caused it and
what it says, one line each, or with --json one JSON object a line with
the kind and the event as onair decodes it. A kind onair does not know
shows as its GraphQL typename. DLive has live events; for Livestorm and
Streamdiver, see "onair webhooks".

The streamer is a username, such as dlive-12345678, not a display name.
It uses the token "onair login dlive" stored, refreshed when it expires
as "onair token --refresh" does (which needs the app's secret).

With --sandbox, it starts DLive's sandbox in this process and follows
the streamer there (the sandbox's streamers include dlive-12345678);
once subscribed, the sandbox's user sends a chat message to the streamer
and follows them through the API, so that events arrive. Then it goes on
listening until interrupted.

Text from the chat, such as messages and names, is printed with control
and format characters escaped, so that no message can drive your
terminal.
`,
		flags: func(fs *flag.FlagSet) func(context.Context, *app, []string) error {
			var o eventsOptions
			fs.BoolVar(&o.sandbox, "sandbox", false, "follow the streamer on the provider's sandbox, started in this process")
			fs.BoolVar(&o.json, "json", false, "print each event as one line of JSON")
			// The login says which server to follow; its app's
			// credentials are for refreshing its token.
			fs.StringVar(&o.client.clientID, "client-id", "", "your app's `id` at the provider, to refresh the token (default $ONAIR_<PROVIDER>_CLIENT_ID)")
			fs.StringVar(&o.client.clientSecret, "client-secret", "", "your app's `secret` at the provider, to refresh the token (default\n$ONAIR_<PROVIDER>_CLIENT_SECRET; prefer the variable: other users can see a\nprocess's arguments)")
			return func(ctx context.Context, a *app, args []string) error {
				if len(args) == 0 {
					return usagef("name a provider: %s", liveProviderNames())
				}
				p, err := lookupProvider(args[0])
				if err != nil {
					return err
				}
				live := p.LiveEvents()
				if live == nil {
					return noLiveEvents(p)
				}
				switch len(args) {
				case 1:
					return usagef("name the streamer to follow, by username")
				case 2:
				default:
					return usagef("unexpected arguments after the streamer: %s", strings.Join(args[2:], " "))
				}
				return a.events(ctx, p, live, args[1], o)
			}
		},
	}
}

type eventsOptions struct {
	sandbox, json bool
	client        clientFlags
}

// hasLiveEvents reports whether "onair events" follows p's live events.
func hasLiveEvents(p provider) bool { return p.LiveEvents() != nil }

func liveProviderNames() string {
	var names []string
	for _, p := range providers() {
		if hasLiveEvents(p) {
			names = append(names, p.Name())
		}
	}
	return strings.Join(names, ", ")
}

// noLiveEvents says that p has no live events, and how else to follow it.
func noLiveEvents(p provider) error {
	if p.Webhooks() != nil {
		return fmt.Errorf("%s has no live events over a WebSocket: its events come as webhooks; run \"onair webhooks listen %s\"", p.Title(), p.Name())
	}
	return fmt.Errorf("%s has no live events", p.Title())
}

func (a *app) events(ctx context.Context, p provider, live registry.LiveEvents, streamer string, o eventsOptions) error {
	// One event is printed at a time, whole.
	var mu sync.Mutex
	emit := func(e registry.LiveEvent) {
		mu.Lock()
		defer mu.Unlock()
		a.printEvent(p, e, o.json)
	}
	// What is not an event goes to stderr when stdout is JSON lines.
	info := a.stdout
	if o.json {
		info = a.stderr
	}
	if o.sandbox {
		if o.client != (clientFlags{}) {
			return usagef("--sandbox brings its own client and server: drop --client-id and --client-secret")
		}
		note := func(s string) { info.printf("%s\n", s) }
		info.printf("Following %s's %s events on the sandbox until interrupted (Ctrl-C).\n", streamer, p.Title())
		return live.FollowSandbox(ctx, streamer, note, emit)
	}
	ts, base, err := a.storedTokenSource(ctx, p, o.client)
	if err != nil {
		return err
	}
	info.printf("Following %s's %s events until interrupted (Ctrl-C).\n", streamer, p.Title())
	err = live.Follow(ctx, ts, base, streamer, emit)
	if errors.Is(err, registry.ErrTokenRefused) {
		// The stored token was valid by its expiry, yet refused: revoked,
		// or the login's server forgot it.
		return fmt.Errorf("%s refused the stored token: run %q to log in again", p.Title(), loginLine(p, false))
	}
	return err
}

// printEvent prints e: a line of text, or of JSON.
func (a *app) printEvent(p provider, e registry.LiveEvent, asJSON bool) {
	now := time.Now()
	if asJSON {
		err := a.stdout.writeJSONLine(struct {
			Time     time.Time `json:"time"`
			Provider string    `json:"provider"`
			Kind     string    `json:"kind"`
			Event    any       `json:"event"`
		}{now, p.Name(), e.Kind, e.Value})
		if err != nil {
			a.stderr.printf("onair events: a %s event: %v\n", e.Kind, err)
		}
		return
	}
	sender := e.Sender
	if sender == "" {
		sender = "-"
	}
	a.stdout.printf("%s  %s  %s  %s\n", now.Format(time.TimeOnly), e.Kind, sender, e.Text)
}

// storedTokenSource returns the tokens of p's stored login, refreshed
// under the store's lock when they expire, and the server the login used
// ("" for the provider's own). It fails at once, with the usual hint,
// when there is no login to use.
func (a *app) storedTokenSource(ctx context.Context, p provider, flags clientFlags) (oauth2.TokenSource, string, error) {
	st, err := a.openExistingStore()
	if err != nil {
		return nil, "", err
	}
	s := &storedTokens{ctx: ctx, a: a, p: p, o: tokenOptions{client: flags}, st: st, key: storeKey(p, false)}
	if s.meta, err = a.loadMeta(s.key); err != nil {
		return nil, "", err
	}
	if _, err := s.Token(); err != nil {
		return nil, "", err
	}
	base := ""
	if s.meta != nil {
		base = s.meta.BaseURL
	}
	return s, base, nil
}

// storedTokens is an oauth2.TokenSource of a stored login: the stored
// token while it is valid, then one refreshed as "onair token --refresh"
// refreshes, and saved.
type storedTokens struct {
	ctx  context.Context
	a    *app
	p    provider
	o    tokenOptions
	st   tokenStore
	key  string
	meta *loginMeta

	mu sync.Mutex // one refresh at a time in this process; the store locks across processes
}

func (s *storedTokens) Token() (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	tok, err := loadToken(s.ctx, s.st, s.key)
	if err == nil {
		if reason, dead := reauthorizeReason(tok, time.Now()); dead {
			return nil, mustReauthorize(s.p, reason, false)
		}
		if tok.Valid() {
			return tok, nil
		}
		tok, err = s.a.refresh(s.ctx, s.p, s.o, s.st, s.key, tok, s.meta)
	}
	if err != nil {
		return nil, s.a.storedErr(s.ctx, s.st, s.p, false, err)
	}
	if reason, dead := reauthorizeReason(tok, time.Now()); dead {
		return nil, mustReauthorize(s.p, reason, false)
	}
	return tok, nil
}
