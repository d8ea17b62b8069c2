package livepush_test

import (
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/optest"
	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/scopes"
)

// allScopes is a token granted every scope.
func allScopes() oauth2.TokenSource {
	tok := (&oauth2.Token{AccessToken: "tok", Expiry: time.Now().Add(time.Hour)}).WithExtra(map[string]any{"scope": scopes.Join(scopes.All[scopes.Livepush]()...)})
	return oauth2.StaticTokenSource(tok)
}

// Every operation of the spec, through the typed client, against a server
// that validates both ways against the same spec.
func TestEveryOperation(t *testing.T) {
	optest.Run(t, "../specs/livepush.yaml", func(url string) (any, error) {
		return livepush.NewClient(allScopes(), livepush.WithBaseURL(url))
	})
}

// Every list operation decodes ids of any form.
func TestOpaqueIDsInLists(t *testing.T) {
	optest.OpaqueIDs(t, "../specs/livepush.yaml", func(url string) (any, error) {
		return livepush.NewClient(allScopes(), livepush.WithBaseURL(url))
	})
}
