package livestormtest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// Over HTTP, with the typed client: a token granted only scopes that cover
// an operation's scope by Livestorm's rules calls it (the issue's
// events:write, full:read and full:write for Events.List), and a token
// with every scope that does not cover it gets Livestorm's 403, which the
// client reports as a *livestorm.Error matching scopes.ErrNotGranted.
func TestImpliedScopes(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		op      livestorm.Operation
		need    []scopes.Livestorm // any one will do
		granted [][]scopes.Livestorm
		call    func(*livestorm.Client) error
	}{
		{
			op:   livestorm.OpEventsList,
			need: []scopes.Livestorm{scopes.LivestormEventsRead},
			granted: [][]scopes.Livestorm{
				{scopes.LivestormEventsRead}, {scopes.LivestormEventsWrite}, {scopes.LivestormFullRead}, {scopes.LivestormFullWrite},
			},
			call: func(c *livestorm.Client) error {
				for _, err := range c.Events.List(ctx, nil) {
					return err // the first page is enough
				}
				return errors.New("no events")
			},
		},
		{
			op:      livestorm.OpIdentityOrganization,
			need:    []scopes.Livestorm{scopes.LivestormIdentityRead, scopes.LivestormAdminRead},
			granted: [][]scopes.Livestorm{{scopes.LivestormIdentityWrite}, {scopes.LivestormAdminWrite}, {scopes.LivestormFullRead}},
			call:    func(c *livestorm.Client) error { _, err := c.Identity.Organization(ctx); return err },
		},
	}
	for _, tt := range tests {
		t.Run(string(tt.op), func(t *testing.T) {
			srv := livestormtest.NewServer(livestormtest.WithoutRateLimit())
			t.Cleanup(srv.Close)
			for _, granted := range tt.granted {
				// The token says its scopes, so the client's own check
				// runs first and must agree.
				tok := srv.IssueToken(granted...).WithExtra(map[string]any{"scope": scopes.Join(granted...)})
				if err := tt.call(client(t, srv, tok)); err != nil {
					t.Errorf("granted %q: %v", granted, err)
				}
			}

			var others []scopes.Livestorm
			for _, s := range scopes.All[scopes.Livestorm]() {
				if !covers(s, tt.need) {
					others = append(others, s)
				}
			}
			// This token does not say its scopes: the sandbox decides.
			before := srv.Calls(tt.op)
			err := tt.call(client(t, srv, &oauth2.Token{AccessToken: srv.IssueToken(others...).AccessToken}))
			var le *livestorm.Error
			if !errors.As(err, &le) || le.StatusCode != http.StatusForbidden || !errors.Is(err, scopes.ErrNotGranted) {
				t.Errorf("granted %q: err = %v, want Livestorm's 403 matching scopes.ErrNotGranted", others, err)
			}
			if srv.Calls(tt.op) != before+1 {
				t.Errorf("granted %q: the refusal did not come from the sandbox", others)
			}
		})
	}
}

// covers reports whether a grant of s alone covers one of need.
func covers(s scopes.Livestorm, need []scopes.Livestorm) bool {
	for _, n := range need {
		if scopes.Covers([]scopes.Livestorm{s}, n) {
			return true
		}
	}
	return false
}

func client(t *testing.T, srv *livestormtest.Server, tok *oauth2.Token) *livestorm.Client {
	t.Helper()
	c, err := livestorm.NewClient(oauth2.StaticTokenSource(tok), livestorm.WithBaseURL(srv.URL), livestorm.WithoutPacing())
	if err != nil {
		t.Fatal(err)
	}
	return c
}
