package livestormtest_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/livestorm/livestormtest"
	"github.com/onair-go/onair/scopes"
)

// A test starts a sandbox, runs the authorization-code flow with PKCE
// through the consent page, and lists the seeded events across pages.
func Example() {
	ctx := context.Background()
	srv := livestormtest.NewServer()
	defer srv.Close()

	cfg := srv.Config(scopes.LivestormEventsRead)
	verifier := oauth2.GenerateVerifier()
	authURL, err := cfg.AuthCodeURL(rand.Text(), oauth2.S256ChallengeOption(verifier))
	if err != nil {
		log.Fatal(err)
	}
	code, err := srv.Approve(ctx, authURL) // what the user's browser does
	if err != nil {
		log.Fatal(err)
	}
	tok, err := cfg.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		log.Fatal(err)
	}

	client, err := livestorm.NewClient(cfg.TokenSource(ctx, tok), livestorm.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	n := 0
	for _, err := range client.Events.List(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		n++
	}
	fmt.Println(n > 50, "events, more than one page")
	// Output: true events, more than one page
}
