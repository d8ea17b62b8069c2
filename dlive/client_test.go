package dlive_test

import (
	"testing"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/internal/optest"
)

// Every operation of dlive.yaml (the GraphQL envelope, GraphQL.Do) through
// the typed client, against a server that validates both ways against the
// same spec. The typed GraphQL operations are in graphql_test.go.
func TestEveryOperation(t *testing.T) {
	optest.Run(t, "../specs/dlive.yaml", func(url string) (any, error) {
		return dlive.NewClient(tokenSource(allScopes), dlive.WithBaseURL(url))
	})
}
