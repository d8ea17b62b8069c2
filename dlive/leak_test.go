package dlive_test

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/internal/apiclient/leakcheck"
)

// No error answer of the API, however it echoes the token, puts the token
// in the error; every error text stays one line of valid UTF-8. A 200 with
// GraphQL errors is an error answer too.
func TestErrorsQuoteNoToken(t *testing.T) {
	graphQLErrors := func(msg string) string {
		return `{"data":null,"errors":[{"message":"` + msg + `","path":["` + msg + `"],"extensions":{"detail":"` + msg + `"}},` +
			`{"message":"second: ` + msg + `"}]}`
	}
	for _, tc := range []struct {
		name string
		call func(context.Context, *dlive.Client) error
		json func(msg string) string
		more []int
	}{
		{"typed query", func(ctx context.Context, c *dlive.Client) error {
			_, err := c.Users.Get(ctx, "dlive-streamer")
			return err
		}, graphQLErrors, []int{200}},
		{"mutation refused", func(ctx context.Context, c *dlive.Client) error {
			return c.Relationships.Follow(ctx, "dlive-streamer")
		}, func(msg string) string {
			return `{"data":{"follow":{"err":{"code":403,"message":"` + msg + `"}}}}`
		}, []int{200}},
		// Do returns the envelope of a 200 as it is.
		{"GraphQL envelope", func(ctx context.Context, c *dlive.Client) error {
			_, err := c.GraphQL.Do(ctx, dlive.GraphQLRequest{Query: "query { me { username } }"})
			return err
		}, graphQLErrors, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			leakcheck.Run(t, leakcheck.Provider{
				Call: func(ctx context.Context, src oauth2.TokenSource, url string) error {
					c, err := dlive.NewClient(src, dlive.WithBaseURL(url))
					if err != nil {
						return err
					}
					return tc.call(ctx, c)
				},
				JSON: tc.json,
				Status: func(err error) (int, bool) {
					var e *dlive.Error
					if errors.As(err, &e) {
						return e.StatusCode, true
					}
					return 0, false
				},
				More: tc.more,
			})
		})
	}
}
