package livestorm_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/livestorm"
)

// TestConfirm confirms a sandbox delivery of each kind of resource, and
// refuses forged ones about resources the account does not have.
func TestConfirm(t *testing.T) {
	f := newHookFixture(t, nil)
	events := []livestorm.WebhookEvent{"event.published", "session.ended", "people.attended", "job.ended"}
	f.subscribe(t, events...)
	for _, ev := range events {
		if err := f.srv.Trigger(string(ev), ""); err != nil {
			t.Fatal(err)
		}
	}
	f.wait(t)
	ctx := context.Background()
	got := f.received()
	if len(got) != len(events) {
		t.Fatalf("received %d deliveries; want %d", len(got), len(events))
	}
	for _, n := range got {
		c, err := f.client.Confirm(ctx, n)
		if err != nil {
			t.Errorf("Confirm(%s): %v", n.Name(), err)
			continue
		}
		if diff := cmp.Diff(summary(n), summary(c)); diff != "" {
			t.Errorf("Confirm(%s) (-delivered +confirmed):\n%s", n.Name(), diff)
		}
	}

	for _, ev := range events {
		forged, err := livestorm.ParseNotification(ev, []byte(`{"data":{"id":"00000000-0000-4000-8000-00000000f0e9","type":"x","attributes":{}}}`))
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.client.Confirm(ctx, forged)
		var le *livestorm.Error
		if !errors.As(err, &le) || le.StatusCode != http.StatusNotFound {
			t.Errorf("Confirm(forged %s) = %v; want a 404 *livestorm.Error", ev, err)
		}
	}
}
