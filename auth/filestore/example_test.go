package filestore_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"
	"os"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/filestore"
	"github.com/onair-go/onair/auth/sealed"
)

// Tokens in files that several processes on one machine share, sealed
// with a key the application keeps elsewhere.
func Example() {
	dir, _ := os.MkdirTemp("", "tokens")
	defer os.RemoveAll(dir)

	key := make([]byte, sealed.KeySize) // from your secret manager
	rand.Read(key)
	keys, err := sealed.NewKeyring("2026-11", map[string][]byte{"2026-11": key})
	if err != nil {
		log.Fatal(err)
	}
	store, err := filestore.Open(dir, filestore.Sealed(keys))
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	store.Save(ctx, "user-42", &oauth2.Token{AccessToken: "at", RefreshToken: "rt", Expiry: time.Now().Add(time.Hour)})

	// cfg.Client(ctx, nil, auth.WithStore(store, "user-42")) refreshes in
	// step with every other process over dir.
	var _ auth.Store = store
	tok, err := store.Load(ctx, "user-42")
	fmt.Println(tok.AccessToken, err)
	// Output: at <nil>
}
