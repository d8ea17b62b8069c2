package streamdivertest_test

import (
	"context"
	"fmt"
	"log"

	"github.com/onair-go/onair/streamdiver"
	"github.com/onair-go/onair/streamdiver/streamdivertest"
)

// A test starts a sandbox of one tenant, gets an application token with
// client credentials from the tenant's realm, and reads a seeded media
// item.
func Example() {
	ctx := context.Background()
	srv := streamdivertest.NewServer(streamdivertest.WithTenant("acme"))
	defer srv.Close()

	cfg := srv.Config()
	client, err := streamdiver.NewClient(cfg.ClientCredentialsTokenSource(ctx), streamdiver.WithBaseURL(srv.URL))
	if err != nil {
		log.Fatal(err)
	}
	for m, err := range client.Media.List(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		got, err := client.Media.Get(ctx, m.ID)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(got.ID == m.ID, got.Name != "")
		break
	}
	fmt.Println(srv.Endpoint.TokenURL == srv.URL+"/realms/acme/protocol/openid-connect/token")
	// Output:
	// true true
	// true
}
