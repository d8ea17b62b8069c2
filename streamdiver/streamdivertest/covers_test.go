package streamdivertest_test

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/scopes"
	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

// Over HTTP, with the typed client: Streamdiver's scopes gate no
// operation, so a token with none of them, each alone, or all of them
// calls Media.List. There is no token the sandbox refuses for its scopes.
func TestImpliedScopes(t *testing.T) {
	ctx := context.Background()
	srv := streamdivertest.NewServer()
	t.Cleanup(srv.Close)
	sets := [][]scopes.Streamdiver{nil, scopes.All[scopes.Streamdiver]()}
	for _, s := range scopes.All[scopes.Streamdiver]() {
		sets = append(sets, []scopes.Streamdiver{s})
	}
	for _, granted := range sets {
		// The token says its scopes, so the client's own check runs first
		// and must agree.
		tok := srv.IssueToken(granted...).WithExtra(map[string]any{"scope": scopes.Join(granted...)})
		c, err := streamdiver.NewClient(oauth2.StaticTokenSource(tok), streamdiver.WithBaseURL(srv.URL))
		if err != nil {
			t.Fatal(err)
		}
		err = errors.New("no media")
		for _, err = range c.Media.List(ctx, nil) {
			break // the first page is enough
		}
		if err != nil {
			t.Errorf("granted %q: %v", granted, err)
		}
	}
}
