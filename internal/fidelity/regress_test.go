package fidelity_test

import (
	"context"
	"testing"

	"github.com/onair-go/onair/internal/fidelity"
)

// A DLive answer whose selected fields contradict specs/dlive.graphql (a
// username that is a number, the query's field missing) must not confirm
// the operation: DLive's operations are its GraphQL documents, and the
// envelope {data, errors} alone says nothing of them.
func TestDLiveAnswerContradictingSchemaIsNotConfirmed(t *testing.T) {
	specs := loadSpecs(t)
	for name, tc := range map[string]struct{ body, field string }{
		"username is a number": {`{"data":{"me":{"username":42,"displayname":"x","avatar":"y"}}}`, "/data/me/username"},
		"me is missing":        {`{"data":{"somethingElse":{"x":1}}}`, "/data/me"},
	} {
		body := tc.body
		t.Run(name, func(t *testing.T) {
			c := recorded(t)
			i := find(t, c, specs, "Me")
			c.Interactions[i].Response.Body = []byte(body)
			findings, err := fidelity.Check(c, specs)
			if err != nil {
				t.Fatal(err)
			}
			f := findings[i]
			named := false
			for _, p := range f.Problems {
				named = named || p.In == "answer" && p.Pointer == tc.field
			}
			if f.Verdict != fidelity.Contradicts || f.Operation != "Me" || !named {
				t.Errorf("interaction %d (%s %s) with answer %s: verdict %s %v, want contradicts naming %s", f.Interaction, f.Provider, f.Operation, body, f.Verdict, f.Problems, tc.field)
			}
		})
	}
}

// An operation name the client chose does not make a request one of
// DLive's operations: a query that is not the Me document must not confirm Me.
func TestDLiveOperationNameIsNotTrusted(t *testing.T) {
	specs := loadSpecs(t)
	c := recorded(t)
	i := find(t, c, specs, "Me")
	c.Interactions[i].Request.Body = []byte(`{"operationName":"Me","query":"query Me { nothingLikeMe(x: 1) { y } }"}`)
	c.Interactions[i].Response.Body = []byte(`{"data":{"nothingLikeMe":{"y":1}}}`)
	findings, err := fidelity.Check(c, specs)
	if err != nil {
		t.Fatal(err)
	}
	if f := findings[i]; f.Verdict == fidelity.Confirms && f.Operation == "Me" {
		t.Errorf("a query selecting nothingLikeMe confirms DLive's Me")
	}
}

// A recorded answer with no body, where the sandbox answers an object
// (or the reverse), differs in shape: Replay must say so.
func TestReplayEmptyVersusObject(t *testing.T) {
	specs := loadSpecs(t)
	for name, body := range map[string][]byte{"no body": nil, "not JSON": []byte("stream gone")} {
		t.Run(name, func(t *testing.T) {
			c := recorded(t)
			i := find(t, c, specs, "getStream")
			c.Interactions[i].Response.Body = body
			diffs, err := fidelity.Replay(context.Background(), c, specs)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range diffs {
				if d.Interaction == i+1 {
					return
				}
			}
			t.Errorf("getStream recorded with body %q, replayed as a JSON object: no difference reported (%v)", body, diffs)
		})
	}
}
