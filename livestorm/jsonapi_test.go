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

// The one-pass decoding of a resource object gives what the general path
// gives, for every input, and is taken for what the API sends.
func TestDecodeResourceOnePass(t *testing.T) {
	const apiEvent = `{"id":"e1","type":"events","attributes":{"title":"T","owner":{"id":"p1","type":"people","attributes":{"email":"a@example.com"}},"fields":[{"id":"email"}]},"relationships":{"sessions":{"data":[{"type":"sessions","id":"s1"},{"type":"sessions","id":"s2"}]},"tags":{"data":[]},"owner":{"data":{"type":"people","id":"p1"}},"host":{"data":null},"none":null}}`
	events := []string{
		apiEvent,
		`{"id":"e1","type":"events","attributes":{"title":"T"}}`,
		`{"id":"e1","type":"events"}`,
		`{"id":"e1","type":"events","attributes":null}`,
		`{"id":"e1","type":"events","attributes":null,"title":"T"}`,
		`{"id":"e1","type":"events","title":"T"}`,
		`{"id":"e1","title":"T","relationships":{"owner":["p1"]}}`,
		`{"id":"e1","attributes":{"title":"T"}}`,
		`{"id":"e1","type":"events","attributes":{"title":"T","id":"e0"}}`,
		`{"type":"events","attributes":{"title":"T"}}`,
		`{"id":"e1","type":"events","attributes":{"title":"T"},"relationships":{"owner":["p1"]}}`,
		`{"id":"e1","type":"events","attributes":{"title":"T"},"relationships":{"owner":{"data":"p1"}}}`,
		`{"id":"e1","type":"events","attributes":{"title":"T"},"relationships":{"owner":{"data":["p1"]}}}`,
		`{"id":"e1","type":"events","attributes":{"title":5}}`,
		`{"id":"e1","type":"events","attributes":5}`,
		`{"id":5,"type":"events","attributes":{}}`,
		`{"id":"e1","type":5,"attributes":{}}`,
		`{"id":"e1","type":"events","attributes":{"title":"T"}`,
	}
	for _, in := range events {
		var got, want Event
		type fields Event
		gotErr := json.Unmarshal([]byte(in), &got)
		wantErr := decodeResourceOrFlat([]byte(in), (*fields)(&want), &want.ID, &want.Relationships)
		if (gotErr != nil) != (wantErr != nil) {
			t.Errorf("%s: error %v; the general path's is %v", in, gotErr, wantErr)
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s (-general path +decodeResource):\n%s", in, d)
		}
	}
	// Person has no relationships, so a broken one is no error; Session
	// has a type attribute, so its flat encoding has a type.
	for _, in := range []string{
		`{"id":"p1","type":"people","attributes":{"email":"a@example.com"},"relationships":{"x":5}}`,
		`{"id":"p1","type":"people","attributes":{"email":"a@example.com"},"relationships":5}`,
	} {
		var got, want Person
		type fields Person
		gotErr := json.Unmarshal([]byte(in), &got)
		wantErr := decodeResourceOrFlat([]byte(in), (*fields)(&want), &want.ID, nil)
		if (gotErr != nil) != (wantErr != nil) || !cmp.Equal(want, got) {
			t.Errorf("%s: decoded %+v, %v; the general path %+v, %v", in, got, gotErr, want, wantErr)
		}
	}
	for _, in := range []string{
		`{"id":"s1","type":"live","name":"N","relationships":{"event":["e1"]}}`,
		`{"id":"s1","type":"sessions","attributes":{"type":"live"},"relationships":{"event":{"data":{"id":"e1","type":"events"}}}}`,
	} {
		var got, want Session
		type fields Session
		gotErr := json.Unmarshal([]byte(in), &got)
		wantErr := decodeResourceOrFlat([]byte(in), (*fields)(&want), &want.ID, &want.Relationships)
		if gotErr != nil || wantErr != nil || !cmp.Equal(want, got) {
			t.Errorf("%s: decoded %+v, %v; the general path %+v, %v", in, got, gotErr, want, wantErr)
		}
	}

	type fields Event
	var e Event
	if !decodeResourceObject([]byte(apiEvent), false, (*fields)(&e), &e.ID, &e.Relationships) {
		t.Errorf("%s took the general path; want one pass", apiEvent)
	}
}

// Decoding into an Event that holds values merges into them, as
// json.Unmarshal does.
func TestDecodeResourceMerges(t *testing.T) {
	got := Event{Slug: "kept", Title: "replaced"}
	if err := json.Unmarshal([]byte(`{"id":"e1","type":"events","attributes":{"title":"T"}}`), &got); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(Event{ID: "e1", Slug: "kept", Title: "T"}, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
