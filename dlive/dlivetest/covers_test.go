package dlivetest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/scopes"
)

// Over HTTP, with the typed client: DLive documents no scope that covers
// another (scopes.Covers), so Users.MePrivate takes email:read, and a
// token with every other scope gets DLive's 403, which the client reports
// as a *dlive.Error matching scopes.ErrNotGranted.
func TestImpliedScopes(t *testing.T) {
	ctx := context.Background()
	need := scopes.DLiveEmailRead
	mePrivate := func(c *dlive.Client) error { _, err := c.Users.MePrivate(ctx); return err }
	srv := dlivetest.NewServer()
	t.Cleanup(srv.Close)

	var covering, others []scopes.DLive
	for _, s := range scopes.All[scopes.DLive]() {
		if scopes.Covers([]scopes.DLive{s}, need) {
			covering = append(covering, s)
		} else {
			others = append(others, s)
		}
	}
	for _, s := range covering {
		// The token says its scope, so the client's own check runs first
		// and must agree.
		tok := srv.IssueToken(s).WithExtra(map[string]any{"scope": string(s)})
		if err := mePrivate(dliveClient(t, srv, tok)); err != nil {
			t.Errorf("granted %s: %v", s, err)
		}
	}

	// This token does not say its scopes: the sandbox decides.
	before := srv.Calls(dlive.OpUsersMePrivate)
	err := mePrivate(dliveClient(t, srv, &oauth2.Token{AccessToken: srv.IssueToken(others...).AccessToken}))
	var de *dlive.Error
	if !errors.As(err, &de) || de.StatusCode != http.StatusForbidden || !errors.Is(err, scopes.ErrNotGranted) {
		t.Errorf("granted %q: err = %v, want DLive's 403 matching scopes.ErrNotGranted", others, err)
	}
	if srv.Calls(dlive.OpUsersMePrivate) != before+1 {
		t.Errorf("granted %q: the refusal did not come from the sandbox", others)
	}
}

func dliveClient(t *testing.T, srv *dlivetest.Server, tok *oauth2.Token) *dlive.Client {
	t.Helper()
	c, err := dlive.NewClient(oauth2.StaticTokenSource(tok), dlive.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	return c
}
