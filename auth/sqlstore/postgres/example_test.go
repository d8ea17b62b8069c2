package postgres_test

import (
	"context"
	"log"
	"os"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/auth/sqlstore/postgres"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/scopes"
)

// Replicas on several machines share one PostgreSQL table: a user's
// refresh runs in one replica at a time, under the user's advisory lock.
func ExampleOpen() {
	ctx := context.Background()
	store, err := postgres.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	cfg := &auth.Config[scopes.DLive]{ClientID: "id", ClientSecret: "secret",
		RedirectURL: "https://app.example/cb", Scopes: []scopes.DLive{scopes.DLiveIdentity}, Endpoint: dlive.Endpoint}
	client := cfg.Client(ctx, nil, auth.WithStore(store, "user-42"))
	_ = client
}
