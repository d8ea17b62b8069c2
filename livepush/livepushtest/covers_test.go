package livepushtest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/scopes"
)

// Over HTTP, with the typed client: Livepush documents no scope that
// covers another (scopes.Covers), so Streams.List takes streams.read, and
// a token with every other scope, streams.write among them, gets
// Livepush's 403, which the client reports as a *livepush.Error matching
// scopes.ErrNotGranted.
func TestImpliedScopes(t *testing.T) {
	ctx := context.Background()
	need := scopes.LivepushStreamsRead
	list := func(c *livepush.Client) error {
		for _, err := range c.Streams.List(ctx) {
			return err // the first page is enough
		}
		return errors.New("no streams")
	}
	srv := livepushtest.NewServer()
	t.Cleanup(srv.Close)

	var covering, others []scopes.Livepush
	for _, s := range scopes.All[scopes.Livepush]() {
		if scopes.Covers([]scopes.Livepush{s}, need) {
			covering = append(covering, s)
		} else {
			others = append(others, s)
		}
	}
	for _, s := range covering {
		// The token says its scope, so the client's own check runs first
		// and must agree.
		tok := srv.IssueToken(s).WithExtra(map[string]any{"scope": string(s)})
		if err := list(client(t, srv, tok)); err != nil {
			t.Errorf("granted %s: %v", s, err)
		}
	}

	// This token does not say its scopes: the sandbox decides.
	before := srv.Calls(livepush.OpStreamsList)
	err := list(client(t, srv, &oauth2.Token{AccessToken: srv.IssueToken(others...).AccessToken}))
	var le *livepush.Error
	if !errors.As(err, &le) || le.StatusCode != http.StatusForbidden || !errors.Is(err, scopes.ErrNotGranted) {
		t.Errorf("granted %q: err = %v, want Livepush's 403 matching scopes.ErrNotGranted", others, err)
	}
	if srv.Calls(livepush.OpStreamsList) != before+1 {
		t.Errorf("granted %q: the refusal did not come from the sandbox", others)
	}
}

func client(t *testing.T, srv *livepushtest.Server, tok *oauth2.Token) *livepush.Client {
	t.Helper()
	c, err := livepush.NewClient(oauth2.StaticTokenSource(tok), livepush.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
