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

// A chat bot that answers "!hello" in a streamer's chat, on the sandbox
// (the README shows its loop): a viewer says "!hello" once the bot
// listens, and the bot stops when its own answer comes back.
func ExampleChatService_Subscribe_bot() {
	srv := dlivetest.NewServer()
	defer srv.Close()
	ctx := context.Background()
	ts := oauth2.StaticTokenSource(srv.IssueToken(scopes.DLiveChatWrite))
	client, err := dlive.NewClient(ts, dlive.WithBaseURL(srv.URL), dlive.WithSubscriptionURL(srv.SubscriptionURL()))
	if err != nil {
		log.Fatal(err)
	}
	const streamer = "dlive-12345678"
	say := func(text string) error {
		_, err := client.Chat.Send(ctx, dlive.SendStreamchatMessageInput{Streamer: streamer, Message: text, RoomRole: dlive.RoomRoleMember})
		return err
	}
	go func() {
		if srv.WaitSubscribed(ctx, streamer, 1) == nil {
			say("!hello")
		}
	}()

	for ev, err := range client.Chat.Subscribe(ctx, streamer) {
		if err != nil {
			log.Fatal(err)
		}
		msg, ok := ev.(*dlive.ChatText)
		if !ok {
			continue
		}
		fmt.Printf("%s: %s\n", msg.Sender.DisplayName, msg.Content)
		switch msg.Content {
		case "!hello":
			if err := say("Hello, " + msg.Sender.DisplayName + "!"); err != nil {
				log.Fatal(err)
			}
		case "Hello, " + msg.Sender.DisplayName + "!":
			return
		}
	}
	// Output:
	// OnairDemo: !hello
	// OnairDemo: Hello, OnairDemo!
}
