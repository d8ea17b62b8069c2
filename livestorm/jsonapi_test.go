package livestorm

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// A resource decodes from every form JSON:API allows, and from the flat
// type's own encoding; a flat encoding round-trips.
func TestDecodeResource(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Event
	}{
		{`{"id":"e1","type":"events","attributes":{"title":"T"}}`, Event{ID: "e1", Title: "T"}},
		{`{"id":"e1","type":"events"}`, Event{ID: "e1"}},
		{`{"id":"e1","type":"events","attributes":null}`, Event{ID: "e1"}},
		{`{"id":"e1","type":"events","relationships":{"owner":{"data":{"type":"people","id":"p1"}}}}`,
			Event{ID: "e1", Relationships: map[string][]string{"owner": {"p1"}}}},
		{`{"id":"e1","type":"events","attributes":{},"relationships":{"sessions":{"data":[{"type":"sessions","id":"s1"},{"type":"sessions","id":"s2"}]},"owner":{"data":null}}}`,
			Event{ID: "e1", Relationships: map[string][]string{"sessions": {"s1", "s2"}, "owner": nil}}},
		{`{"id":"e1","title":"T","relationships":{"owner":["p1"]}}`, Event{ID: "e1", Title: "T", Relationships: map[string][]string{"owner": {"p1"}}}},
	} {
		var got Event
		if err := json.Unmarshal([]byte(tc.in), &got); err != nil {
			t.Errorf("%s: %v", tc.in, err)
			continue
		}
		if d := cmp.Diff(tc.want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", tc.in, d)
		}
		b, err := json.Marshal(got)
		var back Event
		if err != nil || json.Unmarshal(b, &back) != nil || !cmp.Equal(got, back) {
			t.Errorf("%+v does not survive its own encoding %s", got, b)
		}
	}
}

// Request bodies are written as JSON:API documents, data.type included,
// with their relationships, and read back.
func TestRequestDocuments(t *testing.T) {
	for _, tc := range []struct {
		body any
		want string
	}{
		{CreateEventRequest{Title: "x", Sessions: []NewEventSession{{Timezone: "UTC"}}},
			`{"data":{"type":"events","attributes":{"title":"x"},"relationships":{"sessions":[{"type":"sessions","attributes":{"timezone":"UTC"}}]}}}`},
		{UpdateEventRequest{ChatEnabled: new(bool)}, `{"data":{"type":"events","attributes":{"chat_enabled":false}}}`},
		{CreateSessionRequest{Name: "x", People: []SessionPersonLink{{ID: "p1", Role: "host"}}},
			`{"data":{"type":"sessions","attributes":{"name":"x"},"relationships":{"people":[{"data":{"id":"p1","role":"host","type":"people"}}]}}}`},
	} {
		b, err := json.Marshal(tc.body)
		if err != nil {
			t.Fatal(err)
		}
		var got, want any
		json.Unmarshal(b, &got)
		json.Unmarshal([]byte(tc.want), &want)
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%T (-want +got):\n%s", tc.body, d)
		}
	}
	var back CreateSessionRequest
	if err := json.Unmarshal([]byte(`{"data":{"type":"sessions","attributes":{"name":"x"},"relationships":{"people":[{"data":{"id":"p1","role":"host","type":"people"}}]}}}`), &back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(CreateSessionRequest{Name: "x", People: []SessionPersonLink{{ID: "p1", Role: "host"}}}, back); d != "" {
		t.Errorf("read back (-want +got):\n%s", d)
	}
}
