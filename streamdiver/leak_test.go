package streamdiver_test

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/apiclient/leakcheck"
	"github.com/onair-go/onair/streamdiver"
)

// No error answer of the API, however it echoes the token, puts the token
// in the error; every error text stays one line of valid UTF-8.
func TestErrorsQuoteNoToken(t *testing.T) {
	leakcheck.Run(t, leakcheck.Provider{
		Call: func(ctx context.Context, src oauth2.TokenSource, url string) error {
			c, err := streamdiver.NewClient(src, streamdiver.WithBaseURL(url))
			if err != nil {
				return err
			}
			_, err = c.Channels.Get(ctx, "8b3c7f9e-1d2a-4c5b-9e8f-0a1b2c3d4e5f")
			return err
		},
		JSON: func(msg string) string {
			return `{"status":"error","message":"` + msg + `","data":{"header":"` + msg + `","` + msg + `":["` + msg + `"]}}`
		},
		Status: func(err error) (int, bool) {
			var e *streamdiver.Error
			if errors.As(err, &e) {
				return e.StatusCode, true
			}
			return 0, false
		},
	})
}
