package auth_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/auth"
	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/scopes"
)

// A source per user, over a store that every replica shares: the token is
// loaded from the store, refreshed under the user's lock, and saved before
// any caller sees it. MemoryStore stands in for auth/filestore or
// auth/sqlstore here.
func ExampleWithStore() {
	ctx := context.Background()
	cfg := &auth.Config[scopes.DLive]{
		ClientID:     "my-app-id",
		ClientSecret: "my-app-secret",
		RedirectURL:  "https://app.example/oauth/dlive",
		Scopes:       []scopes.DLive{scopes.DLiveIdentity},
		Endpoint:     dlive.Endpoint,
	}
	store := auth.NewMemoryStore()

	// In the OAuth callback: save the exchanged token under the user's ID.
	tok := &oauth2.Token{AccessToken: "at-1", RefreshToken: "rt-1", Expiry: time.Now().Add(time.Hour)}
	if err := store.Save(ctx, "user-42", tok); err != nil {
		log.Fatal(err)
	}

	// Anywhere, in any replica: a client for that user.
	client := cfg.Client(ctx, nil, auth.WithStore(store, "user-42"))
	_ = client // carries the user's token, refreshed in step with the other replicas

	src := cfg.TokenSource(ctx, nil, auth.WithStore(store, "user-42"))
	got, err := src.Token()
	fmt.Println(got.AccessToken, err)
	// Output: at-1 <nil>
}
