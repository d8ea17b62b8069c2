package dlive_test

import (
	"context"
	"fmt"
	"log"

	"golang.org/x/oauth2"

	"github.com/onair-go/onair/dlive"
	"github.com/onair-go/onair/dlive/dlivetest"
	"github.com/onair-go/onair/scopes"
)

// A bot that greets every new follower of a streamer, on the sandbox:
// someone follows once the subscription is up, and the bot stops after
// the first greeting.
func ExampleChatService_Subscribe() {
	srv := dlivetest.NewServer()
	defer srv.Close()
	ctx := context.Background()

	ts := oauth2.StaticTokenSource(srv.IssueToken(scopes.DLiveRelationshipWrite))
	client, err := dlive.NewClient(ts, dlive.WithBaseURL(srv.URL), dlive.WithSubscriptionURL(srv.SubscriptionURL()))
	if err != nil {
		log.Fatal(err)
	}
	go func() {
		// What a viewer does; on the sandbox, after the bot subscribed.
		if err := srv.WaitSubscribed(ctx, "dlive-12345678", 1); err == nil {
			client.Relationships.Follow(ctx, "dlive-12345678")
		}
	}()

	for ev, err := range client.Chat.Subscribe(ctx, "dlive-12345678") {
		if err != nil {
			log.Fatal(err)
		}
		switch ev := ev.(type) {
		case *dlive.ChatText:
			fmt.Printf("%s says %s\n", ev.Sender.DisplayName, ev.Content)
		case *dlive.ChatFollow:
			fmt.Printf("Welcome, %s!\n", ev.Sender.DisplayName)
			return
		}
	}
	// Output: Welcome, OnairDemo!
}
