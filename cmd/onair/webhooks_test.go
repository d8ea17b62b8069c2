package main

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// running is onair run by this process until the test cancels it, as
// Ctrl-C does.
type running struct {
	*inProcess
	cancel context.CancelFunc
}

func startCancelable(t *testing.T, env map[string]string, args ...string) *running {
	t.Helper()
	p := &inProcess{stdout: newSyncBuffer(), stderr: newSyncBuffer(), code: make(chan int, 1)}
	a := newApp(strings.NewReader(""), p.stdout, p.stderr, func(k string) string { return env[k] })
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		p.code <- a.main(ctx, args)
	}()
	t.Cleanup(func() { cancel(); <-done })
	return &running{p, cancel}
}

// awaitIn returns the first submatch of re in b, waiting for it.
func awaitIn(t *testing.T, b *syncBuffer, re *regexp.Regexp) string {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		if m := re.FindStringSubmatch(b.String()); m != nil {
			return m[len(m)-1]
		}
		select {
		case <-b.written:
		case <-timeout:
			t.Fatalf("onair did not print %v within 20s:\n%s", re, b)
		}
	}
}

// stop interrupts r and checks that it ends as interrupted commands do.
func (r *running) stop(t *testing.T) result {
	t.Helper()
	r.cancel()
	res := r.wait(t)
	if res.code != exitInterrupted || !strings.Contains(res.stderr, "interrupted") {
		t.Errorf("after the interrupt: want exit %d and \"interrupted\":\n%s", exitInterrupted, res)
	}
	return res
}

var receivingAt = regexp.MustCompile(`deliveries at (http://127\.0\.0\.1:\d+) `)

