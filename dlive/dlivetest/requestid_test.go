package dlivetest

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/scopes"
)

// Every answer of the API carries an X-Request-Id of its own, which the
// client hands to onair.Response and to the *Error: successes, refusals by
// the engine (an unknown token, an injected fault) and by the GraphQL
// handler alike.
func TestRequestIDs(t *testing.T) {
	srv := start(t)
	ctx := context.Background()
	c := client(t, srv, scopes.DLiveIdentity)
	if err := srv.FailOperation(dlive.OpUsersMe, http.StatusServiceUnavailable, 1); err != nil {
		t.Fatal(err)
	}
	stranger, err := dlive.NewClient(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "not-a-token"}), dlive.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	record := func(status int, res onair.Response, err error) {
		var de *dlive.Error
		if errors.As(err, &de) && de.RequestID != res.RequestID {
			t.Errorf("the *Error's request ID %q is not the Response's %q", de.RequestID, res.RequestID)
		}
		if res.StatusCode != status {
			t.Errorf("status %d, want %d (err %v)", res.StatusCode, status, err)
		}
		got = append(got, res.RequestID)
	}
	var res onair.Response
	_, err = c.Me(ctx, onair.WithResponse(&res), onair.WithMaxRetries(0)) // the injected 503
	record(http.StatusServiceUnavailable, res, err)
	_, err = c.Me(ctx, onair.WithResponse(&res))
	record(http.StatusOK, res, err)
	_, err = stranger.Me(ctx, onair.WithResponse(&res))
	record(http.StatusUnauthorized, res, err)
	_, err = c.Users.MePrivate(ctx, onair.WithResponse(&res)) // email:read is missing
	record(http.StatusForbidden, res, err)
	seen := map[string]bool{}
	for i, id := range got {
		if id == "" || seen[id] {
			t.Errorf("answer %d: request ID %q, want one of its own (all: %q)", i, id, got)
		}
		seen[id] = true
	}
}
