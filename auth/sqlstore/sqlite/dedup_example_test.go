package sqlite_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"

	"github.com/onair-go/onair/auth/sqlstore"
	"github.com/onair-go/onair/auth/sqlstore/sqlite"
	"github.com/onair-go/onair/livestorm"
	"github.com/onair-go/onair/webhook"
)

// The processes of one machine that receive Livestorm's webhooks share
// the deliveries they handle and handled through the store's file, so that a
// redelivery to any of them runs the handler once.
func ExampleOpen_dedup() {
	dir, _ := os.MkdirTemp("", "tokens")
	defer os.RemoveAll(dir)

	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "tokens.db"), sqlstore.Table("livestorm_tokens"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	secret := rand.Text() // in an application, the one the webhooks were created with
	recv, err := livestorm.NewReceiver(secret, func(ctx context.Context, n livestorm.Notification) error {
		return nil // act on n
	}, webhook.WithDedup(store.Dedup()))
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/livestorm/", recv) // then: http.ListenAndServe(addr, mux)

	// What a receiver does with each delivery's key: claim it while its
	// handler runs, then mark it done.
	dedup, key := store.Dedup(), "livestorm/session.started/1f2e"
	fmt.Println(dedup.Claim(ctx, key, webhook.Lease))
	fmt.Println(dedup.Claim(ctx, key, webhook.Lease)) // a redelivery meanwhile
	if err := dedup.Done(ctx, key, livestorm.DefaultDedupWindow); err != nil {
		log.Fatal(err)
	}
	fmt.Println(dedup.Claim(ctx, key, webhook.Lease)) // a redelivery after
	// Output:
	// claimed <nil>
	// busy <nil>
	// handled <nil>
}
