package dlivetest

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/onair-go/onair/dlive"
)

// A named fragment spread twice in one selection set counts once (spec
// 6.3.2): once in the answer and once in a scope refusal.
func TestFragmentSpreadTwice(t *testing.T) {
	query := `{ me { ...card ...card } } fragment card on User { username private { email } }`
	got := do(t, client(t, start(t), allScopes...), query, nil)
	want := map[string]any{"me": map[string]any{"username": loginUsername, "private": map[string]any{"email": loginEmail}}}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}

	_, err := client(t, start(t), "identity").GraphQL.Do(context.Background(), dlive.GraphQLRequest{Query: query})
	var de *dlive.Error
	if !errors.As(err, &de) || de.StatusCode != http.StatusForbidden {
		t.Fatalf("err = %v, want 403", err)
	}
	if len(de.Errors) != 1 || de.Errors[0].Message != "missing scope email:read" {
		t.Errorf("errors = %v, want one missing email:read", de.Errors)
	}
}
