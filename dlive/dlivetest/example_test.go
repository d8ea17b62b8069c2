package dlivetest_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/scopes"
)

// A test starts a sandbox, runs DLive's authorization-code flow (HTTP
// Basic client authentication, bare tokens on the API) and reads the
// seeded user.
func Example() {
	ctx := context.Background()
	srv := dlivetest.NewServer()
	defer srv.Close()

	cfg := srv.Config(scopes.DLiveIdentity)
	authURL, err := cfg.AuthCodeURL(rand.Text())
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

	client, err := dlive.NewClient(cfg.TokenSource(ctx, tok), dlive.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	me, err := client.Me(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(me.Username != "")
	// Output: true
}
