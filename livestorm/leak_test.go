package livestorm_test

import (
	"context"
	"errors"
	"testing"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/internal/apiclient/leakcheck"
	"github.com/onair-go/onair/livestorm"
)

// No error answer of the API, however it echoes the token, puts the token
// in the error; every error text stays one line of valid UTF-8.
func TestErrorsQuoteNoToken(t *testing.T) {
	leakcheck.Run(t, leakcheck.Provider{
		Call: func(ctx context.Context, src oauth2.TokenSource, url string) error {
			c, err := livestorm.NewClient(src, livestorm.WithBaseURL(url))
			if err != nil {
				return err
			}
			_, err = c.Events.Get(ctx, "8b3c7f9e-1d2a-4c5b-9e8f-0a1b2c3d4e5f")
			return err
		},
		JSON: func(msg string) string {
			return `{"errors":[{"status":"` + msg + `","title":"` + msg + `","detail":"` + msg + `","code":"` + msg + `"},` +
				`{"status":"unauthorized","detail":"` + msg + `","source":{"parameter":"` + msg + `"}}]}`
		},
		Status: func(err error) (int, bool) {
			var e *livestorm.Error
			if errors.As(err, &e) {
				return e.StatusCode, true
			}
			return 0, false
		},
	})
}