// TestWebhooksListenTrigger runs "webhooks listen --sandbox" and fires
// events at it with "webhooks trigger --sandbox", as two terminals would:
// each delivery the trigger reports shows at the listener, in plain text
// and in JSON lines.
func TestWebhooksListenTrigger(t *testing.T) {
	tests := []struct {
		provider, event string
		summary         *regexp.Regexp // the plain line after the time
	}{
		{"livestorm", "people.registered", regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d  people\.registered  person \S+ .+ <\S+@\S+>$`)},
		{"livestorm", "session.ended", regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d  session\.ended  session \S+ of event \S+, \w+$`)},
		{"streamdiver", "media.updated", regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d  media\.updated  media \S+ ".+", changed: name$`)},
		{"streamdiver", "ping", regexp.MustCompile(`(?m)^\d\d:\d\d:\d\d  ping  webhook \S+$`)},
	}
	for _, tt := range tests {
		t.Run(tt.provider+" "+tt.event, func(t *testing.T) {
			listen := startCancelable(t, nil, "webhooks", "listen", tt.provider, "--sandbox", "--addr", "127.0.0.1:0")
			base := awaitIn(t, listen.stdout, receivingAt)

			trig := runInProcess(t, nil, "webhooks", "trigger", tt.provider, tt.event, "--sandbox", "--to", base)
			if trig.code != 0 || !strings.Contains(trig.stdout, "sandbox delivered "+tt.event+" to "+base+"/<secret>") {
				t.Fatalf("trigger:\n%s", trig)
			}
			// The trigger reports once the listener accepted the delivery.
			awaitIn(t, listen.stdout, tt.summary)
			res := listen.stop(t)
			checkNoGoroutineLeft(t)
			for _, out := range []string{res.stdout, res.stderr, trig.stdout, trig.stderr} {
				if strings.Contains(out, sandboxWebhookSecret) {
					t.Errorf("the sandbox secret is printed:\n%s", out)
				}
			}
		})
	}

	t.Run("json", func(t *testing.T) {
		listen := startCancelable(t, nil, "webhooks", "listen", "streamdiver", "--sandbox", "--addr", "127.0.0.1:0", "--json")
		base := awaitIn(t, listen.stderr, receivingAt) // stdout is for JSON only
		for _, ev := range []string{"media.created", "media.deleted"} {
			if r := runInProcess(t, nil, "webhooks", "trigger", "streamdiver", ev, "--sandbox", "--to", base); r.code != 0 {
				t.Fatalf("trigger %s:\n%s", ev, r)
			}
		}
		awaitIn(t, listen.stdout, regexp.MustCompile(`media\.deleted`))
		res := listen.stop(t)
		type line struct {
			Provider, Event string
			Time            time.Time
			Delivery        map[string]any
		}
		var got []string
		for l := range strings.Lines(res.stdout) {
			var v line
			if err := json.Unmarshal([]byte(l), &v); err != nil {
				t.Fatalf("not a JSON line: %q: %v", l, err)
			}
			if v.Provider != "streamdiver" || v.Time.IsZero() || v.Delivery["event"] != v.Event || v.Delivery["id"] == "" {
				t.Errorf("line %q", l)
			}
			got = append(got, v.Event)
		}
		if diff := cmp.Diff([]string{"media.created", "media.deleted"}, got); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}

// TestWebhooksListenSecret runs "webhooks listen" with the secret of the
// environment, subscribed and delivered to by a Livestorm sandbox through
// the typed API, as a real Livestorm would: the secret shows nowhere, a
// delivery without it is refused, and the person's hostile name reaches
// the terminal escaped.
func TestWebhooksListenSecret(t *testing.T) {
	const secret = "Sx7pQ2wE9rT4yU1iO6aZ3kL8"
	env := map[string]string{"ONAIR_LIVESTORM_WEBHOOK_SECRET": secret}
	listen := startCancelable(t, env, "webhooks", "listen", "livestorm", "--addr", "127.0.0.1:0")
	base := awaitIn(t, listen.stdout, receivingAt)
	awaitIn(t, listen.stdout, regexp.MustCompile(`(?m)^    `+regexp.QuoteMeta(base+"/<secret>/people.registered")+`$`))

	ctx := t.Context()
	srv := livestormtest.NewServer(livestormtest.WithWebhookScale(0))
	t.Cleanup(srv.Close)
	client, err := livestorm.NewClient(srv.Config().TokenSource(ctx, srv.IssueToken(scopes.LivestormFullWrite)), livestorm.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.ReconcileWebhooks(ctx, base, secret, []livestorm.WebhookEvent{livestorm.WebhookEventPeopleRegistered}); err != nil {
		t.Fatal(err)
	}
	var session string
	for s, err := range client.Sessions.List(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		session = s.ID
		break
	}
	if _, err := client.Sessions.Register(ctx, session, livestorm.RegisterPersonRequest{Fields: []livestorm.RegistrationField{
		{ID: "email", Value: "mallory@example.com"},
		{ID: "first_name", Value: "Mal\x1b]0;pwned\x07\x1b[2J"},
	}}); err != nil {
		t.Fatal(err)
	}
	awaitIn(t, listen.stdout, regexp.MustCompile(`people\.registered  person \S+ Mal\\x1b\]0;pwned\\a\\x1b\[2J <mallory@example\.com>`))

	// A delivery to a URL without the secret is refused, and said so.
	resp, err := http.Post(base+"/not-the-secret-at-all/people.registered", "application/json", strings.NewReader("{}"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("a delivery without the secret: %s, want 404", resp.Status)
	}
	awaitIn(t, listen.stderr, regexp.MustCompile(`onair webhooks: livestorm: refused a delivery`))

	res := listen.stop(t)
	checkHarmless(t, "listen", res.stdout+res.stderr)
	if strings.Contains(res.stdout+res.stderr, secret) {
		t.Errorf("the secret is printed:\n%s", res)
	}
}

// TestWebhooksErrors checks the command lines webhooks refuses, each with
// one line that says why, and that no secret shows in any of them.
func TestWebhooksErrors(t *testing.T) {
	const secret = "bad/secret-with-a-slash-0123456789"
	tests := []struct {
		args []string
		env  map[string]string
		code int
		want string // stderr's first line
	}{
		{[]string{"webhooks"}, nil, exitUsage, "onair webhooks: name what to do: listen or trigger"},
		{[]string{"webhooks", "forward"}, nil, exitUsage, `onair webhooks: unknown webhooks command "forward": use listen or trigger`},
		{[]string{"webhooks", "listen"}, nil, exitUsage, "onair webhooks: name a provider: livestorm, streamdiver"},
		{[]string{"webhooks", "trigger"}, nil, exitUsage, "onair webhooks: name a provider: livestorm, streamdiver"},
		{[]string{"webhooks", "listen", "twitch"}, nil, exitUsage, `onair webhooks: unknown provider "twitch": use one of livepush, livestorm, streamdiver, dlive`},
		{[]string{"webhooks", "listen", "livepush", "--sandbox"}, nil, exitFail, "onair webhooks: Livepush has no webhooks"},
		{[]string{"webhooks", "listen", "livestorm"}, nil, exitFail, "onair webhooks: no webhook secret for Livestorm: set ONAIR_LIVESTORM_WEBHOOK_SECRET to the secret of your subscriptions' URLs (or try it with --sandbox)"},
		{[]string{"webhooks", "listen", "livestorm"}, map[string]string{"ONAIR_LIVESTORM_WEBHOOK_SECRET": secret}, exitFail, "onair webhooks: ONAIR_LIVESTORM_WEBHOOK_SECRET: livestorm: a webhook secret must be at least 16 characters and have no slash; make one with crypto/rand.Text"},
		{[]string{"webhooks", "listen", "livestorm", "--to", "http://127.0.0.1:1"}, nil, exitUsage, "onair webhooks: --to is not for webhooks listen"},
		{[]string{"webhooks", "trigger", "livestorm", "job.ended"}, nil, exitUsage, "onair webhooks: trigger fires sandbox deliveries only: add --sandbox (Livestorm fires its own events)"},
		{[]string{"webhooks", "trigger", "livestorm", "--sandbox"}, nil, exitUsage, "onair webhooks: name a Livestorm event: event.created, "},
		{[]string{"webhooks", "trigger", "livestorm", "media.created", "--sandbox"}, nil, exitUsage, `onair webhooks: unknown Livestorm event "media.created": use one of event.created, `},
		{[]string{"webhooks", "trigger", "streamdiver", "people.registered", "--sandbox"}, nil, exitUsage, `onair webhooks: unknown Streamdiver event "people.registered": use one of media.created, `},
		{[]string{"webhooks", "trigger", "livepush", "stream.started", "--sandbox"}, nil, exitFail, "onair webhooks: Livepush has no webhooks"},
		{[]string{"webhooks", "trigger", "streamdiver", "ping", "--sandbox", "--json"}, nil, exitUsage, "onair webhooks: --json is not for webhooks trigger"},
		// The sandboxes deliver to loopback hosts only: both say so before
		// starting, rather than report a delivery that never left.
		{[]string{"webhooks", "trigger", "livestorm", "job.ended", "--sandbox", "--to", "http://192.0.2.1"}, nil, exitUsage, `onair webhooks: --to "http://192.0.2.1" is not a loopback URL: the sandbox delivers only to this machine; pass the URL "onair webhooks listen" prints, such as http://127.0.0.1:8788`},
		{[]string{"webhooks", "trigger", "streamdiver", "media.created", "--sandbox", "--to", "http://192.0.2.1"}, nil, exitUsage, `onair webhooks: --to "http://192.0.2.1" is not a loopback URL: the sandbox delivers only to this machine; pass the URL "onair webhooks listen" prints, such as http://127.0.0.1:8788`},
		{[]string{"webhooks", "trigger", "streamdiver", "ping", "--sandbox", "--to", "ftp://127.0.0.1:8788"}, nil, exitUsage, `onair webhooks: --to "ftp://127.0.0.1:8788" is not a loopback URL: `},
		// Nobody listens at port 1 (tcpmux, which no test machine serves).
		{[]string{"webhooks", "trigger", "livestorm", "job.ended", "--sandbox", "--to", "http://127.0.0.1:1"}, nil, exitFail, `onair webhooks: the Livestorm sandbox could not deliver job.ended to http://127.0.0.1:1/<secret>/job.ended: no answer of 2xx after 5 retries: the sandbox disabled the subscription; is "onair webhooks listen livestorm --sandbox" serving there?`},
		{[]string{"webhooks", "trigger", "streamdiver", "media.created", "--sandbox", "--to", "http://127.0.0.1:1"}, nil, exitFail, `onair webhooks: the Streamdiver sandbox could not deliver media.created to http://127.0.0.1:1/<secret>: no answer; is "onair webhooks listen streamdiver --sandbox" serving there?`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := runInProcess(t, tt.env, tt.args...)
			first, _, _ := strings.Cut(r.stderr, "\n")
			if r.code != tt.code || !strings.HasPrefix(first, tt.want) || r.stdout != "" {
				t.Errorf("want exit %d and %q:\n%s", tt.code, tt.want, r)
			}
			if tt.code == exitFail && strings.Count(r.stderr, "\n") != 1 {
				t.Errorf("want one line:\n%s", r.stderr)
			}
			for _, s := range []string{secret, sandboxWebhookSecret} {
				if strings.Contains(r.stdout+r.stderr, s) {
					t.Errorf("the secret %q is printed:\n%s", s, r)
				}
			}
		})
	}
}
