package sqlite_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth/sqlstore"
	"github.com/onair-go/onair/auth/sqlstore/sqlite"
)

// One SQLite file holds the tokens of every user, shared by the processes
// of one machine; a table per provider keeps them apart.
func ExampleOpen() {
	dir, _ := os.MkdirTemp("", "tokens")
	defer os.RemoveAll(dir)

	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "tokens.db"), sqlstore.Table("dlive_tokens"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	// Then: cfg.Client(ctx, nil, auth.WithStore(store, "user-42")).
	store.Save(ctx, "user-42", &oauth2.Token{AccessToken: "at", RefreshToken: "rt"})
	tok, err := store.Load(ctx, "user-42")
	fmt.Println(tok.RefreshToken, err)
	// Output: rt <nil>
}
