package onair_test

import (
	"context"
	"net/http"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/cassette"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/scopes"
)

// Recording real traffic: a typed client's session recorded to a
// cassette. It calls Livestorm's real API, so it is compiled only.
func readmeRecordingRealTraffic(ctx context.Context, cfg *auth.Config[scopes.Livestorm], tok *oauth2.Token, accountID string) error {
	rec := cassette.NewRecorder("livestorm", nil, cassette.RedactEmails(), cassette.Secrets(accountID))
	hc := &http.Client{Transport: rec}
	ctx = context.WithValue(ctx, oauth2.HTTPClient, hc) // token requests are recorded too

	client, err := livestorm.NewClient(cfg.TokenSource(ctx, tok), livestorm.WithHTTPClient(hc))
	if err != nil {
		return err
	}
	for _, err := range client.Events.List(ctx, nil) {
		if err != nil {
			return err
		}
	}
	if err := rec.Save("cassettes/livestorm/events-list.json"); err != nil {
		return err // a known secret survived: nothing was written
	}
	return nil
}
