package livestorm_test

import (
	"context"
	"errors"
	"iter"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// The list filters the research found (fidelity-2 Livestorm 1-3), against
// the sandbox.

func sandboxClient(t *testing.T) *livestorm.Client {
	t.Helper()
	srv := livestormtest.NewServer(livestormtest.WithoutRateLimit())
	t.Cleanup(srv.Close)
	ts := srv.Config().TokenSource(context.Background(), srv.IssueToken(scopes.LivestormFullWrite))
	c, err := livestorm.NewClient(ts, livestorm.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func all[T any](t *testing.T, seq iter.Seq2[T, error]) []T {
	t.Helper()
	var out []T
	for v, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// filter[event] lists only the subscriptions to that event.
func TestListWebhooksFilterEvent(t *testing.T) {
	ctx := context.Background()
	c := sandboxClient(t)
	for i, ev := range []livestorm.WebhookEvent{livestorm.WebhookEventPeopleRegistered, livestorm.WebhookEventSessionEnded,
		livestorm.WebhookEventPeopleRegistered} {
		if _, err := c.Webhooks.Create(ctx, livestorm.CreateWebhookRequest{URL: "http://127.0.0.1:1/hooks/" + string(rune('a'+i)), Event: ev}); err != nil {
			t.Fatal(err)
		}
	}
	byEvent := map[string][]string{}
	for _, h := range all(t, c.Webhooks.List(ctx, nil)) {
		byEvent[h.Event] = append(byEvent[h.Event], h.ID)
	}
	if len(byEvent) < 2 || len(byEvent[string(livestorm.WebhookEventPeopleRegistered)]) < 2 {
		t.Fatalf("webhooks by event = %v, want two events and two people.registered", byEvent)
	}
	for _, ev := range []livestorm.WebhookEvent{livestorm.WebhookEventPeopleRegistered, livestorm.WebhookEventSessionEnded, livestorm.WebhookEventJobEnded} {
		var got []string
		for _, h := range all(t, c.Webhooks.List(ctx, &livestorm.ListWebhooksParams{FilterEvent: ev})) {
			got = append(got, h.ID)
		}
		if d := cmp.Diff(byEvent[string(ev)], got); d != "" {
			t.Errorf("filter[event]=%s (-want +got):\n%s", ev, d)
		}
	}
}

// filter[email] on an event's people keeps the people with that email,
// case aside.
func TestListEventPeopleFilterEmail(t *testing.T) {
	ctx := context.Background()
	c := sandboxClient(t)
	for _, ev := range all(t, c.Events.List(ctx, nil)) {
		people := all(t, c.Events.ListPeople(ctx, ev.ID, nil))
		if len(people) < 2 {
			continue
		}
		email := people[len(people)-1].Email
		var want []string
		for _, p := range people {
			if strings.EqualFold(p.Email, email) {
				want = append(want, p.ID)
			}
		}
		var got []string
		for _, p := range all(t, c.Events.ListPeople(ctx, ev.ID, &livestorm.ListEventPeopleParams{FilterEmail: strings.ToUpper(email)})) {
			got = append(got, p.ID)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("event %s, filter[email]=%s (-want +got):\n%s", ev.ID, email, d)
		}
		return
	}
	t.Fatal("no seeded event has two people")
}

// The people attributes filter by builtin, name, slug and type, and sort by
// slug or name, either way.
func TestListPeopleAttributesFilters(t *testing.T) {
	ctx := context.Background()
	c := sandboxClient(t)
	everything := all(t, c.People.ListAttributes(ctx, nil))
	slugs := func(attrs []livestorm.PeopleAttribute) []string {
		var out []string
		for _, a := range attrs {
			out = append(out, a.ID)
		}
		return out
	}
	// want returns the slugs of the attributes keep keeps, in the unfiltered
	// order.
	want := func(keep func(livestorm.PeopleAttribute) bool) []string {
		return slugs(slices.DeleteFunc(slices.Clone(everything), func(a livestorm.PeopleAttribute) bool { return !keep(a) }))
	}
	sorted := slugs(everything)
	slices.Sort(sorted)
	reversed := slices.Clone(sorted)
	slices.Reverse(reversed)

	tests := []struct {
		name   string
		params livestorm.ListPeopleAttributesParams
		want   []string
	}{
		{"custom only", livestorm.ListPeopleAttributesParams{FilterBuiltin: onair.Ptr(false)},
			want(func(a livestorm.PeopleAttribute) bool { return a.Custom })},
		{"built-in only", livestorm.ListPeopleAttributesParams{FilterBuiltin: onair.Ptr(true)},
			want(func(a livestorm.PeopleAttribute) bool { return !a.Custom })},
		{"by type", livestorm.ListPeopleAttributesParams{FilterType: livestorm.PeopleAttributeTypeUniqueSelect},
			want(func(a livestorm.PeopleAttribute) bool {
				return a.FieldType == livestorm.PeopleAttributeTypeUniqueSelect
			})},
		{"by name", livestorm.ListPeopleAttributesParams{FilterName: "Company"},
			want(func(a livestorm.PeopleAttribute) bool { return a.Name == "Company" })},
		{"by slug", livestorm.ListPeopleAttributesParams{FilterSlug: "job_title"}, []string{"job_title"}},
		{"sorted by slug", livestorm.ListPeopleAttributesParams{Sort: "slug"}, sorted},
		{"sorted by slug, reversed", livestorm.ListPeopleAttributesParams{Sort: "-slug"}, reversed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.want) == 0 || len(tt.want) == len(everything) && !strings.HasPrefix(tt.name, "sorted") {
				t.Fatalf("the seed makes this case vacuous: want %v of %d", tt.want, len(everything))
			}
			if d := cmp.Diff(tt.want, slugs(all(t, c.People.ListAttributes(ctx, &tt.params)))); d != "" {
				t.Errorf("(-want +got):\n%s", d)
			}
		})
	}

	_, _, err := c.People.ListAttributesPage(ctx, &livestorm.ListPeopleAttributesParams{Sort: "colour"})
	var le *livestorm.Error
	if !errors.As(err, &le) || le.StatusCode != http.StatusBadRequest {
		t.Errorf("sort=colour: err = %v, want a 400", err)
	}
}
