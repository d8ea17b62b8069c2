package dlivetest

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/dlive"
)

// A query seen before is served from the executor's cache with the
// variables and operation name of its own request; an invalid query is
// not kept.
func TestDocumentCacheKeepsRequestsApart(t *testing.T) {
	a := newAPI()
	c := as(t, a, grant(loginUsername))
	query := `query ByName($u: String!) { user(username: $u) { username } } query Mine { me { username } }`
	tests := []struct {
		op   string
		vars map[string]any
		want map[string]any
	}{
		{"ByName", map[string]any{"u": pixelPilot}, map[string]any{"user": map[string]any{"username": pixelPilot}}},
		{"ByName", map[string]any{"u": springer}, map[string]any{"user": map[string]any{"username": springer}}},
		{"Mine", nil, map[string]any{"me": map[string]any{"username": loginUsername}}},
	}
	for _, tt := range tests {
		r, err := c.GraphQL.Do(context.Background(), dlive.GraphQLRequest{Query: query, OperationName: tt.op, Variables: tt.vars})
		if err != nil {
			t.Fatalf("%s %v: %v", tt.op, tt.vars, err)
		}
		if d := cmp.Diff(tt.want, r.Data); d != "" {
			t.Errorf("%s %v: (-want +got):\n%s", tt.op, tt.vars, d)
		}
	}
	if _, err := c.GraphQL.Do(context.Background(), dlive.GraphQLRequest{Query: `{ me { nope } }`}); err == nil {
		t.Error("an invalid query was answered")
	}
	if n := len(a.exec.documents); n != 1 {
		t.Errorf("%d documents cached, want the one valid query's", n)
	}
}

// The cache holds at most maxDocuments documents, however many distinct
// queries arrive.
func TestDocumentCacheIsBounded(t *testing.T) {
	a := newAPI()
	for i := range maxDocuments + 10 {
		query := fmt.Sprintf(`{ q%d: globalInfo { __typename } }`, i)
		if _, errs := a.exec.document(query); errs != nil {
			t.Fatalf("%s: %v", query, errs)
		}
		if n := len(a.exec.documents); n > maxDocuments {
			t.Fatalf("%d documents cached after %d queries, want at most %d", n, i+1, maxDocuments)
		}
	}
}

// Requests that share a cached document run at once: preparing them only
// reads it (the race detector holds this under -race).
func TestDocumentCacheShared(t *testing.T) {
	c := as(t, newAPI(), grant(loginUsername))
	req := dlive.GraphQLRequest{Query: `query($u: String!) { user(username: $u) { username ...f @include(if: true) } } fragment f on User { displayname }`,
		Variables: map[string]any{"u": pixelPilot}}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range cap(errs) {
		wg.Go(func() {
			_, err := c.GraphQL.Do(context.Background(), req)
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
