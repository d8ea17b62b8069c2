package livestorm_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/livestorm"
)

// TestReconcileWebhooks starts from subscriptions that are right, extra,
// duplicated, of an older secret and of another URL, and checks what
// ReconcileWebhooks makes of them, and that a second call changes nothing.
func TestReconcileWebhooks(t *testing.T) {
	f := newHookFixture(t, nil)
	ctx := context.Background()
	mustURL := func(secret string, ev livestorm.WebhookEvent) string {
		u, err := livestorm.WebhookURL(f.base, secret, ev)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	const oldSecret = "the-previous-secret-0123456789"
	create := func(u string, ev livestorm.WebhookEvent) string {
		h, err := f.client.Webhooks.Create(ctx, livestorm.CreateWebhookRequest{URL: u, Event: ev})
		if err != nil {
			t.Fatal(err)
		}
		return string(ev) + " " + h.URL
	}
	right := create(mustURL(hookSecret, "people.registered"), "people.registered")
	duplicate := create(mustURL(hookSecret, "people.registered"), "people.registered")
	undeclared := create(mustURL(hookSecret, "session.created"), "session.created")
	old := create(mustURL(oldSecret, "job.ended"), "job.ended")
	other := create("https://elsewhere.example/"+hookSecret+"/job.ended", "job.ended")

	declared := []livestorm.WebhookEvent{"people.registered", "job.ended"}
	ch, err := f.client.ReconcileWebhooks(ctx, f.base, hookSecret, declared)
	if err != nil {
		t.Fatal(err)
	}
	names := func(hs []livestorm.Webhook) []string {
		out := []string{}
		for _, h := range hs {
			out = append(out, h.Event+" "+h.URL)
		}
		slices.Sort(out)
		return out
	}
	want := [3][]string{
		{"job.ended " + mustURL(hookSecret, "job.ended")}, // created
		sorted(duplicate, undeclared, old),                // deleted
		{right},                                           // kept
	}
	if diff := cmp.Diff(want, [3][]string{names(ch.Created), names(ch.Deleted), names(ch.Kept)}); diff != "" {
		t.Errorf("first call [created deleted kept] (-want +got):\n%s", diff)
	}

	var all []string
	for h, err := range f.client.Webhooks.List(ctx, nil) {
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, h.Event+" "+h.URL)
	}
	if !slices.Contains(all, other) {
		t.Errorf("the subscription of another URL is gone: %v", all)
	}

	ch, err = f.client.ReconcileWebhooks(ctx, f.base, hookSecret, declared)
	if err != nil {
		t.Fatal(err)
	}
	if len(ch.Created)+len(ch.Deleted) != 0 || len(ch.Kept) != 2 {
		t.Errorf("second call: %+v; want the two subscriptions kept and nothing else", ch)
	}
}

func sorted(s ...string) []string { slices.Sort(s); return s }

// TestReconcileWebhooksBaseSpelling checks that a base spelled otherwise
// than WebhookURL writes it (a trailing double slash, a dot segment, an
// upper-case scheme) still finds the subscriptions it made: a second call
// must keep them rather than subscribe the events again.
func TestReconcileWebhooksBaseSpelling(t *testing.T) {
	f := newHookFixture(t, nil)
	ctx := context.Background()
	scheme, rest, _ := strings.Cut(f.base, "://")
	for _, base := range []string{
		f.base + "//",
		f.base + "/./",
		strings.ToUpper(scheme) + "://" + rest,
	} {
		t.Run(base, func(t *testing.T) {
			declared := []livestorm.WebhookEvent{"people.registered"}
			if _, err := f.client.ReconcileWebhooks(ctx, base, hookSecret, declared); err != nil {
				t.Fatal(err)
			}
			ch, err := f.client.ReconcileWebhooks(ctx, base, hookSecret, declared)
			if err != nil {
				t.Fatal(err)
			}
			if len(ch.Created)+len(ch.Deleted) != 0 || len(ch.Kept) != 1 {
				t.Errorf("second call created %d, deleted %d, kept %d; want the one subscription kept", len(ch.Created), len(ch.Deleted), len(ch.Kept))
			}
		})
	}
}
