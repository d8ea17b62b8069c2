package livepushtest_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"

	"github.com/onair-go/onair/livepush"
	"github.com/onair-go/onair/livepush/livepushtest"
	"github.com/onair-go/onair/scopes"
)

// A test starts a sandbox, runs the authorization-code flow with onair's
// auth.Config against it, and makes typed calls with the token.
func Example() {
	ctx := context.Background()
	srv := livepushtest.NewServer()
	defer srv.Close()

	cfg := srv.Config(scopes.LivepushStreamsCreate, scopes.LivepushStreamsRead)
	state := rand.Text()
	authURL, err := cfg.AuthCodeURL(state)
	if err != nil {
		log.Fatal(err)
	}
	code, err := srv.Approve(ctx, authURL) // what the user's browser does
	if err != nil {
		log.Fatal(err)
	}
	tok, err := cfg.Exchange(ctx, code)
	if err != nil {
		log.Fatal(err)
	}

	client, err := livepush.NewClient(cfg.TokenSource(ctx, tok), livepush.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	created, err := client.Streams.Create(ctx, livepush.CreateStreamRequest{Name: "Sunday service", Category: livepush.StreamCategorySimulcast})
	if err != nil {
		log.Fatal(err)
	}
	stream, err := client.Streams.Get(ctx, created.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(stream.Metadata.Name, stream.ID == created.ID)
	// Output: Sunday service true
}
