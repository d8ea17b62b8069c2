package livepush_test

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/apiclient/leakcheck"
	"github.com/onair-go/onair/livepush"
)

// No error answer of the API, however it echoes the token, puts the token
// in the error; every error text stays one line of valid UTF-8.
func TestErrorsQuoteNoToken(t *testing.T) {
	leakcheck.Run(t, leakcheck.Provider{
		Call: func(ctx context.Context, src oauth2.TokenSource, url string) error {
			c, err := livepush.NewClient(src, livepush.WithBaseURL(url))
			if err != nil {
				return err
			}
			_, err = c.Streams.Get(ctx, "st_k2j4h6g8f0d1s")
			return err
		},
		JSON: func(msg string) string { return `{"message":"` + msg + `","code":"` + msg + `","statusCode":400}` },
		Status: func(err error) (int, bool) {
			var e *livepush.Error
			if errors.As(err, &e) {
				return e.StatusCode, true
			}
			return 0, false
		},
	})
}
