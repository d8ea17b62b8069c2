package auth_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/scopes"
)

// A Refresher keeps the tokens of every user in a store alive. Run it in
// each replica (go r.Run(ctx)): the store's locks make each token refresh
// once. The DLive sandbox stands in for DLive, and MemoryStore for
// auth/filestore or auth/sqlstore.
func ExampleRefresher() {
	ctx := context.Background()
	srv := dlivetest.NewServer()
	defer srv.Close()
	cfg := srv.Config(scopes.DLiveIdentity)
	store := auth.NewMemoryStore()

	// Two users authorized earlier: user-0's token expires in a minute,
	// user-1's in a month.
	for i, left := range []time.Duration{time.Minute, 30 * 24 * time.Hour} {
		authURL, err := cfg.AuthCodeURL("state")
		if err != nil {
			log.Fatal(err)
		}
		code, err := srv.Approve(ctx, authURL)
		if err != nil {
			log.Fatal(err)
		}
		tok, err := cfg.Exchange(ctx, code)
		if err != nil {
			log.Fatal(err)
		}
		tok.Expiry = time.Now().Add(left)
		if err := store.Save(ctx, fmt.Sprintf("user-%d", i), tok); err != nil {
			log.Fatal(err)
		}
	}

	r := &auth.Refresher[scopes.DLive]{
		Config:      cfg,
		Store:       store,
		Ahead:       10 * time.Minute,
		Concurrency: 8,
		OnReauthorize: func(ctx context.Context, err *auth.ReauthorizeError) {
			log.Printf("%s must authorize again: %v", err.Key, err) // e.g. mail the user a link
		},
	}
	rep, err := r.RefreshDue(ctx) // one pass; Run makes one every Interval
	fmt.Println(rep.Keys, rep.Refreshed, rep.Reauthorize, err)
	// Output: 2 [user-0] [] <nil>
}
