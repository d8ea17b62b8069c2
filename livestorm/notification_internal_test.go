package livestorm

import (
	"encoding/json"
	"errors"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// resourceFields covers the resource of every webhook event, with its
// relationships exactly when the type has them, as its UnmarshalJSON does.
func TestResourceFields(t *testing.T) {
	for _, ev := range WebhookEvents() {
		_, into := newNotification(ev)
		fields, id, rels := resourceFields(into)
		if fields == nil || id == nil {
			t.Errorf("%s: resourceFields(%T) = nil; add the type", ev, into)
			continue
		}
		_, hasRels := reflect.TypeOf(into).Elem().FieldByName("Relationships")
		if hasRels != (rels != nil) {
			t.Errorf("%s: resourceFields(%T) gives relationships %v; the type has them: %v", ev, into, rels != nil, hasRels)
		}
	}
}

// ParseNotification's one pass gives what decoding the document through
// the resource's UnmarshalJSON gives, and is taken for what Livestorm sends.
func TestParseNotificationOnePass(t *testing.T) {
	for _, tc := range []struct {
		event   WebhookEvent
		body    string
		onePass bool
	}{
		{WebhookEventEventCreated, `{"data":{"id":"e1","type":"events","attributes":{"title":"T","owner":{"id":"p1","type":"people","attributes":{"email":"a@example.com"}}},"relationships":{"sessions":{"data":[{"type":"sessions","id":"s1"}]},"tags":{"data":[]}}}}`, true},
		{WebhookEventSessionStarted, `{"data":{"id":"s1","type":"sessions","attributes":{"name":"N","status":"live"},"relationships":{"event":{"data":{"type":"events","id":"e1"}}}}}`, true},
		{WebhookEventPeopleRegistered, `{"data":{"id":"p1","type":"people","attributes":{"email":"a@example.com","registrant_detail":{"event_id":"e1"}}}}`, true},
		{WebhookEventJobEnded, `{"data":{"id":"j1","type":"jobs","attributes":{"status":"done"}},"meta":{}}`, true},
		{WebhookEventEventCreated, `{"data":{"id":"e1","title":"T"}}`, false},
		{WebhookEventEventCreated, `{"data":{"id":"e1","type":"events"}}`, false},
		{WebhookEventEventCreated, `{"data":{"type":"events","attributes":{"title":"T"}}}`, true},
		{WebhookEventEventCreated, `{"data":null}`, false},
		{WebhookEventEventCreated, `{}`, false},
		{WebhookEventEventCreated, `[]`, false},
		{WebhookEventEventCreated, `{"data":{"id":"e1","type":"events","attributes":{"title":5}}}`, false},
	} {
		got, gotErr := ParseNotification(tc.event, []byte(tc.body))

		want, into := newNotification(tc.event)
		doc := struct {
			Data any `json:"data"`
		}{into}
		wantErr := json.Unmarshal([]byte(tc.body), &doc)
		if wantErr == nil && (doc.Data == nil || want.ResourceID() == "") {
			wantErr = errors.New("no resource")
		}
		if (gotErr != nil) != (wantErr != nil) {
			t.Errorf("%s: error %v; through UnmarshalJSON %v", tc.body, gotErr, wantErr)
		}
		if gotErr == nil && wantErr == nil {
			if d := cmp.Diff(want, got); d != "" {
				t.Errorf("%s (-through UnmarshalJSON +ParseNotification):\n%s", tc.body, d)
			}
		}

		_, into = newNotification(tc.event)
		fields, id, rels := resourceFields(into)
		if onePass := decodeResourceObject([]byte(tc.body), true, fields, id, rels); onePass != tc.onePass {
			t.Errorf("%s: one pass %v; want %v", tc.body, onePass, tc.onePass)
		}
	}
}
