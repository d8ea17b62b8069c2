package livestormtest_test

import "testing"

// Trigger's errors say what was wrong and what to pass instead: the
// events it knows for a name it does not, and the kind of resource that is
// missing for an id the sandbox does not hold.
func TestTriggerErrorTexts(t *testing.T) {
	srv, _ := startHooks(t)
	tests := []struct{ event, id, want string }{
		{"session.paused", "", `livestormtest: "session.paused" is not one of Livestorm's webhook events; pass one of livestorm.WebhookEvents()`},
		{"event.published", "nope", `livestormtest: no event "nope" in the sandbox; trigger event.published with the id of one, or an empty id`},
		{"session.ended", "nope", `livestormtest: no session "nope" in the sandbox; trigger session.ended with the id of one, or an empty id`},
		{"people.watched_replay", "nope", `livestormtest: no person "nope" in the sandbox; trigger people.watched_replay with the id of one, or an empty id`},
		{"job.ended", "nope", `livestormtest: no job "nope" in the sandbox; trigger job.ended with the id of one, or an empty id`},
	}
	for _, tt := range tests {
		err := srv.Trigger(tt.event, tt.id)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Trigger(%q, %q) = %v, want %s", tt.event, tt.id, err, tt.want)
		}
	}
}
